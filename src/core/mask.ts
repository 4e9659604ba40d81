/** Masking: the only forms of a key that may reach a log, a message or the UI. */

const KNOWN_PREFIX = /^(sk-ant-[a-z]+\d+-|sk-ant-|sk-proj-|sk-|ghp_|github_pat_)/;

/** `sk-ant-api03-…wxyz`: the kind-revealing prefix and the last four characters. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < 12) {
    return '…';
  }
  const prefix = KNOWN_PREFIX.exec(trimmed)?.[0] ?? '';
  return `${prefix}…${trimmed.slice(-4)}`;
}

/**
 * Anything that looks like an Anthropic credential, even a truncated or malformed one, is replaced
 * by its masked form. Loose on purpose: a log line must never carry key material.
 */
const SECRET_LIKE = /sk-ant-[A-Za-z0-9_-]{8,}/g;
const OTHER_SECRET_LIKE = /\b(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;

export function maskSecrets(text: string): string {
  return text.replace(SECRET_LIKE, (m) => maskKey(m)).replace(OTHER_SECRET_LIKE, (m) => maskKey(m));
}
