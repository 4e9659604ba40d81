import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { spendCapAwareFetch, type FetchFunction } from '../../src/api/spendCapFetch';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { fakeApiSuite, SMALL_PROMPT as settings } from './fakeApiSuite';

/**
 * The spend cap is terminal for the month: the client must not retry it, while ordinary 429s keep the
 * SDK's own retries. Checked through the real SDK against the loopback fake, counting requests.
 */

/** A fetch that answers every request with one canned response. */
function answering(status: number, body: string, headers: Record<string, string> = {}): FetchFunction {
  return () => Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } }));
}

describe('api/spendCapFetch', () => {
  const suite = fakeApiSuite();

  describe('through ClaudeClient and the real SDK', () => {
    it('a spend-capped prompt is sent once, even with retries allowed, and reads as the spend cap', async () => {
      suite.fake.enqueueFault('messages', { kind: 'spendCap' }, 3);
      const result = await new PromptRunner(suite.client).run({ prompt: 'Hello', settings }, () => undefined, new AbortController().signal);
      assert.equal(result.outcome, 'error');
      assert.equal(result.problem?.kind, 'spendCap');
      assert.equal(suite.fake.requests.filter((r) => r.path === '/v1/messages').length, 1);
    });

    it('the SDK error is still EnforcedSpendLimitReachedError, with the body intact', async () => {
      suite.fake.enqueueFault('messages', { kind: 'spendCap' }, 3);
      const sdk = suite.client.forActiveKey({ maxRetries: 2 });
      const error = await sdk.messages.create({ model: settings.model, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }).then(
        () => assert.fail('expected the spend cap'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof Anthropic.EnforcedSpendLimitReachedError, String(error));
      assert.equal(error.errorCode, 'enforced_spend_limit_reached');
      assert.match(error.requestID ?? '', /^req_/);
      assert.equal(suite.fake.requests.length, 1);
    });

    it('an ordinary 429 is still retried by the SDK and then succeeds', async () => {
      suite.fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 0 });
      const result = await new PromptRunner(suite.client).run({ prompt: 'Hello', settings }, () => undefined, new AbortController().signal);
      assert.equal(result.outcome, 'done', JSON.stringify(result.problem));
      assert.ok(result.text.length > 0);
      assert.deepEqual(
        suite.fake.requests.filter((r) => r.path === '/v1/messages').map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1'],
      );
    });

    it('validation of a spend-capped key makes one request and explains the cap', async () => {
      suite.fake.enqueueFault('models', { kind: 'spendCap' }, 3);
      const result = await suite.client.validateKey(suite.key);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.problem.kind, 'spendCap');
      assert.equal(suite.fake.requests.length, 1);
    });
  });

  describe('the fetch wrapper on its own', () => {
    const spendCapBody = JSON.stringify({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'spend limit', details: { error_code: 'enforced_spend_limit_reached' } },
      request_id: 'req_test',
    });

    it('marks a spend-cap 429 x-should-retry: false and keeps status, headers and body', async () => {
      const response = await spendCapAwareFetch(answering(429, spendCapBody, { 'request-id': 'req_test' }))('http://127.0.0.1/v1/messages');
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('x-should-retry'), 'false');
      assert.equal(response.headers.get('request-id'), 'req_test');
      assert.equal(await response.text(), spendCapBody);
    });

    it('leaves an ordinary 429 alone', async () => {
      const body = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
      const response = await spendCapAwareFetch(answering(429, body, { 'retry-after': '3' }))('http://127.0.0.1/v1/messages');
      assert.equal(response.headers.get('x-should-retry'), null);
      assert.equal(response.headers.get('retry-after'), '3');
      assert.equal(await response.text(), body);
    });

    it('leaves a 429 whose body is not JSON alone', async () => {
      const response = await spendCapAwareFetch(answering(429, '<html>busy</html>'))('http://127.0.0.1/');
      assert.equal(response.headers.get('x-should-retry'), null);
      assert.equal(await response.text(), '<html>busy</html>');
    });

    it('keeps what the server said when it already sent x-should-retry', async () => {
      const response = await spendCapAwareFetch(answering(429, spendCapBody, { 'x-should-retry': 'true' }))('http://127.0.0.1/');
      assert.equal(response.headers.get('x-should-retry'), 'true');
    });

    it('returns any other status untouched (the same Response object)', async () => {
      const original = new Response('{"ok":true}', { status: 200 });
      const response = await spendCapAwareFetch(() => Promise.resolve(original))('http://127.0.0.1/');
      assert.equal(response, original);
    });

    it('passes the request through unchanged', async () => {
      const seen: Array<[string, string | undefined]> = [];
      const inner: FetchFunction = (input, init) => {
        seen.push([String(input), init?.method]);
        return Promise.resolve(new Response(null, { status: 204 }));
      };
      await spendCapAwareFetch(inner)('http://127.0.0.1/v1/models', { method: 'GET' });
      assert.deepEqual(seen, [['http://127.0.0.1/v1/models', 'GET']]);
    });

    it('passes network failures through as they are', async () => {
      const failure = new TypeError('fetch failed');
      await assert.rejects(spendCapAwareFetch(() => Promise.reject(failure))('http://127.0.0.1/'), (e) => e === failure);
    });
  });
});
