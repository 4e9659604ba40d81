import * as assert from 'node:assert/strict';
import { observedFetch, keyDigest, type ApiAttempt } from '../../src/api/observedFetch';
import { isAnthropicApiHost } from '../../src/core/apiBaseUrl';
import { apiAreaOf, sameValidation, validationAfter, type ValidationRecord } from '../../src/core/keyStatus';
import { retryWaitAfter, sdkRetryWait } from '../../src/core/retryWait';
import { fakeKeys } from '../fakes/keys';

const NOW = new Date('2026-05-01T10:00:00.000Z');
const VALID: ValidationRecord = { state: 'valid', checkedAt: '2026-04-30T09:00:00.000Z', modelCount: 7 };

describe('one state per key', () => {
  describe('validationAfter', () => {
    it('any success proves the key, keeping the model count it had', () => {
      assert.deepEqual(validationAfter({ state: 'invalid', checkedAt: VALID.checkedAt, problem: 'invalidKey' }, { ok: true }, NOW), { state: 'valid', checkedAt: NOW.toISOString() });
      assert.deepEqual(validationAfter(VALID, { ok: true }, NOW), { state: 'valid', checkedAt: NOW.toISOString(), modelCount: 7 });
      assert.deepEqual(validationAfter(VALID, { ok: true, modelCount: 9 }, NOW), { state: 'valid', checkedAt: NOW.toISOString(), modelCount: 9 });
    });

    it('a 401 anywhere disproves it', () => {
      assert.deepEqual(validationAfter(VALID, { ok: false, problem: 'invalidKey', area: 'messages' }, NOW), { state: 'invalid', checkedAt: NOW.toISOString(), problem: 'invalidKey' });
    });

    it('a 403 is "valid, no access" to what was asked, never "invalid"', () => {
      assert.deepEqual(validationAfter(undefined, { ok: false, problem: 'permission', area: 'models' }, NOW), {
        state: 'noAccess',
        checkedAt: NOW.toISOString(),
        problem: 'permission',
        noAccessTo: 'models',
      });
    });

    it('no connection makes it offline', () => {
      assert.equal(validationAfter(VALID, { ok: false, problem: 'network', area: 'models' }, NOW)?.state, 'offline');
      assert.equal(validationAfter(VALID, { ok: false, problem: 'timeout', area: 'models' }, NOW)?.state, 'offline');
    });

    for (const problem of ['rateLimited', 'overloaded', 'serverError', 'spendCap', 'billing', 'badRequest', 'notFound', 'tooLarge', 'aborted', 'badResponse', 'noKey', 'unknown']) {
      it(`${problem} says nothing about the key: the record stays`, () => {
        assert.equal(validationAfter(VALID, { ok: false, problem, area: 'models' }, NOW), undefined);
      });
    }
  });

  describe('sameValidation', () => {
    it('ignores the time of the check only', () => {
      assert.ok(sameValidation(VALID, { ...VALID, checkedAt: NOW.toISOString() }));
      assert.ok(!sameValidation(VALID, { ...VALID, modelCount: 8 }));
      assert.ok(!sameValidation(VALID, { state: 'noAccess', checkedAt: VALID.checkedAt, problem: 'permission', noAccessTo: 'models' }));
      assert.ok(!sameValidation(undefined, VALID));
      assert.ok(sameValidation(undefined, undefined));
    });
  });

  describe('apiAreaOf', () => {
    it('names the part of the API a path belongs to, under any base path', () => {
      assert.equal(apiAreaOf('/v1/models'), 'models');
      assert.equal(apiAreaOf('/proxy/v1/models/claude-x'), 'models');
      assert.equal(apiAreaOf('/v1/messages'), 'messages');
      assert.equal(apiAreaOf('/v1/messages/count_tokens'), 'countTokens');
      assert.equal(apiAreaOf('/v1/organizations/api_keys'), 'admin');
      assert.equal(apiAreaOf('/v1/files'), 'other');
    });
  });

  describe('isAnthropicApiHost', () => {
    it('only Anthropic\'s API host (with or without :443) gets the status page', () => {
      assert.ok(isAnthropicApiHost('api.anthropic.com'));
      assert.ok(isAnthropicApiHost('API.Anthropic.com:443'));
      assert.ok(!isAnthropicApiHost('127.0.0.1:8080'));
      assert.ok(!isAnthropicApiHost('api.anthropic.com.evil.test'));
      assert.ok(!isAnthropicApiHost('proxy.example.com'));
      assert.ok(!isAnthropicApiHost('api.anthropic.com:8443'));
    });
  });

  describe('sdkRetryWait (what the SDK will do, for display)', () => {
    const answer = (status: number | undefined, h: Record<string, string> = {}) => ({ status, header: (name: string) => h[name] });

    it('a 429 with retry-after: the next attempt and the seconds it names', () => {
      assert.deepEqual(sdkRetryWait(answer(429, { 'retry-after': '7' }), 0, 2, NOW), { attempt: 2, of: 3, seconds: 7 });
      assert.deepEqual(sdkRetryWait(answer(429, { 'retry-after': '7' }), 1, 2, NOW), { attempt: 3, of: 3, seconds: 7 });
    });

    it('retry-after-ms wins, rounded up to whole seconds', () => {
      assert.deepEqual(sdkRetryWait(answer(529, { 'retry-after-ms': '1200', 'retry-after': '9' }), 0, 2, NOW), { attempt: 2, of: 3, seconds: 2 });
    });

    it('retry-after as an HTTP date', () => {
      const when = new Date(NOW.getTime() + 30_000).toUTCString();
      assert.equal(sdkRetryWait(answer(503, { 'retry-after': when }), 0, 2, NOW)?.seconds, 30);
    });

    it('without a header: the SDK\'s longest back-off, 0.5 s × 2ⁿ up to 8 s', () => {
      assert.equal(sdkRetryWait(answer(500), 0, 5, NOW)?.seconds, 1);
      assert.equal(sdkRetryWait(answer(500), 2, 5, NOW)?.seconds, 2);
      assert.equal(sdkRetryWait(answer(500), 4, 5, NOW)?.seconds, 8);
      assert.equal(sdkRetryWait(answer(undefined), 0, 2, NOW)?.seconds, 1, 'a failed connection is retried too');
    });

    it('no retry when none are left, when the server says x-should-retry: false (spend cap), or for 4xx other than 408/409/429', () => {
      assert.equal(sdkRetryWait(answer(429, { 'retry-after': '1' }), 2, 2, NOW), undefined);
      assert.equal(sdkRetryWait(answer(429, { 'x-should-retry': 'false' }), 0, 2, NOW), undefined);
      assert.equal(sdkRetryWait(answer(401), 0, 2, NOW), undefined);
      assert.equal(sdkRetryWait(answer(400), 0, 2, NOW), undefined);
      assert.equal(sdkRetryWait(answer(200), 0, 2, NOW), undefined);
      assert.ok(sdkRetryWait(answer(400, { 'x-should-retry': 'true' }), 0, 2, NOW));
      assert.ok(sdkRetryWait(answer(409), 0, 2, NOW));
    });

    it('retryWaitAfter an observed attempt: none after one only sent or answered under 400; a 429 or a failed connection waits', () => {
      const headers = new Headers({ 'retry-after': '7' });
      assert.equal(retryWaitAfter({ phase: 'sent', retryCount: 0 }, 2, NOW), undefined, 'sent: no status yet, nothing failed');
      assert.equal(retryWaitAfter({ phase: 'answered', retryCount: 0, status: 200, headers }, 2, NOW), undefined);
      assert.deepEqual(retryWaitAfter({ phase: 'answered', retryCount: 0, status: 429, headers }, 2, NOW), { attempt: 2, of: 3, seconds: 7 });
      assert.deepEqual(retryWaitAfter({ phase: 'failed', retryCount: 1 }, 2, NOW), { attempt: 3, of: 3, seconds: 1 });
      assert.equal(retryWaitAfter({ phase: 'failed', retryCount: 2 }, 2, NOW), undefined, 'no retries left');
    });
  });

  describe('observedFetch', () => {
    it('tells sent and answered, with the retry count and a digest of the key, never the key', async () => {
      const key = fakeKeys.apiKey();
      const seen: ApiAttempt[] = [];
      const inner = async (): Promise<Response> => new Response('{}', { status: 429, headers: { 'retry-after': '3' } });
      const response = await observedFetch(inner, (a) => seen.push(a))('https://api.example.test/v1/messages', {
        headers: { authorization: `Bearer ${key}`, 'x-stainless-retry-count': '1' },
      });
      assert.equal(response.status, 429);
      assert.deepEqual(
        seen.map((a) => [a.phase, a.path, a.retryCount, a.keyDigest, a.status]),
        [
          ['sent', '/v1/messages', 1, keyDigest(key), undefined],
          ['answered', '/v1/messages', 1, keyDigest(key), 429],
        ],
      );
      assert.equal(seen[1].headers?.get('retry-after'), '3');
      assert.ok(!JSON.stringify(seen).includes(key.slice(-20)));
    });

    it('reads x-api-key too; a failed fetch is told and rethrown; an observer that throws changes nothing', async () => {
      const key = fakeKeys.apiKey();
      const failure = new TypeError('fetch failed');
      const seen: string[] = [];
      const wrapped = observedFetch(
        () => Promise.reject(failure),
        (a) => {
          seen.push(`${a.phase}:${a.keyDigest === keyDigest(key)}`);
          throw new Error('observer bug');
        },
      );
      await assert.rejects(wrapped('http://127.0.0.1/v1/models', { headers: { 'x-api-key': key } }), (e) => e === failure);
      assert.deepEqual(seen, ['sent:true', 'failed:true']);
    });
  });
});
