/**
 * Where a growing Markdown text can be cut so that each piece renders on its own exactly as it
 * renders inside the whole. Pure string scanning: no DOM, no Markdown parser.
 *
 * The prompt panel renders a streamed answer as a list of chunks: every chunk that ends at a
 * boundary is rendered once and never again, and only the text after the last boundary (the
 * "tail") is re-rendered on each animation frame. That keeps the total work linear in the length
 * of the answer.
 *
 * A boundary is the start of a line at which every block before it is closed for good, whatever
 * text is appended later. The scanner is deliberately conservative: a missed boundary only makes
 * the tail longer, a wrong one would change the rendering. Boundaries (CommonMark, as markdown-it
 * implements it):
 *
 * - before a line that starts in column 0 after one or more blank lines: the blank line closed any
 *   paragraph and a line that is not indented closes lists, block quotes and indented code.
 *   Exception: a list item marker when the current region holds a list, because the new item may
 *   continue that (then loose) list;
 * - before a complete fence opener (``` or ~~~) in column 0 and after its closing line: a fence
 *   interrupts a paragraph, a table or a list, and nothing can continue across its end;
 * - before and after a complete ATX heading (`# Title`) in column 0, for the same reasons.
 *
 * Never inside a fenced code block: a fence opened and not closed keeps everything from the fence
 * open. Lines end with LF, CRLF or a lone CR (a CR at the very end of the text may still be the
 * first half of a CRLF, so that line is not complete yet).
 *
 * One thing no cut can preserve: a link reference definition (`[x]: url`) applies to the whole
 * document, also to text before it. Renderers share one markdown-it `env` across pieces and render
 * again, at the end, the pieces that came before a definition.
 *
 * `StableSplitter` is the resumable scanner (O(n) over a whole stream); `splitStable` and
 * `stableBoundaries` are one-shot wrappers; `fencedBlockCode` and `softBoundary` serve the
 * panel's fast paths for long code blocks and for giant blocks without any boundary.
 */

/** The opener of a fenced code block: up to 3 spaces, then 3+ backticks or 3+ tildes. */
interface Fence {
  readonly char: '`' | '~';
  readonly length: number;
  /** The opener started in column 0, so the block is top-level and its end is a boundary. */
  readonly topLevel: boolean;
}

interface Line {
  readonly start: number;
  /** End of the content, before the line ending. */
  readonly end: number;
  /** Start of the next line; equals `end` when the line is not complete yet. */
  readonly next: number;
  readonly complete: boolean;
}

function readLine(text: string, start: number): Line {
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

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      return false;
    }
  }
  return true;
}

