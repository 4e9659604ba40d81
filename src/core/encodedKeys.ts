import { forEachCredential, isBodyChar, matchCredentialAt, PLAIN_TAIL } from './credentialMatch';
import type { CredentialKind } from './credentials';
import { allBase64, BASE64_PREFIX_ALIGNMENTS, base64Digit, normaliseText } from './keyEncodings';
import { sweep } from './sweep';

/**
 * Credentials the detector finds in an encoded form: base64 (a Kubernetes Secret's `data:`, a Basic
 * auth blob, a data URI), or written with JSON `\uXXXX` / URL `%XX` escapes inside. The same shapes
 * and the same "obviously fake" rules as plain keys apply to the decoded text, so precision holds.
 * Only places where an encoded key can be are decoded: plain text costs a few memchr passes.
 */

export type FindingEncoding = 'base64' | 'escaped';

export interface EncodedCredential {
  readonly kind: CredentialKind;
  /** UTF-16 offsets of the encoded text; base64 spans start and end at the characters holding the key's first and last bits. */
  readonly start: number;
  readonly end: number;
  readonly encoding: FindingEncoding;
  /** The decoded key: mask it, never show it. */
  readonly decoded: string;
}

/**
 * For the CLI's byte search: for each base64 alignment of "sk-ant-", a piece of its needle that
 * starts with a letter rare in source text. Buffer#indexOf searches patterns under 7 bytes with
 * memchr on the first byte, several times faster than Boyer-Moore-Horspool on the whole needle.
 */
export const BASE64_PROBES: readonly string[] = BASE64_PREFIX_ALIGNMENTS.map((a) => {
  const at = Math.max(0, a.needle.search(/[YWz]/));
  return a.needle.slice(at, at + 6);
});

/** A decoded key longer than this is cut (it is still reported): bounds the work per hit. */
const MAX_DECODED = 4096;
/** Escape windows reach this far from an escape along its line. */
const ESCAPE_REACH = 1024;

/**
 * Decodes base64 from the group starting at `group` (URL-safe and standard alphabets, padding or
 * not): the bytes as latin1 characters, until the run ends, a byte after `keyFrom` is not a key
 * character, or MAX_DECODED.
 */
function decodeBase64(text: string, group: number, keyFrom: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = group; i < text.length && out.length < keyFrom + MAX_DECODED; i++) {
    const d = base64Digit(text, i);
    if (d < 0) {
      break;
    }
    value = ((value << 6) | d) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (value >> bits) & 0xff;
      if (out.length >= keyFrom + 7 && !isBodyChar(byte)) {
        break;
      }
      out += String.fromCharCode(byte);
    }
  }
  return out;
}

/** For each search character, the alignments whose needle holds it, and where. */
const BY_CHARACTER = ['W', 'z'].map((character) => ({
  character,
  alignments: BASE64_PREFIX_ALIGNMENTS.filter((a) => a.needle.includes(character)).map((a) => ({ ...a, at: a.needle.indexOf(character) })),
}));

/**
 * What the sweep looks for to find base64 keys: "W" is in the needles of two alignments of
 * "sk-ant-", "z" in the third. One-character searches are memchr, the cheapest there is.
 */
export const BASE64_CHARACTERS: readonly string[] = BY_CHARACTER.map((c) => c.character);

/**
 * The base64 key around a hit of BASE64_CHARACTERS[`which`] at `hit`, pushed to `out`; returns
 * where to search on (past the key, or the next character).
 */
export function base64KeyNear(text: string, which: number, hit: number, out: EncodedCredential[]): number {
  for (const { offset, first, needle, at } of BY_CHARACTER[which].alignments) {
    const end = base64KeyAt(text, hit - at, offset, first, needle, out);
    if (end !== -1) {
      return end;
    }
  }
  return hit + 1;
}

/** The base64 key whose needle (at `alignment`) starts at `needleAt`, pushed to `out`; returns its end or -1. */
function base64KeyAt(text: string, needleAt: number, offset: number, first: number, needle: string, out: EncodedCredential[]): number {
  const group = needleAt - first;
  if (group < 0 || !text.startsWith(needle, needleAt) || !allBase64(text, group, needleAt)) {
    return -1;
  }
  // The group before, when whole, holds the byte before "sk" at offset 0: glued means no key, as in plain text.
  const from = group >= 4 && allBase64(text, group - 4, group) ? group - 4 : group;
  const keyFrom = offset + (group - from) * 0.75;
  const bytes = decodeBase64(text, from, keyFrom);
  const match = matchCredentialAt(bytes, keyFrom);
  if (!match) {
    return -1;
  }
  const end = from + Math.ceil((8 * match.end) / 6);
  out.push({ kind: match.kind, start: from + Math.floor((8 * keyFrom) / 6), end, encoding: 'base64', decoded: bytes.slice(keyFrom, match.end) });
  return end;
}

