import * as assert from 'node:assert/strict';
import type { CallEnd, CallObserver, CallStart } from '../../src/api/callObserver';
import { maskKey } from '../../src/core/mask';
import { priceFor, costUsd } from '../../src/core/pricing';
import { serializeRecord } from '../../src/core/usageRecord';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { recordOf } from '../../src/usage/recordOf';
import { fakeKeys } from '../fakes/keys';
import { fakeApiSuite, SMALL_PROMPT } from './fakeApiSuite';

/** Records what ClaudeClient shows its observer; `admitAnswer` plays the budget question. */
class RecordingObserver implements CallObserver {
  readonly admitted: CallStart[] = [];
  readonly responses: Array<{ key: string | undefined; requestsRemaining: string | null; requestId: string | null }> = [];
  readonly ended: CallEnd[] = [];
  admitAnswer = true;
  private waiters: Array<() => void> = [];
  admit(call: CallStart): Promise<boolean> {
    this.admitted.push(call);
    return Promise.resolve(this.admitAnswer);
  }
  response(key: string | undefined, headers: Headers): void {
    this.responses.push({ key, requestsRemaining: headers.get('anthropic-ratelimit-requests-remaining'), requestId: headers.get('request-id') });
  }
  finished(call: CallEnd): void {
    this.ended.push(call);
    this.waiters.splice(0).forEach((w) => w());
  }
  /** finished() of a stream comes from its own promise chain, just after the caller's answer. */
  async next(count: number): Promise<CallEnd[]> {
    while (this.ended.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.ended;
  }
}

/** Every 20-character slice of the key: none may be in a ledger line. */
function assertNoKeyIn(text: string, key: string): void {
  for (let i = 0; i + 20 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 20)), `key slice at ${i} in: ${text}`);
  }
}

