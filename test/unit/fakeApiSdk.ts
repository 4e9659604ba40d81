import * as assert from 'node:assert/strict';
import Anthropic, { type APIError, type ClientOptions } from '@anthropic-ai/sdk';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { fakeApiPerSuite } from './fakeApiSuite';

/**
 * What the tests of the fake through the real `@anthropic-ai/sdk` (fakeApi*.test.ts,
 * fakeAnthropicApi.test.ts, fakeMessages*.test.ts) share: documented shapes and SDK clients.
 * The fake is only useful if the real SDK cannot tell it from the API, so every check goes through
 * `@anthropic-ai/sdk` itself (raw fetch only where the SDK cannot send what we need to parse).
 */

/** An API key object as the Admin API returns it. */
export interface ApiKeyObject {
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

/** The documented error body. */
export interface ErrorBody {
  type: string;
  error: { type: string; message: string; details?: { error_code: string } };
  request_id: string;
}

export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
export const RATE_LIMIT_KINDS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
export const ADMIN_KEYS = '/v1/organizations/api_keys';

/** Asserts the SDK class, status, error.type and the exact documented body; returns the error. */
export function assertApiError<T extends APIError>(error: unknown, cls: new (...args: never[]) => T, status: number, type: string): T {
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

/**
 * Call inside describe(): one fake for the suite (fakeApiPerSuite), handed to `take` once it listens;
 * returns SDK clients and registered keys on it.
 */
export function sdkSuite(take: (fake: FakeAnthropicApi) => void): {
  client(apiKey: string, options?: ClientOptions): Anthropic;
  withKey(options?: Parameters<FakeAnthropicApi['addApiKey']>[1]): string;
  withAdminKey(permission?: 'full' | 'none'): string;
  /** A client with a new API key the fake knows. */
  clientWithNewKey(options?: ClientOptions): Anthropic;
} {
  let fake: FakeAnthropicApi;
  fakeApiPerSuite((started) => {
    fake = started;
    take(started);
  });
  const client = (apiKey: string, options: ClientOptions = {}): Anthropic => new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0, ...options });
  const withKey = (options?: Parameters<FakeAnthropicApi['addApiKey']>[1]): string => {
    const key = fakeKeys.apiKey();
    fake.addApiKey(key, options);
    return key;
  };
  return {
    client,
    withKey,
    withAdminKey: (permission = 'full') => {
      const key = fakeKeys.adminKey();
      fake.addAdminKey(key, { permission });
      return key;
    },
    clientWithNewKey: (options = {}) => client(withKey(), options),
  };
}
