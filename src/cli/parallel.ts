import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadKeyHasher } from './fingerprint';
import { FileScanner, isReported, type FileOutcome, type ScannerOptions } from './scanner';
import { WORKER_FLAG } from './workerFlag';

/**
 * `--jobs N`: N-1 worker threads plus the main thread pull file indexes from one shared atomic
 * counter, so a few big files cannot leave a thread idle. Workers start before the walk, so their
 * start-up overlaps it; a worker that has not begun when the main thread runs out of files is
 * terminated instead of awaited (small scans pay nothing for --jobs).
 */

/** Slot 0: next file index. Slot 1 + w: set by worker w just before its first claim. */
type SharedState = Int32Array;

interface WorkerInit {
  readonly claudeKeysScanWorker: true;
  readonly shared: SharedArrayBuffer;
  readonly slot: number;
  readonly scanner: ScannerOptions;
}

/** Only outcomes that carry something are sent back; clean files are just counted. */
export interface BatchResult {
  readonly outcomes: [number, FileOutcome][];
  readonly bytes: number;
  readonly files: number;
}

export type OutcomeSink = (index: number, outcome: FileOutcome) => void;

export function isScanWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerInit> | null)?.claudeKeysScanWorker === true;
}

/** Claims files from the shared counter until none are left; small ones are batched (FileScanner.add). */
export function drain(state: SharedState, files: readonly string[], scanner: FileScanner, sink: OutcomeSink): void {
  for (;;) {
    const index = Atomics.add(state, 0, 1);
    if (index >= files.length) {
      scanner.flush(sink);
      return;
    }
    scanner.add(index, files[index], sink);
  }
}

/** Entry point inside a worker thread (same bundle, see main.ts). */
export async function runWorker(): Promise<void> {
  const init = workerData as WorkerInit;
  const state = new Int32Array(init.shared);
  const port = parentPort;
  if (!port) {
    return;
  }
  // node:crypto loads while the main thread walks; the file list arrives when the walk is done.
  const hasher = init.scanner.fingerprints ? loadKeyHasher() : undefined;
  const files = await new Promise<string[]>((resolve) => port.once('message', resolve));
  const scanner = new FileScanner(init.scanner, await hasher);
  Atomics.store(state, 1 + init.slot, 1);
  const outcomes: [number, FileOutcome][] = [];
  let bytes = 0;
  let count = 0;
  drain(state, files, scanner, (index, outcome) => {
    bytes += outcome.bytes;
    count++;
    // Binary files go back too: the main thread counts them.
    if (outcome.binary || isReported(outcome)) {
      outcomes.push([index, outcome]);
    }
  });
  const result: BatchResult = { outcomes, bytes, files: count };
  port.postMessage(result);
}

export class WorkerPool {
  private readonly state: SharedState;
  private readonly workers: Worker[] = [];
  private readonly results: Promise<BatchResult>[] = [];

  constructor(count: number, scanner: ScannerOptions, entry: string) {
    const shared = new SharedArrayBuffer(4 * (1 + count));
    this.state = new Int32Array(shared);
    for (let slot = 0; slot < count; slot++) {
      const init: WorkerInit = { claudeKeysScanWorker: true, shared, slot, scanner };
      const worker = new Worker(entry, { workerData: init, argv: [WORKER_FLAG], stdout: false, stderr: false });
      this.workers.push(worker);
      const result = new Promise<BatchResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`scan worker exited with code ${code} before reporting`)));
      });
      // Only awaited for workers that started; a dropped worker's failure must not be an unhandled rejection.
      result.catch(() => undefined);
      this.results.push(result);
    }
  }

  /**
   * Scans `files` on the main thread and the workers. `sink` sees every outcome that carries
   * something (clean files from workers are only counted); the totals count every file scanned.
   */
  async scan(files: readonly string[], scanner: FileScanner, sink: OutcomeSink): Promise<{ files: number; bytes: number }> {
    for (const worker of this.workers) {
      worker.postMessage(files);
    }
    const totals = { files: 0, bytes: 0 };
    drain(this.state, files, scanner, (index, outcome) => {
      totals.files++;
      totals.bytes += outcome.bytes;
      sink(index, outcome);
    });
    // Every index is claimed now. A worker that never started claims nothing: drop it.
    const pending = this.results.filter((_, slot) => Atomics.load(this.state, 1 + slot) !== 0);
    try {
      for (const result of await Promise.all(pending)) {
        totals.files += result.files;
        totals.bytes += result.bytes;
        for (const [index, outcome] of result.outcomes) {
          sink(index, outcome);
        }
      }
      return totals;
    } finally {
      this.close();
    }
  }

  /** Stops every worker (those that reported are done anyway). */
  close(): void {
    for (const worker of this.workers) {
      worker.removeAllListeners('exit');
      worker.unref();
      void worker.terminate();
    }
  }
}
