import { CREDENTIAL_SHAPES, type CredentialKind, type CredentialShape } from './credentials';

/**
 * The plain-text matcher: where a credential starts and ends in a text, with no line numbers,
 * ignore markers or masking. The detector runs it on the text itself, and on decoded text
 * (escapes, base64) through encodedKeys.ts.
 */

/** What every plain search looks for: rarer than "s" as a first character, so V8 finds it several times faster. */
export const PLAIN_TAIL = '-ant-';

export function isBodyChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 // -
  );
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** `\xHH` or `\uHHHH` (`letter`, `digits` hex digits) ends right before `at`. */
function hexEscapeEndsAt(text: string, at: number, letter: string, digits: number): boolean {
  const backslash = at - digits - 2;
  if (backslash < 0 || text.charCodeAt(backslash) !== 92 /* \ */ || text[backslash + 1] !== letter) {
    return false;
  }
  for (let i = backslash + 2; i < at; i++) {
    if (!isHex(text.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

/**
 * A token starts here if the character before is not part of a token. An escape (`\n` in JSON or a
 * notebook, `\u0022` from some JSON writers, `\x27`) or a percent-encoding (`%3D` in a URL) right
 * before the key also counts as a boundary.
 */
function startsToken(text: string, at: number): boolean {
  if (at === 0) {
    return true;
  }
  const before = text.charCodeAt(at - 1);
  if (!isBodyChar(before)) {
    return true;
  }
  if (at >= 2 && text.charCodeAt(at - 2) === 92 /* \ */ && /[nrtbfu0]/.test(text[at - 1])) {
    return true;
  }
  if (hexEscapeEndsAt(text, at, 'x', 2) || hexEscapeEndsAt(text, at, 'u', 4)) {
    return true;
  }
  return at >= 3 && text.charCodeAt(at - 3) === 37 /* % */ && isHex(text.charCodeAt(at - 2)) && isHex(before);
}

/** Bodies of documentation placeholders and obviously fake keys. */
const FAKE_WORD_LIST = 'example|placeholder|your[_-]?(?:api[_-]?)?key|dummy|sample|redacted|insert|replace|changeme|notreal|fakekey|xxxxx';
const PASCAL_WORDS = 'Example|Placeholder|Your[_-]?(?:(?:Api|API)[_-]?)?Key|Dummy|Sample|Redacted|Insert|Replace|Change[Mm]e|Not[Rr]eal|Fake[Kk]ey|Xxxxx';
// Lower, UPPER or Pascal case only: matching any case would reject ~3 in a million real keys.
const FAKE_WORDS = new RegExp(`${FAKE_WORD_LIST}|${FAKE_WORD_LIST.toUpperCase()}|${PASCAL_WORDS}`);

export function looksFake(body: string): boolean {
  if (FAKE_WORDS.test(body)) {
    return true;
  }
  const distinct = new Set(body).size;
  // A random 93-character body has ~49 distinct characters; fewer than 16 is a pattern.
  if (distinct < 16) {
    return true;
  }
  let run = 1;
  let ascending = 1;
  for (let i = 1; i < body.length; i++) {
    const previous = body.charCodeAt(i - 1);
    const current = body.charCodeAt(i);
    run = current === previous ? run + 1 : 1;
    ascending = current === previous + 1 ? ascending + 1 : 1;
    if (run >= 8 || ascending >= 8) {
      return true;
    }
  }
  // A short pattern repeated: "abc123abc123…".
  for (let period = 2; period <= 12; period++) {
    let repeats = true;
    for (let i = period; i < body.length && repeats; i++) {
      repeats = body.charCodeAt(i) === body.charCodeAt(i - period);
    }
    if (repeats) {
      return true;
    }
  }
  return false;
}

/** Matches one credential shape at `at` (which starts with "sk-ant-"); returns its end or -1. */
function matchShape(text: string, at: number, shape: CredentialShape): number {
  if (!text.startsWith(shape.prefix, at)) {
    return -1;
  }
  const bodyStart = at + shape.prefix.length;
  let end = bodyStart;
  while (end < text.length && isBodyChar(text.charCodeAt(end))) {
    end++;
  }
  // A trailing escape letter glued by JSON (`…AA\n`) is not part of the key; nothing to do: `\` ends the run.
  const length = end - bodyStart;
  if (shape.exact) {
    if (length !== shape.bodyLength + shape.suffix.length || !text.startsWith(shape.suffix, end - shape.suffix.length)) {
      return -1;
    }
  } else if (length < shape.bodyLength) {
    return -1;
  }
  return looksFake(text.slice(bodyStart, end - shape.suffix.length)) ? -1 : end;
}

/** The credential starting at `at` (which may or may not hold "sk-ant-"), or undefined. */
export function matchCredentialAt(text: string, at: number): { kind: CredentialKind; end: number } | undefined {
  if (!startsToken(text, at)) {
    return undefined;
  }
  for (const shape of CREDENTIAL_SHAPES) {
    const end = matchShape(text, at, shape);
    if (end !== -1) {
      return { kind: shape.kind, end };
    }
  }
  return undefined;
}

/**
 * Calls `found` for each credential in `text`, in order, none overlapping. `found` returns where to
 * go on from (its end, or further).
 */
export function forEachCredential(text: string, found: (kind: CredentialKind, start: number, end: number) => number): void {
  for (let hit = text.indexOf(PLAIN_TAIL); hit !== -1; hit = text.indexOf(PLAIN_TAIL, hit + 1)) {
    const at = hit - 2;
    if (at < 0 || text.charCodeAt(at) !== 115 /* s */ || text.charCodeAt(at + 1) !== 107 /* k */) {
      continue;
    }
    const match = matchCredentialAt(text, at);
    if (match) {
      hit = found(match.kind, at, match.end) - 1;
    }
  }
}
