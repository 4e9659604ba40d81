import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../core/lineSplitter';
import { emptySummary, mergeSummaries, SummaryAccumulator, type UsageSummary } from '../core/usageAggregate';
import { filesToPrune, ledgerFileMonth, ledgerFileName, monthOf, parseRecord, serializeRecord, type UsageRecord } from '../core/usageRecord';
import type { SummaryStore } from './summaryStore';

/** What aggregating one file left behind, kept per file and reused until the file changes. */
export interface FileAggregate {
  /** Bytes up to the last newline read; an appended file is read on from here. */
  readonly offset: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** A file deleted and written anew is another file, whatever its size. */
  readonly ino: number;
  readonly summary: UsageSummary;
  /** Bytes after the last newline (a torn or unfinished last line), not yet counted. */
  readonly pendingBytes: number;
  /**
   * The file's first bytes (base64): a file deleted and written anew can get the same inode back,
   * and is read on from an offset only when it still starts the same. Absent in older sidecars.
   */
  readonly head?: string;
}

const HEAD_BYTES = 64;

export interface LedgerRead {
  readonly summary: UsageSummary;
  /** Whether some file ends in a line with no newline (torn by a crash, or being written now). */
  readonly tornTail: boolean;
  readonly files: number;
}

/**
 * The usage ledger on disk: one JSON-lines file per UTC month in a folder of the extension's global
 * storage. No vscode import: plain Node, unit-tested with real files and real processes.
 *
 * Safe with two windows (two processes) writing at once: each record is one write() of one whole
 * line to a file opened with O_APPEND, which the kernel never interleaves; a file that does not end
 * in a newline (a writer crashed mid-line) gets one first, so the torn line stays alone and is
 * skipped by readers, and nothing earlier is touched. A failed write is not retried: a record may
 * be lost, never written twice.
 */
export class UsageLedger {
  private readonly cache = new Map<string, FileAggregate>();
  /** Appends of this process, one after the other (the check for a trailing newline must not race ourselves). */
  private queue: Promise<void> = Promise.resolve();

  /** `summaries`: per-file summaries persisted across windows and restarts (Show Usage opens fast). */
  constructor(
    readonly folder: string,
    private readonly summaries?: SummaryStore,
  ) {}

  fileFor(month: string): string {
    return path.join(this.folder, ledgerFileName(month));
  }

  /**
   * Queues one record and returns at once; the promise settles when it is on disk. Callers on a
   * request's path do not await it.
   */
  append(record: UsageRecord): Promise<void> {
    const line = serializeRecord(record);
    const file = this.fileFor(monthOf(record.time));
    const write = this.queue.then(() => appendLine(file, line));
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** Aggregates every ledger file, reading only what changed since the last call. */
  async read(): Promise<LedgerRead> {
    const names = await this.fileNames();
    const parts: UsageSummary[] = [];
    let tornTail = false;
    for (const name of names) {
      const aggregate = await this.aggregateFile(path.join(this.folder, name));
      if (aggregate) {
        parts.push(aggregate.summary);
        tornTail ||= aggregate.pendingBytes > 0;
      }
    }
    const summary = mergeSummaries(parts);
    // A torn last line is skipped and counted, not lost silently.
    return { summary: tornTail ? { ...summary, skippedLines: summary.skippedLines + 1 } : summary, tornTail, files: parts.length };
  }

  /** One month's file only (the budget needs no more), incrementally. `signal` stops a long read (nothing is kept). */
  async readMonth(month: string, signal?: AbortSignal): Promise<UsageSummary> {
    return (await this.aggregateFile(this.fileFor(month), signal))?.summary ?? emptySummary();
  }

  /**
   * Whether reading a month costs no more than its new lines: its summary is in memory or saved
   * beside the ledger for the same file (or there is no file). False means a full read.
   */
  async isSummarised(month: string): Promise<boolean> {
    const file = this.fileFor(month);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return true;
    }
    const cached = this.cache.get(file) ?? (await this.summaries?.load(file));
    if (cached && cached.ino === stat.ino && stat.size >= cached.size) {
      this.cache.set(file, cached);
      return true;
    }
    return false;
  }

