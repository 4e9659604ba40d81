import * as assert from 'node:assert/strict';
import Anthropic, { type APIError, type ClientOptions } from '@anthropic-ai/sdk';
import { Page } from '@anthropic-ai/sdk/core/pagination';
import { FakeAnthropicApi, type Fault } from '../fakes/fakeAnthropicApi';
import { fakeKeys, randomBody } from '../fakes/keys';
import { fakeApiPerSuite, rejection } from './fakeApiSuite';

/**
 * The fake is only useful if the real SDK cannot tell it from the API, so every check goes through
 * `@anthropic-ai/sdk` itself (raw fetch only where the SDK cannot send what we need to parse).
 */

interface ApiKeyObject {
  id: string;
  type: string;
  name: string;
  status: string;
  created_at: string;
  created_by: { id: string; type: string };
  partial_key_hint: string;
  workspace_id: string | null;
  principal: { type: string; user_id?: string };
  scope: { type: string; workspace_id?: string };
  expires_at: string | null;
}

interface ErrorBody {
  type: string;
  error: { type: string; message: string; details?: { error_code: string } };
  request_id: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const RATE_LIMIT_KINDS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
const ADMIN_KEYS = '/v1/organizations/api_keys';

let fake: FakeAnthropicApi;

function client(apiKey: string, options: ClientOptions = {}): Anthropic {
  return new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0, ...options });
}

/** Asserts the SDK class, status, error.type and the exact documented body; returns the error. */
function assertApiError<T extends APIError>(error: unknown, cls: new (...args: never[]) => T, status: number, type: string): T {
  assert.ok(error instanceof cls, `expected ${cls.name}, got ${String(error)}`);
  assert.equal(error.status, status);
  assert.equal(error.type, type);
  const body = error.error as ErrorBody;
  assert.deepEqual(Object.keys(body), ['type', 'error', 'request_id']);
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, type);
  assert.equal(typeof body.error.message, 'string');
  assert.match(body.request_id, /^req_/);
  assert.equal(error.requestID, body.request_id);
  assert.equal(error.headers?.get('request-id'), body.request_id);
  assert.equal(error.headers?.get('content-type'), 'application/json');
  return error;
}

function withKey(options?: Parameters<FakeAnthropicApi['addApiKey']>[1]): string {
  const key = fakeKeys.apiKey();
  fake.addApiKey(key, options);
  return key;
}

function withAdminKey(permission: 'full' | 'none' = 'full'): string {
  const key = fakeKeys.adminKey();
  fake.addAdminKey(key, { permission });
  return key;
}

