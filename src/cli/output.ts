import * as fs from 'node:fs';

/**
 * The CLI's stdout and stderr, written with writeSync on the file descriptor. Touching
 * process.stdout or process.stderr builds a stream (net, stream, tty) and costs 3–4 ms of every run;
 * a pre-commit hook runs the CLI on every commit, mostly to print a few lines.
 */

export const STDOUT = 1;
export const STDERR = 2;

type WriteSync = (fd: number, buffer: Buffer, offset: number) => number;

/** Where the rest goes when the descriptor cannot take it now (a non-blocking pipe that is full). */
type Fallback = (fd: number, rest: Buffer) => void;

let handedToStreams = false;

function streamFallback(fd: number, rest: Buffer): void {
  handedToStreams = true;
  (fd === STDERR ? process.stderr : process.stdout).write(rest);
}

/** Whether some output went to Node's streams (EAGAIN) and may still be waiting for its reader. */
export function outputPending(): boolean {
  return handedToStreams;
}

/**
 * Writes all of `text` to `fd`. EAGAIN (the descriptor was left non-blocking by whoever shares it)
 * hands the rest to Node's stream, which waits for the reader; EPIPE (the reader is gone, as in
 * `| head`) drops the rest, as the stream would, without an error.
 */
export function writeAll(fd: number, text: string, write: WriteSync = (d, b, o) => fs.writeSync(d, b, o), fallback: Fallback = streamFallback): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += write(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        fallback(fd, bytes.subarray(offset));
        return;
      }
      if (code === 'EPIPE') {
        return;
      }
      throw error;
    }
  }
}
