import * as assert from 'node:assert/strict';
import { maskKey, maskSecrets } from '../../src/core/mask';
import { PromptRunner } from '../../src/prompt/promptRunner';
import { fakeApiSuite, SMALL_PROMPT as settings } from './fakeApiSuite';

/** PromptRunner through ClaudeClient and the real SDK, against the loopback fake. */

describe('prompt/promptRunner', () => {
  const suite = fakeApiSuite();
  let runner: PromptRunner;

  beforeEach(() => {
    runner = new PromptRunner(suite.client);
  });

  it('a bad base URL ends the prompt with the badBaseUrl problem instead of throwing', async () => {
    suite.baseUrl = 'not a url';
    const deltas: string[] = [];
    const result = await runner.run({ prompt: 'Hello', settings }, (d) => deltas.push(d), new AbortController().signal);
    assert.equal(result.outcome, 'error');
    assert.deepEqual(result.problem, { kind: 'badBaseUrl', reason: 'invalid' });
    assert.equal(result.text, '');
    assert.ok(result.metrics.totalMs >= 0);
    assert.deepEqual(deltas, []);
    assert.equal(suite.fake.requests.length, 0);
  });

  it('a key in the prompt or the system prompt is sent masked', async () => {
    suite.fake.setReply({ text: 'ok' });
    const result = await runner.run({ prompt: `Is ${suite.key} valid?`, settings: { ...settings, system: `Key: ${suite.key}` } }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'done');
    const body = suite.fake.messagesRequests().at(-1) as { system: string; messages: Array<{ content: string }> };
    assert.equal(body.messages[0].content, `Is ${maskKey(suite.key)} valid?`);
    assert.equal(body.system, `Key: ${maskKey(suite.key)}`);
    assert.ok(!JSON.stringify(suite.fake.messagesRequests()).includes(suite.key.slice(20, -4)));
  });

  it('a key in disguise in the prompt (JSON-escaped, zero-width inside, base64) is sent masked', async () => {
    suite.fake.setReply({ text: 'ok' });
    const escaped = suite.key.replace(/-/g, '\\u002d');
    const invisible = `${suite.key.slice(0, 40)}\u200b${suite.key.slice(40)}`;
    const base64 = Buffer.from(`${suite.key}\n`).toString('base64');
    const prompt = `json "${escaped}" zw ${invisible} k8s ${base64}`;
    const result = await runner.run({ prompt, settings: { ...settings, system: `secret: ${base64}` } }, () => undefined, new AbortController().signal);
    assert.equal(result.outcome, 'done');
    const body = suite.fake.messagesRequests().at(-1) as { system: string; messages: Array<{ content: string }> };
    assert.equal(body.messages[0].content, `json "${maskKey(suite.key)}" zw ${maskKey(suite.key)} k8s ${maskKey(suite.key)}Cg==`);
    assert.equal(body.system, `secret: ${maskKey(suite.key)}Cg==`);
  });

  it('a key in the answer is masked in every delta and in the text, even when split across deltas', async () => {
    const answer = `Your key is ${suite.key} and a fragment ${suite.key.slice(0, 20)} too.`;
    suite.fake.setReply({ text: answer, chunkSize: 7 });
    const deltas: string[] = [];
    const result = await runner.run({ prompt: 'Echo it', settings }, (d) => deltas.push(d), new AbortController().signal);
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, maskSecrets(answer));
    assert.equal(deltas.join(''), result.text);
    assert.ok(deltas.length > 5, `only ${deltas.length} deltas`);
    for (const fragment of [suite.key, suite.key.slice(-40), suite.key.slice(0, 20), suite.key.slice(13, 21)]) {
      assert.ok(!deltas.some((d) => d.includes(fragment)) && !result.text.includes(fragment), `key material ${fragment.length} chars long was passed on`);
    }
  });
});
