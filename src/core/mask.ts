/** Masking: the only forms of a key that may reach a log, a message or the UI. */

import { findEncodedKeys } from './keyEncodings';

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

/**
 * maskSecrets, and also keys in disguise (JSON `\uXXXX` or `%XX` escapes, an invisible character
 * inside, base64): each encoded span is replaced by the masked form of the key it decodes to. For
 * text that is sent, kept or shown as a whole (prompts, outside text), not for streamed pieces.
 */
export function maskSecretsInAnyForm(text: string): string {
  const encoded = findEncodedKeys(text);
  if (encoded.length === 0) {
    return maskSecrets(text);
  }
  const parts: string[] = [];
  let at = 0;
  for (const key of encoded) {
    parts.push(text.slice(at, key.start), maskKey(key.decoded));
    at = key.end;
  }
  parts.push(text.slice(at));
  return maskSecrets(parts.join(''));
}

/** Line breaks, other control characters and bidi overrides: they can forge or hide lines in a log or a toast. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
/** Longer text from outside is cut: a toast or a log line is no place for a whole echoed request. */
export const OUTSIDE_TEXT_MAX = 1000;

/**
 * Text that came from outside (an API or proxy error message, a header, an SDK error's message),
 * made safe once where it enters: key material masked, control characters shown as one space,
 * cut to OUTSIDE_TEXT_MAX characters. Masking comes first, so the cut never leaves a key's piece.
 */
export function safeOutsideText(text: string): string {
  const safe = maskSecretsInAnyForm(text).replace(CONTROL, ' ');
  return safe.length > OUTSIDE_TEXT_MAX ? `${safe.slice(0, OUTSIDE_TEXT_MAX)}…` : safe;
}
