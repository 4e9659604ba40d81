import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { Page } from '@anthropic-ai/sdk/core/pagination';
import { FakeAnthropicApi, type Fault } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { ADMIN_KEYS, assertApiError, RATE_LIMIT_KINDS, RFC3339, sdkSuite, type ApiKeyObject } from './fakeApiSdk';
import { rejection } from './fakeApiSuite';

/** The fake through the real SDK (fakeApiSdk.ts): listening, models, authentication, successful responses, recording, reset and close. */
let fake: FakeAnthropicApi;

describe('FakeAnthropicApi through the real @anthropic-ai/sdk', () => {
  const { client, withKey, withAdminKey } = sdkSuite((started) => (fake = started));

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
