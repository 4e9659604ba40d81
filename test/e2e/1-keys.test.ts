import * as assert from 'node:assert/strict';
import { fakeKeys } from '../fakes/keys';
import { quickInput, runCommand, screenshot, session, statusBarItem } from './workbench';

const masked = (key: string): string => `sk-ant-api03-…${key.slice(-4)}`;

describe('Claude Keys in the workbench (Chromium)', () => {
  const key = fakeKeys.apiKey();
  const newKey = fakeKeys.apiKey();

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('shows "no key" in the status bar after start-up', async () => {
    const { page } = session();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const item = statusBarItem(page);
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await item.innerText(), /Claude: no key/);
    await screenshot('status-bar-no-key');
  });

  it('Set API Key from the command palette refuses an admin key with a specific message', async () => {
    const { page } = session();
    await runCommand(page, 'Claude Keys: Set API Key');
    // The palette's text input turns into our masked box.
    const input = quickInput(page).locator('input[type="password"]');
    await input.waitFor({ state: 'visible' });
    assert.match((await quickInput(page).innerText()) ?? '', /Paste your Claude API key/);
    await screenshot('set-key-input-box');
    await input.fill(fakeKeys.adminKey());
    const message = quickInput(page).locator('.quick-input-message');
    await message.filter({ hasText: 'Admin API key' }).waitFor({ state: 'visible' });
    assert.match(await message.innerText(), /cannot send prompts/);
    await screenshot('set-key-admin-key-refused');
    await page.keyboard.press('Enter');
    // Enter on an invalid value keeps the box open. The box answers input in order, so once it has
    // checked a value typed after Enter, Enter has been handled: the box is still there to check it.
    await input.fill(fakeKeys.openAiProjectKey());
    await message.filter({ hasText: 'looks like an OpenAI key' }).waitFor({ state: 'visible' });
    assert.ok(await input.isVisible(), 'the box closed on an invalid value');
    // Back to where the next test starts: the admin key typed and refused.
    await input.fill(fakeKeys.adminKey());
    await message.filter({ hasText: 'Admin API key' }).waitFor({ state: 'visible' });
  });

  it('accepts a generated API key, confirms it masked, checks it live, and the status bar changes to "key valid"', async () => {
    const { page, fake } = session();
    fake.addApiKey(key);
    const input = quickInput(page).locator('input[type="password"]');
    await input.fill(key);
    await quickInput(page).locator('.quick-input-message').filter({ hasText: 'Admin API key' }).waitFor({ state: 'hidden' });
    await screenshot('set-key-valid-key-typed');
    await page.keyboard.press('Enter');
    await statusBarItem(page).filter({ hasText: 'Claude: key valid' }).waitFor({ state: 'visible', timeout: 15_000 });
    const toast = page.locator('.notification-toast').filter({ hasText: `${masked(key)} saved in VS Code SecretStorage` });
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await toast.innerText(), /saved in VS Code SecretStorage/);
    await page.locator('.notification-toast').filter({ hasText: /works: it can see \d+ models/ }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(500); // let the toast finish fading in
    await screenshot('key-set-status-bar-and-toast');
    const visibleText = await page.locator('body').innerText();
    assert.ok(!visibleText.includes(key), 'the key is visible on the page');
  });

  it('Rotate API Key: guided, refuses the old key, proves the new one, then says how to disable the old one', async () => {
    const { page, fake } = session();
    fake.addApiKey(newKey);
    await page.keyboard.press('Escape');
    await runCommand(page, 'Claude Keys: Rotate API Key');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: `Rotate the Claude API key ${masked(key)}` }).waitFor({ state: 'visible' });
    await screenshot('rotate-start-dialog');
    await dialog.getByRole('button', { name: 'I Have a New Key' }).click();
    const input = quickInput(page).locator('input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(key);
    await quickInput(page).locator('.quick-input-message').filter({ hasText: 'This is the key you are replacing' }).waitFor({ state: 'visible' });
    await screenshot('rotate-old-key-refused');
    await input.fill(newKey);
    await quickInput(page).locator('.quick-input-message').filter({ hasText: 'This is the key you are replacing' }).waitFor({ state: 'hidden' });
    await screenshot('rotate-new-key-typed');
    await page.keyboard.press('Enter');
    const done = page.locator('.notification-toast').filter({ hasText: `Rotated: ${masked(newKey)} is now your key` });
    await done.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await done.innerText(), /still works at Anthropic until you disable it/);
    await statusBarItem(page).filter({ hasText: 'Claude: key valid' }).waitFor({ state: 'visible' });
    await page.waitForTimeout(500); // let the toast finish fading in
    await screenshot('rotated-toast');
    const visibleText = await page.locator('body').innerText();
    assert.ok(!visibleText.includes(key) && !visibleText.includes(newKey), 'a key is visible on the page');
    assert.equal(fake.requests.filter((r) => r.apiKey === newKey).length, 1, 'the new key was not checked exactly once');
  });

  it('clicking the status bar offers the key commands; Clear asks, removes the key and the status bar says "no key"', async () => {
    const { page } = session();
    await page.keyboard.press('Escape');
    await page.locator('.notification-toast .codicon-notifications-clear').first().click({ timeout: 2000 }).catch(() => undefined);
    await statusBarItem(page).click();
    const row = quickInput(page).locator('.monaco-list-row', { hasText: 'Clear API Key' });
    await row.waitFor({ state: 'visible' });
    await screenshot('status-bar-menu');
    await row.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.ok((await dialog.innerText()).includes(masked(newKey)), 'the confirmation does not name the masked key');
    await screenshot('clear-key-confirmation');
    await dialog.getByRole('button', { name: 'Remove Key' }).click();
    await statusBarItem(page).filter({ hasText: 'Claude: no key' }).waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot('key-cleared');
  });
});
