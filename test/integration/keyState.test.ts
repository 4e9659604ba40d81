import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { ValidationReport } from '../../src/keys/keyValidation';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import type { FinishedPrompt } from '../../src/prompt/promptPanel';
import type { HostToWebview, PromptSettings } from '../../src/shared/promptProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { metadata, until, waitForStatusBar } from './helpers';
import { hostSuite, postedBy } from './hostSuite';
import type { RecordedMessage, ScriptedInteraction } from './scriptedInteraction';

const SETTINGS: PromptSettings = { model: 'claude-haiku-4-5-20251001', system: '', maxTokens: 1000, temperature: 0.5 };

/** A status message of the panel's protocol, read loosely: what the user is told while an answer is pending. */
interface StatusMessage {
  readonly type: string;
  readonly requestId: string;
  readonly status: { readonly kind: string; readonly attempt?: number; readonly of?: number; readonly seconds?: number };
}

/**
 * Issue 11 §6, "one truth about the key's state": every call's outcome feeds one state per key, and
 * what the status bar, Show Key Status, toasts and the panel say agree with each other.
 */
describe('One truth about the key\'s state', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  hostSuite((h) => ({ api, user, fake } = h), { closeEditorsAfterEach: true });

  beforeEach(() => {
    api.services.client.checkTimeoutMs = 15_000;
    api.runner.idleTimeoutMs = 60_000;
    api.catalog.invalidate();
  });

  const posted = postedBy(() => api.promptPanel);

  const validate = async (): Promise<ValidationReport> => (await vscode.commands.executeCommand(Commands.validateApiKey)) as ValidationReport;
  const lastMessage = (): RecordedMessage => user.messages[user.messages.length - 1];

  /** Stores a key through Set API Key (so Claude Keys keeps its record) and waits for "key valid". */
  async function setValidKey(options: Parameters<FakeAnthropicApi['addApiKey']>[1] = {}): Promise<string> {
    const key = fakeKeys.apiKey();
    fake.addApiKey(key, options);
    user.type(key);
    const outcome = (await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome;
    assert.equal(outcome.outcome, 'stored');
    return key;
  }

  async function send(prompt = 'Hello there'): Promise<FinishedPrompt> {
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'ready' });
    const finished = new Promise<FinishedPrompt>((resolve) => {
      const sub = api.promptPanel.onDidFinish((f) => (sub.dispose(), resolve(f)));
    });
    await api.promptPanel.receive({ type: 'send', prompt, settings: SETTINGS });
    return finished;
  }

  const statuses = (requestId: string): StatusMessage[] =>
    (posted as unknown as StatusMessage[]).filter((m) => m.type === 'streamStatus' && m.requestId === requestId);

  describe('a 403 is "valid, no access", not "invalid"', () => {
    it('Set API Key with a key that may not list models: toast, status bar and Show Key Status agree', async () => {
      const key = await setValidKey({ permission: 'none' });
      assert.match(lastMessage().message, /valid but has no permission for this \(403\)/);
      const bar = await waitForStatusBar(api, (s) => s.state !== 'loading' && s.state !== 'unchecked');
      assert.equal(bar.state, 'noAccess');
      assert.match(bar.text, /key valid, no access/);
      assert.doesNotMatch(bar.text, /invalid/);
      assert.match(bar.tooltip, /valid, but no access to the model list \(403\)/);
      assert.equal(metadata(api)?.validation?.state, 'noAccess');
      await vscode.commands.executeCommand(Commands.showKeyStatus);
      assert.match(lastMessage().options.detail ?? '', /Last check: valid, but no access to the model list \(403\)\./);
      assert.ok(!user.everythingShown().includes(key));
    });
  });

  describe('every call proves or disproves the key', () => {
    it('a prompt that succeeds in the panel turns "key invalid" into "key valid"', async () => {
      const key = await setValidKey();
      fake.revokeKey(key);
      assert.equal((await validate()).state, 'invalid');
      await waitForStatusBar(api, (s) => s.state === 'invalid');
      // Re-activated in the Console: the next prompt works, and says so for the key.
      fake.addApiKey(key, { status: 'active' });
      fake.setReply({ text: 'Fine.' });
      const { result } = await send();
      assert.equal(result.outcome, 'done');
      const bar = await waitForStatusBar(api, (s) => s.state === 'valid');
      assert.match(bar.text, /key valid/);
      assert.equal(metadata(api)?.validation?.state, 'valid');
    });

    it('a 401 in the panel turns "key valid" into "key invalid"', async () => {
      const key = await setValidKey();
      await waitForStatusBar(api, (s) => s.state === 'valid');
      fake.revokeKey(key);
      const { result } = await send();
      assert.equal(result.problem?.kind, 'invalidKey');
      const bar = await waitForStatusBar(api, (s) => s.state === 'invalid');
      assert.match(bar.text, /key invalid/);
      assert.equal(metadata(api)?.validation?.problem, 'invalidKey');
    });

    it('the model list and Quick Prompt prove the key too', async () => {
      const key = await setValidKey();
      fake.revokeKey(key);
      await validate();
      await waitForStatusBar(api, (s) => s.state === 'invalid');
      fake.addApiKey(key, { status: 'active' });
      api.catalog.invalidate();
      assert.equal((await api.catalog.list()).source, 'api');
      await waitForStatusBar(api, (s) => s.state === 'valid');
      fake.revokeKey(key);
      await validate();
      await waitForStatusBar(api, (s) => s.state === 'invalid');
      fake.addApiKey(key, { status: 'active' });
      fake.setReply({ text: 'Quick.' });
      user.type('Quick one');
      const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
      assert.equal(outcome.outcome, 'done');
      await waitForStatusBar(api, (s) => s.state === 'valid');
    });
  });

  describe('transient errors say nothing about the key', () => {
    const faults: ReadonlyArray<[string, Parameters<FakeAnthropicApi['enqueueFault']>[1], RegExp]> = [
      ['429', { kind: 'rateLimit', retryAfterSeconds: 3 }, /rate limit exceeded \(429\)/],
      ['529', { kind: 'status', status: 529 }, /overloaded right now \(529\)/],
      ['500', { kind: 'status', status: 500 }, /internal error \(500\)/],
    ];
    for (const [name, fault, shown] of faults) {
      it(`a ${name} during Validate leaves "key valid" as it was, and still explains the ${name}`, async () => {
        await setValidKey();
        await waitForStatusBar(api, (s) => s.state === 'valid');
        const before = metadata(api)?.validation;
        fake.enqueueFault('models', fault);
        const report = await validate();
        assert.match(lastMessage().message, shown);
        assert.equal(report.state, 'valid');
        assert.equal(metadata(api)?.validation?.state, 'valid');
        assert.equal(metadata(api)?.validation?.modelCount, before?.modelCount);
        const bar = await api.refreshStatusBar();
        assert.equal(bar.state, 'valid');
        assert.match(bar.text, /key valid/);
      });
    }
  });

  describe('the panel says what it is waiting for', () => {
    it('a 429 with retry-after: "waiting to retry (attempt 2 of 3, N s)" while the SDK waits, then the answer', async () => {
      await setValidKey();
      fake.setReply({ text: 'Fine now.' });
      fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 2 });
      const { requestId, result } = await send();
      assert.equal(result.outcome, 'done');
      assert.equal(result.text, 'Fine now.');
      assert.equal(fake.requests.filter((r) => r.path === '/v1/messages').length, 2, 'the SDK retried once');
      const waits = statuses(requestId).filter((s) => s.status.kind === 'retrying');
      assert.ok(waits.length >= 1, `no retry status among ${JSON.stringify(posted.map((m) => m.type))}`);
      assert.deepEqual({ attempt: waits[0].status.attempt, of: waits[0].status.of, seconds: waits[0].status.seconds }, { attempt: 2, of: 3, seconds: 2 });
      // In order: the wait is told after the stream started and before the first text arrived.
      const at = (m: unknown): number => posted.indexOf(m as HostToWebview);
      const start = posted.findIndex((m) => m.type === 'streamStart');
      const firstDelta = posted.findIndex((m) => m.type === 'delta');
      assert.ok(start < at(waits[0]) && at(waits[0]) < firstDelta, 'retry status out of order');
    });

    it('a stalled stream: "no data for N s" before it times out', async () => {
      await setValidKey();
      api.runner.idleTimeoutMs = 2_500;
      (api.runner as unknown as { stallNoticeMs: number }).stallNoticeMs = 600;
      fake.setReply({ text: 'one two three four five six', chunkSize: 4 });
      fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 1 });
      const { requestId, result } = await send();
      assert.equal(result.problem?.kind, 'timeout');
      const noData = statuses(requestId).filter((s) => s.status.kind === 'noData');
      assert.ok(noData.length >= 1, `no "no data" status among ${JSON.stringify(posted.map((m) => m.type))}`);
      assert.ok(noData.every((s) => typeof s.status.seconds === 'number' && s.status.seconds >= 1));
      const error = posted.findIndex((m) => m.type === 'streamError');
      assert.ok(posted.indexOf(noData[0] as unknown as HostToWebview) < error);
    });
  });

  it('Quick Prompt\'s progress says it is waiting to retry too', async () => {
    await setValidKey();
    fake.setReply({ text: 'Quick after the wait.' });
    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 });
    user.type('Quick one');
    const outcome = (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
    assert.equal(outcome.outcome, 'done');
    assert.ok(user.progressReports.includes('waiting to retry (attempt 2 of 3, 1 s)'), JSON.stringify(user.progressReports));
  });

  describe('Validate can be cancelled', () => {
    it('Cancel aborts the request at once; the key keeps its state and no error is shown', async () => {
      await setValidKey();
      await waitForStatusBar(api, (s) => s.state === 'valid');
      const shownBefore = user.messages.length;
      fake.enqueueFault('models', { kind: 'hang' });
      api.services.client.checkTimeoutMs = 8_000;
      user.cancelProgressAfterMs = 300;
      const started = Date.now();
      const report = await validate();
      const took = Date.now() - started;
      assert.equal(user.progressCancellable.at(-1), true, 'the progress offered no Cancel');
      assert.ok(took < 4_000, `Validate took ${took} ms after Cancel`);
      assert.equal(report.problem?.kind, 'aborted');
      assert.equal(metadata(api)?.validation?.state, 'valid');
      assert.ok(user.messages.slice(shownBefore).every((m) => m.severity === 'info'), JSON.stringify(user.messages.slice(shownBefore)));
      await until(() => (fake.requests.filter((r) => r.path === '/v1/models').at(-1)?.aborted ? true : undefined), 'the fake to see the request aborted');
    });

    it('a time-out against a custom claudeKeys.apiBaseUrl does not offer Anthropic\'s status page', async () => {
      await setValidKey();
      fake.enqueueFault('models', { kind: 'hang' });
      api.services.client.checkTimeoutMs = 400;
      await validate();
      assert.match(lastMessage().message, /127\.0\.0\.1:\d+ did not answer in time/);
      assert.ok(!lastMessage().actions.includes('Status Page'), JSON.stringify(lastMessage().actions));
      assert.ok(lastMessage().actions.includes('Open Settings'));
    });
  });

  describe('spend limits say what the API says', () => {
    it('a workspace limit with its own date: the toast names the workspace and that date', async () => {
      await setValidKey();
      fake.enqueueFault('models', { kind: 'spendCap', message: 'You have reached your specified workspace API usage limits. You will regain access on 2031-03-15 at 00:00 UTC.' });
      await validate();
      const shown = lastMessage();
      assert.match(shown.message, /workspace/);
      assert.doesNotMatch(shown.message, /organisation/);
      assert.match(shown.message, /2031-03-15/);
      assert.deepEqual(shown.actions, ['Open Limits']);
    });

    it('the 400 "specified API usage limits" is a spend limit of the organisation, with the API\'s date', async () => {
      await setValidKey();
      fake.enqueueFault('models', {
        kind: 'status',
        status: 400,
        type: 'invalid_request_error',
        message: 'You have reached your specified API usage limits. You will regain access on 2031-04-01 at 00:00 UTC.',
      });
      const report = await validate();
      assert.equal(report.problem?.kind, 'spendCap');
      assert.match(lastMessage().message, /organisation/);
      assert.match(lastMessage().message, /2031-04-01/);
      assert.deepEqual(lastMessage().actions, ['Open Limits']);
    });
  });
});