/** Columns of leading spaces (a tab counts as 4, which is all that matters here: "indented"). */
function indentOf(text: string, start: number, end: number): number {
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

function firstNonBlank(text: string, start: number, end: number): number {
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
function fenceOpener(text: string, line: Line): Fence | undefined {
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
function closesFence(text: string, line: Line, fence: Fence): boolean {
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
function isAtxHeading(text: string, line: Line): boolean {
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
function startsListItem(text: string, at: number, line: Line): boolean | undefined {
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

/** Where a still-open fence started, for the panel to show its code as it streams. */
interface OpenFenceState extends Fence {
  readonly start: number;
  readonly openerEnd: number;
  readonly contentStart: number;
}

/**
 * The boundary scanner, resumable: feed it the same text again as it grows and it continues where
 * it stopped (at the first line it could not decide yet), so streaming costs O(n) in all.
 */
export class StableSplitter {
  private pos: number;
  private last: number;
  private fence: OpenFenceState | undefined;
  /** A blank line (or the end of a block that nothing can continue) precedes the current line. */
  private afterBreak = false;
  /** The lines since the last boundary hold a list item, which a later item could continue. */
  private regionHasList = false;
  /**
   * An indented fence was "closed" by a less indented line: that line may instead have ended the
   * fence's list item and opened a new fence. Which one is unknowable here, so no later boundary
   * is trusted (the rest renders as one piece: correct, only slower).
   */
  private lostTrack = false;

  /** `from` must be 0 or a boundary. */
  constructor(from = 0) {
    this.pos = Math.max(0, Math.floor(Number.isFinite(from) ? from : 0));
    this.last = this.pos;
  }

  /** The last boundary found so far (or `from`). */
  get stable(): number {
    return this.last;
  }

  /** The boundaries found in `text` since the last call, ascending. `text` only ever grows. */
  advance(markdown: string): number[] {
    const text = typeof markdown === 'string' ? markdown : '';
    const found: number[] = [];
    const mark = (at: number): void => {
      if (at > this.last && !this.lostTrack) {
        found.push(at);
        this.last = at;
      }
      this.regionHasList = false;
    };
    if (this.pos > text.length) {
      this.pos = text.length;
      this.last = Math.min(this.last, text.length);
    }

    while (this.pos < text.length) {
      const line = readLine(text, this.pos);
      const fence = this.fence;

      if (fence) {
        if (!line.complete) {
          break;
        }
        if (closesFence(text, line, fence)) {
          this.fence = undefined;
          if (!fence.topLevel && indentOf(text, line.start, line.end) < indentOf(text, fence.start, fence.openerEnd)) {
            this.lostTrack = true;
          }
          if (fence.topLevel) {
            mark(line.next);
            this.afterBreak = true;
          } else {
            this.afterBreak = false;
          }
        }
        this.pos = line.next;
        continue;
      }

      if (isBlank(text, line.start, line.end)) {
        if (!line.complete) {
          break;
        }
        this.afterBreak = true;
        this.pos = line.next;
        continue;
      }

      const indent = indentOf(text, line.start, line.end);
      if (this.afterBreak && indent === 0) {
        // Column 0 after a blank line: a boundary, unless it may be the next item of a list.
        const list = this.regionHasList ? startsListItem(text, line.start, line) : false;
        if (list === undefined) {
          break;
        }
        if (!list) {
          mark(line.start);
        }
      }
      if (!line.complete) {
        break;
      }
      this.afterBreak = false;

      const opener = fenceOpener(text, line);
      if (opener) {
        if (opener.topLevel) {
          mark(line.start);
        }
        this.fence = { ...opener, start: line.start, openerEnd: line.end, contentStart: line.next };
        this.pos = line.next;
        continue;
      }
      if (indent === 0 && isAtxHeading(text, line)) {
        mark(line.start);
        mark(line.next);
        this.afterBreak = true;
        this.pos = line.next;
        continue;
      }
      if (indent < 4 && startsListItem(text, firstNonBlank(text, line.start, line.end), line)) {
        this.regionHasList = true;
      }
      this.pos = line.next;
    }
    return found;
  }

  /**
   * The column-0 fence that starts at the last boundary and is still open in `text` (as of the
   * last `advance`), or `undefined`. Costs O(length of the last, incomplete line).
   */
  openFence(markdown: string): OpenFence | undefined {
    const fence = this.fence;
    if (!fence || !fence.topLevel || fence.start !== this.last || typeof markdown !== 'string' || markdown.length < this.pos) {
      return undefined;
    }
    return {
      opener: markdown.slice(fence.start, fence.openerEnd),
      contentStart: fence.contentStart,
      contentEnd: mayBecomeCloser(markdown, this.pos) ? this.pos : markdown.length,
    };
  }
}

/** The incomplete last line from `lineStart` holds only spaces and fence characters so far. */
function mayBecomeCloser(text: string, lineStart: number): boolean {
  if (lineStart >= text.length) {
    return false;
  }
  const rest = text.slice(lineStart);
  return indentOf(rest, 0, rest.length) <= 3 && /^[ \t]*[`~]*[ \t]*\r?$/.test(rest);
}

/**
 * Every boundary after `from` (which must be 0 or a boundary), ascending. `from` itself is not
 * included. Scanning costs O(text.length - from).
 */
export function stableBoundaries(markdown: string, from = 0): number[] {
  return new StableSplitter(from).advance(markdown);
}

/**
 * The offset up to which `markdown` consists of complete top-level blocks: the last boundary after
 * `from`, or `from` itself when there is none. `from` must be 0 or an earlier result.
 */
export function splitStable(markdown: string, from = 0): number {
  const splitter = new StableSplitter(from);
  splitter.advance(markdown);
  return Math.min(splitter.stable, typeof markdown === 'string' ? markdown.length : 0);
}

/** A fenced code block that starts at a boundary and is still open at the end of the text. */
export interface OpenFence {
  /** The opener line, without its line ending (e.g. "```ts"). */
  readonly opener: string;
  /** Where the code starts: just after the opener line. */
  readonly contentStart: number;
  /**
   * Where the code shown so far ends: the end of the text, or the start of a trailing incomplete
   * line that may still turn into the closing fence (so it is not shown as code for a frame).
   */
  readonly contentEnd: number;
}

/**
 * When `markdown.slice(start, end)` is exactly one column-0 fenced code block (its opener, code
 * and closing line, or, for a final text, an opener and code up to `end`), where its code starts
 * and ends: what markdown-it shows inside the block. `undefined` otherwise.
 */
export function fencedBlockCode(markdown: string, start: number, end: number, final: boolean): { contentStart: number; contentEnd: number } | undefined {
  if (typeof markdown !== 'string' || !(start >= 0) || !(end <= markdown.length) || !(end > start)) {
    return undefined;
  }
  const text = markdown.slice(0, end);
  const first = readLine(text, start);
  const fence = first.complete || final ? fenceOpener(text, first) : undefined;
  if (!fence || !fence.topLevel) {
    return undefined;
  }
  let pos = first.next;
  while (pos < end) {
    const line = readLine(text, pos);
    const complete = line.complete || final;
    if (complete && closesFence(text, line, fence)) {
      const next = line.complete ? line.next : end;
      return next === end ? { contentStart: first.next, contentEnd: line.start } : undefined;
    }
    pos = line.complete ? line.next : end;
  }
  return final ? { contentStart: Math.min(first.next, end), contentEnd: end } : undefined;
}

/** A soft cut: where, and for a cut inside a table, the header to render the rest under. */
export interface SoftCut {
  readonly at: number;
  /**
   * The table's header and delimiter rows (with a final line ending), when the cut falls between
   * two rows of a table: the rows after the cut only form a table under a header, so the caller
   * renders `tableHeader + rest` and hides the repeated header.
   */
  readonly tableHeader?: string;
}

/** Lines that end a table in markdown-it (its terminators), besides a blank line and a fence. */
function endsTable(text: string, line: Line, content: string): boolean {
  const trimmed = content.trimStart();
  return (
    trimmed.startsWith('>') ||
    startsListItem(text, firstNonBlank(text, line.start, line.end), line) === true ||
    isAtxHeading(text, { ...line, start: firstNonBlank(text, line.start, line.end) }) ||
    /^([-*_])([ \t]*\1){2,}[ \t]*$/.test(trimmed)
  );
}

const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * A cut for text that has grown long without any boundary (a huge paragraph, list or table), to
 * bound the cost of rendering it again on every frame while it streams. Unlike a boundary it may
 * change the rendering a little (a list, table or paragraph shown as two), so callers use it only
 * when the text after the last boundary got too costly to render on every frame. Never inside a
 * fenced code block and never before a line that could underline a heading. Candidates, best
 * first, each the last one after `from + minLength` and at most `to`:
 *
 * 1. a column-0 line after a blank line (the next item of a loose list);
 * 2. a column-0 list item (the next item of a tight list);
 * 3. a row of a table, after at least one row (the rest is rendered under the same header);
 * 4. a column-0 line that starts with a letter or digit (the next line of a paragraph);
 * 5. a space followed by a letter, on the last line (a paragraph without line breaks).
 *
 * `tableHeader` says that `from` is itself a cut inside a table with that header. `undefined` when
 * there is no candidate.
 */
export function softBoundary(markdown: string, from: number, to: number, minLength: number, tableHeader?: string): SoftCut | undefined {
  if (typeof markdown !== 'string' || !(from >= 0) || !(to > from)) {
    return undefined;
  }
  const end = Math.min(markdown.length, to);
  const floor = from + Math.max(0, minLength);
  const best: Array<SoftCut | undefined> = [undefined, undefined, undefined, undefined];
  let fence: Fence | undefined;
  let afterBlank = false;
  let previous: string | undefined;
  let previousHasPipe = false;
  /** The header of the table being scanned, and whether a row of it came before this line. */
  let table: { header: string; rows: number } | undefined = tableHeader ? { header: tableHeader, rows: 1 } : undefined;
  let pos = from;
  let lastLineStart = from;
  while (pos < end) {
    const line = readLine(markdown, pos);
    lastLineStart = line.start;
    const complete = line.complete && line.next <= end;
    if (!complete && (fence || line.end > end)) {
      break;
    }
    pos = line.next;
    if (fence) {
      if (closesFence(markdown, line, fence)) {
        fence = undefined;
      }
      continue;
    }
    if (isBlank(markdown, line.start, line.end)) {
      afterBlank = true;
      previous = undefined;
      previousHasPipe = false;
      table = undefined;
      continue;
    }
    const content = markdown.slice(line.start, line.end);
    const hasPipe = content.includes('|');
    const opener = complete ? fenceOpener(markdown, line) : undefined;
    const indent = indentOf(markdown, line.start, line.end);
    if (!table && complete && previous !== undefined && previousHasPipe && TABLE_DELIMITER.test(content) && content.includes('-')) {
      table = { header: `${previous}\n${content}\n`, rows: 0 };
    } else if (table && (opener || (indent < 4 && endsTable(markdown, line, content)))) {
      // A fence, heading, quote, list or rule ends the table; this line starts something else.
      table = undefined;
      if (opener) {
        fence = opener;
      }
    } else if (table) {
      if (line.start > floor && table.rows > 0 && indent < 4) {
        best[2] = { at: line.start, tableHeader: table.header };
      }
      table.rows++;
    } else if (opener) {
      fence = opener;
    } else if (line.start > floor && indent === 0) {
      if (afterBlank) {
        best[0] = { at: line.start };
      } else if (startsListItem(markdown, line.start, line) === true) {
        best[1] = { at: line.start };
      } else if (/^[\p{L}\p{N}]/u.test(content) && !hasPipe && !previousHasPipe) {
        best[3] = { at: line.start };
      }
    }
    afterBlank = false;
    previous = content;
    previousHasPipe = hasPipe;
    if (!complete) {
      break;
    }
  }
  const found = best.find((candidate) => candidate !== undefined);
  if (found !== undefined || fence || table) {
    return found;
  }
  // One long line (not a table row or a heading): after the last space followed by a letter.
  const last = markdown.slice(lastLineStart, end);
  if (last.includes('|') || /^ {0,3}#/.test(last)) {
    return undefined;
  }
  for (let i = end - 2; i >= Math.max(floor, lastLineStart); i--) {
    if (markdown.charCodeAt(i) === 32 && /\p{L}/u.test(markdown[i + 1])) {
      // Something must stay before the cut: not just a list marker or a rule.
      return /\p{L}/u.test(markdown.slice(lastLineStart, i)) ? { at: i + 1 } : undefined;
    }
  }
  return undefined;
}
