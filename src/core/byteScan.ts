import { detectCredentials, keyedFinding, type KeyedFinding } from './detector';
import { PLAIN_TAIL } from './credentialMatch';
import { BASE64_PROBES, ESCAPE_NEEDLES } from './encodedKeys';
import { decodeUtf16, utf16Encoding } from './textEncoding';

/** A NUL byte in this many leading bytes marks a binary file. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * Every credential in a file's bytes [0, length), the CLI's way and Scan Workspace's: UTF-16 (by its
 * byte order mark or its NULs) is decoded whole, as the editor opens it; other NULs mean a binary
 * file (undefined); anything else is searched as bytes (detectInBytes).
 */
export function detectInFile(buffer: Buffer, length: number, honourIgnoreMarkers: boolean): KeyedFinding[] | undefined {
  const sniffed = sniffOf(buffer, 0, length);
  // A byte order mark needs no NUL to be UTF-16 (a file of CJK text); without one, the NULs tell.
  const hasNul = sniffed.indexOf(0) !== -1;
  const utf16 = (sniffed[0] === 0xff || sniffed[0] === 0xfe || hasNul) && utf16Encoding(sniffed);
  if (utf16) {
    // Rare and small: decoded whole; lines and UTF-16 columns as the editor shows them.
    const text = decodeUtf16(buffer.subarray(0, length), utf16);
    return detectCredentials(text, { honourIgnoreMarkers }).map((f) => keyedFinding(text, f));
  }
  return hasNul ? undefined : detectInBytes(buffer, length, honourIgnoreMarkers);
}

/** The first BINARY_SNIFF_BYTES of the file at [start, start + length) of `buffer`: what tells binary and UTF-16 files. */
function sniffOf(buffer: Buffer, start: number, length: number): Buffer {
  return buffer.subarray(start, start + Math.min(length, BINARY_SNIFF_BYTES));
}

/** A file's bytes in a buffer that holds several files end to end. */
export interface Stretch {
  readonly start: number;
  readonly length: number;
}

/**
 * For small files read end to end into one buffer: whether each may hold a key (and needs
 * detectInFile on its own bytes) or certainly holds none. Each needle is searched once over the
 * whole batch instead of once per file: in a real tree of 10 KB files the calls into Node cost more
 * than the bytes. A file may hold a key when a candidate starts in it (one that runs on into the
 * next file only costs a closer look), a NUL is in its first BINARY_SNIFF_BYTES (binary or UTF-16),
 * or it starts like a UTF-16 byte order mark.
 */
export function mayHoldKeys(buffer: Buffer, files: readonly Stretch[]): boolean[] {
  const last = files[files.length - 1];
  const batch = buffer.subarray(0, last ? last.start + last.length : 0);
  const candidates = new Candidates(batch);
  let candidate = candidates.at(0);
  return files.map(({ start, length }) => {
    if (candidate !== -1 && candidate < start) {
      candidate = candidates.at(start);
    }
    const first = batch[start];
    // Each file's sniff, not one NUL search over the batch: that would be a pass over all of its bytes.
    return length > 0 && ((candidate !== -1 && candidate < start + length) || first === 0xff || first === 0xfe || sniffOf(batch, start, length).indexOf(0) !== -1);
  });
}

/**
 * Credential detection straight on a file's bytes. Most files hold no "sk-ant-" and cost one native
 * search. For the rest only the lines around each hit are decoded: the key's line and the line
 * before it (for next-line ignore markers), which is everything the detector looks at. So a big
 * file with one key costs a memchr pass, not a full UTF-8 decode and a string search.
 */

/**
 * The plain search is for "-ant-": Buffer#indexOf runs a memchr-driven linear search for needles
 * shorter than 7 bytes and Boyer-Moore-Horspool from 7 on; on source text the short needle is about
 * 5× faster (13 vs 62 ms per 100 MB in the bench tree). Every "-ant-" is a candidate, with or without
 * "sk" before it: "%73k-ant-" may be a key with escapes.
 */
const PLAIN_TAIL_BYTES = Buffer.from(PLAIN_TAIL, 'latin1');
const LF = 10;
const CR = 13;

const BASE64_NEEDLES = BASE64_PROBES.map((probe) => Buffer.from(probe, 'latin1'));
const ESCAPE_NEEDLE_BYTES = ESCAPE_NEEDLES.map((needle) => Buffer.from(needle, 'latin1'));
/** Where the hyphen's last hex digit is, from the start of each escape needle's hit. */
const HYPHEN_DIGIT_AT = ESCAPE_NEEDLES.map((needle) => needle.length);

/** The first escaped hyphen (ESCAPE_NEEDLES[which] then `d` or `D`) at or after `from`, or -1. */
function findHyphenEscape(bytes: Buffer, from: number, which: number): number {
  const needle = ESCAPE_NEEDLE_BYTES[which];
  for (let at = bytes.indexOf(needle, from); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    if ((bytes[at + HYPHEN_DIGIT_AT[which]] | 0x20) === 100 /* d */) {
      return at;
    }
  }
  return -1;
}

/** Every needle Candidates searches for, in its order: the plain tail, the base64 probes, the escape needles. */
const ALL_NEEDLES: readonly Buffer[] = [PLAIN_TAIL_BYTES, ...BASE64_NEEDLES, ...ESCAPE_NEEDLE_BYTES];

