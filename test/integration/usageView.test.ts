import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { EXPORT_COLUMNS } from '../../src/core/usageExport';
import { maskKey } from '../../src/core/mask';
import { dayOf, ledgerFileName, monthOf, serializeRecord, type UsageRecord } from '../../src/core/usageRecord';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { parseUsageHostMessage, type UsageHostToWebview, type UsageViewModel } from '../../src/shared/usageProtocol';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { usageRecord } from '../unit/usageFixtures';
import { assertNoKey, until } from './helpers';
import { hostSuite, postedBy, storeNewKey } from './hostSuite';
import type { ScriptedInteraction } from './scriptedInteraction';

const DAY = 86_400_000;

/** A history over the last week for two named keys and two models, one of them without a price. */
function history(now: Date, hint: string): UsageRecord[] {
  const records: UsageRecord[] = [];
  for (let d = 0; d < 7; d++) {
    const time = new Date(now.getTime() - d * DAY).toISOString();
    records.push(usageRecord({ time, keyName: 'work', keyHint: hint, model: 'claude-haiku-4-5-20251001', costUsd: 0.5, inputTokens: 1000, cacheReadTokens: 1000, requestId: `req_gen_${d}a` }));
    records.push(usageRecord({ time, keyName: 'ci', keyHint: 'sk-ant-api03-…CiCi', model: 'claude-sonnet-5-5', costUsd: null, inputTokens: 10, requestId: `req_gen_${d}b` }));
  }
  return records;
}

