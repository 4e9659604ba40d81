import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';
import { createHostileWorkspace, startAttacker, type Attacker } from './hostileWorkspace';
import { SUMMARY_PATTERN, type LayerResult } from './layerResult';
import { REPO_ROOT, type Tools } from './tools';

const TIMEOUT_MS = Number(process.env.CLAUDE_KEYS_INTEGRATION_TIMEOUT_MS ?? 6 * 60_000);

/**
 * Runs out/test/integration inside the real extension host of code-server: the workbench is loaded in
 * Chromium with the smoke-test driver's `payload` naming our extension and tests.
 */
export async function runIntegration(tools: Tools, resultsDir: string): Promise<LayerResult> {
  const stateDir = path.join(resultsDir, 'integration-state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  const workspace = path.join(stateDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# integration workspace\n');
  return runInHost(tools, resultsDir, { layer: 'integration', stateDir, workspace, testsDir: 'integration', trust: false });
}

/**
 * Restricted Mode: workspace trust stays ON and the workspace is a generated hostile repository that
 * nobody trusted. Runs out/test/integration-untrusted; a loopback attacker counts what reaches it.
 */
export async function runRestricted(tools: Tools, resultsDir: string): Promise<LayerResult> {
  const stateDir = path.join(resultsDir, 'restricted-state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const attacker = await startAttacker();
  try {
    const hostile = createHostileWorkspace(stateDir, attacker.url);
    const result = await runInHost(tools, resultsDir, {
      layer: 'restricted',
      stateDir,
      workspace: hostile.folder,
      testsDir: 'integration-untrusted',
      trust: true,
      env: { CLAUDE_KEYS_ATTACKER_URL: attacker.url, CLAUDE_KEYS_HOSTILE_MARKER: hostile.marker },
      // The user's own choices: keys in terminals, and terminals in untrusted folders (VS Code otherwise
      // asks for trust before it starts one). Restricted Mode must still keep the key out of them.
      settings: { 'claudeKeys.injectIntoTerminals': true, 'terminal.integrated.allowInUntrustedWorkspace': true },
    });
    return withAttackerCheck(result, attacker, hostile.marker);
  } finally {
    await attacker.close();
  }
}

/** After the run, whatever the suite saw: any request to the attacker or a hook run fails the layer. */
function withAttackerCheck(result: LayerResult, attacker: Attacker, marker: string): LayerResult {
  const problems = [
    ...(attacker.received.length ? [`the attacker received ${attacker.received.length} request(s): ${attacker.received.join(', ')}`] : []),
    ...(fs.existsSync(marker) ? [`the planted fsmonitor hook ran: ${fs.readFileSync(marker, 'utf8').trim()}`] : []),
  ];
  return problems.length ? { ...result, error: [result.error, ...problems].filter(Boolean).join('; ') } : result;
}

interface HostRun {
  readonly layer: string;
  readonly stateDir: string;
  readonly workspace: string;
  /** Folder under out/test holding the mocha entry (index.js) and its *.test.js. */
  readonly testsDir: string;
  readonly trust: boolean;
  readonly env?: Record<string, string>;
  readonly settings?: Record<string, unknown>;
}

async function runInHost(tools: Tools, resultsDir: string, run: HostRun): Promise<LayerResult> {
  const { layer, stateDir, workspace } = run;
  const report = path.join(resultsDir, `${layer}-report.txt`);
  fs.rmSync(report, { force: true });

  const server = await startCodeServer({
    tools,
    stateDir,
    smokeTestDriver: true,
    workspaceTrust: run.trust,
    settings: run.settings,
    env: { CLAUDE_KEYS_TEST_REPORT: report, ...run.env },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(REPO_ROOT, 'out', 'test', run.testsDir))],
      ['enableProposedApi', ''],
      ['skipWelcome', 'true'],
    ];
    const hostLog = fs.createWriteStream(path.join(resultsDir, `${layer}-host.log`));
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      hostLog.write(`[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
    });
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    hostLog.end();
    const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
    process.stdout.write(text.replace(SUMMARY_PATTERN, '').trimEnd() + '\n');
    if (outcome === 'timeout') {
      const shot = path.join(resultsDir, 'screenshots', `${layer}-timeout.png`);
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      return { layer, ...counts(text), error: `timed out after ${TIMEOUT_MS / 1000} s (screenshot ${shot})` };
    }
    const parsed = counts(text);
    if (!SUMMARY_PATTERN.test(text)) {
      return { layer, ...parsed, error: `the extension host exited with ${outcome} before the tests reported; see ${layer}-host.log` };
    }
    if (outcome !== 0 && parsed.failed === 0) {
      return { layer, ...parsed, error: `the extension host exited with ${outcome}` };
    }
    return { layer, ...parsed };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

function counts(report: string): { passed: number; failed: number; skipped: number } {
  const m = SUMMARY_PATTERN.exec(report);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : { passed: 0, failed: 0, skipped: 0 };
}
