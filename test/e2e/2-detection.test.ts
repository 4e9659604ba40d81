import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeKeys } from '../fakes/keys';
import { runCommand, screenshot, session, statusBarItem } from './workbench';

describe('Hard-coded keys in the workbench (Chromium)', () => {
  const key = fakeKeys.apiKey();
  const masked = `sk-ant-api03-…${key.slice(-4)}`;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('a pasted key shows up in the Problems panel, masked', async () => {
    const { page, workspace, fake } = session();
    fake.addApiKey(key);
    fs.writeFileSync(path.join(workspace, 'client.ts'), `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ apiKey: "${key}" });\n`);
    await page.keyboard.press('Escape');
    await runCommand(page, 'Go to File...');
    await page.keyboard.type('client.ts');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'client.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').filter({ hasText: 'new Anthropic' }).waitFor();
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: `Hard-coded Claude API key ${masked}` });
    await problem.waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot('problems-panel-hard-coded-key');
    assert.equal((await problem.count()), 1);
    assert.equal(fake.requests.filter((r) => r.apiKey === key).length, 0, 'the detected key was sent to the API');
  });

  it('the light bulb\'s preferred fix moves the key into SecretStorage (not checked live unless asked) and reads ANTHROPIC_API_KEY instead', async () => {
    const { page, fake } = session();
    // Put the cursor on the key in the editor; the light bulb appears in the gutter.
    await page.locator('.monaco-editor .view-lines span').filter({ hasText: /sk-ant-api03-/ }).first().click();
    const bulb = page.locator('.monaco-editor .lightBulbWidget, .monaco-editor .codicon-lightbulb, .monaco-editor .codicon-light-bulb').first();
    // The light bulb waits for every provider, TypeScript's too, which is slow on a loaded machine.
    await bulb.waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot('light-bulb');
    await bulb.click();
    const fix = page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row').filter({ hasText: 'Move key to SecretStorage' });
    await fix.first().waitFor({ state: 'visible' });
    await screenshot('quick-fix-menu');
    await fix.first().click();
    // It asks first, naming the masked key and the file.
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: `Move the Claude API key ${masked} from client.ts into SecretStorage?` });
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot('quick-fix-asks-first');
    await dialog.getByRole('button', { name: 'Move Key' }).click();
    await page.locator('.monaco-editor .view-lines').filter({ hasText: 'apiKey: process.env.ANTHROPIC_API_KEY' }).waitFor({ timeout: 15_000 });
    // One message says what happened and where copies remain (the file was saved, so Local History).
    await page.locator('.notification-toast').filter({ hasText: 'Copies may remain' }).filter({ hasText: 'Local History' }).waitFor({ state: 'visible', timeout: 15_000 });
    await statusBarItem(page).filter({ hasText: 'Claude: key set' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'Hard-coded Claude API key' }).waitFor({ state: 'hidden', timeout: 15_000 });
    await page.waitForTimeout(400);
    await screenshot('quick-fix-applied');
    assert.ok(!(await page.locator('body').innerText()).includes(key), 'the key is visible on the page');
    // Stored but never sent: the status bar still says "key set" (unchecked) and the fake saw no request with it.
    assert.match(await statusBarItem(page).innerText(), /Claude: key set/);
    assert.equal(fake.requests.filter((r) => r.apiKey === key).length, 0, 'the moved key was checked live without being asked');
  });
});