describe('FakeAnthropicApi through the real @anthropic-ai/sdk', () => {
  fakeApiPerSuite((started) => {
    fake = started;
  });

  it('listens on 127.0.0.1 at a random port', () => {
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(fake.url.endsWith(':0'), true);
  });

  describe('models', () => {
    it('lists a realistic default set in the documented shape', async () => {
      const page = await client(withKey()).models.list();
      assert.ok(page.data.length >= 8);
      for (const model of page.data) {
        assert.deepEqual(Object.keys(model).sort(), ['created_at', 'display_name', 'id', 'type']);
        assert.equal(model.type, 'model');
        assert.match(model.id, /^claude-/);
        assert.match(model.created_at, RFC3339);
      }
      assert.equal(page.has_more, false);
      assert.equal(page.first_id, page.data[0].id);
      assert.equal(page.last_id, page.data[page.data.length - 1].id);
    });

    it('the SDK auto-paginates with after_id = last_id across small pages', async () => {
      const models = ['a', 'b', 'c', 'd', 'e'].map((s, i) => ({ id: `claude-test-${s}`, display_name: `Test ${s}`, created_at: `2025-0${i + 1}-01T00:00:00Z` }));
      fake.setModels(models);
      const ids: string[] = [];
      for await (const model of client(withKey()).models.list({ limit: 2 })) {
        ids.push(model.id);
      }
      assert.deepEqual(
        ids,
        models.map((m) => m.id),
      );
      assert.deepEqual(
        fake.requests.map((r) => r.query),
        [{ limit: '2' }, { limit: '2', after_id: 'claude-test-b' }, { limit: '2', after_id: 'claude-test-d' }],
      );
    });

    it('pages backwards with before_id (the SDK follows first_id)', async () => {
      fake.setModels(['a', 'b', 'c', 'd', 'e'].map((s) => ({ id: s, display_name: s, created_at: '2025-01-01T00:00:00Z' })));
      const page = await client(withKey()).models.list({ before_id: 'e', limit: 2 });
      assert.deepEqual(
        page.data.map((m) => m.id),
        ['c', 'd'],
      );
      assert.equal(page.has_more, true);
      const next = await page.getNextPage();
      assert.deepEqual(
        next.data.map((m) => m.id),
        ['a', 'b'],
      );
      assert.equal(next.has_more, false);
      assert.equal(fake.requests[1].query.before_id, 'c');
    });

    it('rejects a limit outside 1–1000 with 400 invalid_request_error', async () => {
      const anthropic = client(withKey());
      assertApiError(await rejection(anthropic.models.list({ limit: 0 })), Anthropic.BadRequestError, 400, 'invalid_request_error');
      assertApiError(await rejection(anthropic.models.list({ limit: 1001 })), Anthropic.BadRequestError, 400, 'invalid_request_error');
    });

    it('retrieves one model, also by its alias', async () => {
      const anthropic = client(withKey());
      const model = await anthropic.models.retrieve('claude-sonnet-4-5-20250929');
      assert.deepEqual(model, { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' });
      assert.equal((await anthropic.models.retrieve('claude-sonnet-4-5')).id, 'claude-sonnet-4-5-20250929');
    });

    it('an unknown model is NotFoundError 404 not_found_error', async () => {
      assertApiError(await rejection(client(withKey()).models.retrieve('claude-nonexistent-1')), Anthropic.NotFoundError, 404, 'not_found_error');
    });
  });

  describe('authentication', () => {
    it('SDK 1.x sends the key as Authorization: Bearer, plus anthropic-version', async () => {
      const key = withKey();
      await client(key).models.list();
      const [request] = fake.requests;
      assert.equal(request.authScheme, 'bearer');
      assert.equal(request.apiKey, key);
      assert.equal(request.headers['authorization'], `Bearer ${key}`);
      assert.equal(request.headers['x-api-key'], undefined);
      assert.ok(request.headers['anthropic-version']);
    });

    it('accepts x-api-key (the classic scheme) when the SDK is told to send only that', async () => {
      const key = withKey();
      await client(key, { defaultHeaders: { Authorization: null, 'x-api-key': key } }).models.list();
      assert.equal(fake.requests[0].authScheme, 'x-api-key');
      assert.equal(fake.requests[0].apiKey, key);
      assert.equal(fake.requests[0].headers['authorization'], undefined);
    });

    it('parses a raw x-api-key and a case-insensitive bearer scheme', async () => {
      const key = withKey();
      const xApiKey = await fetch(`${fake.url}/v1/models`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
      const bearer = await fetch(`${fake.url}/v1/models`, { headers: { authorization: `bearer ${key}`, 'anthropic-version': '2023-06-01' } });
      assert.equal(xApiKey.status, 200);
      assert.equal(bearer.status, 200);
      assert.deepEqual(
        fake.requests.map((r) => [r.authScheme, r.apiKey === key]),
        [
          ['x-api-key', true],
          ['bearer', true],
        ],
      );
    });

    it('a missing key is 401 authentication_error "x-api-key header is required"', async () => {
      // A null Authorization is the SDK's documented way to send no credential at all.
      const error = assertApiError(
        await rejection(client(withKey(), { defaultHeaders: { Authorization: null } }).models.list()),
        Anthropic.AuthenticationError,
        401,
        'authentication_error',
      );
      assert.equal(error.apiMessage, 'x-api-key header is required');
      assert.equal(fake.requests[0].apiKey, undefined);
      assert.equal(fake.requests[0].authScheme, undefined);
    });

    it('a missing anthropic-version header is 400 invalid_request_error', async () => {
      const error = assertApiError(
        await rejection(client(withKey(), { defaultHeaders: { 'anthropic-version': null } }).models.list()),
        Anthropic.BadRequestError,
        400,
        'invalid_request_error',
      );
      assert.match(error.apiMessage ?? '', /anthropic-version/);
    });

    it('an unknown key is AuthenticationError 401 with type and requestID from the request-id header', async () => {
      const error = assertApiError(await rejection(client(fakeKeys.apiKey()).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      assert.equal(error.apiMessage, 'invalid x-api-key');
      assert.match(error.requestID ?? '', /^req_\w+$/);
    });

    it('a revoked key is 401 from then on and its record becomes inactive', async () => {
      const key = withKey();
      const anthropic = client(key);
      await anthropic.models.list();
      fake.revokeKey(key);
      assertApiError(await rejection(anthropic.models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      assert.equal(fake.keyRecords()[0].status, 'inactive');
    });

    for (const status of ['inactive', 'archived', 'expired'] as const) {
      it(`a key with status ${status} is 401 authentication_error`, async () => {
        assertApiError(await rejection(client(withKey({ status })).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      });
    }

    it('a key without permission is PermissionDeniedError 403 permission_error', async () => {
      assertApiError(await rejection(client(withKey({ permission: 'none' })).models.list()), Anthropic.PermissionDeniedError, 403, 'permission_error');
    });

    it('an admin key cannot call the regular API', async () => {
      assertApiError(await rejection(client(withAdminKey()).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
    });

    it('acceptAnyWellFormedKey registers well-formed keys and still rejects malformed ones', async () => {
      const demo = await FakeAnthropicApi.start({ acceptAnyWellFormedKey: true });
      try {
        const make = (apiKey: string): Anthropic => new Anthropic({ apiKey, baseURL: demo.url, maxRetries: 0 });
        const key = fakeKeys.apiKey();
        assert.ok((await make(key).models.list()).data.length > 0);
        assert.equal(demo.keyRecords().length, 1);
        assert.equal(demo.keyRecords()[0].status, 'active');
        const keys = await make(fakeKeys.adminKey()).getAPIList<ApiKeyObject, Page<ApiKeyObject>>(ADMIN_KEYS, Page<ApiKeyObject>);
        assert.equal(keys.data.length, 1);
        // Wrong length and a non-key token are both unknown.
        assertApiError(await rejection(make(key.slice(0, -3) + 'AA').models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
        assertApiError(await rejection(make(fakeKeys.oauthAccessToken()).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
        demo.revokeKey(key);
        assertApiError(await rejection(make(key).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      } finally {
        await demo.close();
      }
    });
  });

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

  describe('successful responses', () => {
    it('carry request-id, content-type and all rate-limit headers with RFC 3339 resets', async () => {
      const anthropic = client(withKey());
      const first = await anthropic.models.list().withResponse();
      const second = await anthropic.models.list().withResponse();
      const headers = first.response.headers;
      assert.match(headers.get('request-id') ?? '', /^req_\w+$/);
      assert.notEqual(headers.get('request-id'), second.response.headers.get('request-id'));
      assert.equal(headers.get('content-type'), 'application/json');
      for (const kind of RATE_LIMIT_KINDS) {
        const limit = Number(headers.get(`anthropic-ratelimit-${kind}-limit`));
        const remaining = Number(headers.get(`anthropic-ratelimit-${kind}-remaining`));
        assert.ok(limit > 0 && remaining >= 0 && remaining <= limit, kind);
        assert.match(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '', RFC3339, kind);
        assert.ok(Date.parse(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '') > Date.now() - 1000, kind);
        if (kind !== 'requests') {
          assert.equal(remaining % 1000, 0, `${kind} remaining is rounded to thousands`);
        }
      }
      const remaining = (h: Headers): number => Number(h.get('anthropic-ratelimit-requests-remaining'));
      // Both calls normally share a minute window; across a boundary the count restarts.
      assert.ok(remaining(second.response.headers) === remaining(headers) - 1 || remaining(second.response.headers) === 3999);
    });
  });

  describe('Admin API (api_keys)', () => {
    const list = (anthropic: Anthropic, query: Record<string, unknown> = {}) =>
      anthropic.getAPIList<ApiKeyObject, Page<ApiKeyObject>>(ADMIN_KEYS, Page<ApiKeyObject>, { query });

    it('lists keys in the documented shape, newest first, without rate-limit headers', async () => {
      const older = fakeKeys.apiKey();
      fake.addApiKey(older, { name: 'older' });
      withKey({ name: 'newer', workspaceId: 'wrkspc_01test' });
      const { data: page, response } = await list(client(withAdminKey())).withResponse();
      assert.deepEqual(
        page.data.map((k) => k.name),
        ['newer', 'older'],
      );
      const key = page.data[1];
      assert.deepEqual(Object.keys(key), ['id', 'type', 'name', 'status', 'created_at', 'created_by', 'partial_key_hint', 'workspace_id', 'principal', 'scope', 'expires_at']);
      assert.match(key.id, /^apikey_01[A-Za-z0-9]{20,}$/);
      assert.equal(key.type, 'api_key');
      assert.equal(key.status, 'active');
      assert.match(key.created_at, RFC3339);
      assert.match(key.created_by.id, /^user_01/);
      assert.equal(key.created_by.type, 'user');
      assert.equal(key.workspace_id, null);
      assert.equal(page.data[0].workspace_id, 'wrkspc_01test');
      // The SDK's typed shape: principal and scope.
      assert.deepEqual(key.scope, { type: 'organization' });
      assert.deepEqual(page.data[0].scope, { type: 'workspace', workspace_id: 'wrkspc_01test' });
      assert.equal(key.principal.type, 'user_actor');
      assert.equal(key.expires_at, null);
      // prefix + first 3 body characters + ... + last 4 characters
      const prefix = ['sk', 'ant', 'api03', ''].join('-');
      assert.equal(key.partial_key_hint, `${prefix}${older.slice(prefix.length, prefix.length + 3)}...${older.slice(-4)}`);
      assert.equal(key.partial_key_hint.length, prefix.length + 10);
      assert.equal(page.has_more, false);
      assert.equal(page.first_id, page.data[0].id);
      assert.equal(page.last_id, key.id);
      assert.equal(response.headers.get('anthropic-ratelimit-requests-limit'), null);
      assert.match(response.headers.get('request-id') ?? '', /^req_/);
    });

    it('filters by status and workspace_id', async () => {
      withKey({ name: 'a' });
      withKey({ name: 'b', status: 'inactive' });
      withKey({ name: 'c', workspaceId: 'wrkspc_01x' });
      withKey({ name: 'd', status: 'archived', workspaceId: 'wrkspc_01x' });
      const anthropic = client(withAdminKey());
      const names = async (query: Record<string, unknown>): Promise<string[]> => (await list(anthropic, query)).data.map((k) => k.name);
      assert.deepEqual(await names({ status: 'active' }), ['c', 'a']);
      assert.deepEqual(await names({ status: 'inactive' }), ['b']);
      assert.deepEqual(await names({ workspace_id: 'wrkspc_01x' }), ['d', 'c']);
      assert.deepEqual(await names({ workspace_id: 'wrkspc_01x', status: 'archived' }), ['d']);
      assertApiError(await rejection(list(anthropic, { status: 'deleted' })), Anthropic.BadRequestError, 400, 'invalid_request_error');
    });

    it('paginates with limit/after_id; the SDK walks every page', async () => {
      for (let i = 0; i < 5; i++) {
        withKey({ name: `k${i}` });
      }
      const anthropic = client(withAdminKey());
      const first = await list(anthropic, { limit: 2 });
      assert.equal(first.data.length, 2);
      assert.equal(first.has_more, true);
      const names: string[] = [];
      for await (const key of list(anthropic, { limit: 2 })) {
        names.push(key.name);
      }
      assert.deepEqual(names, ['k4', 'k3', 'k2', 'k1', 'k0']);
      assertApiError(await rejection(list(anthropic, { limit: 1001 })), Anthropic.BadRequestError, 400, 'invalid_request_error');
    });

    it('gets one key by id; an unknown id is NotFoundError', async () => {
      const record = fake.addApiKey(fakeKeys.apiKey(), { name: 'mine' });
      const anthropic = client(withAdminKey());
      const key = await anthropic.get<ApiKeyObject>(`${ADMIN_KEYS}/${record.id}`);
      assert.equal(key.id, record.id);
      assert.equal(key.name, 'mine');
      assert.equal(key.partial_key_hint, record.partialKeyHint);
      assertApiError(await rejection(anthropic.get(`${ADMIN_KEYS}/apikey_01${randomBody(22).replace(/[-_]/g, 'x')}`)), Anthropic.NotFoundError, 404, 'not_found_error');
    });

    it('updates name and status; an archived key stops working', async () => {
      const apiKey = fakeKeys.apiKey();
      const record = fake.addApiKey(apiKey, { name: 'before' });
      const anthropic = client(withAdminKey());
      const updated = await anthropic.post<ApiKeyObject>(`${ADMIN_KEYS}/${record.id}`, { body: { name: 'after', status: 'archived' } });
      assert.equal(updated.name, 'after');
      assert.equal(updated.status, 'archived');
      assert.equal(fake.keyRecords()[0].status, 'archived');
      assertApiError(await rejection(client(apiKey).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      await anthropic.post(`${ADMIN_KEYS}/${record.id}`, { body: { status: 'active' } });
      assert.ok((await client(apiKey).models.list()).data.length > 0);
    });

    it('rejects a status other than active|inactive|archived with 400 and changes nothing', async () => {
      const record = fake.addApiKey(fakeKeys.apiKey(), { name: 'same' });
      const anthropic = client(withAdminKey());
      for (const status of ['expired', 'deleted', 42]) {
        assertApiError(
          await rejection(anthropic.post(`${ADMIN_KEYS}/${record.id}`, { body: { name: 'changed', status } })),
          Anthropic.BadRequestError,
          400,
          'invalid_request_error',
        );
      }
      assert.equal(record.name, 'same');
      assert.equal(record.status, 'active');
    });

    it('updating an unknown id is 404; there is no create or delete', async () => {
      const anthropic = client(withAdminKey());
      const record = fake.addApiKey(fakeKeys.apiKey());
      assertApiError(await rejection(anthropic.post(`${ADMIN_KEYS}/apikey_01nope`, { body: { name: 'x' } })), Anthropic.NotFoundError, 404, 'not_found_error');
      assertApiError(await rejection(anthropic.post(ADMIN_KEYS, { body: { name: 'new' } })), Anthropic.NotFoundError, 404, 'not_found_error');
      assertApiError(await rejection(anthropic.delete(`${ADMIN_KEYS}/${record.id}`)), Anthropic.NotFoundError, 404, 'not_found_error');
      assert.equal(fake.keyRecords().length, 1);
    });

    it('a regular API key is 401 with a message asking for an admin key', async () => {
      const error = assertApiError(await rejection(list(client(withKey()))), Anthropic.AuthenticationError, 401, 'authentication_error');
      assert.match(error.apiMessage ?? '', /admin/i);
    });

    it('an admin key without permission is 403 permission_error', async () => {
      assertApiError(await rejection(list(client(withAdminKey('none')))), Anthropic.PermissionDeniedError, 403, 'permission_error');
    });

    it('a revoked admin key is 401', async () => {
      const admin = withAdminKey();
      fake.revokeKey(admin);
      assertApiError(await rejection(list(client(admin))), Anthropic.AuthenticationError, 401, 'authentication_error');
    });

    it('faults can target adminKeys', async () => {
      fake.enqueueFault('adminKeys', { kind: 'status', status: 500 });
      assertApiError(await rejection(list(client(withAdminKey()))), Anthropic.InternalServerError, 500, 'api_error');
    });
  });

  describe('recording, reset and close', () => {
    it('records every request, rejected and faulted ones included', async () => {
      const key = withKey();
      fake.enqueueFault('models', { kind: 'status', status: 529 });
      await rejection(client(key).models.list({ limit: 3 }));
      await rejection(client(fakeKeys.apiKey()).models.retrieve('claude-x'));
      await rejection(client(key).get('/v1/unknown'));
      assert.deepEqual(
        fake.requests.map((r) => [r.method, r.path, r.route, r.authScheme]),
        [
          ['GET', '/v1/models', 'models', 'bearer'],
          ['GET', '/v1/models/claude-x', 'models', 'bearer'],
          ['GET', '/v1/unknown', 'unknown', 'bearer'],
        ],
      );
      assert.deepEqual(fake.requests[0].query, { limit: '3' });
      assert.equal(fake.requests[0].apiKey, key);
      assert.notEqual(fake.requests[1].apiKey, key);
      assert.ok(fake.requests.every((r) => typeof r.at === 'number' && r.at <= Date.now()));
    });

    it('reset() forgets keys, faults, requests and custom models', async () => {
      const key = withKey();
      fake.setModels([{ id: 'only', display_name: 'Only', created_at: '2025-01-01T00:00:00Z' }]);
      fake.enqueueFault('any', { kind: 'status', status: 500 });
      await rejection(client(key).models.list());
      fake.reset();
      assert.equal(fake.requests.length, 0);
      assert.deepEqual(fake.keyRecords(), []);
      assertApiError(await rejection(client(key).models.list()), Anthropic.AuthenticationError, 401, 'authentication_error');
      const again = withKey();
      const page = await client(again).models.list();
      assert.ok(page.data.length >= 8, 'models are back to the default list');
    });

    it('close() resolves while a request hangs, and the client sees a connection error', async () => {
      const other = await FakeAnthropicApi.start();
      const key = fakeKeys.apiKey();
      other.addApiKey(key);
      const hang: Fault = { kind: 'hang' };
      other.enqueueFault('any', hang);
      const pending = rejection(new Anthropic({ apiKey: key, baseURL: other.url, maxRetries: 0 }).models.list());
      while (other.requests.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await other.close();
      const error = await pending;
      assert.ok(error instanceof Anthropic.APIConnectionError, String(error));
      await other.close(); // idempotent
    });
  });
});
