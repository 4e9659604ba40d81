import { createHash } from 'node:crypto';
import type { FetchFunction } from './spendCapFetch';

/**
 * One HTTP attempt of the SDK, as its `fetch` saw it: sent, then answered (any status) or failed (no
 * response). The SDK retries by calling fetch again, so this is the one place that sees every attempt
 * of every call. It carries no key: only a digest to tell which stored key made the call.
 */
export interface ApiAttempt {
  readonly phase: 'sent' | 'answered' | 'failed';
  /** The URL's path, e.g. /v1/messages. */
  readonly path: string;
  /** 0 on the first attempt, n on the SDK's n-th retry (its `x-stainless-retry-count` header). */
  readonly retryCount: number;
  /** SHA-256 (hex) of the credential the request carried; see keyDigest(). */
  readonly keyDigest: string | undefined;
  readonly status?: number;
  readonly headers?: Headers;
}

export type AttemptObserver = (attempt: ApiAttempt) => void;

/** A key's fingerprint for matching, never for showing: the key is long and random, its hash reveals nothing. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Wraps the SDK's fetch and tells `observe` about each attempt; what the SDK gets back is unchanged. */
export function observedFetch(inner: FetchFunction, observe: AttemptObserver): FetchFunction {
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const base = { path: pathOf(url), retryCount: Number(headers.get('x-stainless-retry-count')) || 0, keyDigest: credentialDigest(headers) };
    notify(observe, { ...base, phase: 'sent' });
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      notify(observe, { ...base, phase: 'failed' });
      throw error;
    }
    notify(observe, { ...base, phase: 'answered', status: response.status, headers: response.headers });
    return response;
  };
}

function credentialDigest(headers: Headers): string | undefined {
  const credential = headers.get('x-api-key') ?? /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
  return credential ? keyDigest(credential) : undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** An observer's bug must never break the request it watches. */
function notify(observe: AttemptObserver, attempt: ApiAttempt): void {
  try {
    observe(attempt);
  } catch {
    // Deliberately ignored: observing is best effort.
  }
}