describe('Show Usage in the real host (generated ledger, fake API)', () => {
  let api: ClaudeKeysTestApi;
  let fake: FakeAnthropicApi;
  let user: ScriptedInteraction;
  let key: string;
  let out: string;
  hostSuite((h) => ({ api, fake, user } = h), { ledger: 'empty', clearAfterEach: [Settings.usageMonthlyBudgetUsd], closeEditorsAfterEach: true });
  const posted = postedBy(() => api.usagePanel);

  beforeEach(async () => {
    key = await storeNewKey({ api, fake }, 'work');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-export-'));
  });

  afterEach(() => {
    fs.rmSync(out, { recursive: true, force: true });
  });

  async function openWithHistory(): Promise<UsageViewModel> {
    const now = new Date();
    fs.mkdirSync(api.usage.ledger.folder, { recursive: true });
    // Older days first: they may fall in last month's file.
    for (const record of history(now, maskKey(key)).reverse()) {
      fs.appendFileSync(path.join(api.usage.ledger.folder, ledgerFileName(monthOf(record.time))), serializeRecord(record));
    }
    // And one real call through the SDK to the fake API, recorded by the ledger.
    await vscode.commands.executeCommand(Commands.validateApiKey);
    await api.usage.idle;
    await vscode.commands.executeCommand(Commands.showUsage);
    const message = await until(() => posted.find((m) => m.type === 'view' && m.view.requests >= 15), 'the view posted after the webview said ready', 20_000);
    return (message as Extract<UsageHostToWebview, { type: 'view' }>).view;
  }

  it('Show Usage opens the panel under the CSP, and posts a valid view of the ledger: per day, model and key, price unknown, cache hit rate, budget', async () => {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.usageMonthlyBudgetUsd, 100, vscode.ConfigurationTarget.Global);
    const view = await openWithHistory();
    assert.ok(api.usagePanel.isOpen);
    for (const message of posted) {
      assert.deepEqual(parseUsageHostMessage(JSON.parse(JSON.stringify(message))), message, 'every posted message passes the webview-side check');
    }
    const today = dayOf(new Date());
    assert.equal(view.days.length, 30);
    assert.equal(view.days.at(-1), today);
    const byModel = view.charts.find((c) => c.id === 'spendByModel');
    const haiku = byModel?.series.find((s) => s.label === 'claude-haiku-4-5-20251001');
    assert.deepEqual(haiku?.values.slice(-7), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const sonnet = view.byModel.find((r) => r.label === 'claude-sonnet-5-5');
    assert.deepEqual([sonnet?.requests, sonnet?.costUsd, sonnet?.unpricedRequests], [7, 0, 7], 'an unknown model is price unknown, not $0');
    const keys = view.byKey.map((r) => r.label);
    assert.ok(keys.includes(`work (${maskKey(key)})`), keys.join(', '));
    assert.ok(keys.includes('ci (sk-ant-api03-…CiCi)'));
    const validate = view.byModel.find((r) => r.label === '(no model)');
    assert.equal(validate?.requests, 1, 'the real validate call is in the view');
    assert.ok(view.cacheHitRate !== null && view.cacheHitRate > 0.4 && view.cacheHitRate < 0.6, String(view.cacheHitRate));
    assert.equal(view.month.budgetUsd, 100);
    assert.ok(view.month.spentUsd > 0 && view.month.projectedUsd >= view.month.spentUsd);
    // The panel's HTML: same CSP as the prompt panel, the usage bundle by nonce.
    const html = (api.usagePanel as unknown as { page: { panel: vscode.WebviewPanel } }).page.panel.webview.html;
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src [^;]+; font-src [^;]+; img-src [^;]+ data:; script-src 'nonce-[A-Za-z0-9+/=]+'"/);
    assert.match(html, /<script nonce="[^"]+" src="[^"]+usage\.js">/);
    assert.ok(!html.includes('unsafe-inline'));
    assertNoKey(JSON.stringify(posted), key, 'a host→webview message');
  });

  it('exports the ledger as CSV and JSON through the save dialog: every record, no key nor a 20-character slice of it', async () => {
    await openWithHistory();
    const csv = path.join(out, 'usage.csv');
    const json = path.join(out, 'usage.json');
    user.saveTo = (options) => vscode.Uri.file(options.filters && 'CSV' in options.filters ? csv : json);
    await api.usagePanel.receive({ type: 'export', format: 'csv' });
    await api.usagePanel.receive({ type: 'export', format: 'json' });
    assert.equal(user.saveDialogs.length, 2);
    const csvText = fs.readFileSync(csv, 'utf8');
    const lines = csvText.trimEnd().split('\r\n');
    assert.equal(lines[0], EXPORT_COLUMNS.join(','));
    assert.equal(lines.length, 1 + 15);
    assert.ok(lines.some((l) => l.includes('price unknown')));
    const records = JSON.parse(fs.readFileSync(json, 'utf8')) as Array<Record<string, unknown>>;
    assert.equal(records.length, 15);
    assert.equal(records.filter((r) => r.operation === 'validate' && r.keyHint === maskKey(key)).length, 1);
    assertNoKey(csvText, key, 'the CSV export');
    assertNoKey(fs.readFileSync(json, 'utf8'), key, 'the JSON export');
    const notices = posted.filter((m) => m.type === 'notice').map((m) => (m as { message: string }).message);
    assert.equal(notices.length, 2, notices.join(' | '));
    assertNoKey(JSON.stringify(posted), key, 'a host→webview message');
    // Cancel: nothing written, nothing said.
    user.saveTo = () => undefined;
    await api.usagePanel.receive({ type: 'export', format: 'csv' });
    assert.equal(posted.filter((m) => m.type === 'notice').length, 2);
  });

  it('drops malformed or unknown webview messages without acting on them', async () => {
    await openWithHistory();
    const before = posted.length;
    for (const bad of [{ type: 'export', format: '../../etc/passwd' }, { type: 'openFile', path: '/' }, 'export', null]) {
      await api.usagePanel.receive(bad);
    }
    assert.equal(user.saveDialogs.length, 0);
    assert.equal(posted.length, before);
    assert.ok(api.logLines().some((l) => l.includes('usage panel: dropped an invalid message')));
  });
});
