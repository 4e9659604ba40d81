import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClaudeClient } from '../../src/api/claudeClient';
import type { CallEnd, CallObserver, CallStart } from '../../src/api/callObserver';
import { countScope, formatTokenCount, inputCostUsd, MAX_COUNT_CHARS } from '../../src/core/tokenCount';
import { emptySummary, addToSummary, cacheHitRate } from '../../src/core/usageAggregate';
import { serializeRecord } from '../../src/core/usageRecord';
import { LIMITS, parseWebviewMessage } from '../../src/shared/promptProtocol';
import { recordOf } from '../../src/usage/recordOf';
import { parseHostMessage } from '../../src/webview-ui/hostMessages';
import { estimateTokens } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { fakeApiSuite } from './fakeApiSuite';
import { usageRecord } from './usageFixtures';

const HAIKU = 'claude-haiku-4-5-20251001';

describe('core/tokenCount', () => {
  it('countScope: the selection when there is one, else the whole document; sizes decide, no text is read', () => {
    assert.deepEqual(countScope(10, 5_000), { ok: true, source: 'selection', chars: 10 });
    assert.deepEqual(countScope(0, 5_000), { ok: true, source: 'document', chars: 5_000 });
    assert.deepEqual(countScope(0, 0), { ok: false, reason: 'empty', source: 'document', chars: 0 });
    // A small selection in a huge document is fine; a huge selection is not.
    assert.deepEqual(countScope(100, 50_000_000), { ok: true, source: 'selection', chars: 100 });
    assert.deepEqual(countScope(MAX_COUNT_CHARS + 1, 50_000_000), { ok: false, reason: 'tooLarge', source: 'selection', chars: MAX_COUNT_CHARS + 1 });
    assert.deepEqual(countScope(0, MAX_COUNT_CHARS), { ok: true, source: 'document', chars: MAX_COUNT_CHARS });
    assert.deepEqual(countScope(0, MAX_COUNT_CHARS + 1), { ok: false, reason: 'tooLarge', source: 'document', chars: MAX_COUNT_CHARS + 1 });
    assert.equal(countScope(0, 11, 10).ok, false);
    assert.equal(MAX_COUNT_CHARS, LIMITS.promptChars, 'the command and the panel accept the same size');
  });

  it('inputCostUsd: input price only, dated ids find their alias, overrides apply, unknown models are null (never guessed)', () => {
    // Haiku 4.5: $1 per million input tokens; Sonnet 4.6: $3; Opus 4.7: $5.
    assert.equal(inputCostUsd(1_000_000, HAIKU), 1);
    assert.ok(Math.abs((inputCostUsd(1234, 'claude-sonnet-4-6') ?? -1) - (1234 * 3) / 1e6) < 1e-15);
    assert.equal(inputCostUsd(2_000_000, 'claude-opus-4-7'), 10);
    assert.equal(inputCostUsd(0, HAIKU), 0);
    assert.equal(inputCostUsd(1000, 'claude-sonnet-5-5'), null);
    assert.equal(inputCostUsd(1000, 'claude-sonnet-5-5', { 'claude-sonnet-5-5': { input: 4, output: 20 } }), 0.004);
    // An override naming only output leaves an unknown model unknown.
    assert.equal(inputCostUsd(1000, 'claude-new-1', { 'claude-new-1': { output: 20 } }), null);
    assert.equal(inputCostUsd(1_000_000, HAIKU, { 'claude-haiku-4-5': { input: 0.8 } }), 0.8);
  });

  it('formatTokenCount groups digits the same in every locale', () => {
    assert.deepEqual([0, 7, 999, 1000, 1234567, 12.6].map(formatTokenCount), ['0', '7', '999', '1,000', '1,234,567', '13']);
  });
});

