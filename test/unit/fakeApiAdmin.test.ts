import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { Page } from '@anthropic-ai/sdk/core/pagination';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys, randomBody } from '../fakes/keys';
import { ADMIN_KEYS, assertApiError, RFC3339, sdkSuite, type ApiKeyObject } from './fakeApiSdk';
import { rejection } from './fakeApiSuite';

/** The fake's Admin API (api_keys) through the real SDK. */
let fake: FakeAnthropicApi;

describe('FakeAnthropicApi through the real @anthropic-ai/sdk', () => {
  const { client, withKey, withAdminKey } = sdkSuite((started) => (fake = started));

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
});
