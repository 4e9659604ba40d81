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

import { readLine, isBlank, indentOf, firstNonBlank, fenceOpener, closesFence, isAtxHeading, startsListItem, type Fence } from './markdownLines';

export { softBoundary, type SoftCut } from './softBoundary';

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