describe('ClaudeClient → usage observer (real SDK, loopback fake)', () => {
  const suite = fakeApiSuite();
  let observer: RecordingObserver;

  beforeEach(() => {
    observer = new RecordingObserver();
    suite.client.observer = observer;
  });

  it('a prompt is recorded once with every token kind, request id and a cost from the table; no key, no text', async () => {
    const secretPrompt = 'PROMPT-TEXT-7f3a the answer must not reach the ledger';
    suite.fake.setReply({ text: 'ANSWER-TEXT-91bc', inputTokens: 1200, outputTokens: 300, usage: { cacheWrite5mTokens: 400, cacheWrite1hTokens: 1000, cacheReadTokens: 5000, webSearchRequests: 2 } });
    const result = await new PromptRunner(suite.client).run({ prompt: secretPrompt, settings: SMALL_PROMPT }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'done');
    const [call] = await observer.next(1);
    assert.equal(observer.ended.length, 1);
    assert.deepEqual(observer.admitted, [{ operation: 'prompt', model: SMALL_PROMPT.model }]);
    assert.equal(call.key, suite.key);
    const record = recordOf(call, 'work', {});
    assert.equal(record.operation, 'prompt');
    assert.equal(record.keyName, 'work');
    assert.equal(record.keyHint, maskKey(suite.key));
    assert.deepEqual(
      [record.inputTokens, record.outputTokens, record.cacheWrite5mTokens, record.cacheWrite1hTokens, record.cacheReadTokens, record.serverToolUses],
      [1200, 300, 400, 1000, 5000, 2],
    );
    assert.equal(record.outcome, 'ok');
    assert.equal(record.requestId, observer.responses.at(-1)?.requestId);
    assert.match(record.requestId ?? '', /^req_/);
    assert.ok(record.latencyMs >= 0);
    const expected = costUsd(record, priceFor('claude-haiku-4-5')!);
    assert.ok(Math.abs((record.costUsd ?? -1) - expected) < 1e-12);
    assert.ok(Math.abs(expected - (1200 * 1 + 300 * 5 + 400 * 1.25 + 1000 * 2 + 5000 * 0.1) / 1e6) < 1e-12);
    const line = serializeRecord(record);
    assertNoKeyIn(line, suite.key);
    assert.ok(!line.includes('PROMPT-TEXT') && !line.includes('ANSWER-TEXT'), line);
  });

  it('validate, the model list and Admin calls are recorded with their operation; rate-limit headers reach response() with the key', async () => {
    await suite.client.validateKey(suite.key);
    await suite.client.listModels();
    assert.deepEqual(
      observer.ended.map((c) => [c.operation, c.outcome, c.key === suite.key]),
      [
        ['validate', 'ok', true],
        ['models', 'ok', true],
      ],
    );
    assert.ok(observer.responses.length >= 2);
    assert.ok(observer.responses.every((r) => r.key === suite.key && r.requestsRemaining !== null));
    const record = recordOf(observer.ended[0], undefined, {});
    assert.equal(record.costUsd, 0, 'nothing billed costs nothing');
    assert.equal(record.model, undefined);
  });

  it('Admin calls are recorded as admin under the Admin key (masked), also when they fail', async () => {
    const adminKey = fakeKeys.adminKey();
    suite.fake.addAdminKey(adminKey);
    assert.equal((await suite.client.listApiKeys(adminKey, 'active')).ok, true);
    const refused = fakeKeys.adminKey();
    suite.fake.addAdminKey(refused, { permission: 'none' });
    assert.equal((await suite.client.listApiKeys(refused)).ok, false);
    assert.deepEqual(
      observer.ended.map((c) => [c.operation, c.outcome, c.problem?.kind]),
      [
        ['admin', 'ok', undefined],
        ['admin', 'error', 'permission'],
      ],
    );
    const record = recordOf(observer.ended[0], 'admin', {});
    assert.equal(record.keyHint, maskKey(adminKey));
    assert.match(record.keyHint, /^sk-ant-admin01-…/);
    assertNoKeyIn(serializeRecord(record), adminKey);
    assert.equal(recordOf(observer.ended[1], 'admin', {}).errorClass, 'permission');
  });

  it('an unknown model is "price unknown" (null), never guessed', async () => {
    suite.fake.setReply({ text: 'ok', inputTokens: 10, outputTokens: 10 });
    const call: CallEnd = { operation: 'prompt', model: 'claude-sonnet-5-5', startedAt: new Date(), key: suite.key, latencyMs: 5, outcome: 'ok', usage: { input_tokens: 10, output_tokens: 10 } };
    assert.equal(recordOf(call, undefined, {}).costUsd, null);
    assert.ok((recordOf(call, undefined, { 'claude-sonnet-5-5': { input: 2, output: 10 } }).costUsd ?? 0) > 0, 'the pricing setting gives it a price');
  });

  it('a 429 retried by the SDK: response() sees each attempt, the call is recorded once', async function () {
    this.timeout(10_000);
    suite.fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 0 }, 1);
    suite.fake.setReply({ text: 'ok' });
    const result = await new PromptRunner(suite.client).run({ prompt: 'hi', settings: SMALL_PROMPT }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'done');
    await observer.next(1);
    assert.equal(observer.ended.length, 1);
    assert.equal(observer.ended[0].outcome, 'ok');
    assert.equal(suite.fake.messagesRequests().length, 2);
    assert.ok(observer.responses.length >= 2, 'both attempts were seen');
    assert.equal(observer.responses[0].requestsRemaining, '0', 'the 429 said no requests were left');
  });

  it('the spend cap (429) and the 400 usage limit are not retried and are recorded as spendCap errors', async () => {
    suite.fake.enqueueFault('messages', { kind: 'spendCap' }, 5);
    const capped = await new PromptRunner(suite.client).run({ prompt: 'hi', settings: SMALL_PROMPT }, () => undefined, new AbortController().signal);
    assert.equal(capped.problem?.kind, 'spendCap');
    assert.equal(suite.fake.messagesRequests().length, 1, 'one request: the SDK did not retry');
    await observer.next(1);
    assert.equal(recordOf(observer.ended[0], undefined, {}).errorClass, 'spendCap');

    suite.fake.reset();
    suite.fake.addApiKey(suite.key);
    suite.fake.enqueueFault('messages', { kind: 'status', status: 400, type: 'invalid_request_error', message: 'You have reached your specified workspace API usage limits. You will regain access on 2027-01-01 at 00:00 UTC.' }, 5);
    const limited = await new PromptRunner(suite.client).run({ prompt: 'hi', settings: SMALL_PROMPT }, () => undefined, new AbortController().signal);
    assert.equal(limited.problem?.kind, 'spendCap');
    assert.equal(suite.fake.messagesRequests().length, 1);
    await observer.next(2);
    assert.equal(recordOf(observer.ended[1], undefined, {}).errorClass, 'spendCap');
  });

  it('a prompt the observer does not admit is not sent, and ends as stopped', async () => {
    observer.admitAnswer = false;
    const result = await new PromptRunner(suite.client).run({ prompt: 'hi', settings: SMALL_PROMPT }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'stopped');
    assert.equal(suite.fake.messagesRequests().length, 0);
    assert.equal(observer.ended.length, 0, 'a call not made is not recorded');
    const validation = await suite.client.validateKey(suite.key);
    assert.deepEqual(validation, { ok: false, problem: { kind: 'aborted' } }, 'any call not admitted is not sent');
    assert.equal(suite.fake.requests.length, 0);
  });

  it('a prompt stopped half-way is recorded as stopped with the input it was billed for', async () => {
    suite.fake.setReply({ text: 'x'.repeat(400), chunkSize: 4, delayMs: 20, inputTokens: 777 });
    const controller = new AbortController();
    let deltas = 0;
    const result = await new PromptRunner(suite.client).run({ prompt: 'long', settings: SMALL_PROMPT }, () => {
      if (++deltas === 3) {
        controller.abort();
      }
    }, controller.signal);
    assert.equal(result.outcome, 'stopped');
    const [call] = await observer.next(1);
    assert.equal(call.outcome, 'stopped');
    assert.equal(recordOf(call, undefined, {}).inputTokens, 777);
  });
});
