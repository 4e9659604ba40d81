import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FakeAnthropicApi } from '../../fakes/fakeAnthropicApi';
import { startCodeServer, type RunningCodeServer } from '../../harness/codeServer';
import { installExtensionLink } from '../../harness/runE2e';
import { CHROMIUM, ensureTools, REPO_ROOT } from '../../harness/tools';
import { Recorder } from './recorder';

/**
 * A workbench of its own for the canary: its own code-server (fixed state dir), its own fake API,
 * and Chromium with a persistent profile on disk, so that after the run every byte the browser
 * kept (localStorage, IndexedDB, caches) can be searched. The shared e2e session keeps an
 * in-memory profile, which could not be searched.
 */
export interface CanaryWorkbench {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly fake: FakeAnthropicApi;
  readonly server: RunningCodeServer;
  readonly recorder: Recorder;
  readonly stateDir: string;
  readonly profileDir: string;
  readonly workspace: string;
  screenshot(name: string): Promise<void>;
  /** Leaves the page (so the workbench saves its state), closes the browser, stops the server and the fake. */
  close(): Promise<void>;
}

export async function startCanaryWorkbench(files: Record<string, string>, settings: Record<string, unknown>): Promise<CanaryWorkbench> {
  const tools = ensureTools();
  const resultsDir = path.join(REPO_ROOT, 'test-results');
  const stateDir = path.join(resultsDir, 'canary-state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  const workspace = path.join(stateDir, 'workspace');
  const profileDir = path.join(stateDir, 'browser-profile');
  fs.mkdirSync(path.join(stateDir, 'extensions'), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(workspace, name), text);
  }
  installExtensionLink(path.join(stateDir, 'extensions'));
  const screenshotsDir = path.join(resultsDir, 'screenshots');
  fs.mkdirSync(screenshotsDir, { recursive: true });

  const fake = await FakeAnthropicApi.start();
  const server = await startCodeServer({ tools, stateDir, smokeTestDriver: false, settings: { 'claudeKeys.apiBaseUrl': fake.url, ...settings } });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const recorder = await Recorder.attach(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`, { timeout: 90_000 });
  let step = 0;
  let closed = false;
  return {
    page,
    context,
    fake,
    server,
    recorder,
    stateDir,
    profileDir,
    workspace,
    screenshot: async (name) => {
      step++;
      await page.screenshot({ path: path.join(screenshotsDir, `e2e-canary-${String(step).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`) }).catch(() => undefined);
    },
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      // Leaving the page runs the workbench's shutdown: it flushes its storage to IndexedDB.
      await page.goto('about:blank', { timeout: 15_000 }).catch(() => undefined);
      await page.waitForTimeout(1_000);
      await context.close().catch(() => undefined);
      await server.stop();
      await fake.close();
    },
  };
}
