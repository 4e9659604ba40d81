import type { ApiAttempt } from '../api/observedFetch';
import { retryWaitAfter } from '../core/retryWait';
import type { StreamStatus } from '../shared/promptProtocol';

/**
 * Says what a pending answer is doing when it is not simply streaming: the SDK waiting to retry a
 * 429/529/5xx (seen through its fetch, counted down each second), or no data arriving for a while.
 * Reports only changes. The SDK does the retrying; this only watches.
 */
export class StreamWatch {
  private lastData = Date.now();
  private retryUntil: number | undefined;
  private retry: { attempt: number; of: number; status?: number } | undefined;
  /** The status last reported, as JSON: the answer starts out streaming. */
  private shown = JSON.stringify({ kind: 'streaming' });
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly report: (status: StreamStatus) => void,
    /** Quiet time after which "no data for N s" is shown. */
    private readonly noticeMs: number,
    private readonly maxRetries: number,
    /** Stop or the watchdog aborted the request: a failed attempt then is no retry. */
    private readonly aborted: () => boolean,
  ) {
    this.ticker = setInterval(() => this.tick(), Math.max(50, Math.min(1000, noticeMs)));
  }

  /** True while the SDK sleeps before its next attempt (the stall watchdog must not count that time). */
  get waitingToRetry(): boolean {
    return this.retryUntil !== undefined;
  }

  /** Every HTTP attempt of the request, from the SDK's fetch. */
  attempt(attempt: ApiAttempt): void {
    if (attempt.phase === 'sent') {
      this.retryUntil = undefined;
      this.data();
      return;
    }
    if (attempt.phase === 'answered' && attempt.status !== undefined && attempt.status < 400) {
      return;
    }
    if (this.aborted()) {
      return;
    }
    const wait = retryWaitAfter(attempt, this.maxRetries);
    if (wait) {
      this.retry = { attempt: wait.attempt, of: wait.of, ...(attempt.status !== undefined ? { status: attempt.status } : {}) };
      this.retryUntil = Date.now() + wait.seconds * 1000;
      this.tick();
    }
  }

  /** Something arrived (a stream event): back to plain streaming. */
  data(): void {
    this.lastData = Date.now();
    this.show({ kind: 'streaming' });
  }

  dispose(): void {
    clearInterval(this.ticker);
  }

  private tick(): void {
    const now = Date.now();
    if (this.retryUntil !== undefined && this.retry) {
      this.show({ kind: 'retrying', ...this.retry, seconds: Math.max(1, Math.ceil((this.retryUntil - now) / 1000)) });
      return;
    }
    const quiet = now - this.lastData;
    if (quiet >= this.noticeMs) {
      this.show({ kind: 'noData', seconds: Math.max(1, Math.round(quiet / 1000)) });
    }
  }

  private show(status: StreamStatus): void {
    const key = JSON.stringify(status);
    if (key !== this.shown) {
      this.shown = key;
      this.report(status);
    }
  }
}
