/**
 * 1-based line and column (UTF-16) of every occurrence of `needle`, counting line breaks the way
 * VS Code does (\r\n, \r or \n). Occurrences do not overlap. One pass over the text.
 */
export function locate(text: string, needle: string): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  if (needle === '') {
    return out;
  }
  const breaks = /\r\n|\r|\n/g;
  let next = breaks.exec(text);
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    while (next !== null && next.index < at) {
      line++;
      lineStart = next.index + next[0].length;
      next = breaks.exec(text);
    }
    out.push({ line, column: at - lineStart + 1 });
  }
  return out;
}
