import * as assert from 'node:assert/strict';
import { compactNumber, lowRateLimits, parseRateLimits, summarizeRateLimits } from '../../src/core/rateLimits';
import { classifyApiFailure } from '../../src/core/apiProblems';

const headers = (values: Record<string, string>) => (name: string): string | undefined => values[name];

describe('core/rateLimits', () => {
  it('reads every anthropic-ratelimit-* window and retry-after', () => {
    const limits = parseRateLimits(
      headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2026-11-26T12:01:30Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '38000',
        'anthropic-ratelimit-tokens-reset': '2026-11-26T12:01:05Z',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '29000',
        'anthropic-ratelimit-output-tokens-limit': '8000',
        'anthropic-ratelimit-output-tokens-remaining': '7000',
        'retry-after': '12',
      }),
    );
    assert.ok(limits);
    assert.deepEqual(limits.requests, { limit: 50, remaining: 49, reset: '2026-11-26T12:01:30Z' });
    assert.equal(limits.tokens.remaining, 38000);
    assert.equal(limits.inputTokens.limit, 30000);
    assert.equal(limits.outputTokens.remaining, 7000);
    assert.equal(limits.retryAfter, 12);
    assert.equal(summarizeRateLimits(limits), 'requests 49/50 · input tokens 29k/30k · output tokens 7k/8k · resets 12:01:05 UTC · retry after 12 s');
  });

  it('summarises plain token windows when the split ones are absent', () => {
    const limits = parseRateLimits(headers({ 'anthropic-ratelimit-tokens-limit': '2000000', 'anthropic-ratelimit-tokens-remaining': '1500000' }));
    assert.ok(limits);
    assert.equal(summarizeRateLimits(limits), 'tokens 1.5M/2M');
  });

  it('is undefined without rate-limit headers, and ignores junk values', () => {
    assert.equal(parseRateLimits(headers({})), undefined);
    assert.equal(parseRateLimits(headers({ 'anthropic-ratelimit-requests-limit': 'lots', 'anthropic-ratelimit-requests-remaining': '-3' })), undefined);
    const limits = parseRateLimits(headers({ 'anthropic-ratelimit-requests-remaining': '5', 'anthropic-ratelimit-requests-reset': 'soon' }));
    assert.deepEqual(limits?.requests, { limit: undefined, remaining: 5, reset: undefined });
    assert.equal(summarizeRateLimits(limits!), 'requests 5 left');
  });

  it('compacts numbers', () => {
    assert.equal(compactNumber(999), '999');
    assert.equal(compactNumber(1000), '1k');
    assert.equal(compactNumber(38500), '38.5k');
    assert.equal(compactNumber(2_000_000), '2M');
  });
});

describe('core/apiProblems: unreadable responses', () => {
  it('a protocol failure (malformed stream data) is a bad response from that host', () => {
    assert.deepEqual(classifyApiFailure({ kind: 'protocol', host: 'api.example' }), { kind: 'badResponse', host: 'api.example' });
  });
});

describe('core/rateLimits: low windows', () => {
  it('names each window under 10 % of its limit, with its reset', () => {
    const limits = parseRateLimits(
      headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '4',
        'anthropic-ratelimit-requests-reset': '2026-11-26T12:01:30Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '4000',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '1000',
        'anthropic-ratelimit-input-tokens-reset': '2026-11-26T12:00:10Z',
      }),
    );
    assert.ok(limits);
    assert.deepEqual(lowRateLimits(limits), [
      { kind: 'requests', remaining: 4, limit: 50, reset: '2026-11-26T12:01:30Z' },
      { kind: 'inputTokens', remaining: 1000, limit: 30000, reset: '2026-11-26T12:00:10Z' },
    ]);
  });

  it('nothing is low without both limit and remaining, or with a zero limit', () => {
    const limits = parseRateLimits(headers({ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-tokens-limit': '0', 'anthropic-ratelimit-tokens-remaining': '0' }));
    assert.ok(limits);
    assert.deepEqual(lowRateLimits(limits), []);
  });
});
