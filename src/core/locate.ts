/** 1-based line and column (UTF-16) of every occurrence of `needle`, in one pass over the text. */
export function locate(text: string, needle: string): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  if (needle === '') {
    return out;
  }
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    for (let nl = text.indexOf('\n', scanned); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    scanned = at;
    out.push({ line, column: at - lineStart + 1 });
  }
  return out;
}
