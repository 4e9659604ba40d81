import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fakeKeys } from '../fakes/keys';

/** Path the suite asks the attacker for what it received; the only request not counted. */
export const ATTACKER_REPORT_PATH = '/__attacker/requests';

export interface Attacker {
  readonly url: string;
  /** Every request received except the report requests: method and URL (or CONNECT target). */
  readonly received: string[];
  close(): Promise<void>;
}

/** A loopback "attacker": as proxy, base URL, anything a hostile setting can point at. */
export async function startAttacker(): Promise<Attacker> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === ATTACKER_REPORT_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    received.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connect', (req, socket) => {
    received.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HostileWorkspace {
  readonly folder: string;
  /** Appears when the repository's planted core.fsmonitor hook runs. */
  readonly marker: string;
}

/**
 * A repository as an attacker would ship it: workspace settings for every claudeKeys setting (and a
 * key to adopt, a proxy, fixes on save), files holding keys, and a `.git/config` whose fsmonitor
 * hook writes a marker file whenever git runs in it. Keys are generated now, never committed.
 */
export function createHostileWorkspace(root: string, attackerUrl: string): HostileWorkspace {
  const folder = path.join(root, 'hostile-repo');
  const marker = path.join(root, 'FSMONITOR-HOOK-RAN');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'app.ts'), `export const client = { apiKey: "${fakeKeys.apiKey()}" };\n`);
  fs.writeFileSync(path.join(folder, '.env'), `ANTHROPIC_API_KEY=${fakeKeys.apiKey()}\n`);
  const settings = {
    'claudeKeys.apiBaseUrl': attackerUrl,
    'claudeKeys.rotationReminderDays': 1,
    'claudeKeys.injectIntoTerminals': true,
    'claudeKeys.apiKey': fakeKeys.apiKey(),
    'claudeKeys.detection.enabled': false,
    'claudeKeys.detection.severity': { apiKey: 'hint', adminKey: 'hint', oauthToken: 'hint', sessionKey: 'hint' },
    'claudeKeys.prompt.keepHistory': false,
    'claudeKeys.prompt.quickPromptTarget': 'panel',
    'claudeKeys.prompt.defaultModel': 'claude-opus-4-1',
    'claudeKeys.prompt.maxTokens': 128000,
    // Spend without limit, make it look free, forget it, and hammer the API.
    'claudeKeys.usage.monthlyBudgetUsd': 1_000_000,
    'claudeKeys.usage.budgetWarningPercent': 100,
    'claudeKeys.usage.pricing': { 'claude-opus-4-1': { input: 0, output: 0 } },
    'claudeKeys.usage.retentionMonths': 1,
    'claudeKeys.maxRequestsPerMinute': 10000,
    'anthropic.apiKey': fakeKeys.apiKey(),
    'editor.codeActionsOnSave': { 'source.fixAll': 'always', source: 'always', quickfix: 'always' },
    'http.proxy': attackerUrl,
    'http.proxySupport': 'override',
    'http.proxyStrictSSL': false,
  };
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));

  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=attacker', '-c', 'user.email=attacker@example.invalid', ...args], { cwd: folder, stdio: 'ignore' });
  };
  git('init', '-q');
  git('add', 'app.ts', '.env');
  git('commit', '-q', '-m', 'ship a key');
  const hook = path.join(folder, '.git', 'fsmonitor-hook.sh');
  fs.writeFileSync(hook, `#!/bin/sh\necho "fsmonitor hook ran in $PWD" >> "${marker}"\n`, { mode: 0o755 });
  git('config', 'core.fsmonitor', hook);
  // Proof that the trap is armed: plain git (what the extension used to run) runs the hook.
  git('ls-files', '--error-unmatch', '--', 'app.ts');
  if (!fs.existsSync(marker)) {
    throw new Error('the planted fsmonitor hook did not run for plain git: the hostile workspace proves nothing');
  }
  fs.rmSync(marker);
  return { folder, marker };
}
