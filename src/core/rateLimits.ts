/** The anthropic-ratelimit-* response headers, read into numbers and one short summary line. */
export interface RateLimitWindow {
  readonly limit?: number;
  readonly remaining?: number;
  /** RFC 3339. */
  readonly reset?: string;
}

export interface RateLimits {
  readonly requests: RateLimitWindow;
  readonly tokens: RateLimitWindow;
  readonly inputTokens: RateLimitWindow;
  readonly outputTokens: RateLimitWindow;
  /** Seconds, from retry-after. */
  readonly retryAfter?: number;
}

type HeaderGetter = (name: string) => string | null | undefined;

function number(get: HeaderGetter, name: string): number | undefined {
  const raw = get(name);
  if (raw === null || raw === undefined || raw.trim() === '') {
    return undefined;
  }
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function instant(get: HeaderGetter, name: string): string | undefined {
  const raw = get(name);
  if (!raw || Number.isNaN(Date.parse(raw))) {
    return undefined;
  }
  // Date.parse skips "(comments)" and words, where a proxy could put anything: only digits pass as sent.
  return /^[0-9TZ:.+-]+$/i.test(raw) ? raw : new Date(raw).toISOString();
}

function window(get: HeaderGetter, kind: string): RateLimitWindow {
  const base = `anthropic-ratelimit-${kind}`;
  return { limit: number(get, `${base}-limit`), remaining: number(get, `${base}-remaining`), reset: instant(get, `${base}-reset`) };
}

export function parseRateLimits(get: HeaderGetter): RateLimits | undefined {
  const limits: RateLimits = {
    requests: window(get, 'requests'),
    tokens: window(get, 'tokens'),
    inputTokens: window(get, 'input-tokens'),
    outputTokens: window(get, 'output-tokens'),
    retryAfter: number(get, 'retry-after'),
  };
  const any = [limits.requests, limits.tokens, limits.inputTokens, limits.outputTokens].some((w) => w.limit !== undefined || w.remaining !== undefined);
  return any || limits.retryAfter !== undefined ? limits : undefined;
}

/** 38000 → "38k"; token "remaining" values are rounded to thousands by the API anyway. */
export function compactNumber(value: number): string {
  if (value >= 1_000_000) {
    return `${+(value / 1_000_000).toFixed(1)}M`;
  }
  if (value >= 1000) {
    return `${+(value / 1000).toFixed(1)}k`;
  }
  return String(value);
}

/** "requests 49/50 · tokens 38k/40k · resets 12:01:30 UTC" — the part a person watching cares about. */
export function summarizeRateLimits(limits: RateLimits): string {
  const parts: string[] = [];
  const describe = (label: string, w: RateLimitWindow): void => {
    if (w.remaining !== undefined && w.limit !== undefined) {
      parts.push(`${label} ${compactNumber(w.remaining)}/${compactNumber(w.limit)}`);
    } else if (w.remaining !== undefined) {
      parts.push(`${label} ${compactNumber(w.remaining)} left`);
    }
  };
  describe('requests', limits.requests);
  // Prefer the split input/output windows when the API sends them.
  if (limits.inputTokens.remaining !== undefined || limits.outputTokens.remaining !== undefined) {
    describe('input tokens', limits.inputTokens);
    describe('output tokens', limits.outputTokens);
  } else {
    describe('tokens', limits.tokens);
  }
  const resets = [limits.requests.reset, limits.tokens.reset, limits.inputTokens.reset, limits.outputTokens.reset]
    .filter((r): r is string => r !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (resets) {
    parts.push(`resets ${new Date(resets).toISOString().slice(11, 19)} UTC`);
  }
  if (limits.retryAfter !== undefined) {
    parts.push(`retry after ${limits.retryAfter} s`);
  }
  return parts.join(' · ');
}

export type RateLimitKind = 'requests' | 'tokens' | 'inputTokens' | 'outputTokens';

export interface LowRateLimit {
  readonly kind: RateLimitKind;
  readonly remaining: number;
  readonly limit: number;
  readonly reset?: string;
}

const KINDS: readonly RateLimitKind[] = ['requests', 'tokens', 'inputTokens', 'outputTokens'];

/** The windows whose remaining share is under `fraction` of their limit (10 % by default). */
export function lowRateLimits(limits: RateLimits, fraction = 0.1): LowRateLimit[] {
  const low: LowRateLimit[] = [];
  for (const kind of KINDS) {
    const { limit, remaining, reset } = limits[kind];
    if (limit !== undefined && remaining !== undefined && limit > 0 && remaining < limit * fraction) {
      low.push({ kind, remaining, limit, reset });
    }
  }
  return low;
}