describe('count_tokens in the usage ledger', () => {
  const call = (overrides: Partial<CallEnd> = {}): CallEnd => ({
    operation: 'countTokens',
    model: HAIKU,
    startedAt: new Date('2026-12-02T10:00:00.000Z'),
    key: fakeKeys.apiKey(),
    latencyMs: 42.4,
    outcome: 'ok',
    usage: { input_tokens: 5_000 },
    requestId: 'req_011COUNT',
    ...overrides,
  });

  it('a record holds model, the counted input_tokens, outcome, latency and request id, at cost 0 (count_tokens is free)', () => {
    const c = call();
    const record = recordOf(c, 'work', {});
    assert.equal(record.operation, 'countTokens');
    assert.equal(record.model, HAIKU);
    assert.equal(record.inputTokens, 5_000);
    assert.deepEqual([record.outputTokens, record.cacheWrite5mTokens, record.cacheWrite1hTokens, record.cacheReadTokens], [0, 0, 0, 0]);
    assert.equal(record.outcome, 'ok');
    assert.equal(record.latencyMs, 42);
    assert.equal(record.requestId, 'req_011COUNT');
    assert.equal(record.costUsd, 0);
    // Free even for a model with no price: nothing billed is never "price unknown".
    assert.equal(recordOf(call({ model: 'claude-sonnet-5-5' }), 'work', {}).costUsd, 0);
    assert.ok(!serializeRecord(record).includes((c.key ?? '').slice(20, 40)));
  });

  it('a failed count is recorded with its error class', () => {
    const record = recordOf(call({ outcome: 'error', usage: undefined, problem: { kind: 'invalidKey' } }), 'work', {});
    assert.equal(record.outcome, 'error');
    assert.equal(record.errorClass, 'invalidKey');
    assert.equal(record.inputTokens, 0);
    assert.equal(record.costUsd, 0);
  });

  it('usage totals count the request but not its tokens: nothing was used', () => {
    const summary = emptySummary();
    addToSummary(summary, usageRecord({ inputTokens: 100, outputTokens: 50, cacheReadTokens: 100, costUsd: 0.00035 }));
    addToSummary(summary, usageRecord({ operation: 'countTokens', inputTokens: 1_000_000, outputTokens: 0, costUsd: 0 }));
    addToSummary(summary, usageRecord({ operation: 'countTokens', inputTokens: 7, outputTokens: 0, outcome: 'error', costUsd: 0 }));
    assert.equal(summary.total.requests, 3);
    assert.equal(summary.total.errors, 1);
    assert.equal(summary.total.inputTokens, 100);
    assert.equal(summary.total.outputTokens, 50);
    assert.equal(summary.total.costUsd, 0.00035);
    assert.equal(summary.total.unpricedRequests, 0);
    assert.equal(cacheHitRate(summary.total), 0.5, 'the cache hit rate is not diluted by counted tokens');
    assert.equal(summary.byModel[HAIKU].inputTokens, 100);
    assert.equal(summary.byDay['2026-12-02'].requests, 3);
  });
});

describe('prompt panel protocol: countTokens / tokenCount', () => {
  const valid = { type: 'countTokens', countId: 'count-1', prompt: 'How long is this?', model: HAIKU, system: 'Be terse.' };

  it('the host accepts a well-formed countTokens as exactly its fields', () => {
    assert.deepEqual(parseWebviewMessage({ ...valid, extra: '<script>', settings: { maxTokens: 'x' } }), valid);
    assert.deepEqual(parseWebviewMessage({ ...valid, system: '' }), { ...valid, system: '' });
  });

  it('the host drops a countTokens with any field missing, mistyped, blank or too large', () => {
    const bad: unknown[] = [
      { ...valid, countId: '' },
      { ...valid, countId: 'c'.repeat(101) },
      { ...valid, countId: 7 },
      { ...valid, prompt: '' },
      { ...valid, prompt: ' \n\t' },
      { ...valid, prompt: 'p'.repeat(LIMITS.promptChars + 1) },
      { ...valid, prompt: ['a'] },
      { ...valid, model: '' },
      { ...valid, model: 'claude haiku' },
      { ...valid, model: '../v1/models' },
      { ...valid, model: 'm'.repeat(201) },
      { ...valid, system: 's'.repeat(LIMITS.systemChars + 1) },
      { ...valid, system: null },
      { type: 'countTokens' },
      { type: 'countTokens', countId: 'c', prompt: 'p', model: HAIKU },
      'countTokens',
      null,
    ];
    for (const message of bad) {
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message)?.slice(0, 120));
    }
  });

  it('the webview keeps a well-formed count or error and ignores malformed ones', () => {
    assert.deepEqual(parseHostMessage({ type: 'tokenCount', countId: 'count-1', model: HAIKU, inputTokens: 1234, costUsd: 0.001234 }), {
      type: 'tokenCount',
      countId: 'count-1',
      model: HAIKU,
      inputTokens: 1234,
      costUsd: 0.001234,
    });
    assert.deepEqual(parseHostMessage({ type: 'tokenCount', countId: 'c', model: 'x', inputTokens: 0, costUsd: null }), { type: 'tokenCount', countId: 'c', model: 'x', inputTokens: 0, costUsd: null });
    for (const broken of [
      { type: 'tokenCount', model: HAIKU, inputTokens: 1, costUsd: 0 },
      { type: 'tokenCount', countId: 'c', inputTokens: -1, costUsd: 0 },
      { type: 'tokenCount', countId: 'c', inputTokens: 1.5, costUsd: 0 },
      { type: 'tokenCount', countId: 'c', inputTokens: '12', costUsd: 0 },
      { type: 'tokenCount', countId: 'c', inputTokens: Number.NaN, costUsd: 0 },
      { type: 'tokenCount', countId: 'c', inputTokens: 1, costUsd: -0.5 },
      { type: 'tokenCount', countId: 'c', inputTokens: 1, costUsd: '$1' },
      { type: 'tokenCount', countId: 'c', inputTokens: 1 },
      { type: 'tokenCountError' },
    ]) {
      assert.equal(parseHostMessage(broken), undefined, JSON.stringify(broken));
    }
    const error = parseHostMessage({ type: 'tokenCountError', countId: 'c', problem: { message: 'Counting tokens: the key is invalid.', severity: 'error', actions: [{ id: 'setApiKey', label: 'Set API Key' }, { id: 'rm -rf', label: 'x' }] } });
    assert.deepEqual(error, { type: 'tokenCountError', countId: 'c', problem: { message: 'Counting tokens: the key is invalid.', severity: 'error', actions: [{ id: 'setApiKey', label: 'Set API Key' }] } });
  });
});

