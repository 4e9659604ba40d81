import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeKeys } from '../fakes/keys';
import { quickInput, runCommand, screenshot, session, statusBarItem } from './workbench';

/**
 * The key for terminals and terminal persistence: a terminal that has the key, a reload with
 * persistent sessions on, then (in the harness) a clean stop and a search of every file the server
 * and its extension host wrote. The search runs after the server stops; see runE2e.
 */
describe('Key for terminals in the workbench (Chromium)', () => {
  const key = fakeKeys.apiKey();

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('a terminal gets the key; after a reload (persistent sessions on) it is revived, and the harness then searches the disk for the key', async () => {
    const { page, fake, workspace } = session();
    session().mustNotBeOnDisk.push(key);
    fake.addApiKey(key);
    // The most persistent terminal settings there are, plus the key for terminals.
    const settingsFile = path.join(path.dirname(workspace), 'user-data', 'User', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(
      settingsFile,
      JSON.stringify(
        {
          ...settings,
          'claudeKeys.injectIntoTerminals': true,
          'terminal.integrated.enablePersistentSessions': true,
          'terminal.integrated.persistentSessionReviveProcess': 'onExitAndWindowClose',
        },
        null,
        2,
      ),
    );
    await page.keyboard.press('Escape');
    await runCommand(page, 'Claude Keys: Add Named Key');
    const name = quickInput(page).locator('input');
    await name.waitFor({ state: 'visible' });
    await name.fill('terminal');
    await page.keyboard.press('Enter');
    const input = quickInput(page).locator('input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(key);
    await page.keyboard.press('Enter');
    await statusBarItem(page).filter({ hasText: 'Claude (terminal): key valid' }).waitFor({ state: 'visible', timeout: 15_000 });

    await runCommand(page, 'Terminal: Create New Terminal');
    const rows = page.locator('.terminal-wrapper.active .xterm-rows, .terminal .xterm-rows').first();
    await rows.waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(1000); // the shell's prompt
    // Only the length goes to the screen: the terminal's buffer is persisted too, and that is not the question.
    await page.keyboard.type('echo "key length=${#ANTHROPIC_API_KEY}"');
    await page.keyboard.press('Enter');
    await page.locator('.xterm-rows').filter({ hasText: `key length=${key.length}` }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot('terminal-has-key');

    await page.reload();
    await statusBarItem(page).filter({ hasText: 'Claude (terminal): key' }).waitFor({ state: 'visible', timeout: 60_000 });
    // The revived terminal replays what it showed: the same session survived the reload.
    await page.locator('.xterm-rows').filter({ hasText: `key length=${key.length}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot('terminal-revived-after-reload');
    const visible = await page.locator('body').innerText();
    assert.ok(!visible.includes(key), 'the key is visible on the page');
  });
});
