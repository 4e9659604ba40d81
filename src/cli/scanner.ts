// Named imports: the bundle then calls node:fs directly, not through an ES-module namespace getter
// per call (four calls per file). The walk that lists the files is walk.ts.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { detectInFile, mayHoldKeys, type Stretch } from '../core/byteScan';
import type { CredentialAt } from '../core/detector';

/** Bigger files are skipped with a note rather than read into memory whole. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
export const TOO_LARGE = `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
/**
 * A file that reports size 0 (procfs, sysfs) is read up to this many bytes; more is skipped with a
 * note. Its real size is unknown until read, so it is never read whole.
 */
export const UNKNOWN_SIZE_CAP = 1024 * 1024;
/**
 * add() reads files smaller than BATCH_FILE_BYTES end to end into one buffer, up to BATCH_BYTES
 * (inside a core's L2 cache), and searches them together: each search is a call into Node that costs
 * about what searching 30 KB does, and a file takes seven (six needles, the NUL sniff). A bigger file
 * is searched alone, as scan() does. These limits measured about 3 % faster on the bench's tree than
 * files under 32 KB in 256 KB.
 */
export const BATCH_FILE_BYTES = 256 * 1024;
export const BATCH_BYTES = 512 * 1024;
export const NOT_REGULAR = 'not a regular file (a device, FIFO or socket), skipped';
/** Opening a FIFO for reading blocks until a writer comes; non-blocking, and fstat says what it is. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** One finding as the CLI reports it: 1-based line and column, endColumn one past the last character. */
export interface CliFinding extends CredentialAt {
  /** Truncated sha256 of the key (SARIF partialFingerprints); never the key. */
  readonly keyHash?: string;
  /**
   * The key itself, only with ScannerOptions.keepKeys (--history matches keys at HEAD, --verify sends
   * them to the API). Never printed: the formats in report.ts pick their fields one by one.
   */
  readonly key?: string;
}

/** What scanning one file gave. Clean text files are the common case and carry nothing else. */
export interface FileOutcome {
  readonly bytes: number;
  readonly binary?: true;
  readonly findings?: readonly CliFinding[];
  /** Why the file could not be read (permission denied, …): the scan is incomplete. */
  readonly error?: string;
  /** Why the file was skipped although readable (too large): reported as a note. */
  readonly skipped?: string;
}

export interface ScannerOptions {
  readonly honourIgnoreMarkers: boolean;
  /** Compute keyHash for each finding (SARIF output); needs a KeyHasher. */
  readonly fingerprints: boolean;
  /** Keep each finding's key in memory (CliFinding.key). */
  readonly keepKeys?: boolean;
}

/** Truncated sha256 of a key; loaded lazily (node:crypto costs ~6 ms of start-up), see fingerprint.ts. */
export type KeyHasher = (key: string) => string;

/** Whether the report shows this outcome: findings, a read error or a skip. Clean and binary files are only counted. */
export function isReported(outcome: FileOutcome): boolean {
  return outcome.findings !== undefined || outcome.error !== undefined || outcome.skipped !== undefined;
}

/** Scans bytes [0, length) of `buffer`, a file's or a staged blob's: UTF-16 or binary sniff, then detection. */
export function scanBytes(buffer: Buffer, length: number, options: ScannerOptions, hasher?: KeyHasher): FileOutcome {
  const found = detectInFile(buffer, length, options.honourIgnoreMarkers);
  if (!found) {
    return { bytes: length, binary: true };
  }
  if (found.length === 0) {
    return { bytes: length };
  }
  return {
    bytes: length,
    findings: found.map((f) => ({
      kind: f.kind,
      line: f.line + 1,
      column: f.column + 1,
      endLine: f.endLine + 1,
      endColumn: f.endColumn + 1,
      masked: f.masked,
      ...(f.encoding ? { encoding: f.encoding } : {}),
      ...(options.fingerprints && hasher ? { keyHash: hasher(f.key) } : {}),
      ...(options.keepKeys ? { key: f.key } : {}),
    })),
  };
}

/** Reads files into one reused buffer; see core/byteScan.ts for what is decoded. Not thread-safe: one per thread. */
export class FileScanner {
  private buffer = Buffer.allocUnsafe(1 << 20);

  constructor(
    private readonly options: ScannerOptions,
    private readonly hasher?: KeyHasher,
    private readonly limits: { readonly unknownSizeCap: number } = { unknownSizeCap: UNKNOWN_SIZE_CAP },
  ) {}

  scan(file: string): FileOutcome {
    const opened = this.open(file);
    if (!('fd' in opened)) {
      return opened;
    }
    const length = this.readAndClose(opened.fd, opened.size, 0);
    return typeof length === 'number' ? scanBytes(this.buffer, length, this.options, this.hasher) : length;
  }

