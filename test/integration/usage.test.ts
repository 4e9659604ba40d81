import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import { monthOf, type UsageRecord } from '../../src/core/usageRecord';
import type { QuickPromptOutcome } from '../../src/prompt/promptCommands';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { settle, until, waitForStatusBar } from './helpers';
import { hostSuite, storeNewKey } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const PROMPT = 'LEDGER-PROMPT-5e1d what does this cost?';
const ANSWER = 'LEDGER-ANSWER-c07a it costs little.';
const MODEL = 'claude-haiku-4-5-20251001';

describe('Usage ledger, budget and rate limits in the real host (fake API)', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
  const month = (): string => monthOf(new Date());

  hostSuite((h) => ({ api, user, fake } = h), {
    ledger: 'restart',
    settings: { [Settings.promptQuickPromptTarget]: 'document', [Settings.promptDefaultModel]: MODEL },
    clearAfterEach: [Settings.usageMonthlyBudgetUsd, Settings.maxRequestsPerMinute, Settings.usagePricing],
    closeEditorsAfterEach: true,
  });

  beforeEach(async () => {
    key = await storeNewKey({ api, fake }, 'work');
    api.catalog.invalidate();
  });

  async function quickPrompt(text = PROMPT): Promise<QuickPromptOutcome> {
    user.type(text);
    return (await vscode.commands.executeCommand(Commands.quickPrompt)) as QuickPromptOutcome;
  }

  async function records(): Promise<UsageRecord[]> {
    await api.usage.idle;
    return api.usage.ledger.records(month());
  }

  it('validate, model list and Quick Prompt each append one record: key name and hint, every token kind, request id, cost; no key, no text', async () => {
    fake.setReply({ text: ANSWER, inputTokens: 1000, outputTokens: 200, usage: { cacheWrite5mTokens: 300, cacheWrite1hTokens: 400, cacheReadTokens: 2000, webSearchRequests: 1 } });
    await vscode.commands.executeCommand(Commands.validateApiKey);
    await api.catalog.list();
    const outcome = await quickPrompt();
    assert.equal(outcome.outcome, 'done');
    const ledger = await until(async () => ((await records()).length >= 3 ? records() : undefined), 'three records');
    assert.deepEqual(
      ledger.map((r) => r.operation),
      ['validate', 'models', 'prompt'],
    );
    for (const r of ledger) {
      assert.equal(r.keyName, 'work');
      assert.equal(r.keyHint, maskKey(key));
      assert.equal(r.outcome, 'ok');
      assert.match(r.requestId ?? '', /^req_/);
    }
    const prompt = ledger[2];
    assert.equal(prompt.model, MODEL);
    assert.deepEqual(
      [prompt.inputTokens, prompt.outputTokens, prompt.cacheWrite5mTokens, prompt.cacheWrite1hTokens, prompt.cacheReadTokens, prompt.serverToolUses],
      [1000, 200, 300, 400, 2000, 1],
    );
    // Haiku 4.5: $1 in, $5 out, $1.25 / $2 cache writes, $0.10 cache reads per million.
    assert.ok(Math.abs((prompt.costUsd ?? 0) - (1000 * 1 + 200 * 5 + 300 * 1.25 + 400 * 2 + 2000 * 0.1) / 1e6) < 1e-12, String(prompt.costUsd));
    const raw = fs.readFileSync(api.usage.ledger.fileFor(month()), 'utf8');
    for (let i = 0; i + 20 <= key.length; i++) {
      assert.ok(!raw.includes(key.slice(i, i + 20)), `the ledger holds the key's characters ${i}–${i + 20}`);
    }
    assert.ok(!raw.includes('LEDGER-PROMPT') && !raw.includes('LEDGER-ANSWER'), 'the ledger holds prompt or answer text');
  });

  it('an unknown model is recorded as price unknown (null), and the status bar tooltip says so with today\'s spend and rate limits', async () => {
    fake.setModels([
      { id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-11-01T00:00:00Z' },
      { id: MODEL, display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
    ]);
    fake.setReply({ text: ANSWER, inputTokens: 10, outputTokens: 10 });
    await config().update(Settings.promptDefaultModel, 'claude-sonnet-5-5', vscode.ConfigurationTarget.Global);
    try {
      assert.equal((await quickPrompt()).outcome, 'done');
      const record = (await records()).find((r) => r.operation === 'prompt');
      assert.ok(record);
      assert.equal(record.model, 'claude-sonnet-5-5');
      assert.equal(record.costUsd, null);
    } finally {
      await config().update(Settings.promptDefaultModel, MODEL, vscode.ConfigurationTarget.Global);
    }
    fake.setReply({ text: ANSWER, inputTokens: 1000, outputTokens: 1000 });
    await quickPrompt();
    await records();
    // Wait for the second prompt's spend: the tooltip may still show the first ($0.00) for a moment.
    const spent = /Today: \$0\.0060 \(\+1 requests with price unknown\)/;
    const status = await waitForStatusBar(api, (s) => spent.test(s.tooltip) && /Rate limits: requests/.test(s.tooltip));
    assert.match(status.tooltip, spent);
  });

  it('budget: a quiet warning once the month crosses the warning level; above 100 % each prompt asks (Send Anyway / Open Usage), never blocks silently', async () => {
    fake.setReply({ text: ANSWER, inputTokens: 1000, outputTokens: 1000 });
    // One prompt costs $0.006; the budget is $0.01: the second crosses 80 %... and 100 %.
    await config().update(Settings.usageMonthlyBudgetUsd, 0.01, vscode.ConfigurationTarget.Global);
    assert.equal((await quickPrompt()).outcome, 'done');
    await records();
    // 60 % spent on the 2nd of the month: under the warning level, but on course to run over.
    const projection = await until(() => user.messages.find((m) => /budget runs out around \d{4}-\d{2}-\d{2}/.test(m.message)), 'the projection warning');
    assert.ok(!/% of your/.test(projection.message), projection.message);
    assert.equal((await quickPrompt()).outcome, 'done');
    await records();
    const warning = await until(() => user.messages.find((m) => /of your \$0\.0100 budget/.test(m.message)), 'the budget warning');
    assert.equal(warning.options.modal, undefined, 'the warning is quiet (not modal)');
    assert.match(warning.message, /\$0\.0120 this month, 120%/);
    assert.deepEqual(warning.actions, ['Open Usage']);

    // Over the budget: the user says Send Anyway.
    const sentBefore = fake.messagesRequests().length;
    user.answerMessage = (m) => (m.options.modal ? 'Send Anyway' : undefined);
    assert.equal((await quickPrompt()).outcome, 'done');
    const question = user.messages.find((m) => m.options.modal);
    assert.ok(question, 'asked before sending');
    assert.match(question.message, /spent \$0\.0120 of your \$0\.0100 budget/);
    assert.deepEqual(question.actions, ['Send Anyway', 'Open Usage']);
    assert.equal(fake.messagesRequests().length, sentBefore + 1);

    // The user dismisses the question: nothing is sent, the prompt ends as stopped.
    user.answerMessage = () => undefined;
    assert.equal((await quickPrompt()).outcome, 'stopped');
    assert.equal(fake.messagesRequests().length, sentBefore + 1);

    // Open Usage: nothing is sent, the Show Usage panel opens on this month's spend.
    user.answerMessage = (m) => (m.options.modal ? 'Open Usage' : undefined);
    api.usagePanel.lastView = undefined;
    assert.equal((await quickPrompt()).outcome, 'stopped');
    assert.equal(fake.messagesRequests().length, sentBefore + 1);
    await until(() => (api.usagePanel.isOpen ? true : undefined), 'the Show Usage panel');
    const view = await until(() => api.usagePanel.lastView, 'the usage view', 20_000);
    assert.ok(view.month.spentUsd > 0 && view.month.level === 'over', JSON.stringify(view.month));
    // Validation is free: it never asks.
    const asked = user.messages.filter((m) => m.options.modal).length;
    await vscode.commands.executeCommand(Commands.validateApiKey);
    assert.equal(user.messages.filter((m) => m.options.modal).length, asked);
    // Each warning was given once this month.
    assert.equal(user.messages.filter((m) => /of your \$0\.0100 budget\./.test(m.message) && !m.options.modal).length, 1);
    assert.equal(user.messages.filter((m) => /budget runs out around/.test(m.message)).length, 1);
  });

  it('rate limits: under 10 % of a window is said once, with its reset; the latest state is kept per key', async () => {
    const reset = new Date(Date.now() + 30_000).toISOString().replace(/\.\d+Z$/, 'Z');
    fake.rateLimitOverrides = {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '3',
      'anthropic-ratelimit-requests-reset': reset,
    };
    await api.services.client.validateKey(key);
    await api.services.client.validateKey(key);
    const notes = user.messages.filter((m) => /Rate limit almost reached/.test(m.message));
    assert.equal(notes.length, 1, 'said once');
    assert.ok(notes[0].message.includes(maskKey(key)));
    assert.ok(notes[0].message.includes('3 of 50 requests'));
    assert.ok(notes[0].message.includes(`${reset.slice(11, 19)} UTC`));
    assert.equal(api.usage.rateLimits.forKey(key)?.limits.requests.remaining, 3);
  });

  it('pacing: over claudeKeys.maxRequestsPerMinute a request waits with a cancellable progress; Cancel sends nothing', async () => {
    await config().update(Settings.maxRequestsPerMinute, 1, vscode.ConfigurationTarget.Global);
    assert.equal((await api.services.client.validateKey(key)).ok, true);
    const before = fake.requests.length;
    user.cancelProgressOn = (message) => /^\d+ s$/.test(message);
    const second = await api.services.client.validateKey(key);
    assert.deepEqual(second, { ok: false, problem: { kind: 'aborted' } });
    assert.ok(user.progressTitles.some((t) => /Waiting for a request slot/.test(t)), JSON.stringify(user.progressTitles));
    assert.ok(user.progressReports.some((r) => /^(5\d|60) s$/.test(r)), JSON.stringify(user.progressReports));
    assert.equal(fake.requests.length, before, 'nothing was sent');
    await settle(20);
  });
});
