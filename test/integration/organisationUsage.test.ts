import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, SecretKeys } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import { costUsd, priceFor } from '../../src/core/pricing';
import { monthOf, type UsageRecord } from '../../src/core/usageRecord';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { OrganisationUsageOutcome } from '../../src/usage/organisationUsageCommand';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { storeDirectly, until } from './helpers';
import { hostSuite, organisationKeys } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const HAIKU = 'claude-haiku-4-5-20251001';
const USAGE_PATH = '/v1/organizations/usage_report/messages';
const COST_PATH = '/v1/organizations/cost_report';
const DAY = 86_400_000;

describe('Check Organisation Usage in the real host (Admin API reports on the fake)', () => {
  let api: ClaudeKeysTestApi;
  let user: ScriptedInteraction;
  let fake: FakeAnthropicApi;
  let key: string;
  let adminKey: string;
  let keyId: string;

  hostSuite((h) => ({ api, user, fake } = h), { ledger: 'empty' });

  beforeEach(async () => {
    ({ key, keyId, adminKey } = await organisationKeys({ api, fake }));
  });

  async function storeAdminKey(value: string): Promise<void> {
    await api.secrets.store(SecretKeys.adminKey, value);
  }

  /** A prompt this machine sent with the stored key, `daysAgo` days back at noon UTC. */
  async function ledgerPrompt(daysAgo: number, inputTokens: number): Promise<void> {
    const noon = new Date(Math.floor((Date.now() - daysAgo * DAY) / DAY) * DAY + DAY / 2);
    const tokens = { inputTokens, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
    const record: UsageRecord = {
      v: 1,
      time: noon.toISOString(),
      operation: 'prompt',
      keyName: 'work',
      keyHint: maskKey(key),
      model: HAIKU,
      ...tokens,
      serverToolUses: 0,
      outcome: 'ok',
      latencyMs: 100,
      costUsd: costUsd(tokens, priceFor(HAIKU)!),
    };
    await api.usage.ledger.append(record);
  }

  function orgSpendYesterday(inputTokens: number): void {
    const yesterday = new Date(Date.now() - DAY).toISOString();
    fake.reports.usage.push({ at: yesterday, apiKeyId: keyId, model: HAIKU, uncachedInputTokens: inputTokens });
    fake.reports.costs.push({ at: yesterday, amount: String(inputTokens / 10_000) });
  }

  async function check(): Promise<OrganisationUsageOutcome> {
    return (await vscode.commands.executeCommand(Commands.checkOrganisationUsage)) as OrganisationUsageOutcome;
  }

  it('follows the reports\' pagination to the last page, shows the organisation\'s bill, and records each Admin call in the ledger', async () => {
    await storeAdminKey(adminKey);
    fake.reports.maxBucketsPerPage = 7;
    orgSpendYesterday(200_000);
    const outcome = await check();
    assert.equal(outcome.usage.state, 'ok', JSON.stringify(outcome.usage));
    if (outcome.usage.state !== 'ok') {
      return;
    }
    assert.deepEqual(outcome.usage.pages, { usage: 5, cost: 5 });
    assert.equal(fake.requests.filter((r) => r.path === USAGE_PATH).length, 5);
    assert.equal(fake.requests.filter((r) => r.path === COST_PATH).length, 5);
    // 200,000 tokens billed at "20" cents = $0.20, as the cost report said.
    assert.ok(Math.abs(outcome.usage.orgCostUsd - 0.2) < 1e-9, String(outcome.usage.orgCostUsd));
    assert.deepEqual(outcome.usage.keys.map((k) => k.key), [{ name: 'work', hint: maskKey(key) }]);
    const summary = user.messages.find((m) => m.severity === 'info');
    assert.ok(summary, JSON.stringify(user.messages));
    assert.match(summary.message, /billed \$0\.20/);
    assert.match(summary.message, /up to about 5 minutes behind/);
    assert.ok(!summary.message.includes(key.slice(-20)));
    // The empty ledger covers nothing yet: no leak hint on spend from before Claude Keys recorded.
    assert.deepEqual(outcome.leakHints, []);
    await api.usage.idle;
    const admin = (await api.usage.ledger.records(monthOf(new Date()))).filter((r) => r.operation === 'admin');
    assert.equal(admin.length, 3, 'key list, usage report and cost report: one record each');
    assert.ok(admin.every((r) => r.keyHint === maskKey(adminKey) && r.outcome === 'ok'));
  });

  it('a 403 (Admin key without the right) is explained as such, not as a bad key', async () => {
    const noRights = fakeKeys.adminKey();
    fake.addAdminKey(noRights, { permission: 'none' });
    await storeAdminKey(noRights);
    const outcome = await check();
    assert.equal(outcome.usage.state, 'failed');
    const error = user.messages.find((m) => m.severity === 'error');
    assert.ok(error, JSON.stringify(user.messages));
    assert.match(error.message, /no right to read the organisation's usage and cost reports \(403\)/);
    assert.deepEqual(error.actions, ['Set Admin Key', 'Open Console Usage']);
  });

  it('without an Admin key (an individual account has none) it says the Admin API is for organisations, and asks nothing of the API', async () => {
    const outcome = await check();
    assert.deepEqual(outcome.usage, { state: 'noAdminKey' });
    assert.equal(fake.requests.length, 0);
    const info = user.messages.find((m) => m.severity === 'info');
    assert.ok(info);
    assert.match(info.message, /an individual account has no Admin API/);
    assert.deepEqual(info.actions, ['Set Admin Key', 'Open Usage', 'Open Console Usage']);
  });

  it('a key the Admin API refuses (401, e.g. not an Admin key) says the Admin API is unavailable with it', async () => {
    await storeAdminKey(key);
    const outcome = await check();
    assert.equal(outcome.usage.state, 'failed');
    const error = user.messages.find((m) => m.severity === 'error');
    assert.ok(error, JSON.stringify(user.messages));
    assert.match(error.message, /Admin API is unavailable with this Admin key \(401\)/);
    assert.match(error.message, /individual one, which has no Admin API/);
  });

  it('spend on the stored key that this machine did not send gives the leak hint with Report Leaked Key and Open Usage; Report Leaked Key names that key', async () => {
    await storeAdminKey(adminKey);
    // The flagged key is not the active one: Report Leaked Key must still be about it.
    await storeDirectly(api, { personal: fakeKeys.apiKey(), work: key }, 'personal');
    await ledgerPrompt(10, 1_000);
    // $1.00 of Haiku input that the ledger does not have.
    orgSpendYesterday(1_000_000);
    user.answerMessage = (m) => (m.actions.includes('Report Leaked Key') ? 'Report Leaked Key' : undefined);
    const outcome = await check();
    const expected = `${maskKey(key)} spent $1.00 yesterday that Claude Keys did not send. If you did not use this key elsewhere, it may have leaked.`;
    assert.deepEqual(outcome.leakHints, [expected]);
    const hint = user.messages.find((m) => m.message === expected);
    assert.ok(hint, JSON.stringify(user.messages.map((m) => m.message)));
    assert.equal(hint.severity, 'warning');
    assert.deepEqual(hint.actions, ['Report Leaked Key', 'Open Usage']);
    // The action opens Report Leaked Key for that key (the test declines its question).
    const asked = await until(() => user.messages.find((m) => /as leaked\?/.test(m.message)), 'the Report Leaked Key question');
    assert.ok(asked.message.includes(`"work" (${maskKey(key)})`), asked.message);
  });

  it('no leak hint when the ledger covers the organisation\'s figure for the key', async () => {
    await storeAdminKey(adminKey);
    await ledgerPrompt(10, 1_000);
    await ledgerPrompt(1, 1_000_000);
    orgSpendYesterday(1_000_000);
    const outcome = await check();
    assert.equal(outcome.usage.state, 'ok');
    assert.deepEqual(outcome.leakHints, []);
    assert.ok(!user.messages.some((m) => m.actions.includes('Report Leaked Key')), JSON.stringify(user.messages.map((m) => m.message)));
    const [work] = outcome.usage.state === 'ok' ? outcome.usage.keys : [];
    assert.ok(work.days.some((d) => d.orgTokens === 1_000_000 && d.localTokens === 1_000_000));
  });
});
