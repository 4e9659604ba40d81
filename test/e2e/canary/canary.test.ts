import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskKey } from '../../../src/core/mask';
import { fakeKeys } from '../../fakes/keys';
import { REPO_ROOT } from '../../harness/tools';
import { quickInput } from '../workbench';
import { startCanaryWorkbench, type CanaryWorkbench } from './canaryWorkbench';
import { searchEverything, type SearchReport } from './canarySearch';
import { claudeStatus, clearNotifications, declineExternalLink, dialog, openFile, panel, passwordBox, runTitled, sendFromPanel, textBox, waitForToast } from './steps';

/**
 * Issue 10, "canary across every surface": one generated key set goes through every command, the
 * panel, Quick Prompt, scans, rotation, the error paths and a window reload. Then everything the
 * run left behind is searched as bytes for each key and for every 20-character slice of its secret
 * part (see canarySearch.ts for what is searched and what is left out, and why).
 */
describe('Canary: a generated key set leaves no trace outside SecretStorage (Chromium, persistent profile)', function () {
  this.timeout(120_000);
  const canary = fakeKeys.apiKey();
  const named = fakeKeys.apiKey();
  const rotated = fakeKeys.apiKey();
  const keys = [canary, named, rotated];
  // Stored only in the page's localStorage and IndexedDB, never in the extension: the search must find it there.
  const control = fakeKeys.apiKey();
  const userFileLine = `const client = new Anthropic({ apiKey: "${canary}" });`;
  const cliOutputs: Array<{ format: string; output: string }> = [];
  let wb: CanaryWorkbench;

  before(async () => {
    wb = await startCanaryWorkbench(
      {
        // The user's own file with the key hard-coded: Scan Workspace, diagnostics and the quick fix work on it.
        'client.ts': `import Anthropic from '@anthropic-ai/sdk';\n\n${userFileLine}\n`,
        'README.md': '# canary workspace\n',
      },
      { 'claudeKeys.injectIntoTerminals': true },
    );
    for (const key of keys) {
      wb.fake.addApiKey(key);
    }
    wb.fake.setReply({ text: 'A key is a secret. Keep it out of code.', chunkSize: 5, delayMs: 5 });
  });

  after(async () => {
    await wb?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await wb.screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('starts with no key; a control value goes into the page\'s localStorage and IndexedDB', async () => {
    const { page } = wb;
    await claudeStatus(page, /no key/).waitFor({ state: 'visible', timeout: 60_000 });
    await page.evaluate(async (value) => {
      // Runs in the workbench page: the same origin, storage and profile VS Code uses.
      const g = globalThis as unknown as { localStorage: { setItem(k: string, v: string): void }; indexedDB: { open(name: string): IdbOpen } };
      g.localStorage.setItem('claude-keys-canary-control', value);
      g.localStorage.setItem('claude-keys-canary-control-utf16', `鍵 ${value}`);
      await new Promise<void>((resolve, reject) => {
        const open = g.indexedDB.open('claude-keys-canary-control');
        open.onupgradeneeded = () => open.result.createObjectStore('s');
        open.onerror = () => reject(new Error('indexedDB open failed'));
        open.onsuccess = () => {
          const tx = open.result.transaction('s', 'readwrite');
          tx.objectStore('s').put(`鍵 ${value}`, 'control');
          tx.oncomplete = () => resolve();
        };
      });
    }, control);
    await wb.screenshot('start');
  });

  it('Set API Key, Validate, Show Key Status', async () => {
    const { page } = wb;
    await runTitled(page, 'Claude Keys: Set API Key');
    await passwordBox(page).fill(canary);
    await page.keyboard.press('Enter');
    await claudeStatus(page, /key valid/).waitFor({ state: 'visible', timeout: 15_000 });
    await waitForToast(page, `${maskKey(canary)} saved in VS Code SecretStorage`);
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Validate API Key');
    await waitForToast(page, /works: it can see \d+ models/);
    await runTitled(page, 'Claude Keys: Show Key Status');
    const status = await dialog(page, maskKey(canary));
    await wb.screenshot('key-status');
    await status.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Add Named Key, then Switch Active Key back', async () => {
    const { page } = wb;
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Add Named Key');
    await textBox(page).fill('work');
    await page.keyboard.press('Enter');
    await passwordBox(page).fill(named);
    await page.keyboard.press('Enter');
    await waitForToast(page, `${maskKey(named)} saved in VS Code SecretStorage`);
    await runTitled(page, 'Claude Keys: Switch Active Key');
    await quickInput(page).locator('.monaco-list-row', { hasText: 'default' }).first().click();
    await waitForToast(page, `Active Claude key: "default" (${maskKey(canary)})`);
  });

  it('error paths: 401, 429, 500 and 529 from the API while validating', async () => {
    const { page, fake } = wb;
    const cases: Array<[Parameters<typeof fake.enqueueFault>[1], RegExp]> = [
      [{ kind: 'status', status: 401 }, /401 unauthorized/],
      [{ kind: 'rateLimit', retryAfterSeconds: 1 }, /rate limit exceeded \(429\)/],
      [{ kind: 'status', status: 500 }, /internal error \(500\)/],
      [{ kind: 'status', status: 529 }, /overloaded right now \(529\)/],
    ];
    for (const [fault, message] of cases) {
      await clearNotifications(page);
      fake.enqueueFault('models', fault);
      await runTitled(page, 'Claude Keys: Validate API Key');
      await waitForToast(page, message);
    }
    await wb.screenshot('error-toast');
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Validate API Key');
    await claudeStatus(page, /key valid/).waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('the prompt panel: an answer, a 401 and a mid-stream overload', async () => {
    const { page, fake } = wb;
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Open Prompt Panel');
    await panel(page).locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await sendFromPanel(page, 'What is an API key?', /Done/);
    assert.match(await panel(page).locator('#answer').innerText(), /Keep it out of code/);
    fake.enqueueFault('messages', { kind: 'status', status: 401 });
    await sendFromPanel(page, 'Again, please.', /Error|Failed|error/i);
    assert.match(await panel(page).locator('#error').innerText(), /401/);
    fake.enqueueFault('messages', { kind: 'streamError', afterDeltas: 2, errorType: 'overloaded_error', message: 'Overloaded' });
    await sendFromPanel(page, 'Once more.', /Error|Failed|error|Warning/i);
    await wb.screenshot('panel-error');
  });

  it('Quick Prompt answers into a new document', async () => {
    const { page } = wb;
    await runTitled(page, 'Claude Keys: Quick Prompt');
    await textBox(page).fill('Say something about keys.');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').filter({ hasText: 'Keep it out of code' }).first().waitFor({ timeout: 30_000 });
  });

  it('Send Selection with the key in it: asks first, and the panel shows only the masked form', async () => {
    const { page } = wb;
    await openFile(page, 'client.ts', 'new Anthropic');
    await page.locator('.monaco-editor .view-lines').filter({ hasText: 'new Anthropic' }).first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await runTitled(page, 'Claude Keys: Send Selection as Prompt');
    const ask = await dialog(page, maskKey(canary));
    await ask.getByRole('button', { name: 'Send Masked' }).click();
    await textBox(page).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await panel(page).locator('#status').filter({ hasText: /Done/ }).waitFor({ timeout: 30_000 });
    assert.match(await panel(page).locator('#prompt').inputValue(), new RegExp(maskKey(canary).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('the panel\'s Count tokens, then Count Tokens on the selection with the key in it: counts of the masked text', async () => {
    const { page } = wb;
    await clearNotifications(page);
    await panel(page).locator('#countTokens').click();
    await panel(page).locator('#tokenCount[data-state="done"]').waitFor({ state: 'visible', timeout: 15_000 });
    // Back to client.ts as Send Selection left it (all of it selected, the key included), without moving it.
    await runTitled(page, 'View: Focus First Editor Group');
    await runTitled(page, 'Claude Keys: Count Tokens');
    assert.match(await waitForToast(page, /input tokens in the selection with/), /masked before counting/);
  });

  it('Scan Workspace finds the key (masked in the Problems panel); the quick fix moves it to SecretStorage', async () => {
    const { page } = wb;
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Scan Workspace for Hard-coded Keys');
    await waitForToast(page, /hard-coded/i, 30_000);
    await runTitled(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel .monaco-list-row').filter({ hasText: `Hard-coded Claude API key ${maskKey(canary)}` }).first().waitFor({ state: 'visible' });
    await wb.screenshot('problems');
    await openFile(page, 'client.ts', 'new Anthropic');
    await page.locator('.monaco-editor .view-lines span').filter({ hasText: /sk-ant-api03-/ }).first().click();
    const bulb = page.locator('.monaco-editor .lightBulbWidget, .monaco-editor .codicon-lightbulb, .monaco-editor .codicon-light-bulb').first();
    // The light bulb waits for every provider, TypeScript's too, which is slow on a loaded machine.
    await bulb.waitFor({ state: 'visible', timeout: 60_000 });
    await bulb.click();
    await page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row').filter({ hasText: 'Move key to SecretStorage' }).first().click();
    // The fix asks first, naming the masked key and the file (the dialog's text is searched too).
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: `Move the Claude API key ${maskKey(canary)} from client.ts into SecretStorage?` });
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Move Key' }).click();
    await page.locator('.monaco-editor .view-lines').filter({ hasText: 'process.env.ANTHROPIC_API_KEY' }).first().waitFor({ timeout: 15_000 });
    await waitForToast(page, `Moved ${maskKey(canary)} into SecretStorage`);
    await page.keyboard.press('ControlOrMeta+S');
  });

  it('a terminal gets the key in its environment (opt-in) without showing it', async () => {
    const { page, workspace } = wb;
    await runTitled(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper.active .xterm, .terminal-wrapper .xterm').first();
    await terminal.waitFor({ state: 'visible' });
    await page.waitForTimeout(1_500);
    await terminal.click();
    const out = path.join(workspace, 'terminal-check.txt');
    await page.keyboard.type(`printf '%s' "\${#ANTHROPIC_API_KEY}" > '${out}'\n`);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8') !== '', 15_000, 'the terminal did not run the command');
    assert.equal(fs.readFileSync(out, 'utf8'), String(canary.length), 'the terminal did not get the key');
    // Give the keyboard back to the workbench.
    await runTitled(page, 'View: Focus Active Editor Group');
  });

  it('Rotate API Key through to a new key', async () => {
    const { page } = wb;
    await page.keyboard.press('Escape');
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Rotate API Key');
    const start = await dialog(page, `Rotate the Claude API key ${maskKey(canary)}`);
    await start.getByRole('button', { name: 'I Have a New Key' }).click();
    await passwordBox(page).fill(rotated);
    await page.keyboard.press('Enter');
    await waitForToast(page, `Rotated: ${maskKey(rotated)} is now your key`);
  });

  it('a window reload restores the panel and the key state', async function () {
    this.timeout(240_000);
    const { page } = wb;
    await page.reload({ timeout: 90_000 });
    await claudeStatus(page, /key valid/).waitFor({ state: 'visible', timeout: 60_000 });
    // The restored panel may come back behind another tab of its group (a hidden webview draws nothing).
    const tab = page.locator('.tab', { hasText: 'Claude Prompt' });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    await panel(page).locator('#answer').filter({ hasText: 'Keep it out of code' }).waitFor({ timeout: 150_000 });
    await wb.screenshot('after-reload');
    // Let the restored panel and terminal finish taking focus before the next command.
    await page.waitForTimeout(2_000);
  });

  it('Report Leaked Key removes the key and starts rotation (cancelled here)', async () => {
    const { page } = wb;
    await clearNotifications(page);
    await runTitled(page, 'Claude Keys: Report Leaked Key');
    // Named keys are stored (Add Named Key above), so the question names the key too.
    const ask = await dialog(page, `Treat the key "default" (${maskKey(rotated)}) as leaked?`);
    await ask.getByRole('button', { name: 'Remove and Replace It' }).click();
    await declineExternalLink(page);
    await dialog(page, `Replace the leaked key ${maskKey(rotated)}`);
    await wb.screenshot('leak-replace');
    await page.keyboard.press('Escape');
    await claudeStatus(page, /key/).waitFor({ state: 'visible' });
  });

  it('the CLI prints only masked forms (text, json, sarif)', () => {
    const folder = path.join(wb.stateDir, 'cli-input');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'config.py'), keys.map((k, i) => `KEY_${i} = "${k}"\n`).join(''));
    for (const format of ['text', 'json', 'sarif']) {
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', '--format', format, folder], { encoding: 'utf8' });
      assert.equal(run.status, 1, `${format}: ${run.stderr}`);
      const output = run.stdout + run.stderr;
      assert.ok(output.includes(maskKey(canary).slice(-4)), `${format}: the finding is not reported`);
      cliOutputs.push({ format, output });
    }
  });

  it('after the run: zero hits for any key or any 20-character slice of its secret part, in every surface', async function () {
    this.timeout(300_000);
    await wb.close();
    const report: SearchReport = searchEverything({ keys, control, wb, cliOutputs, userFileLine });
    for (const line of report.summary) {
      console.log(`      ${line}`);
    }
    // The search can see what it claims to: the control value in the profile, the key in the workspace file.
    assert.ok(report.controlHits.length > 0, 'the control value was not found in the browser profile: the profile search is blind');
    assert.ok(report.workspaceHits > 0, 'the planted key was not found in the workspace: the search is blind');
    assert.ok(report.excludedSecretBlobs > 0, 'no encrypted SecretStorage blob was found to exclude: the key cannot have been stored');
    assert.ok(wb.recorder.hostToWebview().length > 0 && wb.recorder.webviewToHost().length > 0, 'the panel\'s messages were not recorded');
    assert.ok(wb.recorder.count('ui', 'notification') > 0 && wb.recorder.count('ui', 'diagnostics') > 0, 'notifications or the Problems panel were not recorded');
    assert.deepEqual(report.hits.map((h) => `${h.where} @${h.offset} (${h.encoding}, ${h.length} chars of ${h.key}): ${h.context}`), []);
  });
});

interface IdbOpen {
  result: { createObjectStore(name: string): unknown; transaction(store: string, mode: string): IdbTx };
  onupgradeneeded: () => void;
  onerror: () => void;
  onsuccess: () => void;
}
interface IdbTx {
  objectStore(name: string): { put(value: string, key: string): void };
  oncomplete: () => void;
}

async function waitFor(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(message);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
