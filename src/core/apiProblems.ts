/**
 * What went wrong with a Claude API call, in terms of what the user should do. Built from plain facts
 * (status, error type, headers) so it is testable without the SDK; src/api maps SDK errors to facts.
 */
export type ApiFailureFacts =
  | {
      readonly kind: 'http';
      readonly status: number;
      /** `error.type` from the body, e.g. `rate_limit_error`. */
      readonly errorType?: string | null;
      /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
      readonly errorCode?: string | null;
      readonly message?: string | null;
      readonly requestId?: string | null;
      readonly header: (name: string) => string | null | undefined;
    }
  | { readonly kind: 'connection'; readonly timeout: boolean; readonly code?: string; readonly host: string }
  /** The response could not be parsed (e.g. malformed SSE data). */
  | { readonly kind: 'protocol'; readonly host: string }
  | { readonly kind: 'noKey' }
  | { readonly kind: 'aborted' };

export type ApiProblem =
  | { readonly kind: 'invalidKey'; readonly requestId?: string }
  | { readonly kind: 'browserContext' }
  | { readonly kind: 'permission'; readonly requestId?: string }
  | { readonly kind: 'billing'; readonly requestId?: string }
  | { readonly kind: 'notFound'; readonly requestId?: string }
  | { readonly kind: 'badRequest'; readonly detail: string; readonly requestId?: string }
  | { readonly kind: 'tooLarge'; readonly requestId?: string }
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds?: number; readonly requestId?: string }
  | { readonly kind: 'spendCap'; readonly resetsAt: string; readonly requestId?: string }
  | { readonly kind: 'overloaded'; readonly requestId?: string }
  | { readonly kind: 'serverError'; readonly status: number; readonly requestId?: string }
  | { readonly kind: 'network'; readonly host: string; readonly cause: 'dns' | 'refused' | 'reset' | 'tls' | 'other' }
  | { readonly kind: 'timeout'; readonly host: string }
  | { readonly kind: 'noKey' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'badBaseUrl'; readonly reason: string }
  | { readonly kind: 'badResponse'; readonly host: string }
  | { readonly kind: 'unknown'; readonly status?: number; readonly requestId?: string };

/** Seconds to wait, from `retry-after-ms`, `retry-after` (seconds or HTTP date), else undefined. */
export function retryAfterSeconds(header: (name: string) => string | null | undefined, now: Date): number | undefined {
  const ms = Number(header('retry-after-ms'));
  if (header('retry-after-ms') && Number.isFinite(ms) && ms >= 0) {
    return Math.ceil(ms / 1000);
  }
  const raw = header('retry-after')?.trim();
  if (!raw) {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(raw)) {
    return Math.ceil(Number(raw));
  }
  // Otherwise only an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT") counts.
  if (!/[A-Za-z]/.test(raw)) {
    return undefined;
  }
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** The monthly spend cap lifts at 00:00 UTC on the 1st of the next month. */
export function nextMonthStartUtc(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

const CONNECTION_CAUSES: ReadonlyArray<readonly [RegExp, 'dns' | 'refused' | 'reset' | 'tls']> = [
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, 'dns'],
  [/ECONNREFUSED/i, 'refused'],
  [/ECONNRESET|EPIPE|socket hang up|other side closed|UND_ERR_SOCKET/i, 'reset'],
  [/CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED|DEPTH_ZERO/i, 'tls'],
];

export function classifyApiFailure(facts: ApiFailureFacts, now: Date = new Date()): ApiProblem {
  switch (facts.kind) {
    case 'noKey':
      return { kind: 'noKey' };
    case 'aborted':
      return { kind: 'aborted' };
    case 'protocol':
      return { kind: 'badResponse', host: facts.host };
    case 'connection': {
      if (facts.timeout) {
        return { kind: 'timeout', host: facts.host };
      }
      const cause = CONNECTION_CAUSES.find(([pattern]) => pattern.test(facts.code ?? ''))?.[1] ?? 'other';
      return { kind: 'network', host: facts.host, cause };
    }
    case 'http':
      break;
  }
  const requestId = facts.requestId ?? undefined;
  const { status } = facts;
  if (status === 401) {
    return /^CORS requests are not allowed/i.test(facts.message ?? '') ? { kind: 'browserContext' } : { kind: 'invalidKey', requestId };
  }
  if (status === 403) {
    return { kind: 'permission', requestId };
  }
  if (status === 402 || facts.errorType === 'billing_error') {
    return { kind: 'billing', requestId };
  }
  if (status === 404) {
    return { kind: 'notFound', requestId };
  }
  if (status === 413) {
    return { kind: 'tooLarge', requestId };
  }
  if (status === 429) {
    if (facts.errorCode === 'enforced_spend_limit_reached') {
      return { kind: 'spendCap', resetsAt: nextMonthStartUtc(now), requestId };
    }
    return { kind: 'rateLimited', retryAfterSeconds: retryAfterSeconds(facts.header, now), requestId };
  }
  if (status === 529 || facts.errorType === 'overloaded_error') {
    return { kind: 'overloaded', requestId };
  }
  if (status >= 500) {
    return { kind: 'serverError', status, requestId };
  }
  // A user-set workspace or organisation limit: a cap like the monthly one, not a fault of the request.
  if (status === 400 && /specified\b.{0,40}\bAPI usage limits/i.test(facts.message ?? '')) {
    return { kind: 'spendCap', resetsAt: nextMonthStartUtc(now), requestId };
  }
  if (status === 400) {
    return { kind: 'badRequest', detail: facts.message ?? '', requestId };
  }
  return { kind: 'unknown', status, requestId };
}
