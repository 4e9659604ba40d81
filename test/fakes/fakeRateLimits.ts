import { rfc3339 } from './fakeWire';

/**
 * The `anthropic-ratelimit-*` headers the API sends on every answer, from a per-key one-minute window
 * of requests and tokens, so "remaining" moves the way the real headers do.
 */

/** A tier-4-like budget; only the shape and the arithmetic matter. */
const LIMITS = { requests: 4_000, inputTokens: 2_000_000, outputTokens: 400_000 } as const;
/** Token counting has its own requests-per-minute limit, apart from messages (and no token limits). */
const COUNT_TOKENS_REQUESTS = 8_000;

/** The requests window's three headers (the only ones token counting sends). */
function requestHeaders(limit: number, remaining: number, reset: string): Record<string, string> {
  return {
    'anthropic-ratelimit-requests-limit': String(limit),
    'anthropic-ratelimit-requests-remaining': String(remaining),
    'anthropic-ratelimit-requests-reset': reset,
  };
}

/** Remaining requests and tokens used this window (or none left); token remaining is rounded to thousands as the API does. */
export function rateLimitHeaders(requestsRemaining: number, used: { input: number; output: number } | 'exhausted', resetMs: number): Record<string, string> {
  const reset = rfc3339(resetMs);
  const thousands = (n: number): string => String(Math.round(Math.max(0, n) / 1000) * 1000);
  const tokens = LIMITS.inputTokens + LIMITS.outputTokens;
  const input = used === 'exhausted' ? LIMITS.inputTokens : used.input;
  const output = used === 'exhausted' ? LIMITS.outputTokens : used.output;
  return {
    ...requestHeaders(LIMITS.requests, requestsRemaining, reset),
    'anthropic-ratelimit-tokens-limit': String(tokens),
    'anthropic-ratelimit-tokens-remaining': thousands(tokens - input - output),
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': String(LIMITS.inputTokens),
    'anthropic-ratelimit-input-tokens-remaining': thousands(LIMITS.inputTokens - input),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': String(LIMITS.outputTokens),
    'anthropic-ratelimit-output-tokens-remaining': thousands(LIMITS.outputTokens - output),
    'anthropic-ratelimit-output-tokens-reset': reset,
  };
}

interface WindowCount {
  windowStart: number;
  count: number;
  inputTokens: number;
  outputTokens: number;
}

/** Per-key one-minute windows of requests and tokens: one set for messages, one for token counting. */
export class RateLimitWindows {
  private readonly counts = new Map<string, WindowCount>();

  constructor(private readonly family: 'messages' | 'countTokens' = 'messages') {}

  /** Counts one answer to `key` and returns the headers it carries. */
  headersFor(key: string, inputTokens = 0, outputTokens = 0): Record<string, string> {
    const now = Date.now();
    const windowStart = Math.floor(now / 60_000) * 60_000;
    const previous = this.counts.get(key);
    const counter = previous && previous.windowStart === windowStart ? previous : { windowStart, count: 0, inputTokens: 0, outputTokens: 0 };
    counter.count += 1;
    counter.inputTokens += inputTokens;
    counter.outputTokens += outputTokens;
    this.counts.set(key, counter);
    if (this.family === 'countTokens') {
      return requestHeaders(COUNT_TOKENS_REQUESTS, Math.max(0, COUNT_TOKENS_REQUESTS - counter.count), rfc3339(windowStart + 60_000));
    }
    return rateLimitHeaders(Math.max(0, LIMITS.requests - counter.count), { input: counter.inputTokens, output: counter.outputTokens }, windowStart + 60_000);
  }

  clear(): void {
    this.counts.clear();
  }
}
