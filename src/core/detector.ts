import { matchCredentialAt, PLAIN_TAIL } from './credentialMatch';
import type { CredentialKind } from './credentials';
import { BASE64_CHARACTERS, base64KeyNear, ESCAPE_NEEDLES, findEncodedCredentials, findEscaped, inTextOrder, isHyphenEscape, type EncodedCredential, type FindingEncoding } from './encodedKeys';
import { sweep } from './sweep';
import { maskKey } from './mask';

export { looksFake } from './credentialMatch';
export type { FindingEncoding } from './encodedKeys';

/** Where a credential is by line and column, and what it is: the part every report of one shares. Never the key. */
export interface CredentialAt {
  readonly kind: CredentialKind;
  /** Line and UTF-16 column of start and end (0-based here; the CLI reports them 1-based). */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly masked: string;
  /** How the key is written when not plainly: base64, or with `\\uXXXX` / `%XX` escapes inside. */
  readonly encoding?: FindingEncoding;
}

/** One hard-coded credential found in a text. Offsets are UTF-16 (editor positions); never the key. */
export interface Finding extends CredentialAt {
  /** Offset of the first character, and one past the last. */
  readonly start: number;
  readonly end: number;
}

/**
 * A credential with the key it stands for (decoded, for an encoded one), for comparing or hashing by
 * the caller; never to be shown. Lines are 0-based, columns UTF-16 (breaks \n, \r\n, \r as in VS Code).
 */
export interface KeyedFinding extends CredentialAt {
  readonly key: string;
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

/** Where a credential is, without line numbers: what the editor needs (its document knows the lines). */
export interface CredentialSpan {
  readonly kind: CredentialKind;
  readonly start: number;
  readonly end: number;
  readonly masked: string;
  readonly encoding?: FindingEncoding;
}

/** Every Claude credential in `text`: API and admin keys, Claude Code OAuth tokens, session keys, plain or encoded. */
export function detectCredentials(text: string, options: DetectOptions = {}): Finding[] {
  const spans = findCredentials(text, options);
  if (spans.length === 0) {
    // Most texts hold no key: no line is counted (the counter's first search for \r reads the whole text).
    return [];
  }
  const lines = new LineCounter(text);
  return spans.map((span) => {
    const { line, lineStart } = lines.advanceTo(span.start);
    // Keys have no line breaks inside, nor have their encoded forms.
    return positionedFinding(span, line, span.start - lineStart, line, span.end - lineStart);
  });
}

/** A span with the line and column of its start and end, as a Finding (the fields in one order everywhere). */
export function positionedFinding(span: CredentialSpan, line: number, column: number, endLine: number, endColumn: number): Finding {
  const at = { kind: span.kind, start: span.start, end: span.end, line, column, endLine, endColumn, masked: span.masked };
  return span.encoding ? { ...at, encoding: span.encoding } : at;
}

/**
 * detectCredentials without line numbers, in text order. Counting the lines of a big text costs
 * more than searching it, so the editor takes positions from its document instead.
 */
export function findCredentials(text: string, options: DetectOptions = {}): CredentialSpan[] {
  const honour = options.honourIgnoreMarkers !== false;
  const spans: CredentialSpan[] = [];
  const lineStarts = new LineStarts(text);
  const add = (kind: CredentialKind, start: number, end: number, masked: string, encoding?: FindingEncoding): void => {
    if (honour && isIgnored(text, lineStarts.of(start), start)) {
      return;
    }
    spans.push(encoding ? { kind, start, end, masked, encoding } : { kind, start, end, masked });
  };
  const { plain, encoded } = scan(text);
  let next = 0;
  for (const p of plain) {
    for (; next < encoded.length && encoded[next].start < p.start; next++) {
      const e = encoded[next];
      add(e.kind, e.start, e.end, maskKey(e.decoded), e.encoding);
    }
    add(p.kind, p.start, p.end, maskKey(text.slice(p.start, p.end)));
  }
  for (; next < encoded.length; next++) {
    const e = encoded[next];
    add(e.kind, e.start, e.end, maskKey(e.decoded), e.encoding);
  }
  return spans;
}

const NEEDLES = [PLAIN_TAIL, ...BASE64_CHARACTERS, ...ESCAPE_NEEDLES];
const FIRST_BASE64 = 1;
const FIRST_ESCAPE = FIRST_BASE64 + BASE64_CHARACTERS.length;

/**
 * Plain and encoded credentials, from one sweep over the text: "-ant-" (rarer than "s" as a first
 * character, so found several times faster), the base64 characters and the escaped hyphens.
 */
function scan(text: string): { plain: Array<{ kind: CredentialKind; start: number; end: number }>; encoded: EncodedCredential[] } {
  const plain: Array<{ kind: CredentialKind; start: number; end: number }> = [];
  const encoded: EncodedCredential[] = [];
  const escapes: number[] = [];
  sweep(text, NEEDLES, (which, hit) => {
    if (which === 0) {
      const at = hit - 2;
      const match = at >= 0 && text.charCodeAt(at) === 115 /* s */ && text.charCodeAt(at + 1) === 107 /* k */ ? matchCredentialAt(text, at) : undefined;
      if (!match) {
        // Escapes further on (sk-ant-api03-%41…) or before it (%73k-ant-…) are looked for around it.
        escapes.push(hit);
        return hit + 1;
      }
      plain.push({ kind: match.kind, start: at, end: match.end });
      return match.end;
    }
    if (which < FIRST_ESCAPE) {
      return base64KeyNear(text, which - FIRST_BASE64, hit, encoded);
    }
    if (isHyphenEscape(text, hit)) {
      escapes.push(hit);
    }
    return hit + 1;
  });
  if (escapes.length > 0) {
    findEscaped(text, escapes.sort((a, b) => a - b), encoded);
  }
  return { plain, encoded: inTextOrder(encoded) };
}

/**
 * The key a finding stands for: its text, or for an encoded finding the key it decodes to. Re-read
 * from the text so that findings never carry a key.
 */
export function findingKey(text: string, finding: Finding): string {
  if (!finding.encoding) {
    return text.slice(finding.start, finding.end);
  }
  // The context an encoded key is decoded with: the group before a base64 key, the characters around an escaped one.
  const from = Math.max(0, finding.start - 8);
  const again = findEncodedCredentials(text.slice(from, finding.end + 8)).find((e) => e.start + from === finding.start && e.end + from === finding.end);
  return again?.decoded ?? '';
}

/** A finding in `text` with its key, its lines moved down by `linesBefore` (when `text` is a window of a file). */
export function keyedFinding(text: string, f: Finding, linesBefore = 0): KeyedFinding {
  return {
    kind: f.kind,
    line: linesBefore + f.line,
    column: f.column,
    endLine: linesBefore + f.endLine,
    endColumn: f.endColumn,
    masked: f.masked,
    ...(f.encoding ? { encoding: f.encoding } : {}),
    key: findingKey(text, f),
  };
}

/**
 * The start of the line holding each of increasing offsets, by looking back from each offset only
 * as far as the part already looked at: linear over the text, whatever the line lengths.
 */
class LineStarts {
  private start = 0;
  /** No line break in [start, checked). */
  private checked = 0;

  constructor(private readonly text: string) {}

  of(offset: number): number {
    for (let i = offset - 1; i >= this.checked; i--) {
      const code = this.text.charCodeAt(i);
      if (code === 10 || code === 13) {
        this.start = i + 1;
        break;
      }
    }
    this.checked = Math.max(this.checked, offset);
    return this.start;
  }
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
