/**
 * Keys in disguise: a key written with JSON `\uXXXX` escapes (`sk\u002dant…`) or `%XX`, with an
 * invisible character inside (a zero-width space, a soft hyphen), or base64-encoded (a Kubernetes
 * Secret, a Basic auth header). One pure normaliser, shared by the prompt masker and, later, the
 * detector. Linear in the text: one pass for the escapes and invisibles, one indexOf pass per base64
 * alignment, and a bounded decode at each hit.
 */

export type KeyEncoding = 'escaped' | 'invisible' | 'base64';

/** A key found in an encoded form: where its encoded text is, and what it decodes to. */
export interface EncodedKey {
  /** UTF-16 offsets of the encoded text in the original. */
  readonly start: number;
  readonly end: number;
  /** The key as decoded; never show it, mask it. */
  readonly decoded: string;
  readonly encoding: KeyEncoding;
}

/** What the masker treats as key material once decoded: the same loose rule as maskSecrets. */
const DECODED_SECRET = /sk-ant-[A-Za-z0-9_-]{8,}/g;
const PREFIX = 'sk-ant-';
const MIN_BODY = 8;

function isKeyChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) {
    return code - 48;
  }
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The value of `digits` hex digits at `at`, or -1. */
export function hexAt(text: string, at: number, digits: number): number {
  if (at + digits > text.length) {
    return -1;
  }
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const digit = hexValue(text.charCodeAt(i));
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

const FORMAT_CHAR = /\p{Cf}/u;

/** Invisible format characters (zero-width space/joiners, soft hyphen, BOM, bidi marks): Unicode category Cf. */
function isInvisible(code: number): boolean {
  return code === 0xad || (code >= 0x600 && FORMAT_CHAR.test(String.fromCharCode(code)));
}

/**
 * Quick test: a text without any of these holds no escaped or invisible-split key. Not \p{Cf}: a
 * Unicode property makes V8 build ICU sets on first use (~0.5 ms of a CLI run that finds a key);
 * every format character is U+00AD or from U+0600 on, so that range is a superset.
 */
const MAY_NEED_NORMALISING = /\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}|[\u00ad\u0600-\uffff]/;

/**
 * The text with `\uXXXX` and `%XX` decoded and invisible characters dropped, with, for each of its
 * characters, where it came from in the original (start, and one past the end).
 */
export interface NormalisedText {
  readonly text: string;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

export function normaliseText(text: string): NormalisedText {
  const parts: string[] = [];
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  let length = 0;
  // Unchanged characters are copied as runs (slices), not one by one.
  let runStart = 0;
  const flush = (end: number): void => {
    if (end > runStart) {
      parts.push(text.slice(runStart, end));
    }
  };
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    let decoded = -1;
    let width = 0;
    if (code === 92 /* \ */ && text.charCodeAt(i + 1) === 117 /* u */) {
      decoded = hexAt(text, i + 2, 4);
      width = 6;
    } else if (code === 37 /* % */) {
      decoded = hexAt(text, i + 1, 2);
      width = 3;
    }
    if (decoded < 0) {
      if (isInvisible(code)) {
        flush(i);
        runStart = i + 1;
      } else {
        from[length] = i;
        to[length] = i + 1;
        length++;
      }
      i++;
      continue;
    }
    flush(i);
    runStart = i + width;
    if (!isInvisible(decoded)) {
      parts.push(String.fromCharCode(decoded));
      from[length] = i;
      to[length] = i + width;
      length++;
    }
    i += width;
  }
  flush(text.length);
  return { text: parts.join(''), from: from.subarray(0, length), to: to.subarray(0, length) };
}

/** Keys written with escapes or split by invisible characters; keys written plainly are maskSecrets' job. */
function findEscapedKeys(text: string): EncodedKey[] {
  if (!MAY_NEED_NORMALISING.test(text)) {
    return [];
  }
  const view = normaliseText(text);
  const found: EncodedKey[] = [];
  for (const match of view.text.matchAll(DECODED_SECRET)) {
    const first = match.index;
    const last = first + match[0].length - 1;
    const start = view.from[first];
    const end = view.to[last];
    if (end - start === match[0].length) {
      // Written plainly: nothing was decoded or dropped inside it.
      continue;
    }
    const invisibleOnly = text.slice(start, end).length - match[0].length === countInvisible(text, start, end);
    found.push({ start, end, decoded: match[0], encoding: invisibleOnly ? 'invisible' : 'escaped' });
  }
  return found;
}

