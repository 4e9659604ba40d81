/**
 * When the official SDK will try a failed answer again, and after how long: the same rules as its
 * shouldRetry/retryRequest (SDK 1.x), so the panel can say "waiting to retry" while the SDK waits.
 * This predicts for display only; the SDK does the retrying.
 */
export interface RetryWait {
  /** The attempt that comes next, counting the first as 1. */
  readonly attempt: number;
  /** All attempts the SDK may make (retries + 1). */
  readonly of: number;
  /** Seconds until it, rounded up (the longest the SDK's back-off can be when the server named none). */
  readonly seconds: number;
}

/** Longest back-off without retry-after: 0.5 s × 2ⁿ capped at 8 s (the SDK takes up to 25 % off as jitter). */
function defaultBackoffMs(retryCount: number): number {
  return Math.min(0.5 * 2 ** retryCount, 8) * 1000;
}

export function sdkRetryWait(
  answer: { readonly status?: number; readonly header: (name: string) => string | null | undefined },
  retryCount: number,
  maxRetries: number,
  now: Date,
): RetryWait | undefined {
  if (retryCount >= maxRetries) {
    return undefined;
  }
  const next = { attempt: retryCount + 2, of: maxRetries + 1 };
  if (answer.status === undefined) {
    // No response at all (connection failed): the SDK retries with its back-off.
    return { ...next, seconds: Math.ceil(defaultBackoffMs(retryCount) / 1000) };
  }
  const { status } = answer;
  if (status < 400) {
    return undefined;
  }
  const shouldRetry = answer.header('x-should-retry');
  const retries = shouldRetry === 'true' || (shouldRetry !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500));
  if (!retries) {
    return undefined;
  }
  let ms: number | undefined;
  const retryAfterMs = parseFloat(answer.header('retry-after-ms') ?? '');
  if (!Number.isNaN(retryAfterMs)) {
    ms = retryAfterMs;
  }
  const retryAfter = answer.header('retry-after');
  if (retryAfter && !ms) {
    const seconds = parseFloat(retryAfter);
    ms = Number.isNaN(seconds) ? Date.parse(retryAfter) - now.getTime() : seconds * 1000;
  }
  if (ms === undefined || !(ms > 0 && ms <= 2 ** 31 - 1)) {
    ms = defaultBackoffMs(retryCount);
  }
  return { ...next, seconds: Math.ceil(ms / 1000) };
}

/** One HTTP attempt as the SDK's fetch saw it (api/observedFetch's ApiAttempt), as far as a retry needs. */
export interface ObservedAttempt {
  readonly phase: 'sent' | 'answered' | 'failed';
  readonly retryCount: number;
  readonly status?: number;
  readonly headers?: { get(name: string): string | null };
}

/** The wait the SDK makes after `attempt`: none after one only sent, or answered under 400. */
export function retryWaitAfter(attempt: ObservedAttempt, maxRetries: number, now = new Date()): RetryWait | undefined {
  if (attempt.phase === 'sent') {
    return undefined;
  }
  return sdkRetryWait({ status: attempt.status, header: (name) => attempt.headers?.get(name) }, attempt.retryCount, maxRetries, now);
}
