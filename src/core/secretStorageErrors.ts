/** Why SecretStorage failed, in terms a user can act on. */
export type SecretStorageFailure = 'keyringUnavailable' | 'decryptionFailed' | 'unknown';

const KEYRING_HINTS = [
  /org[./]freedesktop[./]secrets?/i,
  /libsecret/i,
  /keyring/i,
  /secret service/i,
  /locked collection/i,
  /no such interface/i,
  /d-?bus/i,
  /keychain/i,
  /encryption is not available/i,
  /safeStorage/i,
];
const DECRYPT_HINTS = [/decrypt/i, /ciphertext/i, /bad mac/i, /authentication tag/i];

export function classifySecretStorageError(error: unknown): SecretStorageFailure {
  const text = error instanceof Error ? `${error.name} ${error.message}` : safeString(error);
  if (DECRYPT_HINTS.some((h) => h.test(text))) {
    return 'decryptionFailed';
  }
  if (KEYRING_HINTS.some((h) => h.test(text))) {
    return 'keyringUnavailable';
  }
  return 'unknown';
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    // e.g. an object without a prototype, or whose toString throws
    return '';
  }
}
