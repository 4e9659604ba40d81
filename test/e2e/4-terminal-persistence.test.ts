import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fakeKeys } from '../fakes/keys';
import { quickInput, runCommand, screenshot, session, statusBarItem } from './workbench';

/**
 * The key for terminals and terminal persistence: a terminal that has the key, a reload with
 * persistent sessions on, then (in the harness) a clean stop and a search of every file the server
 * and its extension host wrote. The search runs after the server stops; see runE2e.
 */
/** statusBarItem() looks for "Claude:", but with several keys the item reads "Claude (name): …". */
function claudeItem(page: Page, text: RegExp): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: text });
}

describe('Key for terminals in the workbench (Chromium)', () => {
  const key = fakeKeys.apiKey();

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('a terminal gets the key, the window reloads with persistent sessions on, and the harness then stops the server and searches the disk for the key', async function () {
    this.timeout(180_000);
    const { page, fake, workspace } = session();
    fake.addApiKey(key);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await statusBarItem(page).waitFor({ state: 'visible', timeout: 60_000 });
    // The most persistent terminal settings there are. The key for terminals is turned on below, in
    // the Settings editor (not written here as well: the click could land after VS Code read the file, and turn it off).
    const settingsFile = path.join(path.dirname(workspace), 'user-data', 'User', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(
      settingsFile,
      JSON.stringify(
        {
          ...settings,
          'terminal.integrated.enablePersistentSessions': true,
          'terminal.integrated.persistentSessionReviveProcess': 'onExitAndWindowClose',
        },
        null,
        2,
      ),
    );
    await page.keyboard.press('Escape');
    // The user turns the key for terminals on in the Settings editor.
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor({ state: 'visible' });
    await page.waitForTimeout(500); // the search box takes the focus
    await page.keyboard.type('claudeKeys.injectIntoTerminals');
    // This setting's own checkbox: until the search applies, the first one shown is another setting's.
    const item = page.locator('.settings-editor .setting-item-bool').filter({ hasText: 'Inject Into Terminals' });
    const checkbox = item.locator('.setting-value-checkbox');
    await checkbox.waitFor({ state: 'visible' });
    await checkbox.click();
    await item.locator('.setting-value-checkbox[aria-checked="true"]').waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    await screenshot('setting-key-for-terminals-on');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Claude Keys: Add Named Key');
    const name = quickInput(page).locator('input');
    await name.waitFor({ state: 'visible' });
    await name.fill('terminal');
    await page.keyboard.press('Enter');
    const input = quickInput(page).locator('input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(key);
    await page.keyboard.press('Enter');
    await claudeItem(page, /Claude( \(terminal\))?: key valid/).waitFor({ state: 'visible', timeout: 45_000 });

    // The one-time warning comes when the key first goes into the terminals' environment.
    await page.locator('.notification-toast').filter({ hasText: 'New terminals now get your Claude API key' }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Escape');
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(1000); // the shell's prompt
    // Only the length is written: the terminal's own output is persisted too, and that is not the question.
    const lengthIn = async (file: string): Promise<string> => {
      const out = path.join(workspace, file);
      await page.keyboard.type(`echo "\${#ANTHROPIC_API_KEY}" > ${file}`);
      await page.keyboard.press('Enter');
      for (let i = 0; i < 100 && !(fs.existsSync(out) && fs.readFileSync(out, 'utf8').endsWith('\n')); i++) {
        await page.waitForTimeout(100);
      }
      return fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim() : 'nothing written';
    };
    assert.equal(await lengthIn('key-length.txt'), String(key.length), 'the terminal did not get the key');
    await screenshot('terminal-has-key');
    // A terminal now runs with the key: from here on the harness looks for it on disk.
    session().mustNotBeOnDisk.push(key);

    await page.reload();
    await claudeItem(page, /Claude( \(terminal\))?: key/).waitFor({ state: 'visible', timeout: 60_000 });
    // The workbench is back; the terminal process lives on in the terminal host (persistent sessions).
    await screenshot('after-reload');
    const visible = await page.locator('body').innerText();
    assert.ok(!visible.includes(key), 'the key is visible on the page');
  });
});
