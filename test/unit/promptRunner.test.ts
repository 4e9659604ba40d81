import * as assert from 'node:assert/strict';
import { ClaudeClient } from '../../src/api/claudeClient';
import { maskKey, maskSecrets } from '../../src/core/mask';
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

  it('a key in the prompt or the system prompt is sent masked', async () => {
    fake.setReply({ text: 'ok' });
    const result = await runner.run({ prompt: `Is ${key} valid?`, settings: { ...settings, system: `Key: ${key}` } }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'done');
    const body = fake.messagesRequests().at(-1) as { system: string; messages: Array<{ content: string }> };
    assert.equal(body.messages[0].content, `Is ${maskKey(key)} valid?`);
    assert.equal(body.system, `Key: ${maskKey(key)}`);
    assert.ok(!JSON.stringify(fake.messagesRequests()).includes(key.slice(20, -4)));
  });

  it('a key in the answer is masked in every delta and in the text, even when split across deltas', async () => {
    const answer = `Your key is ${key} and a fragment ${key.slice(0, 20)} too.`;
    fake.setReply({ text: answer, chunkSize: 7 });
    const deltas: string[] = [];
    const result = await runner.run({ prompt: 'Echo it', settings }, (d) => deltas.push(d), new AbortController().signal);
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, maskSecrets(answer));
    assert.equal(deltas.join(''), result.text);
    assert.ok(deltas.length > 5, `only ${deltas.length} deltas`);
    for (const fragment of [key, key.slice(-40), key.slice(0, 20), key.slice(13, 21)]) {
      assert.ok(!deltas.some((d) => d.includes(fragment)) && !result.text.includes(fragment), `key material ${fragment.length} chars long was passed on`);
    }
  });
});