function countInvisible(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    if (isInvisible(text.charCodeAt(i))) {
      n++;
    }
  }
  return n;
}

/** Base64 digit values, standard (`+/`) and URL-safe (`-_`) alphabets together; -1 for anything else. */
const BASE64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('').forEach((c, i) => (BASE64[c.charCodeAt(0)] = i));
BASE64['+'.charCodeAt(0)] = 62;
BASE64['-'.charCodeAt(0)] = 62;
BASE64['/'.charCodeAt(0)] = 63;
BASE64['_'.charCodeAt(0)] = 63;

/** The base64 digit at `at` (either alphabet), or -1. */
export function base64Digit(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? BASE64[code] : -1;
}

/**
 * "sk-ant-" starts at byte 0, 1 or 2 of a 3-byte group; for each, the base64 characters that only
 * its bits decide (the same in both alphabets: c2stYW50L, NrLWFudC, zay1hbnQt), and how many
 * characters of the 4-character group come before them.
 */
export const BASE64_PREFIX_ALIGNMENTS: readonly { readonly offset: number; readonly first: number; readonly needle: string }[] = [
  // Written out (a unit test derives them): this module also runs in the webview, without Buffer.
  { offset: 0, first: 0, needle: 'c2stYW50L' },
  { offset: 1, first: 2, needle: 'NrLWFudC' },
  { offset: 2, first: 3, needle: 'zay1hbnQt' },
];

/**
 * Decodes base64 from the group starting at `group` for as long as the bytes are key characters
 * (or the filler before the key); returns the key when "sk-ant-" is at byte `offset`.
 */
function decodeKeyAt(text: string, group: number, offset: number): { key: string; endChar: number } | undefined {
  let key = '';
  let count = 0;
  let bits = 0;
  let value = 0;
  for (let i = group; i < text.length; i++) {
    const digit = base64Digit(text, i);
    if (digit < 0) {
      break;
    }
    value = ((value << 6) | digit) & 0xffff;
    bits += 6;
    if (bits < 8) {
      continue;
    }
    bits -= 8;
    const byte = (value >> bits) & 0xff;
    const at = count;
    if (at >= offset && at < offset + PREFIX.length && byte !== PREFIX.charCodeAt(at - offset)) {
      return undefined;
    }
    if (at >= offset + PREFIX.length && !isKeyChar(byte)) {
      break;
    }
    if (at >= offset) {
      key += String.fromCharCode(byte);
    }
    count++;
  }
  if (key.length - PREFIX.length < MIN_BODY) {
    return undefined;
  }
  // The character holding the key's last bit.
  return { key, endChar: group + Math.ceil((8 * count) / 6) };
}

function findBase64Keys(text: string): EncodedKey[] {
  const found: EncodedKey[] = [];
  for (const { offset, first, needle } of BASE64_PREFIX_ALIGNMENTS) {
    let resumeAt = 0;
    for (let hit = text.indexOf(needle); hit !== -1; hit = text.indexOf(needle, Math.max(hit + 1, resumeAt))) {
      const group = hit - first;
      if (group < 0 || !allBase64(text, group, hit)) {
        continue;
      }
      const decoded = decodeKeyAt(text, group, offset);
      if (!decoded) {
        continue;
      }
      // From the character holding the key's first bit.
      found.push({ start: group + Math.floor((8 * offset) / 6), end: decoded.endChar, decoded: decoded.key, encoding: 'base64' });
      resumeAt = decoded.endChar;
    }
  }
  return found;
}

/** Whether every character in [from, to) is a base64 digit (either alphabet). */
export function allBase64(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (base64Digit(text, i) < 0) {
      return false;
    }
  }
  return true;
}

/** Every key in an encoded form, in text order, none overlapping (the first found wins). */
export function findEncodedKeys(text: string): EncodedKey[] {
  const all = [...findEscapedKeys(text), ...findBase64Keys(text)].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: EncodedKey[] = [];
  for (const key of all) {
    if (kept.length === 0 || key.start >= kept[kept.length - 1].end) {
      kept.push(key);
    }
  }
  return kept;
}
