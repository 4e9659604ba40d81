import { CREDENTIAL_SHAPES, type CredentialKind, type CredentialShape } from './credentials';
import { maskKey } from './mask';

/** One hard-coded credential found in a text. Offsets are UTF-16 (editor positions); never the key. */
export interface Finding {
  readonly kind: CredentialKind;
  /** Offset of the first character, and one past the last. */
  readonly start: number;
  readonly end: number;
  /** 0-based line and UTF-16 column of start and end. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly masked: string;
}

export interface DetectOptions {
  /** Honour ignore markers (ours, gitleaks:allow, secretlint-disable-line / -next-line). Default true. */
  readonly honourIgnoreMarkers?: boolean;
}

/** Our own marker; `claude-keys:ignore-next-line` on the line before also works. */
export const IGNORE_MARKER = 'claude-keys:ignore';
/** The same-line markers; ours must not match the start of our next-line marker. */
const SAME_LINE_MARKER = /claude-keys:ignore(?!-next-line)|gitleaks:allow|secretlint-disable-line/;
const NEXT_LINE_MARKERS = [`${IGNORE_MARKER}-next-line`, 'secretlint-disable-next-line'];

const NEEDLE_TAIL = '-ant-';

function isBodyChar(code: number): boolean {
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

/** Every Claude credential in `text`: API and admin keys, Claude Code OAuth tokens, session keys. */
export function detectCredentials(text: string, options: DetectOptions = {}): Finding[] {
  const honour = options.honourIgnoreMarkers !== false;
  const findings: Finding[] = [];
  const lines = new LineCounter(text);
  // '-ant-' is rarer than 's' as a first character, so V8 finds it several times faster.
  for (let hit = text.indexOf(NEEDLE_TAIL); hit !== -1; hit = text.indexOf(NEEDLE_TAIL, hit + 1)) {
    const at = hit - 2;
    if (at < 0 || text.charCodeAt(at) !== 115 /* s */ || text.charCodeAt(at + 1) !== 107 /* k */ || !startsToken(text, at)) {
      continue;
    }
    let end = -1;
    let kind: CredentialKind | undefined;
    for (const shape of CREDENTIAL_SHAPES) {
      end = matchShape(text, at, shape);
      if (end !== -1) {
        kind = shape.kind;
        break;
      }
    }
    if (kind === undefined) {
      continue;
    }
    const { line, lineStart } = lines.advanceTo(at);
    if (honour && isIgnored(text, lineStart, at)) {
      hit = end - 1;
      continue;
    }
    findings.push({
      kind,
      start: at,
      end,
      line,
      column: at - lineStart,
      // Keys have no line breaks inside.
      endLine: line,
      endColumn: end - lineStart,
      masked: maskKey(text.slice(at, end)),
    });
    hit = end - 1;
  }
  return findings;
}

/**
 * Line numbers for increasing offsets, one pass overall, jumping from break to break with indexOf.
 * Line breaks as in VS Code: \r\n, \r or \n.
 */
class LineCounter {
  private line = 0;
  private lineStart = 0;
  private nextLf: number;
  private nextCr: number;

  constructor(private readonly text: string) {
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  advanceTo(offset: number): { line: number; lineStart: number } {
    for (;;) {
      const lf = this.nextLf === -1 ? Infinity : this.nextLf;
      const cr = this.nextCr === -1 ? Infinity : this.nextCr;
      const brk = Math.min(lf, cr);
      if (brk >= offset) {
        return { line: this.line, lineStart: this.lineStart };
      }
      // \r\n is one break.
      const end = cr === brk && lf === brk + 1 ? brk + 1 : brk;
      this.line++;
      this.lineStart = end + 1;
      if (this.nextLf !== -1 && this.nextLf <= end) {
        this.nextLf = this.text.indexOf('\n', end + 1);
      }
      if (this.nextCr !== -1 && this.nextCr <= end) {
        this.nextCr = this.text.indexOf('\r', end + 1);
      }
    }
  }
}

function isIgnored(text: string, lineStart: number, at: number): boolean {
  // Long minified lines: only look near the key, so a marker far away does not hide it.
  let to = Math.min(text.length, at + 700);
  for (let i = at; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      to = i;
      break;
    }
  }
  const thisLine = text.slice(Math.max(lineStart, at - 500), to);
  if (SAME_LINE_MARKER.test(thisLine)) {
    return true;
  }
  if (lineStart === 0) {
    return false;
  }
  // The previous line ends at the break before `lineStart` (\n, \r or \r\n): its last 500 characters.
  let previousEnd = lineStart - 1;
  if (previousEnd > 0 && text.charCodeAt(previousEnd) === 10 && text.charCodeAt(previousEnd - 1) === 13) {
    previousEnd--;
  }
  const near = text.slice(Math.max(0, previousEnd - 500), previousEnd);
  const previousLine = near.slice(Math.max(near.lastIndexOf('\n'), near.lastIndexOf('\r')) + 1);
  return NEXT_LINE_MARKERS.some((m) => previousLine.includes(m));
}