  /** Small files read into this.buffer by add() but not searched yet, in the order read. */
  private readonly held: Array<Stretch & { readonly index: number }> = [];
  private heldBytes = 0;

  /**
   * scan(file) for file number `index`: `each` gets the same outcome, now or when the batch it joins
   * is searched (flush() after the last file). Small files are held, read end to end into the
   * buffer, and searched together (mayHoldKeys); only those that may hold a key are looked at one by
   * one. `each` gets every index once, not always in order.
   */
  add(index: number, file: string, each: (index: number, outcome: FileOutcome) => void): void {
    const opened = this.open(file);
    if (!('fd' in opened)) {
      each(index, opened);
      return;
    }
    // Size 0 (procfs-like, read to EOF under its own cap) and bigger files are read alone, from offset 0.
    const batched = opened.size > 0 && opened.size < BATCH_FILE_BYTES;
    if (!batched || this.heldBytes + opened.size >= BATCH_BYTES) {
      this.flush(each);
    }
    const length = this.readAndClose(opened.fd, opened.size, this.heldBytes);
    if (typeof length !== 'number') {
      each(index, length);
    } else if (batched) {
      this.held.push({ index, start: this.heldBytes, length });
      this.heldBytes += length;
    } else {
      each(index, scanBytes(this.buffer, length, this.options, this.hasher));
    }
  }

  /** Searches the files add() holds and reports them: after the last add(), or at any time. */
  flush(each: (index: number, outcome: FileOutcome) => void): void {
    if (this.held.length === 0) {
      return;
    }
    const flags = mayHoldKeys(this.buffer, this.held);
    this.held.forEach(({ index, start, length }, k) => {
      each(index, flags[k] ? scanBytes(this.buffer.subarray(start, start + length), length, this.options, this.hasher) : { bytes: length });
    });
    this.held.length = 0;
    this.heldBytes = 0;
  }

  /** Opens a regular file of at most MAX_FILE_BYTES: its descriptor and size, or the outcome that ends it. */
  private open(file: string): { readonly fd: number; readonly size: number } | FileOutcome {
    let fd: number;
    try {
      fd = openSync(file, OPEN_FLAGS);
    } catch (error) {
      return { bytes: 0, error: describeError(error) };
    }
    try {
      const stat = fstatSync(fd);
      // The walk only gives regular files, but a path given explicitly or swapped since can be anything.
      const problem = !stat.isFile() ? NOT_REGULAR : stat.size > MAX_FILE_BYTES ? TOO_LARGE : undefined;
      if (problem === undefined) {
        return { fd, size: stat.size };
      }
      closeSync(fd);
      return { bytes: 0, skipped: problem };
    } catch (error) {
      closeSync(fd);
      return { bytes: 0, error: describeError(error) };
    }
  }

  /** Reads an opened file into this.buffer from offset `at`, then closes it: its length, or the outcome that ends it. */
  private readAndClose(fd: number, size: number, at: number): number | FileOutcome {
    try {
      const cap = size === 0 ? this.limits.unknownSizeCap : MAX_FILE_BYTES;
      const length = this.read(fd, size, cap, at);
      if (length > cap) {
        return { bytes: 0, skipped: size === 0 ? `reports size 0 but holds more than ${cap} bytes, skipped` : TOO_LARGE };
      }
      return length;
    } catch (error) {
      return { bytes: 0, error: describeError(error) };
    } finally {
      closeSync(fd);
    }
  }

  /** Reads the whole file into this.buffer from offset `at` (growing it, keeping what is before) and returns its byte count; stops once past `cap`. */
  private read(fd: number, size: number, cap: number, at: number): number {
    if (at + size >= this.buffer.length) {
      this.grow(at + size + 1, at);
    }
    let length = 0;
    for (;;) {
      if (at + length === this.buffer.length) {
        this.grow((at + length) * 2, at + length);
      }
      // Never more than one byte past the cap: enough to know the file is over it.
      const count = readSync(fd, this.buffer, at + length, Math.min(this.buffer.length - at - length, cap + 1 - length), null);
      if (count === 0) {
        return length;
      }
      length += count;
      // A regular file's size is known: stop without the extra empty read. Size 0 (procfs-like) reads to EOF.
      if ((size > 0 && length >= size) || length > cap) {
        return length;
      }
    }
  }

  /** Replaces the buffer with a bigger one, keeping its first `keep` bytes. */
  private grow(atLeast: number, keep: number): void {
    const next = Buffer.allocUnsafe(Math.max(atLeast, this.buffer.length * 2));
    if (keep > 0) {
      this.buffer.copy(next, 0, 0, keep);
    }
    this.buffer = next;
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
};

/** A short, key-free reason for a failed read: the code's meaning, never file content. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) {
    return `${REASONS[code]} (${code})`;
  }
  if (code) {
    return code;
  }
  return error instanceof Error ? error.message : String(error);
}
