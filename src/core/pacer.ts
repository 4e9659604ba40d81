/** The clock a Pacer reads and sleeps on: the real one, or fake timers in tests. */
export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class PacingCancelled extends Error {
  constructor() {
    super('Waiting for a request slot was cancelled');
    this.name = 'PacingCancelled';
  }
}

export interface PacerTicket {
  /** How long this request waits before it may start (0 = now). */
  readonly waitMs: number;
  /** Resolves when the request may start; rejects with PacingCancelled when `signal` aborts first. */
  readonly ready: Promise<void>;
}

const WINDOW_MS = 60_000;

/**
 * Client-side pacing: at most `perMinute` requests start in any 60 s window. A request over the limit
 * is given the first free slot and waits for it, in arrival order, instead of running into a 429.
 * A cancelled wait gives its slot back.
 */
export class Pacer {
  /** Start times given out (past and future), ascending. */
  private starts: number[] = [];
  private limit = 0;

  constructor(
    perMinute: number,
    private readonly clock: PacerClock = realClock,
  ) {
    this.perMinute = perMinute;
  }

  get perMinute(): number {
    return this.limit;
  }

  /** Off (0) forgets the minute: requests made while off are not counted, so a minute counted before would be wrong. */
  set perMinute(value: number) {
    this.limit = value;
    if (!(value > 0)) {
      this.starts = [];
    }
  }

  /** A slot for one request; with perMinute 0 (off) always now. */
  acquire(signal?: AbortSignal): PacerTicket {
    const now = this.clock.now();
    if (!(this.perMinute > 0)) {
      return { waitMs: 0, ready: Promise.resolve() };
    }
    this.starts = this.starts.filter((t) => t > now - WINDOW_MS);
    const limit = Math.floor(this.perMinute);
    // The slot is free once the start `limit` places back has left the window.
    const start = this.starts.length < limit ? now : Math.max(now, this.starts[this.starts.length - limit] + WINDOW_MS);
    this.starts.push(start);
    const waitMs = start - now;
    if (waitMs === 0) {
      return { waitMs, ready: Promise.resolve() };
    }
    const ready = new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        this.release(start);
        reject(new PacingCancelled());
        return;
      }
      const onAbort = (): void => {
        this.clock.clearTimeout(handle);
        this.release(start);
        reject(new PacingCancelled());
      };
      const handle = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return { waitMs, ready };
  }

  /** Requests started (or given a slot) in the last minute. */
  inWindow(): number {
    const now = this.clock.now();
    return this.starts.filter((t) => t > now - WINDOW_MS && t <= now).length;
  }

  private release(start: number): void {
    const index = this.starts.lastIndexOf(start);
    if (index !== -1) {
      this.starts.splice(index, 1);
    }
  }
}
