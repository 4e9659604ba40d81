import * as assert from 'node:assert/strict';
import { ClaudeClient } from '../../src/api/claudeClient';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';

/** PromptRunner through ClaudeClient and the real SDK, against the loopback fake. */

const settings = { model: 'claude-haiku-4-5-20251001', system: '', maxTokens: 64, temperature: 1 };

describe('prompt/promptRunner', () => {
  let fake: FakeAnthropicApi;
  let key: string;
  let baseUrl: string;
  let runner: PromptRunner;

  before(async () => {
    fake = await FakeAnthropicApi.start();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    key = fakeKeys.apiKey();
    fake.addApiKey(key);
    baseUrl = fake.url;
    runner = new PromptRunner(new ClaudeClient({ baseUrl: () => baseUrl }, () => Promise.resolve(key)));
  });

  it('a bad base URL ends the prompt with the badBaseUrl problem instead of throwing', async () => {
    baseUrl = 'not a url';
    const deltas: string[] = [];
    const result = await runner.run({ prompt: 'Hello', settings }, (d) => deltas.push(d), new AbortController().signal);
    assert.equal(result.outcome, 'error');
    assert.deepEqual(result.problem, { kind: 'badBaseUrl', reason: 'invalid' });
    assert.equal(result.text, '');
    assert.ok(result.metrics.totalMs >= 0);
    assert.deepEqual(deltas, []);
    assert.equal(fake.requests.length, 0);
  });
});