/** Records what ClaudeClient shows its observer. */
class CountObserver implements CallObserver {
  readonly admitted: Array<{ call: CallStart; signal: AbortSignal | undefined }> = [];
  readonly ended: CallEnd[] = [];
  admitAnswer = true;
  admit(call: CallStart, signal?: AbortSignal): Promise<boolean> {
    this.admitted.push({ call, signal });
    return Promise.resolve(this.admitAnswer);
  }
  response(): void {}
  finished(call: CallEnd): void {
    this.ended.push(call);
  }
}

describe('ClaudeClient.countTokens (real SDK, loopback fake)', () => {
  const suite = fakeApiSuite();
  let observer: CountObserver;

  beforeEach(() => {
    observer = new CountObserver();
    suite.client.observer = observer;
  });

  it('POST /v1/messages/count_tokens with the model, system and messages; the count comes back and is observed once', async () => {
    const signal = new AbortController().signal;
    const result = await suite.client.countTokens({ model: HAIKU, system: 'Be terse.', messages: [{ role: 'user', content: 'How many tokens is this?' }] }, signal);
    assert.ok(result.ok);
    assert.equal(result.value.input_tokens, estimateTokens('Be terse.How many tokens is this?'));
    const [request] = suite.fake.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/messages/count_tokens');
    assert.deepEqual(JSON.parse(request.body), { model: HAIKU, system: 'Be terse.', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    assert.equal(observer.admitted.length, 1);
    assert.deepEqual(observer.admitted[0].call, { operation: 'countTokens', model: HAIKU });
    assert.equal(observer.admitted[0].signal, signal, 'the caller\'s Cancel reaches the wait for a pacing slot');
    assert.equal(observer.ended.length, 1);
    const [ended] = observer.ended;
    assert.equal(ended.operation, 'countTokens');
    assert.equal(ended.outcome, 'ok');
    assert.equal(ended.key, suite.key);
    assert.deepEqual(ended.usage, { input_tokens: result.value.input_tokens });
    assert.match(ended.requestId ?? '', /^req_/);
  });

  it('a revoked key: 401 is an invalidKey problem, recorded as an error; nothing retried', async () => {
    suite.fake.revokeKey(suite.key);
    const result = await suite.client.countTokens({ model: HAIKU, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem.kind, 'invalidKey');
    assert.equal(suite.fake.requests.length, 1);
    assert.equal(observer.ended[0].outcome, 'error');
    assert.equal(observer.ended[0].problem?.kind, 'invalidKey');
  });

  it('a 429 is retried by the SDK (retry-after) and then counted; a persistent 429 is a rateLimited problem', async () => {
    suite.fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 0 });
    const retried = await suite.client.countTokens({ model: HAIKU, messages: [{ role: 'user', content: 'abcd' }] });
    assert.ok(retried.ok);
    assert.equal(retried.value.input_tokens, 1);
    assert.equal(suite.fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, 2);
    suite.fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 0 }, 3);
    const limited = await suite.client.countTokens({ model: HAIKU, messages: [{ role: 'user', content: 'abcd' }] });
    assert.equal(!limited.ok && limited.problem.kind, 'rateLimited');
    assert.equal(observer.ended.at(-1)?.outcome, 'error');
  });

  it('not admitted (pacing cancelled): nothing is sent, the call is "aborted"', async () => {
    observer.admitAnswer = false;
    const result = await suite.client.countTokens({ model: HAIKU, messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(result, { ok: false, problem: { kind: 'aborted' } });
    assert.equal(suite.fake.requests.length, 0);
    assert.equal(observer.ended.length, 0);
  });

  it('a server that answers something other than a count (a broken proxy) is "a malformed response", recorded as an error', async () => {
    const bodies = [{ input_tokens: '12' }, { input_tokens: -1 }, { input_tokens: 1.5 }, {}];
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_proxy' });
      res.end(JSON.stringify(bodies.shift()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new ClaudeClient({ baseUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, () => Promise.resolve(suite.key));
      client.observer = observer;
      for (let i = 0; i < 4; i++) {
        const result = await client.countTokens({ model: HAIKU, messages: [{ role: 'user', content: 'x' }] });
        assert.equal(!result.ok && result.problem.kind, 'badResponse', `body ${i}`);
      }
      assert.deepEqual(
        observer.ended.map((c) => [c.outcome, c.problem?.kind, c.usage]),
        Array.from({ length: 4 }, () => ['error', 'badResponse', undefined]),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an unknown model is the API\'s 404, explained as such', async () => {
    const result = await suite.client.countTokens({ model: 'claude-nope-1', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(!result.ok && result.problem.kind, 'notFound');
  });
});
