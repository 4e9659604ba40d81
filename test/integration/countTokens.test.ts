import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import { Pacer } from '../../src/core/pacer';
import { monthOf, type UsageRecord } from '../../src/core/usageRecord';
import type { KeyCommandOutcome } from '../../src/keys/keyCommands';
import type { HostToWebview } from '../../src/shared/promptProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { CountTokensOutcome } from '../../src/tokens/countTokensCommand';
import { estimateTokens, type FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { until, untitledDocument, waitForStatusBar } from './helpers';
import { hostSuite, postedBy, storeNewKey } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const MODEL = 'claude-haiku-4-5-20251001';
/** Haiku 4.5 input: $1 per million tokens. */
const HAIKU_INPUT_USD = 1 / 1e6;

/** Count tokens (issue 11 §1): the command, the panel's button, the ledger, errors and key state, in the real host. */
describe('Count tokens in the real host (fake API)', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
  hostSuite((h) => ({ api, user, fake } = h), {
    ledger: 'restart',
    settings: { [Settings.promptDefaultModel]: MODEL },
    clearAfterEach: [Settings.usageMonthlyBudgetUsd, Settings.maxRequestsPerMinute],
    closeEditorsAfterEach: true,
  });

  beforeEach(async () => {
    key = await storeNewKey({ api, fake }, 'work');
    api.catalog.invalidate();
  });

  const posted = postedBy(() => api.promptPanel);

  const countRequests = (): Array<Record<string, unknown>> => fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').map((r) => JSON.parse(r.body) as Record<string, unknown>);
  const runCommand = async (): Promise<CountTokensOutcome> => (await vscode.commands.executeCommand(Commands.countTokens)) as CountTokensOutcome;

  async function editorWith(text: string): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await untitledDocument('plaintext', text));
  }

  async function records(): Promise<UsageRecord[]> {
    await api.usage.idle;
    return api.usage.ledger.records(monthOf(new Date()));
  }

  /** Asks the panel to count, as its button does (validated like any webview message), and returns its answer. */
  async function panelCount(fields: { prompt: string; model?: string; system?: string }, countId = `c-${Date.now()}`): Promise<HostToWebview[]> {
    api.promptPanel.show();
    await api.promptPanel.receive({ type: 'ready' });
    const before = posted.length;
    await api.promptPanel.receive({ type: 'countTokens', countId, model: MODEL, system: '', ...fields });
    return posted.slice(before).filter((m) => ('countId' in m ? m.countId === countId : m.type === 'notice'));
  }

  /** Forgets the requests the usage service's pacer counted (the service lives for the whole run). */
  const freshPacer = (): void => {
    (api.usage as unknown as { pacer: Pacer }).pacer = new Pacer(0);
  };

  const assertNoKey = (text: string, where: string): void => {
    for (let i = 0; i + 20 <= key.length; i++) {
      assert.ok(!text.includes(key.slice(i, i + 20)), `${where} holds the key's characters ${i}–${i + 20}`);
    }
  };

  it('the command counts the selection: tokens and input cost in a notification, behind a cancellable progress; only the selection is sent', async () => {
    const selected = 'S'.repeat(4_000);
    const editor = await editorWith(`first line, not counted\n${selected}\nlast line, not counted\n`);
    editor.selection = new vscode.Selection(1, 0, 1, selected.length);
    const outcome = await runCommand();
    const tokens = estimateTokens(selected);
    assert.equal(outcome.outcome, 'counted');
    assert.equal(outcome.source, 'selection');
    assert.equal(outcome.model, MODEL);
    assert.equal(outcome.inputTokens, tokens);
    assert.ok(Math.abs((outcome.costUsd ?? -1) - tokens * HAIKU_INPUT_USD) < 1e-15, String(outcome.costUsd));
    assert.deepEqual(countRequests(), [{ model: MODEL, messages: [{ role: 'user', content: selected }] }]);
    assert.equal(user.messages.at(-1)?.severity, 'info');
    assert.equal(user.messages.at(-1)?.message, `1,000 input tokens in the selection with ${MODEL} · est. $0.0010 for input`);
    const at = user.progressTitles.indexOf('Counting tokens…');
    assert.ok(at >= 0, JSON.stringify(user.progressTitles));
    assert.equal(user.progressCancellable[at], true);
  });

  it('no selection: the whole document; empty or over the size cap: a clear message and nothing is sent', async () => {
    await editorWith('abcd'.repeat(100));
    const whole = await runCommand();
    assert.deepEqual([whole.outcome, whole.source, whole.inputTokens], ['counted', 'document', 100]);
    assert.match(user.messages.at(-1)?.message ?? '', /^100 input tokens in the document with /);
    const sent = countRequests().length;

    await editorWith('x'.repeat(400_001));
    assert.deepEqual(await runCommand(), { outcome: 'tooLarge', source: 'document' });
    assert.equal(user.messages.at(-1)?.message, 'The document is too large to count: 400,001 characters, at most 400,000. Select a part of it.');
    assert.equal(user.messages.at(-1)?.severity, 'warning');

    await editorWith('');
    assert.deepEqual(await runCommand(), { outcome: 'empty', source: 'document' });
    assert.match(user.messages.at(-1)?.message ?? '', /The document is empty/);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal((await runCommand()).outcome, 'noEditor');
    assert.equal(countRequests().length, sent, 'nothing more was sent');
  });

  it('Cancel on the progress: the count ends as cancelled, without a notification', async () => {
    await editorWith('count me');
    user.cancelProgress = true;
    const shown = user.messages.length;
    assert.equal((await runCommand()).outcome, 'cancelled');
    assert.equal(countRequests().length, 0);
    assert.equal(user.messages.length, shown);
  });

  it('the panel\'s Count tokens posts the count of prompt and system prompt with its input cost; a model with no price says so (null)', async () => {
    const prompt = 'P'.repeat(3_990);
    const [count, ...rest] = await panelCount({ prompt, system: 'Be terse.' }, 'count-1');
    assert.deepEqual(count, { type: 'tokenCount', countId: 'count-1', model: MODEL, inputTokens: estimateTokens(`Be terse.${prompt}`), costUsd: 1000 / 1e6 });
    assert.deepEqual(rest, []);
    assert.deepEqual(countRequests().at(-1), { model: MODEL, system: 'Be terse.', messages: [{ role: 'user', content: prompt }] });

    fake.setModels([{ id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-11-01T00:00:00Z' }]);
    const [unpriced] = await panelCount({ prompt: 'abcd', model: 'claude-sonnet-5-5' }, 'count-2');
    assert.deepEqual(unpriced, { type: 'tokenCount', countId: 'count-2', model: 'claude-sonnet-5-5', inputTokens: 1, costUsd: null });

    // A message the protocol does not allow is dropped: nothing is counted, nothing is answered.
    const sent = countRequests().length;
    const answered = posted.length;
    await api.promptPanel.receive({ type: 'countTokens', countId: 'count-3', prompt: 'x', model: 'claude haiku; rm', system: '' });
    await api.promptPanel.receive({ type: 'countTokens', countId: 'count-4', prompt: '   ', model: MODEL, system: '' });
    assert.equal(countRequests().length, sent);
    assert.equal(posted.length, answered);
    assert.match(api.logLines().at(-1) ?? '', /dropped an invalid message \(type "countTokens"\)/);
  });

  it('each count appends one ledger record: kind countTokens, model, input tokens, request id, latency, cost 0; no key, no text; the budget never asks', async () => {
    const text = 'LEDGER-COUNT-TEXT-4b1e '.repeat(40);
    // Far over a tiny budget: a prompt would ask first, a free count does not.
    await api.usage.ledger.append({ v: 1, time: new Date().toISOString(), operation: 'prompt', keyHint: maskKey(key), inputTokens: 1, outputTokens: 1, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, serverToolUses: 0, outcome: 'ok', latencyMs: 1, costUsd: 5 });
    await config().update(Settings.usageMonthlyBudgetUsd, 1, vscode.ConfigurationTarget.Global);
    const [count] = await panelCount({ prompt: text });
    assert.equal(count.type, 'tokenCount');
    await editorWith(text);
    assert.equal((await runCommand()).outcome, 'counted');
    assert.equal(user.messages.filter((m) => m.options.modal).length, 0, 'a count never asks about the budget');

    const ledger = await until(async () => ((await records()).filter((r) => r.operation === 'countTokens').length >= 2 ? records() : undefined), 'two count records');
    const counts = ledger.filter((r) => r.operation === 'countTokens');
    assert.equal(counts.length, 2);
    for (const r of counts) {
      assert.equal(r.model, MODEL);
      assert.equal(r.inputTokens, estimateTokens(text));
      assert.equal(r.outputTokens, 0);
      assert.equal(r.costUsd, 0);
      assert.equal(r.outcome, 'ok');
      assert.equal(r.keyName, 'work');
      assert.equal(r.keyHint, maskKey(key));
      assert.match(r.requestId ?? '', /^req_/);
      assert.ok(r.latencyMs >= 0);
    }
    const raw = fs.readFileSync(api.usage.ledger.fileFor(monthOf(new Date())), 'utf8');
    assert.ok(!raw.includes('LEDGER-COUNT-TEXT'), 'the ledger holds the counted text');
    assertNoKey(raw, 'the ledger');
    // The month's spend is the prompt's alone, and its tokens leave the counted ones out.
    const month = (await api.usage.ledger.readMonth(monthOf(new Date()))).total;
    assert.equal(month.costUsd, 5);
    assert.equal(month.inputTokens, 1);
  });

  it('pacing applies (a count is a request): over claudeKeys.maxRequestsPerMinute it waits with a cancellable progress; Cancel sends nothing', async () => {
    // The model list is a request too: fetched first, so the first count has the minute's one slot.
    await api.catalog.list();
    freshPacer();
    try {
      await config().update(Settings.maxRequestsPerMinute, 1, vscode.ConfigurationTarget.Global);
      await editorWith('paced text');
      assert.equal((await runCommand()).outcome, 'counted');
      const sent = countRequests().length;
      user.cancelProgressOn = (message) => /^\d+ s$/.test(message);
      assert.equal((await runCommand()).outcome, 'cancelled');
      assert.ok(user.progressTitles.some((t) => /Waiting for a request slot/.test(t)), JSON.stringify(user.progressTitles));
      assert.equal(countRequests().length, sent, 'nothing was sent');
    } finally {
      // The slot taken here would hold up the next suite's first paced request for a minute.
      freshPacer();
    }
  });

  it('a 401 is explained like any call (Rotate Key / Set API Key), recorded as an error, and turns the key\'s state to invalid', async () => {
    const checked = fakeKeys.apiKey();
    fake.addApiKey(checked);
    user.type(checked);
    assert.equal(((await vscode.commands.executeCommand(Commands.setApiKey)) as KeyCommandOutcome).outcome, 'stored');
    key = checked;
    await waitForStatusBar(api, (s) => s.state === 'valid');
    api.catalog.invalidate();
    await api.catalog.list();
    fake.revokeKey(checked);

    await editorWith('count with a revoked key');
    const outcome = await runCommand();
    assert.deepEqual([outcome.outcome, outcome.problem], ['error', 'invalidKey']);
    const shown = await until(() => user.messages.find((m) => /^Count Tokens: Claude rejected the key \(401 unauthorized\)/.test(m.message)), 'the 401 explanation');
    assert.equal(shown.severity, 'error');
    assert.deepEqual(shown.actions.slice(0, 2), ['Rotate Key', 'Set API Key']);
    const bar = await waitForStatusBar(api, (s) => s.state === 'invalid');
    assert.match(bar.text, /key invalid/);

    const [answer] = await panelCount({ prompt: 'and from the panel' });
    assert.equal(answer.type, 'tokenCountError');
    assert.ok(answer.type === 'tokenCountError');
    assert.match(answer.problem.message, /^Counting tokens: Claude rejected the key \(401 unauthorized\)/);
    assert.deepEqual(
      answer.problem.actions.map((a) => a.id),
      ['rotateApiKey', 'setApiKey', 'openConsole'],
    );
    const failed = (await records()).filter((r) => r.operation === 'countTokens');
    assert.deepEqual(
      failed.map((r) => [r.outcome, r.errorClass, r.costUsd]),
      [
        ['error', 'invalidKey', 0],
        ['error', 'invalidKey', 0],
      ],
    );
    assertNoKey(JSON.stringify(posted) + user.everythingShown() + api.logLines().join('\n'), 'what was shown or logged');
  });

  it('a 429: the progress says the SDK waits to retry, then the count arrives; a 429 that persists is explained with its next steps', async () => {
    await editorWith('abcd'.repeat(10));
    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 });
    const retried = await runCommand();
    assert.deepEqual([retried.outcome, retried.inputTokens], ['counted', 10]);
    assert.ok(user.progressReports.includes('429: waiting to retry (attempt 2 of 3, 1 s)'), JSON.stringify(user.progressReports));
    assert.equal(countRequests().length, 2);

    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 1 }, 3);
    const limited = await runCommand();
    assert.deepEqual([limited.outcome, limited.problem], ['error', 'rateLimited']);
    const shown = await until(() => user.messages.find((m) => /^Count Tokens: rate limit exceeded \(429\)\. Try again in /.test(m.message)), 'the 429 explanation');
    assert.ok(shown.actions.length > 0, JSON.stringify(shown));
    assert.ok(user.progressReports.includes('429: waiting to retry (attempt 3 of 3, 1 s)'), JSON.stringify(user.progressReports));
    const failed = (await records()).filter((r) => r.operation === 'countTokens').at(-1);
    assert.deepEqual([failed?.outcome, failed?.errorClass, failed?.costUsd], ['error', 'rateLimited', 0]);
    // A 429 says nothing about the key.
    assert.notEqual(api.statusBar().state, 'invalid');
  });

  it('token counting has its own rate limits: a count\'s headers never stand for the key\'s message limits; a low one is named as token counting', async () => {
    await editorWith('abcd'.repeat(10));
    // A message call first: its limits are what the tooltip describes. A first count loads the model list.
    assert.equal((await api.services.client.validateKey(key)).ok, true);
    assert.equal((await runCommand()).outcome, 'counted');
    const messageLimits = api.usage.rateLimits.forKey(key)?.limits.requests;
    assert.ok(messageLimits, 'the message limits were seen');
    const reset = new Date(Date.now() + 30_000).toISOString().replace(/\.\d+Z$/, 'Z');
    fake.rateLimitOverrides = {
      'anthropic-ratelimit-requests-limit': '100',
      'anthropic-ratelimit-requests-remaining': '4',
      'anthropic-ratelimit-requests-reset': reset,
    };
    try {
      assert.equal((await runCommand()).outcome, 'counted');
    } finally {
      fake.rateLimitOverrides = {};
    }
    assert.deepEqual(api.usage.rateLimits.forKey(key)?.limits.requests, messageLimits, 'the message limits are unchanged');
    assert.equal(api.usage.rateLimits.forKey(key, 'countTokens')?.limits.requests.remaining, 4);
    assert.ok(!api.usage.tooltipLines(key).some((l) => l.includes('4/100')), JSON.stringify(api.usage.tooltipLines(key)));
    const notes = await until(() => {
      const found = user.messages.filter((m) => /rate limit almost reached/i.test(m.message));
      return found.length > 0 ? found : undefined;
    }, 'the low-limit note');
    assert.equal(notes.length, 1, JSON.stringify(notes));
    assert.match(notes[0].message, /^Token counting rate limit almost reached for /);
    assert.ok(notes[0].message.includes('4 of 100 requests'), notes[0].message);
  });

  it('a key in the counted text is masked before it is sent; it never reaches the webview, a notification, the ledger or the log', async () => {
    const logged = api.logLines().length;
    const prompt = `Why does this fail? ANTHROPIC_API_KEY=${key}`;
    const replies = await panelCount({ prompt, system: `never say ${key}` });
    assert.deepEqual(
      replies.map((m) => m.type),
      ['tokenCount', 'notice'],
    );
    assert.match((replies[1] as { message: string }).message, /masked before counting/);
    const body = countRequests().at(-1) as { system: string; messages: Array<{ content: string }> };
    assert.equal(body.messages[0].content, `Why does this fail? ANTHROPIC_API_KEY=${maskKey(key)}`);
    assert.equal(body.system, `never say ${maskKey(key)}`);

    const editor = await editorWith(`const key = "${key}";\n`);
    editor.selection = new vscode.Selection(0, 0, 0, 15 + key.length);
    assert.equal((await runCommand()).outcome, 'counted');
    assert.match(user.messages.at(-1)?.message ?? '', /\(Something key-shaped was masked before counting\.\)$/);
    assert.equal((countRequests().at(-1) as { messages: Array<{ content: string }> }).messages[0].content, `const key = "${maskKey(key)}";`);

    await records();
    const raw = fs.readFileSync(api.usage.ledger.fileFor(monthOf(new Date())), 'utf8');
    assertNoKey(JSON.stringify(posted), 'a host→webview message');
    assertNoKey(user.everythingShown(), 'what the user was shown');
    assertNoKey(raw, 'the ledger');
    assertNoKey(api.logLines().slice(logged).join('\n'), 'the log');
    assertNoKey(JSON.stringify(fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').map((r) => r.body)), 'a count_tokens request body');
  });
});
