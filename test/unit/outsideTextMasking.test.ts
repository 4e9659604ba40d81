import * as assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { ClaudeClient } from '../../src/api/claudeClient';
import { failureFacts } from '../../src/api/sdk';
import { classifyApiFailure } from '../../src/core/apiProblems';
import { OUTSIDE_TEXT_MAX, safeOutsideText } from '../../src/core/maskAnyForm';
import { parseRateLimits } from '../../src/core/rateLimits';
import { ModelCatalog } from '../../src/prompt/modelCatalog';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { fakeKeys } from '../fakes/keys';
import { fakeApiSuite, SMALL_PROMPT as settings } from './fakeApiSuite';

/**
 * Text from outside (the API's or a proxy's error messages and headers, SDK error messages) is
 * masked where it enters: in the facts the client builds from an SDK error. Checked through the real
 * SDK against the loopback fake, whose "echo" fault plays a proxy that echoes the request's key.
 */

/** The part of a key that must never show: its body without the last four characters. */
function secretPart(key: string): string {
  return key.slice(13, -4);
}

function assertNoKey(value: unknown, key: string): void {
  const text = JSON.stringify(value);
  assert.ok(!text.includes(secretPart(key)), `key material in ${text}`);
}

describe('outside text is masked where it enters', () => {
  const suite = fakeApiSuite();

  for (const status of [400, 401, 403, 404, 418, 500]) {
    it(`an error ${status} whose message and request id echo the key: the problem carries only the masked key`, async () => {
      suite.fake.enqueueFault('models', { kind: 'echo', status });
      const result = await suite.client.validateKey(suite.key);
      assert.equal(result.ok, false);
      assertNoKey(result, suite.key);
    });
  }

  it('the 400 detail still says what the server said, with the key masked', async () => {
    suite.fake.enqueueFault('models', { kind: 'echo', status: 400 });
    const result = await suite.client.validateKey(suite.key);
    assert.ok(!result.ok && result.problem.kind === 'badRequest', JSON.stringify(result));
    assert.match(result.problem.detail, /proxy echo: GET \/v1\/models authorization=Bearer sk-ant-api03-…/);
    assert.ok(result.problem.detail.includes(suite.key.slice(-4)));
  });

  it('a prompt whose 400 echoes the key: the problem the panel shows is masked', async () => {
    suite.fake.enqueueFault('messages', { kind: 'echo', status: 400 });
    const result = await new PromptRunner(suite.client).run({ prompt: 'Hello', settings }, () => undefined, new AbortController().signal);
    assert.equal(result.problem?.kind, 'badRequest');
    assertNoKey(result, suite.key);
  });

  it('a mid-stream error event that quotes a key is masked', async () => {
    const other = fakeKeys.adminKey();
    suite.fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 1, errorType: 'invalid_request_error', message: `bad: ${other}` });
    const result = await new PromptRunner(suite.client).run({ prompt: 'Hello', settings }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'error');
    assertNoKey(result, other);
  });

  it('SDK errors of every kind: the facts hold no key material (message, type, code, request id)', () => {
    const key = fakeKeys.apiKey();
    const headers = new Headers({ 'request-id': `req_${key}` });
    const body = { type: 'error', error: { type: `weird_${key}`, message: `echo ${key}`, details: { error_code: key } } };
    const errors = [
      Anthropic.APIError.generate(400, body, `echo ${key}`, headers),
      Anthropic.APIError.generate(429, body, `echo ${key}`, headers),
      Anthropic.APIError.generate(undefined, body, `echo ${key}`, headers),
      new Anthropic.APIConnectionError({ message: `connect failed ${key}`, cause: new Error(`ECONNRESET ${key}`) }),
    ];
    for (const error of errors) {
      const facts = failureFacts(error, 'api.example');
      assertNoKey({ ...facts, header: undefined }, key);
      assertNoKey(classifyApiFailure(facts), key);
    }
  });

  it('Admin API key names and model names from the API are outside text: masked where they enter', async () => {
    const admin = fakeKeys.adminKey();
    suite.fake.addAdminKey(admin);
    suite.fake.addApiKey(fakeKeys.apiKey(), { name: `ci ${suite.key}` });
    const listed = await suite.client.listApiKeys(admin);
    assert.ok(listed.ok && listed.value.length >= 2, JSON.stringify(listed));
    assertNoKey(listed.value.map((k) => k.name), suite.key);
    suite.fake.setModels([
      { id: 'claude-haiku-4-5-20251001', display_name: `Haiku ${suite.key}`, created_at: '2025-10-15T00:00:00Z' },
      { id: suite.key, display_name: 'a key as an id', created_at: '2025-10-15T00:00:00Z' },
    ]);
    const models = await new ModelCatalog(suite.client).list();
    assert.equal(models.source, 'api');
    assert.deepEqual(models.models.map((m) => m.id), ['claude-haiku-4-5-20251001']);
    assertNoKey(models, suite.key);
  });

  it('a base URL whose host holds a key: the host the problems name is masked', () => {
    const key = fakeKeys.sessionKey().slice(0, 60).toLowerCase();
    const client = new ClaudeClient({ baseUrl: () => `https://${key}.example` }, () => Promise.resolve(undefined));
    const endpoint = client.endpoint();
    assert.ok(endpoint.ok);
    assertNoKey(endpoint.host, key);
    assert.ok(endpoint.url.includes(key), 'the URL itself is used as configured');
  });

  it('safeOutsideText: keys masked, line breaks, ANSI and bidi controls made spaces, long text cut after masking', () => {
    const key = fakeKeys.apiKey();
    const safe = safeOutsideText(`line one\n[info] forged line \u001b[2K${key}\u202e`);
    assert.ok(!safe.includes(secretPart(key)));
    assert.ok(!['\n', '\u001b', '\u202e'].some((c) => safe.includes(c)), JSON.stringify(safe));
    const long = safeOutsideText(`${'x '.repeat(OUTSIDE_TEXT_MAX / 2 - 10)}${key}`);
    assert.ok(!long.includes(secretPart(key).slice(0, 12)) && long.length <= OUTSIDE_TEXT_MAX + 1);
  });

  it('a rate-limit reset header with key material in a date "comment" is reduced to the date', () => {
    const key = fakeKeys.apiKey();
    const limits = parseRateLimits((name) => (name === 'anthropic-ratelimit-requests-reset' ? `Jan 1 2026 (${key})` : name.endsWith('remaining') ? '5' : null));
    assert.equal(limits?.requests.reset, new Date('Jan 1 2026').toISOString());
  });
});
