import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConsoleMessage, FrameLocator } from 'playwright-core';
import { ledgerFileName, monthOf, serializeRecord, type UsageRecord } from '../../src/core/usageRecord';
import type { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { fakeKeys } from '../fakes/keys';
import { quickInput, runCommand, screenshot, session } from './workbench';

const DAY = 86_400_000;
const MODELS: ReadonlyArray<{ model: string; perMillion: number | null }> = [
  { model: 'claude-haiku-4-5-20251001', perMillion: 1 },
  { model: 'claude-sonnet-4-5-20250929', perMillion: 3 },
  { model: 'claude-opus-4-5-20251101', perMillion: 5 },
  // Not in the pricing table: shown as "price unknown".
  { model: 'claude-sonnet-5-5', perMillion: null },
];
const KEYS = [
  { keyName: 'work', keyHint: 'sk-ant-api03-…Wk7Q' },
  { keyName: 'ci', keyHint: 'sk-ant-api03-…Ci2x' },
];

/** 30 days of a busy user's ledger, written where the extension keeps it (the server's global storage). */
function writeHistory(): number {
  const folder = path.join(path.dirname(session().workspace), 'user-data', 'User', 'globalStorage', 'claude-keys.claude-keys', 'usage');
  fs.mkdirSync(folder, { recursive: true });
  const now = Date.now();
  const byFile = new Map<string, string[]>();
  let count = 0;
  for (let d = 29; d >= 0; d--) {
    // A weekly rhythm, so the bars are not all alike.
    const busy = 4 + ((d * 7) % 9);
    for (let i = 0; i < busy; i++) {
      const { model, perMillion } = MODELS[(d + i) % MODELS.length];
      const input = 2000 + ((d * 131 + i * 977) % 20_000);
      const record: UsageRecord = {
        v: 1,
        time: new Date(now - d * DAY - i * 60_000).toISOString(),
        operation: 'prompt',
        ...KEYS[i % 2],
        model,
        inputTokens: input,
        outputTokens: 300 + ((d + i) % 7) * 200,
        cacheWrite5mTokens: i % 3 === 0 ? 1500 : 0,
        cacheWrite1hTokens: 0,
        cacheReadTokens: i % 2 === 0 ? 6000 : 0,
        serverToolUses: 0,
        requestId: `req_e2e_${d}_${i}`,
        outcome: 'ok',
        latencyMs: 800,
        costUsd: perMillion === null ? null : ((input + 5 * 1000) * perMillion) / 1e6,
      };
      const file = path.join(folder, ledgerFileName(monthOf(record.time)));
      byFile.set(file, [...(byFile.get(file) ?? []), serializeRecord(record)]);
      count++;
    }
  }
  for (const [file, lines] of byFile) {
    fs.appendFileSync(file, lines.join(''));
  }
  return count;
}

/**
 * The organisation's side on the fake Admin API: an Admin key, two colleagues' keys spending every
 * day, and $2.00 two days ago on the key this workbench has stored (added by the terminal test),
 * which this machine did not send: the leak flag. Returns that stored key, when there is one.
 */
function organisationHistory(fake: FakeAnthropicApi): { adminKey: string; stored: string | undefined } {
  const adminKey = fakeKeys.adminKey();
  fake.addAdminKey(adminKey);
  const stored = [...fake.requests].reverse().find((r) => r.apiKey?.startsWith('sk-ant-api03-'))?.apiKey;
  const colleagues = [fake.addApiKey(fakeKeys.apiKey(), { name: 'ci-server' }).id, fake.addApiKey(fakeKeys.apiKey(), { name: 'colleague' }).id];
  const now = Date.now();
  for (let d = 29; d >= 0; d--) {
    const at = new Date(now - d * DAY).toISOString();
    colleagues.forEach((id, i) => {
      const tokens = 200_000 + ((d * 37 + i * 101) % 11) * 60_000;
      fake.reports.usage.push({ at, apiKeyId: id, model: 'claude-haiku-4-5-20251001', uncachedInputTokens: tokens });
      fake.reports.costs.push({ at, amount: String(tokens / 10_000) });
    });
  }
  if (stored) {
    const at = new Date(now - 2 * DAY).toISOString();
    fake.reports.usage.push({ at, apiKeyId: fake.addApiKey(stored).id, model: 'claude-haiku-4-5-20251001', uncachedInputTokens: 2_000_000 });
    fake.reports.costs.push({ at, amount: '200' });
  }
  return { adminKey, stored };
}

function usagePanel(): FrameLocator {
  return session().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The Organisation section's title at the top of the panel: its figures and the leak flag in view. */
async function scrollToOrganisation(): Promise<void> {
  await usagePanel()
    .locator('#organisation-title')
    .evaluate((title) => (title as unknown as { scrollIntoView(options: { block: string }): void }).scrollIntoView({ block: 'start' }));
}

/** Painted (non-transparent) pixels of every chart canvas, and a checksum of them, read in the page. */
async function canvasInk(): Promise<{ painted: number[]; checksum: number }> {
  return usagePanel()
    .locator('body')
    .evaluate(() => {
      const { document } = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<CanvasLike> } };
      const painted: number[] = [];
      let checksum = 0;
      for (const canvas of Array.from(document.querySelectorAll('canvas'))) {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] > 0) {
            n++;
            checksum = (checksum * 31 + data[i] + data[i + 1] * 7 + data[i + 2] * 13) % 1_000_000_007;
          }
        }
        painted.push(n);
      }
      return { painted, checksum };
    });
}

interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

describe('Show Usage in the workbench (Chromium)', () => {
  const csp: string[] = [];
  const onConsole = (message: ConsoleMessage): void => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      csp.push(message.text());
    }
  };

  before(() => session().page.on('console', onConsole));
  after(() => session().page.off('console', onConsole));

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  let organisation: { adminKey: string; stored: string | undefined };

  it('draws the charts with Chart.js under the webview CSP, a table beside each, from a generated history, and the Organisation section from the Admin API (light theme)', async () => {
    const { page, fake } = session();
    const records = writeHistory();
    organisation = organisationHistory(fake);
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Claude Keys: Set Admin Key');
    const input = quickInput(page).locator('input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(organisation.adminKey);
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast').filter({ hasText: /Admin key .* saved in SecretStorage/ }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Escape');
    await runCommand(page, 'Claude Keys: Show Usage');
    await usagePanel().locator('section[data-chart="spendByModel"] canvas').waitFor({ state: 'visible', timeout: 30_000 });
    await usagePanel().locator('body.vscode-light').waitFor({ state: 'attached', timeout: 15_000 });
    const stats = await usagePanel()
      .locator('body')
      .evaluate(() => (globalThis as unknown as { __claudeKeysUsage?: { charts: number; firstChartMs?: number } }).__claudeKeysUsage);
    assert.equal(stats?.charts, 4);
    // Opening the panel fetched the organisation's figures: two more charts, each with its table.
    const section = usagePanel().locator('#organisation[data-state="ok"]');
    await section.waitFor({ state: 'attached', timeout: 30_000 });
    for (const id of ['orgCostByDay', 'orgTokensByKey']) {
      assert.equal(await section.locator(`section[data-chart="${id}"] tbody th[scope="row"]`).count(), 30);
    }
    assert.match(await section.locator('#org-fetched').innerText(), /Fetched at/);
    assert.match(await section.innerText(), /up to about 5 minutes behind/);
    assert.match(await section.locator('section[data-chart="orgTokensByKey"] thead').innerText(), /ci-server[\s\S]*colleague|colleague[\s\S]*ci-server/);
    if (organisation.stored) {
      const flag = section.locator('.usage-org-leak');
      assert.match(await flag.innerText(), /spent \$2\.00 2 days ago|spent \$2\.00 on \d{4}-\d{2}-\d{2} that Claude Keys did not send/);
      assert.equal(await flag.getByRole('button', { name: 'Report Leaked Key' }).count(), 1);
    }
    const ink = await canvasInk();
    assert.equal(ink.painted.length, 6);
    assert.ok(ink.painted.every((n) => n > 2000), `every chart has bars and axes drawn: ${ink.painted.join(', ')}`);
    // Each chart has a real table with a caption and headers: 30 day rows.
    for (const id of ['spendByModel', 'spendByKey', 'tokensByModel', 'tokensByKey']) {
      const table = usagePanel().locator(`section[data-chart="${id}"] table`);
      assert.equal(await table.locator('caption').count(), 1);
      assert.equal(await table.locator('tbody th[scope="row"]').count(), 30);
    }
    const spendTable = await usagePanel().locator('section[data-chart="spendByModel"] table').innerText();
    assert.match(spendTable, /price unknown/);
    assert.match(await usagePanel().locator('#fig-cache').innerText(), /\d+\.\d %/);
    assert.match(await usagePanel().locator('#totals-model').innerText(), /claude-sonnet-5-5[\s\S]*price unknown/);
    const requests = Number((await usagePanel().locator('#fig-requests .usage-figure-value').innerText()).replace(/,/g, ''));
    assert.ok(requests >= records, `${requests} requests shown, ${records} generated`);
    assert.deepEqual(csp, [], 'the page broke no CSP rule');
    await screenshot('usage-charts-light');
    await scrollToOrganisation();
    await screenshot('usage-organisation-light');
    // The workbench and the panel's own page (a webview's text is not in the workbench's).
    const visible = (await page.locator('body').innerText()) + (await usagePanel().locator('body').innerText());
    for (const secret of [organisation.adminKey, organisation.stored ?? organisation.adminKey]) {
      assert.ok(!visible.includes(secret) && !visible.includes(secret.slice(-20)), 'a key is visible on the page');
    }
  });

  it('follows the dark theme: the charts are drawn again in the dark theme\'s colours', async () => {
    const { page } = session();
    const light = await canvasInk();
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await usagePanel().locator('body.vscode-dark').waitFor({ state: 'attached', timeout: 15_000 });
    let dark = await canvasInk();
    for (let i = 0; i < 20 && dark.checksum === light.checksum; i++) {
      await page.waitForTimeout(250);
      dark = await canvasInk();
    }
    assert.notEqual(dark.checksum, light.checksum, 'the charts were not recoloured');
    assert.ok(dark.painted.every((n) => n > 2000), dark.painted.join(', '));
    assert.deepEqual(csp, []);
    await screenshot('usage-charts-dark');
    await usagePanel().locator('section[data-chart="tokensByKey"]').scrollIntoViewIfNeeded();
    await screenshot('usage-tables-dark');
    await scrollToOrganisation();
    await screenshot('usage-organisation-dark');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await usagePanel().locator('body.vscode-light').waitFor({ state: 'attached', timeout: 15_000 });
  });
});
