import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, SecretKeys } from '../../src/constants';
import { maskKey } from '../../src/core/mask';
import { costUsd, priceFor } from '../../src/core/pricing';
import { ledgerFileName, serializeRecord, type UsageRecord } from '../../src/core/usageRecord';
import { parseUsageHostMessage, type OrganisationView } from '../../src/shared/usageProtocol';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { usageRecord } from '../unit/usageFixtures';
import { assertNoKey, until } from './helpers';
import { hostSuite, organisationKeys, postedBy } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const HAIKU = 'claude-haiku-4-5-20251001';
const USAGE_PATH = '/v1/organizations/usage_report/messages';
const DAY = 86_400_000;

describe("Show Usage's Organisation section in the real host (Admin API reports on the fake)", () => {
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;
  let key: string;
  let adminKey: string;
  let keyId: string;
  let colleagueId: string;
  hostSuite((h) => ({ api, fake, user } = h), { ledger: 'empty', closeEditorsAfterEach: true });

  beforeEach(async () => {
    ({ key, keyId, colleagueId, adminKey } = await organisationKeys({ api, fake }));
  });

  const posted = postedBy(() => api.usagePanel);

  /** A prompt this machine sent with the stored key, `daysAgo` days back at noon UTC. */
  async function ledgerPrompt(daysAgo: number, inputTokens: number): Promise<void> {
    const noon = new Date(Math.floor((Date.now() - daysAgo * DAY) / DAY) * DAY + DAY / 2);
    const tokens = { inputTokens, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
    const record: UsageRecord = { v: 1, time: noon.toISOString(), operation: 'prompt', keyName: 'work', keyHint: maskKey(key), model: HAIKU, ...tokens, serverToolUses: 0, outcome: 'ok', latencyMs: 100, costUsd: costUsd(tokens, priceFor(HAIKU)!) };
    await api.usage.ledger.append(record);
  }

  function orgSpendYesterday(id: string, inputTokens: number): void {
    const yesterday = new Date(Date.now() - DAY).toISOString();
    fake.reports.usage.push({ at: yesterday, apiKeyId: id, model: HAIKU, uncachedInputTokens: inputTokens });
    fake.reports.costs.push({ at: yesterday, amount: String(inputTokens / 10_000) });
  }

  const organisationMessages = (): OrganisationView[] => posted.flatMap((m) => (m.type === 'organisation' ? [m.organisation] : []));

  /** Opens Show Usage (the user's action) and waits for the section's final state. */
  async function open(): Promise<OrganisationView> {
    await vscode.commands.executeCommand(Commands.showUsage);
    await until(() => posted.find((m) => m.type === 'view'), 'the ledger view', 20_000);
    // From this test's messages: the controller's lastOrganisation may still be an earlier test's.
    return until(() => organisationMessages().find((o) => o.state !== 'fetching'), 'the Organisation section', 20_000);
  }

  it('opening the panel fetches the figures once: cost per day, tokens per API key, billed against recorded per key, and the leak flag; Report Leaked Key from the panel names that key; no key crosses to the webview', async () => {
    await api.secrets.store(SecretKeys.adminKey, adminKey);
    fake.reports.maxBucketsPerPage = 7;
    await ledgerPrompt(10, 1_000);
    // $1.00 of Haiku input on the stored key that the ledger does not have, and a colleague's spend.
    orgSpendYesterday(keyId, 1_000_000);
    orgSpendYesterday(colleagueId, 300_000);
    const organisation = await open();
    assert.equal(organisation.state, 'ok', JSON.stringify(organisation));
    if (organisation.state !== 'ok') {
      return;
    }
    assert.deepEqual(
      organisationMessages().map((o) => o.state),
      ['fetching', 'ok'],
    );
    for (const message of posted) {
      assert.deepEqual(parseUsageHostMessage(JSON.parse(JSON.stringify(message))), message, 'every posted message passes the webview-side check');
    }
    const f = organisation.figures;
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const at = f.days.indexOf(yesterday);
    assert.equal(f.days.length, 30);
    assert.ok(at >= 0);
    // The cost report: "100" + "30" cents = $1.30, every page followed.
    assert.ok(Math.abs(f.orgCostUsd - 1.3) < 1e-9, String(f.orgCostUsd));
    const cost = f.charts.find((c) => c.id === 'orgCostByDay');
    assert.ok(cost && Math.abs(cost.series[0].values[at] - 1.3) < 1e-9, JSON.stringify(cost));
    const perKey = f.charts.find((c) => c.id === 'orgTokensByKey');
    const label = `work (${maskKey(key)})`;
    assert.equal(perKey?.series.find((s) => s.label === label)?.values[at], 1_000_000);
    assert.equal(perKey?.series.find((s) => s.label === 'colleague')?.values[at], 300_000);
    assert.equal(f.keys.length, 1);
    const [work] = f.keys;
    assert.deepEqual([work.label, work.name, work.billedTokens, work.recordedTokens], [label, 'work', 1_000_000, 1_000]);
    assert.ok(work.billedUsd !== null && Math.abs(work.billedUsd - 1) < 1e-9, String(work.billedUsd));
    assert.equal(work.leak, `${maskKey(key)} spent $1.00 yesterday that Claude Keys did not send. If you did not use this key elsewhere, it may have leaked.`);
    assertNoKey(JSON.stringify(posted), key, 'a host→webview message');
    assertNoKey(JSON.stringify(posted), adminKey, 'a host→webview message (Admin key)');

    // Report Leaked Key for the flagged key asks about that key (the test declines); any other name is ignored.
    await api.usagePanel.receive({ type: 'reportLeakedKey', keyName: 'work' });
    const asked = await until(() => user.messages.find((m) => /as leaked\?/.test(m.message)), 'the Report Leaked Key question');
    assert.ok(asked.message.includes(maskKey(key)), asked.message);
    const questions = user.messages.length;
    await api.usagePanel.receive({ type: 'reportLeakedKey', keyName: 'personal' });
    assert.equal(user.messages.length, questions);
    assert.ok(api.logLines().some((l) => l.includes('did not flag; ignored')));

    // A page reload (ready again) shows the last figures without a call; the Refresh button calls again.
    const calls = (): number => fake.requests.filter((r) => r.path === USAGE_PATH).length;
    const before = calls();
    await api.usagePanel.receive({ type: 'ready' });
    assert.equal(calls(), before, 'no Admin API call on a page reload');
    assert.equal(api.usagePanel.lastOrganisation?.state, 'ok');
    await api.usagePanel.receive({ type: 'refreshOrganisation' });
    await api.usagePanel.organisationIdle;
    assert.ok(calls() > before, 'Refresh organisation figures calls the Admin API');
    assert.deepEqual(organisationMessages().slice(-2).map((o) => o.state), ['fetching', 'ok']);
    const refreshing = organisationMessages().at(-2);
    assert.ok(refreshing?.state === 'fetching' && refreshing.previous !== undefined, 'the last figures stay shown while refreshing');
    assertNoKey(JSON.stringify(posted), key, 'a host→webview message');
    assertNoKey(api.logLines().join('\n'), key, 'the log');
  });

  it('an Admin key without the right (403) shows the forbidden state in plain words, with Set Admin Key', async () => {
    const noRights = fakeKeys.adminKey();
    fake.addAdminKey(noRights, { permission: 'none' });
    await api.secrets.store(SecretKeys.adminKey, noRights);
    const organisation = await open();
    assert.equal(organisation.state, 'problem', JSON.stringify(organisation));
    assert.ok(organisation.state === 'problem');
    assert.equal(organisation.problem, 'forbidden');
    assert.match(organisation.message, /no right to read the organisation's usage and cost reports \(403\)/);
    assertNoKey(JSON.stringify(posted), noRights, 'a host→webview message');
  });

  it('a key the Admin API refuses (401) says the Admin API is unavailable with it (an individual account has none)', async () => {
    await api.secrets.store(SecretKeys.adminKey, key);
    const organisation = await open();
    assert.ok(organisation.state === 'problem', JSON.stringify(organisation));
    assert.equal(organisation.problem, 'unavailable');
    assert.match(organisation.message, /Admin API is unavailable with this Admin key \(401\)/);
    assertNoKey(JSON.stringify(posted), key, 'a host→webview message');
  });

  it('a connection the server drops is the network state (the SDK retried it); Try Again fetches anew', async () => {
    await api.secrets.store(SecretKeys.adminKey, adminKey);
    // The key list is asked first, with the SDK's 2 retries: 3 dropped connections.
    fake.enqueueFault('adminKeys', { kind: 'drop' }, 3);
    const organisation = await open();
    assert.ok(organisation.state === 'problem', JSON.stringify(organisation));
    assert.equal(organisation.problem, 'network');
    assert.ok(organisation.message.length > 0);
    await api.usagePanel.receive({ type: 'refreshOrganisation' });
    await api.usagePanel.organisationIdle;
    assert.equal(api.usagePanel.lastOrganisation?.state, 'ok', JSON.stringify(api.usagePanel.lastOrganisation));
    assertNoKey(JSON.stringify(posted), adminKey, 'a host→webview message (Admin key)');
  });

  it('without an Admin key the section offers Set Admin Key and nothing calls the Admin API', async () => {
    const organisation = await open();
    assert.deepEqual(organisation, { state: 'noAdminKey' });
    assert.deepEqual(organisationMessages(), [{ state: 'noAdminKey' }]);
    assert.equal(fake.requests.filter((r) => r.path.startsWith('/v1/organizations')).length, 0);
    await api.usagePanel.receive({ type: 'refreshOrganisation' });
    assert.equal(fake.requests.filter((r) => r.path.startsWith('/v1/organizations')).length, 0);
  });

  it("start-up's background work builds the summary of the earlier charted month once, so the first open reads no line of it", async () => {
    const now = new Date('2026-12-10T12:00:00Z');
    fs.mkdirSync(api.usage.ledger.folder, { recursive: true });
    fs.writeFileSync(path.join(api.usage.ledger.folder, ledgerFileName('2026-11')), serializeRecord(usageRecord({ time: '2026-11-20T10:00:00.000Z', costUsd: 2 })));
    assert.equal(await api.usage.ledger.isSummarised('2026-11'), false);
    assert.deepEqual(await api.usage.buildSummaries(now), ['2026-11']);
    assert.ok(fs.existsSync(path.join(api.usage.ledger.folder, 'summaries', `${ledgerFileName('2026-11')}.summary.json`)));
    assert.equal(await api.usage.ledger.isSummarised('2026-11'), true);
    assert.deepEqual(await api.usage.buildSummaries(now), [], 'nothing to build twice');
  });
});
