/**
 * Splits a byte stream into lines without holding more than one partial line: the ledger reader
 * feeds it file chunks, so a million-line file is read in bounded memory. Bytes, not strings, so a
 * multi-byte character cut by a chunk boundary is decoded whole.
 */
export class LineSplitter {
  private partial: Buffer | undefined;
  /** Bytes handed out as complete lines (each with its newline). */
  consumed = 0;

  /** Calls `onLine` for each complete line in `chunk` (the newline stripped). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    let data = chunk;
    if (this.partial) {
      data = Buffer.concat([this.partial, chunk]);
      this.partial = undefined;
    }
    for (let newline = data.indexOf(10, start); newline !== -1; newline = data.indexOf(10, start)) {
      if (newline > start) {
        onLine(data.toString('utf8', start, newline));
      }
      this.consumed += newline + 1 - start;
      start = newline + 1;
    }
    if (start < data.length) {
      this.partial = Buffer.from(data.subarray(start));
    }
  }

  /** The bytes after the last newline: a line still being written, or torn by a crash. */
  get pendingBytes(): number {
    return this.partial?.length ?? 0;
  }
}
