import { detectCredentials, keyedFinding, type KeyedFinding } from './detector';
import { BASE64_PROBES } from './encodedKeys';
import { decodeUtf16, utf16Encoding } from './textEncoding';

/** A NUL byte in this many leading bytes marks a binary file. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * Every credential in a file's bytes [0, length), the CLI's way and Scan Workspace's: UTF-16 (by its
 * byte order mark or its NULs) is decoded whole, as the editor opens it; other NULs mean a binary
 * file (undefined); anything else is searched as bytes (detectInBytes).
 */
export function detectInFile(buffer: Buffer, length: number, honourIgnoreMarkers: boolean): KeyedFinding[] | undefined {
  const sniffed = buffer.subarray(0, Math.min(length, BINARY_SNIFF_BYTES));
  // A byte order mark needs no NUL to be UTF-16 (a file of CJK text); without one, the NULs tell.
  const utf16 = (sniffed[0] === 0xff || sniffed[0] === 0xfe || sniffed.indexOf(0) !== -1) && utf16Encoding(sniffed);
  if (utf16) {
    // Rare and small: decoded whole; lines and UTF-16 columns as the editor shows them.
    const text = decodeUtf16(buffer.subarray(0, length), utf16);
    return detectCredentials(text, { honourIgnoreMarkers }).map((f) => keyedFinding(text, f));
  }
  return sniffed.indexOf(0) !== -1 ? undefined : detectInBytes(buffer, length, honourIgnoreMarkers);
}

/**
 * Credential detection straight on a file's bytes. Most files hold no "sk-ant-" and cost one native
 * search. For the rest only the lines around each hit are decoded: the key's line and the line
 * before it (for next-line ignore markers), which is everything the detector looks at. So a big
 * file with one key costs a memchr pass, not a full UTF-8 decode and a string search.
 */

/**
 * The search is for "-ant-", then checks the "sk" before it: Buffer#indexOf runs a memchr-driven
 * linear search for needles shorter than 7 bytes and Boyer-Moore-Horspool from 7 on; on source text
 * the short needle is about 5× faster (13 vs 62 ms per 100 MB in the bench tree).
 */
const NEEDLE_TAIL = Buffer.from('-ant-', 'latin1');
const S = 0x73;
const K = 0x6b;
const LF = 10;
const CR = 13;

/** Offset of the first "sk-ant-" in `bytes` at or after `from`, or -1. */
function findPrefix(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(NEEDLE_TAIL, Math.max(from + 2, 2)); at !== -1; at = bytes.indexOf(NEEDLE_TAIL, at + 1)) {
    if (bytes[at - 1] === K && bytes[at - 2] === S) {
      return at - 2;
    }
  }
  return -1;
}

const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const U = 0x75;
const BASE64_NEEDLES = BASE64_PROBES.map((probe) => Buffer.from(probe, 'latin1'));

function hexDigit(byte: number): number {
  if (byte >= 48 && byte <= 57) {
    return byte - 48;
  }
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The value of `digits` hex digits at `at`, or -1. */
function hexAt(bytes: Buffer, at: number, digits: number): number {
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const d = i < bytes.length ? hexDigit(bytes[i]) : -1;
    if (d < 0) {
      return -1;
    }
    value = value * 16 + d;
  }
  return value;
}

function isKeyByte(value: number): boolean {
  return (value >= 48 && value <= 57) || (value >= 65 && value <= 90) || (value >= 97 && value <= 122) || value === 45 || value === 95;
}

/** The first `%XX` or `\\uXXXX` standing for a key character at or after `from`, or -1: only near one can an escaped key be. */
function findKeyEscape(bytes: Buffer, from: number, escape: number): number {
  for (let at = bytes.indexOf(escape, from); at !== -1; at = bytes.indexOf(escape, at + 1)) {
    const value = escape === PERCENT ? hexAt(bytes, at + 1, 2) : bytes[at + 1] === U ? hexAt(bytes, at + 2, 4) : -1;
    if (isKeyByte(value)) {
      return at;
    }
  }
  return -1;
}

/**
 * The places a key can start or hide, in order: "sk-ant-", a base64 alignment of it, an escape for a
 * key character. Each search runs once over the file (memchr for a rare first byte), its next hit kept.
 */
class Candidates {
  private readonly searches: Array<(from: number) => number>;
  private readonly next: number[];

  constructor(bytes: Buffer) {
    this.searches = [
      (from) => findPrefix(bytes, from),
      ...BASE64_NEEDLES.map((needle) => (from: number) => bytes.indexOf(needle, from)),
      (from) => findKeyEscape(bytes, from, PERCENT),
      (from) => findKeyEscape(bytes, from, BACKSLASH),
    ];
    this.next = this.searches.map(() => -2);
  }

  /** The first candidate at or after `from`, or -1. */
  at(from: number): number {
    let first = -1;
    for (let i = 0; i < this.searches.length; i++) {
      if (this.next[i] !== -1 && this.next[i] < from) {
        this.next[i] = this.searches[i](from);
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
