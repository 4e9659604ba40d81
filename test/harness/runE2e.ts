import * as fs from 'node:fs';
import * as path from 'node:path';
import { setSession } from '../e2e/workbench';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { launchChromium } from './browser';
import { searchDisk } from './diskSearch';
import { startCodeServer } from './codeServer';
import type { LayerResult } from './layerResult';
import { runMochaLayer } from './runMocha';
import { REPO_ROOT, type Tools } from './tools';

const TIMEOUT_MS = Number(process.env.CLAUDE_KEYS_E2E_TIMEOUT_MS ?? 12 * 60_000);

/** The extension installed as a user would have it: a folder named publisher.name-version. */
export function installExtensionLink(extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(REPO_ROOT, link, 'dir');
}

/** Starts code-server without the smoke-test driver (so toasts show) and drives it from Chromium. */
export async function runE2e(tools: Tools, resultsDir: string): Promise<LayerResult> {
  return runWorkbenchLayer({
    layer: 'e2e',
    tools,
    resultsDir,
    testsDir: path.join(REPO_ROOT, 'out', 'test', 'e2e'),
    install: (extensionsDir) => installExtensionLink(extensionsDir),
  });
}

export interface WorkbenchLayerOptions {
  readonly layer: string;
  readonly tools: Tools;
  readonly resultsDir: string;
  /** The mocha files (*.test.js) to run against the workbench. */
  readonly testsDir: string;
  /** Puts the extension into the fresh extensions folder before the server starts. */
  readonly install: (extensionsDir: string, stateDir: string) => void | Promise<void>;
  readonly settings?: Record<string, unknown>;
  readonly machineSettings?: Record<string, unknown>;
}

/**
 * One code-server with its own fresh state, extensions folder and workspace; the workbench open in
 * Chromium; mocha running `testsDir` with the page in the session. Screenshots are `<layer>-*.png`.
 */
export async function runWorkbenchLayer(options: WorkbenchLayerOptions): Promise<LayerResult> {
  const { layer, tools, resultsDir } = options;
  const stateDir = path.join(resultsDir, `${layer}-state`);
  fs.rmSync(stateDir, { recursive: true, force: true });
  const workspace = path.join(stateDir, 'workspace');
  const extensionsDir = path.join(stateDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), `# ${layer} workspace\n`);
  await options.install(extensionsDir, stateDir);
  const screenshotsDir = path.join(resultsDir, 'screenshots');
  for (const old of fs.existsSync(screenshotsDir) ? fs.readdirSync(screenshotsDir).filter((f) => f.startsWith(`${layer}-`)) : []) {
    fs.rmSync(path.join(screenshotsDir, old));
  }

  const fake = await FakeAnthropicApi.start();
  const mustNotBeOnDisk: string[] = [];
  const server = await startCodeServer({ tools, stateDir, smokeTestDriver: false, settings: { 'claudeKeys.apiBaseUrl': fake.url, ...options.settings }, machineSettings: options.machineSettings });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`);
    setSession({ page, screenshotsDir, fake, workspace, prefix: layer, extensionsDir, mustNotBeOnDisk });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
    const result = await Promise.race([runMochaLayer(layer, options.testsDir, 60_000), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      const shot = path.join(screenshotsDir, `${layer}-timeout.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      return { layer, passed: 0, failed: 0, error: `timed out after ${TIMEOUT_MS / 1000} s (screenshot ${shot})` };
    }
    console.log(`screenshots: ${path.relative(REPO_ROOT, screenshotsDir)}/`);
    // A clean stop first (the server writes its state on the way down), then look for the key.
    await stop();
    return withDiskCheck(result, stateDir, mustNotBeOnDisk);
  } finally {
    await stop();
  }

  async function stop(): Promise<void> {
    setSession(undefined);
    await browser.close().catch(() => undefined);
    await server.stop();
    await fake.close().catch(() => undefined);
  }
}

/** The terminal test's key must be in no file the server, its hosts or the terminals wrote. */
function withDiskCheck(result: LayerResult, stateDir: string, secrets: readonly string[]): LayerResult {
  if (secrets.length === 0) {
    return result;
  }
  const { filesSearched, hits } = searchDisk(stateDir, secrets);
  if (hits.length === 0) {
    console.log(`  ✓ no copy of the terminal's key on disk after a reload and a clean stop (${filesSearched} files searched)`);
    return { ...result, passed: result.passed + 1 };
  }
  console.log(`  ✗ the terminal's key is on disk after a reload and a clean stop: ${hits.join(', ')}`);
  return { ...result, failed: result.failed + 1 };
}
