import type { KeyHasher } from './scanner';

/**
 * The SARIF fingerprint of a key: sha256, hex, truncated to 128 bits. Stable across runs and
 * machines, so GitHub tracks one alert per key; irreversible, so the report carries no key.
 * node:crypto is imported only when SARIF is asked for: loading it costs ~6 ms of start-up.
 */
export async function loadKeyHasher(): Promise<KeyHasher> {
  const { createHash } = await import('node:crypto');
  return (key) => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
}
