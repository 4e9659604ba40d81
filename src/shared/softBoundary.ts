import { readLine, isBlank, indentOf, firstNonBlank, fenceOpener, closesFence, isAtxHeading, startsListItem, type Fence, type Line } from './markdownLines';

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
