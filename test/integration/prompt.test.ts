import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import type { FinishedPrompt } from '../../src/prompt/promptPanel';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeApi, resetState, settle } from './helpers';
import { ANSWER, promptSuite, SETTINGS } from './promptSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

/** Streaming answers, and every way a prompt can fail. */
describe('Prompts through the real SDK against the fake API', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  const { posted, send, config, deltas } = promptSuite((h, k) => {
    ({ api, user, fake } = h);
    key = k;
  });

  it('streams an answer to completion: exact text, usage, stop reason, timings and rate limits', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 5, inputTokens: 12, outputTokens: 34 });
    const { requestId, result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, ANSWER);
    assert.equal(deltas(requestId), ANSWER);
    const end = posted.find((m) => m.type === 'streamEnd');
    assert.ok(end && end.type === 'streamEnd');
    assert.equal(end.stopped, false);
    assert.deepEqual(end.metrics.usage, { inputTokens: 12, outputTokens: 34 });
    assert.equal(end.metrics.stopReason, 'end_turn');
    assert.ok(end.metrics.timeToFirstTokenMs !== undefined && end.metrics.timeToFirstTokenMs >= 0);
    assert.ok(end.metrics.totalMs >= end.metrics.timeToFirstTokenMs);
    assert.match(end.metrics.rateLimit?.summary ?? '', /requests \d+/);
    const body = fake.messagesRequests().at(-1) as { model: string; system: string; max_tokens: number; temperature: number; stream: boolean; messages: unknown };
    assert.equal(body.model, SETTINGS.model);
    assert.equal(body.system, 'Be brief.');
    assert.equal(body.max_tokens, 4000);
    assert.equal(body.temperature, 0.5);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Hello there' }]);
    // Deltas are batched: far fewer messages than SSE deltas.
    assert.ok(posted.filter((m) => m.type === 'delta').length < Math.ceil(ANSWER.length / 5));
  });

  it('Stop aborts the request and keeps the partial answer, marked as stopped', async () => {
    fake.setReply({ text: 'word '.repeat(400), chunkSize: 5, delayMs: 15 });
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'ready' });
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });
    const started = new Promise<string>((resolve) => {
      const previous = api.promptPanel.tap;
      api.promptPanel.tap = (m) => {
        previous?.(m);
        if (m.type === 'delta') {
          resolve(m.requestId);
        }
      };
    });
    // receive() resolves when the answer ends, so do not wait for it here.
    const sending = api.promptPanel.receive({ type: 'send', prompt: 'Talk a lot', settings: SETTINGS });
    const requestId = await started;
    await api.promptPanel.receive({ type: 'stop', requestId });
    const { result } = await finished;
    await sending;
    assert.equal(result.outcome, 'stopped');
    assert.ok(result.text.length > 0 && result.text.length < 2000, `partial length ${result.text.length}`);
    const end = posted.find((m) => m.type === 'streamEnd');
    assert.ok(end && end.type === 'streamEnd' && end.stopped);
    await settle(100);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').at(-1)?.aborted, true);
  });

  it('an error event mid-stream: plain words, the partial answer kept', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 3 });
    const { requestId, result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'overloaded');
    assert.equal(deltas(requestId), ANSWER.slice(0, 12));
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /Claude is overloaded right now/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['openStatusPage']);
  });

  it('a connection reset mid-stream: network problem, partial answer kept', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'streamReset', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.ok(result.problem?.kind === 'network' || result.problem?.kind === 'timeout', result.problem?.kind);
    assert.equal(result.text, ANSWER.slice(0, 8));
  });

  it('a stream that stalls past the time-out ends with a time-out message', async () => {
    api.runner.idleTimeoutMs = 400;
    fake.setReply({ text: ANSWER, chunkSize: 4 });
    fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'timeout');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /did not answer in time/);
  });

  it('a malformed SSE line does not lose the answer', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 6 });
    fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2 });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, ANSWER);
  });

  it('a malformed event the SDK cannot parse: explained as an unreadable response', async () => {
    fake.setReply({ text: ANSWER, chunkSize: 6 });
    fake.enqueueFault('messages', { kind: 'malformedLine', afterDeltas: 2, event: 'content_block_delta' });
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'badResponse');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /could not read \(a malformed response\)/);
  });

  it('429 with retry-after, then success: the SDK\'s own retry handles it', async () => {
    fake.setReply({ text: 'Fine now.' });
    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, 'Fine now.');
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 2);
  });

  it('529 overloaded after the SDK gave up: explained with the status page', async () => {
    fake.enqueueFault('messages', { kind: 'status', status: 529 }, 3);
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'overloaded');
  });

  it('401 inside the panel offers Rotate and Set', async () => {
    fake.revokeKey(key);
    await send();
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /401 unauthorized/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['rotateApiKey', 'setApiKey', 'openConsole']);
  });

  it('no key stored: an actionable error, and nothing is sent', async () => {
    await resetState(api);
    api.setInteraction(user);
    api.promptPanel.tap = (m) => posted.push(m);
    const { result } = await send();
    assert.equal(result.outcome, 'error');
    assert.equal(result.problem?.kind, 'noKey');
    const error = posted.find((m) => m.type === 'streamError');
    assert.ok(error && error.type === 'streamError');
    assert.match(error.problem.message, /no Claude API key is stored/);
    assert.deepEqual(error.problem.actions.map((a) => a.id), ['setApiKey']);
    const init = posted.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init' && init.keyState === 'none');
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 0);
  });

  it('a bad claudeKeys.apiBaseUrl: the panel explains it, and the next Send works once it is fixed', async () => {
    await config().update(Settings.apiBaseUrl, 'not a url', vscode.ConfigurationTarget.Global);
    try {
      const { result } = await send();
      assert.equal(result.outcome, 'error');
      assert.equal(result.problem?.kind, 'badBaseUrl');
      const error = posted.find((m) => m.type === 'streamError');
      assert.ok(error && error.type === 'streamError');
      assert.match(error.problem.message, /claudeKeys\.apiBaseUrl is not a usable URL/);
      assert.deepEqual(error.problem.actions.map((a) => a.id), ['openSettings']);
      assert.equal(fake.messagesRequests().length, 0);
    } finally {
      await fakeApi();
    }
    fake.setReply({ text: 'Back again.' });
    const { result } = await send();
    assert.equal(result.outcome, 'done');
    assert.equal(result.text, 'Back again.');
  });

  it('Quick Prompt with a bad claudeKeys.apiBaseUrl ends and reports the problem', async () => {
    await config().update(Settings.apiBaseUrl, 'not a url', vscode.ConfigurationTarget.Global);
    try {
      user.type('Anything');
      const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
      assert.equal(outcome.outcome, 'error');
      assert.ok(outcome.document);
      const doc = await vscode.workspace.openTextDocument(outcome.document);
      assert.match(doc.getText(), /failed: badBaseUrl/);
      await settle();
      assert.ok(user.messages.some((m) => /^Quick Prompt: the setting claudeKeys\.apiBaseUrl is not a usable URL/.test(m.message)), JSON.stringify(user.messages));
      // The document stays as it was left: no timer keeps appending to it.
      const text = doc.getText();
      await settle(300);
      assert.equal(doc.getText(), text);
    } finally {
      await fakeApi();
    }
  });
});