  /** The months that have a ledger file, oldest first. */
  async months(): Promise<string[]> {
    return (await this.fileNames()).map((name) => ledgerFileMonth(name) ?? '');
  }

  /** Deletes ledger files older than the retention; returns their names. */
  async prune(now: Date, retentionMonths: number): Promise<string[]> {
    const old = filesToPrune(await this.fileNames(), now, retentionMonths);
    for (const name of old) {
      await fs.promises.rm(path.join(this.folder, name), { force: true });
      this.cache.delete(path.join(this.folder, name));
      await this.summaries?.forget(name);
    }
    return old;
  }

  /** Every record of a month's file, for tests and (later) export. Not for big files. */
  async records(month: string): Promise<UsageRecord[]> {
    const records: UsageRecord[] = [];
    await streamLines(this.fileFor(month), 0, (line) => {
      const r = parseRecord(line);
      if (r) {
        records.push(r);
      }
    });
    return records;
  }

  private async fileNames(): Promise<string[]> {
    try {
      return (await fs.promises.readdir(this.folder)).filter((name) => ledgerFileMonth(name) !== undefined).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
  }

  private async aggregateFile(file: string, signal?: AbortSignal): Promise<FileAggregate | undefined> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      this.cache.delete(file);
      return undefined;
    }
    const cached = this.cache.get(file) ?? (await this.summaries?.load(file));
    const same = cached?.ino === stat.ino;
    if (cached && same && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      this.cache.set(file, cached);
      return cached;
    }
    // Append-only: a file that grew is read on from the last complete line; one that shrank, or that
    // starts differently (deleted and written anew on a reused inode), was replaced.
    const resume = cached && same && stat.size >= cached.size && (cached.head === undefined || (await readHead(file, Buffer.from(cached.head, 'base64').length)) === cached.head);
    const summary = resume ? cloneSummary(cached.summary) : emptySummary();
    const start = resume ? cached.offset : 0;
    const cells = new SummaryAccumulator();
    const splitter = await streamLines(
      file,
      start,
      (line) => {
        const record = parseRecord(line);
        if (record) {
          cells.add(record);
        } else {
          summary.skippedLines++;
        }
      },
      signal,
    );
    cells.foldInto(summary);
    const head = resume && cached.head !== undefined && Buffer.from(cached.head, 'base64').length >= Math.min(HEAD_BYTES, stat.size) ? cached.head : await readHead(file, HEAD_BYTES);
    const aggregate: FileAggregate = { offset: start + splitter.consumed, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, summary, pendingBytes: splitter.pendingBytes, head };
    this.cache.set(file, aggregate);
    // A lost sidecar only costs the next window a re-read.
    await this.summaries?.save(file, aggregate).catch(() => undefined);
    return aggregate;
  }
}

function cloneSummary(summary: UsageSummary): UsageSummary {
  return mergeSummaries([summary]);
}

async function streamLines(file: string, start: number, onLine: (line: string) => void, signal?: AbortSignal): Promise<LineSplitter> {
  const splitter = new LineSplitter();
  try {
    for await (const chunk of fs.createReadStream(file, { start, highWaterMark: 1 << 16, signal })) {
      splitter.push(chunk as Buffer, onLine);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  return splitter;
}

/** The first `bytes` bytes of a file (fewer when it is shorter), base64; empty when it is gone. */
async function readHead(file: string, bytes: number): Promise<string> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('base64');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}

/** One O_APPEND write of a whole line, after a newline if the file's last line was torn. */
async function appendLine(file: string, line: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.promises.open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let text = line;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 10) {
        text = '\n' + line;
      }
    }
    const data = Buffer.from(text, 'utf8');
    await handle.write(data, 0, data.length);
  } finally {
    await handle.close();
  }
}
