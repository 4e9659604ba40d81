import * as assert from 'node:assert/strict';
import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { assertApiError, RATE_LIMIT_KINDS, RFC3339, sdkSuite, type ErrorBody } from './fakeApiSdk';
import { rejection } from './fakeApiSuite';

/** The fake's faults through the real SDK: one per documented status, rate limits and the spend cap, dropped and hung connections, the fault queue. */
let fake: FakeAnthropicApi;

describe('FakeAnthropicApi through the real @anthropic-ai/sdk', () => {
  const { client, withKey } = sdkSuite((started) => (fake = started));

  describe('error types (status faults, one per documented status)', () => {
    const table: Array<[number, string, new (...args: never[]) => APIError]> = [
      [400, 'invalid_request_error', Anthropic.BadRequestError],
      [401, 'authentication_error', Anthropic.AuthenticationError],
      [402, 'billing_error', Anthropic.PaymentRequiredError],
      [403, 'permission_error', Anthropic.PermissionDeniedError],
      [404, 'not_found_error', Anthropic.NotFoundError],
      [409, 'conflict_error', Anthropic.ConflictError],
      [413, 'request_too_large', Anthropic.ContentTooLargeError],
      [429, 'rate_limit_error', Anthropic.RateLimitError],
      [500, 'api_error', Anthropic.InternalServerError],
      [504, 'timeout_error', Anthropic.GatewayTimeoutError],
      [529, 'overloaded_error', Anthropic.OverloadedError],
    ];
    for (const [status, type, cls] of table) {
      it(`${status} → ${cls.name} with error.type ${type}`, async () => {
        fake.enqueueFault('models', { kind: 'status', status });
        const error = assertApiError(await rejection(client(withKey()).models.list()), cls, status, type);
        assert.ok(error.apiMessage);
      });
    }

    it('504 and 529 are InternalServerError subclasses in the SDK', async () => {
      fake.enqueueFault('any', { kind: 'status', status: 504 });
      fake.enqueueFault('any', { kind: 'status', status: 529 });
      const anthropic = client(withKey());
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.InternalServerError);
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.InternalServerError);
    });

    it('a status fault may override type and message', async () => {
      fake.enqueueFault('models', { kind: 'status', status: 400, type: 'invalid_request_error', message: 'custom message' });
      const error = assertApiError(await rejection(client(withKey()).models.list()), Anthropic.BadRequestError, 400, 'invalid_request_error');
      assert.equal(error.apiMessage, 'custom message');
    });

    it('faults apply before auth, so an unknown key can still see a 529', async () => {
      fake.enqueueFault('models', { kind: 'status', status: 529 });
      assertApiError(await rejection(client(fakeKeys.apiKey()).models.list()), Anthropic.OverloadedError, 529, 'overloaded_error');
    });
  });

  describe('rate limits and the spend cap', () => {
    it('rateLimit is RateLimitError with retry-after and anthropic-ratelimit-* (remaining 0)', async () => {
      fake.enqueueFault('models', { kind: 'rateLimit', retryAfterSeconds: 7 });
      const error = assertApiError(await rejection(client(withKey()).models.list()), Anthropic.RateLimitError, 429, 'rate_limit_error');
      assert.ok(!(error instanceof Anthropic.EnforcedSpendLimitReachedError));
      assert.equal(error.headers?.get('retry-after'), '7');
      for (const kind of RATE_LIMIT_KINDS) {
        assert.match(error.headers?.get(`anthropic-ratelimit-${kind}-limit`) ?? '', /^\d+$/, kind);
        assert.equal(error.headers?.get(`anthropic-ratelimit-${kind}-remaining`), '0', kind);
        assert.match(error.headers?.get(`anthropic-ratelimit-${kind}-reset`) ?? '', RFC3339, kind);
      }
      assert.equal(error.errorCode, null);
    });

    it('retry-after defaults to 30 seconds', async () => {
      fake.enqueueFault('models', { kind: 'rateLimit' });
      const error = assertApiError(await rejection(client(withKey()).models.list()), Anthropic.RateLimitError, 429, 'rate_limit_error');
      assert.equal(error.headers?.get('retry-after'), '30');
    });

    it('spendCap is EnforcedSpendLimitReachedError (a RateLimitError) with errorCode and no retry-after', async () => {
      fake.enqueueFault('models', { kind: 'spendCap' });
      const error = assertApiError(await rejection(client(withKey()).models.list()), Anthropic.EnforcedSpendLimitReachedError, 429, 'rate_limit_error');
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.errorCode, 'enforced_spend_limit_reached');
      assert.deepEqual(error.details, { error_code: 'enforced_spend_limit_reached' });
      assert.deepEqual(Object.keys((error.error as ErrorBody).error), ['type', 'message', 'details']);
      assert.equal(error.headers?.get('retry-after'), null);
      assert.match(error.apiMessage ?? '', /\d{4}-\d{2}-01 at 00:00 UTC/);
    });

    it('the SDK honours retry-after 0 by retrying and then succeeds (two requests recorded)', async () => {
      fake.enqueueFault('models', { kind: 'rateLimit', retryAfterSeconds: 0 });
      const page = await client(withKey(), { maxRetries: 2 }).models.list();
      assert.ok(page.data.length > 0);
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(
        fake.requests.map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1'],
      );
    });

    it('the SDK retries a spend-cap 429 too: it does not know the cap is terminal', async () => {
      fake.enqueueFault('models', { kind: 'spendCap' }, 2);
      const error = await rejection(client(withKey(), { maxRetries: 1 }).models.list());
      assert.ok(error instanceof Anthropic.EnforcedSpendLimitReachedError);
      assert.equal(fake.requests.length, 2);
    });
  });

  describe('connection faults', () => {
    it('drop is APIConnectionError (not a timeout)', async () => {
      fake.enqueueFault('models', { kind: 'drop' });
      const error = await rejection(client(withKey()).models.list());
      assert.ok(error instanceof Anthropic.APIConnectionError, String(error));
      assert.ok(!(error instanceof Anthropic.APIConnectionTimeoutError));
      assert.equal(fake.requests.length, 1);
    });

    it('hang with an SDK timeout of 300 ms is APIConnectionTimeoutError', async () => {
      fake.enqueueFault('models', { kind: 'hang' });
      const error = await rejection(client(withKey(), { timeout: 300 }).models.list());
      assert.ok(error instanceof Anthropic.APIConnectionTimeoutError, String(error));
    });

    it('delay answers normally after the delay', async () => {
      fake.enqueueFault('models', { kind: 'delay', ms: 150 });
      const started = Date.now();
      const page = await client(withKey()).models.list();
      assert.ok(Date.now() - started >= 140);
      assert.ok(page.data.length > 0);
    });

    it('delay still goes through auth', async () => {
      fake.enqueueFault('models', { kind: 'delay', ms: 10 });
      assertApiError(await rejection(client(fakeKeys.apiKey()).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
    });
  });

  describe('fault queue', () => {
    it('targets only its route, applies `times` times, then normal behaviour resumes', async () => {
      const anthropic = client(withKey());
      fake.enqueueFault('messages', { kind: 'status', status: 500 });
      fake.enqueueFault('models', { kind: 'status', status: 529 }, 2);
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.OverloadedError);
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.OverloadedError);
      assert.ok((await anthropic.models.list()).data.length > 0);
      // The messages fault is still queued for its route.
      assertApiError(await rejection(anthropic.post('/v1/messages', { body: {} })), Anthropic.InternalServerError, 500, 'api_error');
    });

    it('is FIFO across routes with `any`', async () => {
      const anthropic = client(withKey());
      fake.enqueueFault('any', { kind: 'status', status: 402 });
      fake.enqueueFault('models', { kind: 'status', status: 409 });
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.PaymentRequiredError);
      assert.ok((await rejection(anthropic.models.list())) instanceof Anthropic.ConflictError);
    });

    it('POST /v1/messages is routed as messages and is 404 for now', async () => {
      const error = assertApiError(await rejection(client(withKey()).post('/v1/messages', { body: { model: 'x' } })), Anthropic.NotFoundError, 404, 'not_found_error');
      assert.ok(error);
      assert.equal(fake.requests[0].route, 'messages');
      assert.equal(fake.requests[0].body, '{"model":"x"}');
    });
  });
});
