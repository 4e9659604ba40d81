/** Masking: the only forms of a key that may reach a log, a message or the UI. */

const KNOWN_PREFIX = /^(sk-ant-[a-z]+\d+-|sk-ant-|sk-proj-|sk-|ghp_|github_pat_)/;

/** `sk-ant-api03-…wxyz`: the kind-revealing prefix and the last four characters. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < 12) {
    return '…';
  }
  const prefix = KNOWN_PREFIX.exec(trimmed)?.[0] ?? '';
  // A fragment too short to hide its own tail shows no tail at all.
  const body = trimmed.slice(prefix.length);
  return `${prefix}…${body.length >= 8 ? body.slice(-4) : ''}`;
}

/**
 * Anything that looks like an Anthropic credential, even a truncated or malformed one, is replaced
 * by its masked form. Loose on purpose: a log line must never carry key material.
 */
const SECRET_LIKE = /sk-ant-[A-Za-z0-9_-]{8,}/g;
const OTHER_SECRET_LIKE = /(?<![A-Za-z0-9])(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;

/** A bare prefix such as `sk-ant-admin01-` (in docs or in an already masked key) carries no secret. */
const BARE_PREFIX = /^sk-ant-[a-z]+\d+-$/;

export function maskSecrets(text: string): string {
  return text
    .replace(SECRET_LIKE, (m) => (BARE_PREFIX.test(m) ? m : maskKey(m)))
    .replace(OTHER_SECRET_LIKE, (m) => maskKey(m));
}
