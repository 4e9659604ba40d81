/**
 * UTF-16 text files (Windows PowerShell profiles, some editors' "Unicode"): a NUL in them is no sign
 * of a binary file. Recognised the way VS Code opens them, so the scan sees the text the editor shows.
 */

export type Utf16Encoding = 'utf-16le' | 'utf-16be';

/** VS Code looks for the UTF-16 NUL pattern in this many leading bytes (ZERO_BYTE_DETECTION_BUFFER_MAX_LEN). */
const PATTERN_BYTES = 512;

/**
 * The UTF-16 encoding of `bytes`, or undefined: a byte order mark (FF FE, FE FF), or else, as VS Code
 * guesses, a NUL in the first 512 bytes with every NUL at odd offsets and every odd byte NUL
 * (little-endian ASCII), or the same at even offsets (big-endian).
 */
export function utf16Encoding(bytes: Uint8Array): Utf16Encoding | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    // FF FE 00 00 is UTF-32 LE, which VS Code does not open either.
    return bytes.length >= 4 && bytes[2] === 0 && bytes[3] === 0 ? undefined : 'utf-16le';
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return 'utf-16be';
  }
  let couldBeLE = true;
  let couldBeBE = true;
  let sawZero = false;
  const end = Math.min(bytes.length, PATTERN_BYTES);
  for (let i = 0; i < end && (couldBeLE || couldBeBE); i++) {
    const odd = i % 2 === 1;
    const zero = bytes[i] === 0;
    sawZero ||= zero;
    if (odd !== zero) {
      couldBeLE = false;
    }
    if (odd === zero) {
      couldBeBE = false;
    }
  }
  if (!sawZero) {
    return undefined;
  }
  return couldBeLE ? 'utf-16le' : couldBeBE ? 'utf-16be' : undefined;
}

/** The text of UTF-16 bytes, without the byte order mark (as the editor shows it); a dangling odd byte becomes U+FFFD. */
export function decodeUtf16(bytes: Uint8Array, encoding: Utf16Encoding): string {
  return new TextDecoder(encoding).decode(bytes);
}
