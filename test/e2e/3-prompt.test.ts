import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { maskKey } from '../../src/core/mask';
import { estimateTokens } from '../fakes/fakeAnthropicApi';
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

interface Look {
  readonly classes: string[];
  /** The body's computed background, and the theme's editor background it should use, as rgb(). */
  readonly background: string;
  readonly themeBackground: string;
}

/** How the panel's page is themed right now. */
async function look(): Promise<Look> {
  return panel()
    .locator('body')
    .evaluate((body) => {
      // This runs in the page: reach its DOM globals without pulling DOM types into the Node build.
      const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
      // Let the browser resolve the theme variable to rgb() the same way it resolves the body's colour.
      const probe = document.createElement('div');
      probe.style.backgroundColor = 'var(--vscode-editor-background)';
      document.body.appendChild(probe);
      const themeBackground = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return { classes: [...body.classList], background: getComputedStyle(body).backgroundColor, themeBackground };
    });
}

/** The DOM globals look() uses in the page. */
interface PageGlobals {
  readonly document: { createElement(tag: string): ProbeElement; readonly body: { appendChild(element: ProbeElement): void } };
  getComputedStyle(element: unknown): { readonly backgroundColor: string };
}

interface ProbeElement {
  readonly style: { backgroundColor: string };
  remove(): void;
}

/** Relative luminance of an rgb()/rgba() colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  assert.ok([r, g, b].every((c) => Number.isFinite(c)), `not a colour: ${rgb}`);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
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

  it('Count tokens counts the prompt only when clicked, shows tokens and input cost, and an edit clears it', async () => {
    const { fake } = session();
    const counts = (): number => fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').length;
    const before = counts();
    const prompt = 'How many tokens is this prompt? '.repeat(25);
    await panel().locator('#prompt').fill(prompt);
    await panel().locator('#prompt').press('End');
    await panel().locator('#prompt').pressSequentially(' Typing more');
    assert.equal(counts(), before, 'typing sends nothing');
    await panel().locator('#countTokens').click();
    const output = panel().locator('#tokenCount[data-state="done"]');
    await output.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(counts(), before + 1);
    const counted = `${prompt} Typing more`;
    assert.equal(await output.getAttribute('data-input-tokens'), String(estimateTokens(counted)));
    assert.match(await output.innerText(), /^[\d,]+ input tokens · (est\. \$\d+\.\d{4} for input|price unknown)$/);
    await screenshot('prompt-token-count');
    await panel().locator('#prompt').fill('Explain API keys in three lines.');
    await panel().locator('#tokenCount').waitFor({ state: 'hidden', timeout: 5_000 });
    assert.equal(counts(), before + 1);
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

  it('says it is waiting to retry while the SDK waits out a 429, then streams the answer', async () => {
    const { fake } = session();
    fake.setReply({ text: 'Answered after the wait.', chunkSize: 6 });
    fake.enqueueFault('messages', { kind: 'rateLimit', retryAfterSeconds: 4 });
    await panel().locator('#prompt').fill('Are you busy?');
    await panel().locator('#send').click();
    const status = panel().locator('#status');
    await status.filter({ hasText: /429: waiting to retry \(attempt 2 of 3, [1-4] s\)/ }).waitFor({ timeout: 15_000 });
    assert.equal(await status.getAttribute('data-status'), 'retrying');
    await screenshot('prompt-waiting-to-retry');
    await panel().locator('#answer').filter({ hasText: 'Answered after the wait.' }).waitFor({ timeout: 30_000 });
    await status.filter({ hasText: /Done/ }).waitFor({ timeout: 30_000 });
  });

  it('says how long no data has come while a stream stalls, and Stop still works', async () => {
    const { fake } = session();
    fake.setReply({ text: 'The first words, then silence.', chunkSize: 9 });
    fake.enqueueFault('messages', { kind: 'stall', afterDeltas: 1 });
    await panel().locator('#prompt').fill('Then stall.');
    await panel().locator('#send').click();
    const status = panel().locator('#status');
    await status.filter({ hasText: /No data for \d+ s…/ }).waitFor({ timeout: 30_000 });
    assert.equal(await status.getAttribute('data-status'), 'noData');
    await screenshot('prompt-no-data');
    await panel().locator('#stop').click();
    await panel().locator('#stoppedBadge').waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('looks native in the dark theme too', async () => {
    const { page } = session();
    const light = await look();
    assert.ok(light.classes.includes('vscode-light'), light.classes.join(' '));
    assert.equal(light.background, light.themeBackground);
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await panel().locator('body.vscode-dark').waitFor({ state: 'attached', timeout: 15_000 });
    await panel().locator('#answer').waitFor();
    const dark = await look();
    // The panel follows the theme: its background is the dark theme's editor background, and dark.
    assert.equal(dark.background, dark.themeBackground);
    assert.notEqual(dark.background, light.background);
    assert.ok(luminance(dark.background) < 0.25 && luminance(light.background) > 0.75, `${light.background} → ${dark.background}`);
    await screenshot('prompt-panel-dark');
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await panel().locator('body.vscode-light').waitFor({ state: 'attached', timeout: 15_000 });
  });
});
