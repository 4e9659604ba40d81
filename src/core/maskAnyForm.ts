/**
 * Masking for whole texts that come from the user or from outside: keys in disguise too. Apart from
 * mask.ts so the CLI and the detector, which only need maskKey, do not load the normaliser.
 */

import { findEncodedKeys } from './keyEncodings';
import { maskKey, maskSecrets } from './mask';

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