/**
 * What the sweep looks for to find keys written with escapes: an escaped hyphen. Every encoder that
 * escapes a key's letters escapes its hyphens too, so a key with escapes has `%2D` or `\\u002d` in
 * its "sk-ant-", or has that "-ant-" written plainly (PLAIN_TAIL, which may still be a key with
 * escapes further on: sk-ant-api03-%41…). Needles that long keep the
 * search in native code: `%` alone would stop at every printf format, `\\` at every `\\n`.
 */
export const ESCAPE_NEEDLES: readonly string[] = ['%2', '\\u002'];

/** Whether the `%2…` or `\\u002…` at `at` is an escaped hyphen (`%2D`, `%2d`, `\\u002d`, `\\u002D`). */
export function isHyphenEscape(text: string, at: number): boolean {
  const d = text.charCodeAt(at) === 37 /* % */ ? text.charCodeAt(at + 2) : text.charCodeAt(at + 5);
  return (d | 0x20) === 100 /* d */;
}

function isBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/** The window around an escape: its line, at most ESCAPE_REACH either side. */
function windowAround(text: string, at: number): { from: number; to: number } {
  let from = at;
  while (from > 0 && at - from < ESCAPE_REACH && !isBreak(text.charCodeAt(from - 1))) {
    from--;
  }
  let to = at;
  while (to < text.length && to - at < ESCAPE_REACH && !isBreak(text.charCodeAt(to))) {
    to++;
  }
  return { from, to };
}

/** Keys written with escapes, near the key-character escapes at `escapes` (in increasing order). */
export function findEscaped(text: string, escapes: readonly number[], out: EncodedCredential[]): void {
  let done = 0;
  for (let e = 0; e < escapes.length; e++) {
    if (escapes[e] < done) {
      continue;
    }
    let { from, to } = windowAround(text, escapes[e]);
    from = Math.max(from, done);
    // Escapes whose windows overlap are decoded together.
    while (e + 1 < escapes.length && escapes[e + 1] < to) {
      to = Math.max(to, windowAround(text, escapes[++e]).to);
    }
    const view = normaliseText(text.slice(from, to));
    forEachCredential(view.text, (kind, first, last) => {
      const start = from + view.from[first];
      const end = from + view.to[last - 1];
      const plain = end - start === last - first;
      // Windows also open at a plain "-ant-": a key there counts only if an escape is in it (not an invisible character alone).
      const escaped = !plain && hasEscape(text, start, end);
      // A window cut inside a longer token is no token boundary.
      const glued = (start === from && from > 0 && isBodyChar(text.charCodeAt(from - 1))) || (end === to && to < text.length && isBodyChar(text.charCodeAt(to)));
      if (escaped && !glued) {
        out.push({ kind, start, end, encoding: 'escaped', decoded: view.text.slice(first, last) });
      }
      return last;
    });
    done = to;
  }
}

/** Whether [start, end) holds a `%` or a backslash; looks no further than the span (a key, so short). */
function hasEscape(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 37 /* % */ || code === 92 /* \ */) {
      return true;
    }
  }
  return false;
}

/** Sorted by start, overlaps dropped (the first wins). */
export function inTextOrder(found: EncodedCredential[]): EncodedCredential[] {
  if (found.length < 2) {
    return found;
  }
  found.sort((a, b) => a.start - b.start);
  const kept: EncodedCredential[] = [];
  for (const f of found) {
    if (kept.length === 0 || f.start >= kept[kept.length - 1].end) {
      kept.push(f);
    }
  }
  return kept;
}

/** Every credential in an encoded form in `text`, in text order, none overlapping. */
export function findEncodedCredentials(text: string): EncodedCredential[] {
  const found: EncodedCredential[] = [];
  const escapes: number[] = [];
  sweep(text, [...BASE64_CHARACTERS, ...ESCAPE_NEEDLES, PLAIN_TAIL], (which, at) => {
    if (which < BASE64_CHARACTERS.length) {
      return base64KeyNear(text, which, at, found);
    }
    if (which === BASE64_CHARACTERS.length + ESCAPE_NEEDLES.length || isHyphenEscape(text, at)) {
      escapes.push(at);
    }
    return at + 1;
  });
  findEscaped(text, escapes.sort((a, b) => a - b), found);
  return inTextOrder(found);
}
