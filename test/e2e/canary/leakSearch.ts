import { maskSecrets } from '../../../src/core/mask';

/** The part of a key after `sk-ant-api03-`: what an attacker needs. */
export function secretPart(key: string): string {
  return key.replace(/^sk-ant-[a-z]+\d+-/, '');
}

export const SLICE = 20;

/** A place a key (or a 20-character slice of its secret part) was found. */
export interface Hit {
  readonly where: string;
  readonly offset: number;
  readonly encoding: 'utf8' | 'utf16le' | 'base64' | 'base64url';
  /** Which key of the set, by its masked form. */
  readonly key: string;
  /** How many characters of the secret part matched in a row (≥ 20), or the whole key for base64. */
  readonly length: number;
  /** The bytes around the hit, key material masked: enough to tell what wrote it. */
  readonly context: string;
}

interface Needle {
  readonly key: string;
  readonly encoding: Hit['encoding'];
  readonly bytes: Buffer;
  /** For utf8/utf16le anchors: where the anchor starts in the secret part, and the part's encoding. */
  readonly anchorAt?: number;
  readonly secret?: Buffer;
  readonly unit?: number;
}

/**
 * What to look for, per key: every 20-character slice of the secret part, in UTF-8 (also Latin-1,
 * the same bytes here) and UTF-16LE, and the whole key in base64 and base64url at the three byte
 * alignments. Any 20-character slice contains one of the 10-character anchors that start at
 * multiples of 10, so the search looks for those anchors and extends each hit both ways: a hit is
 * a run of 20 or more characters of the secret. That reports every slice with a few passes per file.
 */
export function needles(keys: readonly string[]): Needle[] {
  const out: Needle[] = [];
  for (const key of keys) {
    const secret = secretPart(key);
    for (const [encoding, unit] of [['utf8', 1], ['utf16le', 2]] as const) {
      const encoded = Buffer.from(secret, encoding);
      for (let at = 0; at + SLICE / 2 <= secret.length; at += SLICE / 2) {
        out.push({ key, encoding, bytes: encoded.subarray(at * unit, (at + SLICE / 2) * unit), anchorAt: at, secret: encoded, unit });
      }
    }
    for (const encoding of ['base64', 'base64url'] as const) {
      for (let shift = 0; shift < 3; shift++) {
        // Base64 of the key preceded by 0-2 other bytes: drop the characters those bytes touch and the ragged end.
        const encoded = Buffer.from('\0'.repeat(shift) + key).toString(encoding);
        out.push({ key, encoding, bytes: Buffer.from(encoded.slice(4, encoded.length - 4)) });
      }
    }
  }
  return out;
}

/** Every hit of the needles in `data`; `where` names the source in the report. */
export function searchBuffer(data: Buffer, where: string, list: readonly Needle[], mask: (key: string) => string): Hit[] {
  const hits = new Map<string, Hit>();
  for (const needle of list) {
    for (let at = data.indexOf(needle.bytes); at !== -1; at = data.indexOf(needle.bytes, at + 1)) {
      if (needle.secret === undefined || needle.anchorAt === undefined || needle.unit === undefined) {
        hits.set(`${needle.encoding}:${at}`, { where, offset: at, encoding: needle.encoding, key: mask(needle.key), length: needle.key.length, context: around(data, at, needle.bytes.length) });
        continue;
      }
      const { secret, unit } = needle;
      // Extend the anchor both ways while the bytes go on matching the secret part.
      const base = at - needle.anchorAt * unit;
      let start = needle.anchorAt * unit;
      while (start - unit >= 0 && base + start - unit >= 0 && data.subarray(base + start - unit, base + start).equals(secret.subarray(start - unit, start))) {
        start -= unit;
      }
      let end = (needle.anchorAt + SLICE / 2) * unit;
      while (end + unit <= secret.length && base + end + unit <= data.length && data.subarray(base + end, base + end + unit).equals(secret.subarray(end, end + unit))) {
        end += unit;
      }
      const length = (end - start) / unit;
      if (length >= SLICE) {
        hits.set(`${needle.encoding}:${base + start}`, { where, offset: base + start, encoding: needle.encoding, key: mask(needle.key), length, context: around(data, base + start, end - start) });
      }
    }
  }
  return [...hits.values()];
}

/** 100 bytes either side of a hit as printable text, with anything key-shaped (and the hit itself) masked. */
function around(data: Buffer, at: number, length: number): string {
  const printable = (b: Buffer): string => b.toString('latin1').replace(/[^\x20-\x7e]/g, '·');
  const before = printable(data.subarray(Math.max(0, at - 100), at));
  const after = printable(data.subarray(at + length, at + length + 100));
  return maskSecrets(`${before}[HIT ${length} bytes]${after}`);
}

export { filesUnder, type SearchedFile } from '../../harness/diskSearch';

/**
 * Byte ranges holding the values of one localStorage item in Chromium's Local Storage LevelDB
 * write-ahead log (`*.log`): each write is `0x01 varint(keyLength) key varint(valueLength) value`,
 * the key being `_<origin>\0\x01<name>`. Used to leave out exactly code-server's encrypted
 * SecretStorage blob (the item `secrets.provider`), and nothing else.
 */
export function localStorageValueRanges(data: Buffer, item: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const name = Buffer.from(`\0\x01${item}`, 'latin1');
  for (let at = data.indexOf(name); at !== -1; at = data.indexOf(name, at + 1)) {
    let p = at + name.length;
    let length = 0;
    for (let shift = 0; p < data.length && shift < 35; shift += 7) {
      const byte = data[p++];
      length |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        break;
      }
    }
    // A record split across the log's 32 KiB blocks carries a 7-byte header in between: allow for it.
    const end = Math.min(data.length, p + length + (Math.floor((p + length) / 32768) > Math.floor(p / 32768) ? 7 : 0));
    ranges.push([p, end]);
  }
  return ranges;
}