/**
 * Whether any needle is in `bytes` at all: most files hold none, and this is the least a file costs
 * (one native search per needle, nothing kept). A `%2` that is no escaped hyphen only costs a closer look.
 */
function holdsAnyNeedle(bytes: Buffer): boolean {
  // Indexed, not for-of: run a thousand times before the JIT warms up, an iterator is a garbage object each time.
  for (let i = 0; i < ALL_NEEDLES.length; i++) {
    if (bytes.indexOf(ALL_NEEDLES[i]) !== -1) {
      return true;
    }
  }
  return false;
}

/** Not searched yet: below any offset. */
const UNSEARCHED = -2;
/** ALL_NEEDLES from here on are escaped-hyphen searches (findHyphenEscape), the rest plain indexOf. */
const FIRST_ESCAPE = 1 + BASE64_NEEDLES.length;

/**
 * The places a key can start or hide, in order: "-ant-", a base64 alignment of "sk-ant-", an escaped
 * hyphen. Each search runs once over the bytes (memchr for a rare first byte), its next hit kept.
 */
class Candidates {
  /** For each of ALL_NEEDLES, its next hit: UNSEARCHED, an offset, or -1 when there is none left. */
  private readonly next = ALL_NEEDLES.map(() => UNSEARCHED);

  constructor(private readonly bytes: Buffer) {}

  /** The first candidate at or after `from`, or -1. */
  at(from: number): number {
    let first = -1;
    for (let i = 0; i < this.next.length; i++) {
      if (this.next[i] !== -1 && this.next[i] < from) {
        this.next[i] = i < FIRST_ESCAPE ? this.bytes.indexOf(ALL_NEEDLES[i], from) : findHyphenEscape(this.bytes, from, i - FIRST_ESCAPE);
      }
      if (this.next[i] !== -1 && (first === -1 || this.next[i] < first)) {
        first = this.next[i];
      }
    }
    return first;
  }
}

/** Start of the line holding offset `at` (the offset after the last \n or \r before it), at least `floor`. */
function lineStartOf(bytes: Buffer, at: number, hasCR: boolean, floor: number): number {
  if (at <= floor) {
    return floor;
  }
  let start = bytes.lastIndexOf(LF, at - 1) + 1;
  if (hasCR) {
    start = Math.max(start, bytes.lastIndexOf(CR, at - 1) + 1);
  }
  return Math.max(start, floor);
}

/** End of the line holding offset `at`: the next \n or \r, or the end. */
function lineEndOf(bytes: Buffer, at: number, hasCR: boolean): number {
  let end = bytes.indexOf(LF, at);
  if (end === -1) {
    end = bytes.length;
  }
  if (hasCR) {
    const cr = bytes.indexOf(CR, at);
    if (cr !== -1 && cr < end) {
      end = cr;
    }
  }
  return end;
}

/** Line breaks in [from, to), counted like VS Code: \r\n is one, a lone \r or \n is one. */
function countBreaks(bytes: Buffer, from: number, to: number, hasCR: boolean): number {
  let count = 0;
  if (!hasCR) {
    for (let nl = bytes.indexOf(LF, from); nl !== -1 && nl < to; nl = bytes.indexOf(LF, nl + 1)) {
      count++;
    }
    return count;
  }
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (byte === LF || (byte === CR && bytes[i + 1] !== LF)) {
      count++;
    }
  }
  return count;
}

/**
 * Every credential in bytes [0, length) of `buffer`, decoded as UTF-8 (a leading BOM is not part of
 * the text), exactly as detectCredentials would report them on the whole decoded file.
 */
export function detectInBytes(buffer: Buffer, length: number, honourIgnoreMarkers: boolean): KeyedFinding[] {
  const bytes = buffer.subarray(0, length);
  if (!holdsAnyNeedle(bytes)) {
    return [];
  }
  const candidates = new Candidates(bytes);
  let hit = candidates.at(0);
  if (hit === -1) {
    return [];
  }
  const textStart = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const hasCR = bytes.indexOf(CR) !== -1;
  const findings: KeyedFinding[] = [];
  let breaksBefore = 0;
  let countedTo = textStart;
  while (hit !== -1) {
    const lineStart = lineStartOf(bytes, hit, hasCR, textStart);
    const lineEnd = lineEndOf(bytes, hit, hasCR);
    // The previous line: ends at the break before lineStart (\n, \r or \r\n).
    let windowStart = lineStart;
    if (lineStart > textStart) {
      let previousEnd = lineStart - 1;
      if (bytes[previousEnd] === LF && previousEnd > textStart && bytes[previousEnd - 1] === CR) {
        previousEnd--;
      }
      windowStart = lineStartOf(bytes, previousEnd, hasCR, textStart);
    }
    breaksBefore += countBreaks(bytes, countedTo, windowStart, hasCR);
    countedTo = windowStart;
    const keyLine = windowStart === lineStart ? 0 : 1;
    const text = bytes.toString('utf8', windowStart, lineEnd);
    for (const f of detectCredentials(text, { honourIgnoreMarkers })) {
      // Keys on the previous line were reported with their own line.
      if (f.line >= keyLine) {
        findings.push(keyedFinding(text, f, breaksBefore));
      }
    }
    // Every key on this line is done; go on after it.
    hit = candidates.at(lineEnd);
  }
  return findings;
}
