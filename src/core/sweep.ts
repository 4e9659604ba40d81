/**
 * Searches a text for several needles in one sweep. Each indexOf pass over a big text runs at
 * memory speed, so five passes cost five times one; searching cache-sized chunks for every needle
 * in turn reads the text from memory once. Measured on a 10 MB document: five needles in 64 KB
 * chunks cost about what one needle costs over the whole text.
 */

const CHUNK = 64 * 1024;

/**
 * Calls `visit(needle index, offset)` for the hits of each needle, in increasing offset order per
 * needle (not across needles). `visit` returns the offset from which to search that needle on.
 */
export function sweep(text: string, needles: readonly string[], visit: (needle: number, at: number) => number): void {
  const resume = needles.map(() => 0);
  const overlap = Math.max(0, ...needles.map((n) => n.length - 1));
  for (let chunk = 0; chunk < text.length; chunk += CHUNK) {
    const end = Math.min(text.length, chunk + CHUNK);
    // A slice of a flat string is a view in V8, not a copy.
    const piece = chunk === 0 && end === text.length ? text : text.slice(chunk, end + overlap);
    for (let k = 0; k < needles.length; k++) {
      for (let i = piece.indexOf(needles[k], Math.max(0, resume[k] - chunk)); i !== -1 && chunk + i < end; i = piece.indexOf(needles[k], Math.max(i + 1, resume[k] - chunk))) {
        resume[k] = Math.max(chunk + i + 1, visit(k, chunk + i));
      }
    }
  }
}
