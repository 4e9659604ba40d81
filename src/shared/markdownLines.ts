/** Line scanning for the streaming Markdown splitter (./streamingMarkdown): CommonMark's line rules, as markdown-it applies them. */

/** The opener of a fenced code block: up to 3 spaces, then 3+ backticks or 3+ tildes. */
export interface Fence {
  readonly char: '`' | '~';
  readonly length: number;
  /** The opener started in column 0, so the block is top-level and its end is a boundary. */
  readonly topLevel: boolean;
}

export interface Line {
  readonly start: number;
  /** End of the content, before the line ending. */
  readonly end: number;
  /** Start of the next line; equals `end` when the line is not complete yet. */
  readonly next: number;
  readonly complete: boolean;
}

export function readLine(text: string, start: number): Line {
  const length = text.length;
  for (let i = start; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      return { start, end: i, next: i + 1, complete: true };
    }
    if (c === 13 /* \r */) {
      if (i + 1 < length) {
        return { start, end: i, next: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1, complete: true };
      }
      // A trailing CR may be followed by LF in the next delta.
      return { start, end: i, next: i, complete: false };
    }
  }
  return { start, end: length, next: length, complete: false };
}

export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      return false;
    }
  }
  return true;
}

/** Columns of leading spaces (a tab counts as 4, which is all that matters here: "indented"). */
export function indentOf(text: string, start: number, end: number): number {
  let indent = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      indent++;
    } else if (c === 9) {
      indent += 4 - (indent % 4);
    } else {
      break;
    }
  }
  return indent;
}

export function firstNonBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) {
    i++;
  }
  return i;
}

function skipSpaces(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) {
    i++;
  }
  return i;
}

/** A fence opener on a complete line: up to 3 spaces, 3+ ` or ~, and for backticks no ` in the info. */
export function fenceOpener(text: string, line: Line): Fence | undefined {
  const at = skipSpaces(text, line.start, line.end);
  if (at - line.start > 3 || at >= line.end) {
    return undefined;
  }
  const ch = text[at];
  if (ch !== '`' && ch !== '~') {
    return undefined;
  }
  let i = at;
  while (i < line.end && text[i] === ch) {
    i++;
  }
  const length = i - at;
  if (length < 3) {
    return undefined;
  }
  if (ch === '`' && text.slice(i, line.end).includes('`')) {
    return undefined;
  }
  return { char: ch, length, topLevel: at === line.start };
}

/** A closing fence: up to 3 spaces, at least as many of the same character, then only whitespace. */
export function closesFence(text: string, line: Line, fence: Fence): boolean {
  const at = skipSpaces(text, line.start, line.end);
  if (at - line.start > 3) {
    return false;
  }
  let i = at;
  const code = fence.char.charCodeAt(0);
  while (i < line.end && text.charCodeAt(i) === code) {
    i++;
  }
  return i - at >= fence.length && isBlank(text, i, line.end);
}

/** `#` to `######` followed by a space, a tab or the end of the line, in column 0. */
export function isAtxHeading(text: string, line: Line): boolean {
  let i = line.start;
  while (i < line.end && i - line.start < 7 && text.charCodeAt(i) === 35 /* # */) {
    i++;
  }
  const level = i - line.start;
  if (level < 1 || level > 6) {
    return false;
  }
  return i === line.end || text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9;
}

/**
 * Whether the line (from `at`, its first non-space character) starts a list item: `-`, `*`, `+`
 * or 1–9 digits and `.` or `)`, followed by a space, a tab or the end of the line. `undefined`
 * when the line is too short to tell yet. Thematic breaks like `* * *` count as list items, which
 * is merely conservative.
 */
export function startsListItem(text: string, at: number, line: Line): boolean | undefined {
  const afterMarker = (i: number): boolean | undefined => {
    if (i < line.end) {
      const c = text.charCodeAt(i);
      return c === 32 || c === 9;
    }
    return line.complete ? true : undefined;
  };
  if (at >= line.end) {
    return line.complete ? false : undefined;
  }
  const c = text.charCodeAt(at);
  if (c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) {
    return afterMarker(at + 1);
  }
  let i = at;
  while (i < line.end && i - at < 10) {
    const d = text.charCodeAt(i);
    if (d < 48 || d > 57) {
      break;
    }
    i++;
  }
  const digits = i - at;
  if (digits === 0 || digits > 9) {
    return false;
  }
  if (i >= line.end) {
    return line.complete ? false : undefined;
  }
  const delimiter = text.charCodeAt(i);
  if (delimiter !== 46 /* . */ && delimiter !== 41 /* ) */) {
    return false;
  }
  return afterMarker(i + 1);
}
