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
    let data = chunk;
    if (this.partial) {
      data = Buffer.concat([this.partial, chunk]);
      this.partial = undefined;
    }
    const last = data.lastIndexOf(10);
    if (last !== -1) {
      // One decode for all the chunk's complete lines, then string slices: a toString per line
      // costs more than the decoding itself. A newline never falls inside a UTF-8 character.
      const text = data.toString('utf8', 0, last);
      let start = 0;
      for (let newline = text.indexOf('\n'); ; newline = text.indexOf('\n', start)) {
        const end = newline === -1 ? text.length : newline;
        if (end > start) {
          onLine(text.slice(start, end));
        }
        if (newline === -1) {
          break;
        }
        start = newline + 1;
      }
      this.consumed += last + 1;
    }
    if (last + 1 < data.length) {
      this.partial = Buffer.from(data.subarray(last + 1));
    }
  }

  /** The bytes after the last newline: a line still being written, or torn by a crash. */
  get pendingBytes(): number {
    return this.partial?.length ?? 0;
  }
}
