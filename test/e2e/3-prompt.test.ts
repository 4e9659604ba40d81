import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { runCommand, screenshot, session } from './workbench';

const ANSWER = [
  '# Keys, briefly',
  '',
  'A **Claude API key** authenticates every request. Keep it in `SecretStorage`, never in code.',
  '',
  '```ts',
  'const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });',
  '```',
  '',
  '- rotate regularly',
  '- rotate at once after a leak',
  '',
].join('\n');

function panel(): FrameLocator {
  return session().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

describe('Prompt panel in the workbench (Chromium)', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(`FAILED-${this.currentTest.title}`);
    }
  });

  it('opens from the command palette', async () => {
    const { page } = session();
    await page.keyboard.press('Escape');
    await runCommand(page, 'Claude Keys: Open Prompt Panel');
    await panel().locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });
    await panel().locator('#model option').first().waitFor({ state: 'attached' });
    await screenshot('prompt-panel-open-light');
  });

  it('sends a prompt and the answer streams in as rendered Markdown, with metrics', async () => {
    const { fake } = session();
    fake.setReply({ text: ANSWER, chunkSize: 6, delayMs: 40, inputTokens: 21, outputTokens: 57 });
    await panel().locator('#prompt').fill('Explain API keys in three lines.');
    await panel().locator('#send').click();
    await panel().locator('#status').filter({ hasText: /Streaming/ }).waitFor({ timeout: 15_000 });
    await panel().locator('#answer').filter({ hasText: 'Keys, briefly' }).waitFor({ timeout: 15_000 });
    await screenshot('prompt-streaming');
    await panel().locator('#status').filter({ hasText: /Done/ }).waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('#answer h1').innerText(), 'Keys, briefly');
    assert.match(await panel().locator('#answer pre code').innerText(), /process\.env\.ANTHROPIC_API_KEY/);
    assert.equal(await panel().locator('#answer li').count(), 2);
    assert.equal(await panel().locator('[data-metric="inputTokens"]').innerText().then((t) => t.replace(/\D/g, '')), '21');
    assert.equal(await panel().locator('[data-metric="outputTokens"]').innerText().then((t) => t.replace(/\D/g, '')), '57');
    assert.match(await panel().locator('[data-metric="stopReason"]').innerText(), /end_turn/);
    await screenshot('prompt-answer-done');
  });

  it('Stop keeps the partial answer, marked as stopped', async () => {
    const { fake } = session();
    fake.setReply({ text: 'streaming word by word. '.repeat(300), chunkSize: 8, delayMs: 40 });
    await panel().locator('#prompt').fill('Say a lot.');
    await panel().locator('#send').click();
    await panel().locator('#answer').filter({ hasText: 'streaming word by word' }).waitFor({ timeout: 15_000 });
    await panel().locator('#stop').click();
    await panel().locator('#stoppedBadge').waitFor({ state: 'visible', timeout: 15_000 });
    const partial = await panel().locator('#answer').innerText();
    assert.ok(partial.length > 0 && partial.length < 'streaming word by word. '.repeat(300).length);
    await screenshot('prompt-stopped');
  });

  it('keeps its state when hidden and shown again, and after a window reload', async () => {
    const { page } = session();
    const answerBefore = await panel().locator('#answer').innerText();
    // Hide: bring another editor to the front of the panel's group, then come back.
    await page.locator('.tab', { hasText: 'Claude Prompt' }).waitFor();
    await runCommand(page, 'View: Open Previous Editor');
    await page.waitForTimeout(500);
    await page.locator('.tab', { hasText: 'Claude Prompt' }).click();
    await panel().locator('#prompt').waitFor({ state: 'visible' });
    assert.equal(await panel().locator('#prompt').inputValue(), 'Say a lot.');
    assert.equal(await panel().locator('#answer').innerText(), answerBefore);
    // A key typed into the form is saved only masked: after the reload the form shows its masked form.
    const key = fakeKeys.apiKey();
    await panel().locator('#systemSection summary').click();
    await panel().locator('#system').fill(`Use ${key} for the demo.`);
    await page.waitForTimeout(1_000);
    // Reload: the serializer restores the panel with its state.
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await panel().locator('#prompt').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await panel().locator('#prompt').inputValue(), 'Say a lot.');
    await panel().locator('#answer').filter({ hasText: 'streaming word by word' }).waitFor({ timeout: 15_000 });
    assert.equal(await panel().locator('#system').inputValue(), `Use ${maskKey(key)} for the demo.`);
    await screenshot('prompt-panel-restored-after-reload');
    await panel().locator('#system').fill('');
  });

  it('looks native in the dark theme too', async () => {
    const { page } = session();
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.waitForTimeout(1000);
    await panel().locator('#answer').waitFor();
    await screenshot('prompt-panel-dark');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  });
});
