import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Tools } from './tools';

export interface CodeServerOptions {
  readonly tools: Tools;
  /** Everything the server writes lives here: user data, extensions, XDG dirs, TMPDIR. */
  readonly stateDir: string;
  /** Smoke-test driver: honours the `payload` URL parameter (extension tests), hides toasts. */
  readonly smokeTestDriver: boolean;
  /** Keep workspace trust on (Restricted Mode for untrusted folders); off by default for the other layers. */
  readonly workspaceTrust?: boolean;
  readonly env?: Record<string, string>;
  readonly port?: number;
  readonly settings?: Record<string, unknown>;
  /** Settings with `machine` scope (they go to Machine/settings.json). */
  readonly machineSettings?: Record<string, unknown>;
  readonly log?: (line: string) => void;
}

export interface RunningCodeServer {
  readonly port: number;
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  stop(): Promise<void>;
}

const OFFLINE_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'github.gitAuthentication': false,
};

/**
 * Machine-scoped settings: code-server's workbench is a remote window, which ignores them in the
 * user's settings.json and reads them from the server's Machine/settings.json.
 */
const OFFLINE_MACHINE_SETTINGS = {
  // Claude Keys opens its walkthrough on first run; only the vsix layer's test wants that.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every process group we started, so an exit or a signal can take them all down. */
const liveGroups = new Set<number>();
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
process.on('exit', () => {
  for (const pid of liveGroups) {
    killGroup(pid, 'SIGKILL');
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    for (const pid of liveGroups) {
      killGroup(pid, 'SIGKILL');
    }
    process.exit(130);
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const port = options.port ?? (await freePort());
  const d = options.stateDir;
  const userDataDir = path.join(d, 'user-data');
  const extensionsDir = path.join(d, 'extensions');
  for (const dir of [userDataDir, path.join(userDataDir, 'User'), path.join(userDataDir, 'Machine'), extensionsDir, path.join(d, 'xdg-config'), path.join(d, 'xdg-data'), path.join(d, 'xdg-cache'), path.join(d, 'tmp')]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const trust = options.workspaceTrust
    ? {
        'security.workspace.trust.enabled': true,
        // No start-up dialog to answer: the folder simply stays untrusted (Restricted Mode).
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
      }
    : {};
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...OFFLINE_SETTINGS, ...trust, ...options.settings }, null, 2));
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ ...OFFLINE_MACHINE_SETTINGS, ...options.machineSettings }, null, 2));
  fs.writeFileSync(path.join(d, 'config.yaml'), 'auth: none\n');

  const args = [
    options.tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    path.join(d, 'config.yaml'),
    '--ignore-last-opened',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(d, 'xdg-config'),
    XDG_DATA_HOME: path.join(d, 'xdg-data'),
    XDG_CACHE_HOME: path.join(d, 'xdg-cache'),
    TMPDIR: path.join(d, 'tmp'),
    ...options.env,
  };
  // Never leak a developer's real key into the test VS Code.
  delete env.ANTHROPIC_API_KEY;
  const child: ChildProcess = spawn(options.tools.node24, args, { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error('code-server did not start');
  }
  liveGroups.add(pid);
  const logFile = fs.createWriteStream(path.join(d, 'code-server.log'));
  const stop = async (): Promise<void> => {
    if (!liveGroups.has(pid)) {
      return;
    }
    liveGroups.delete(pid);
    killGroup(pid, 'SIGTERM');
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 3000));
    await Promise.race([exited, timer]);
    killGroup(pid, 'SIGKILL');
    logFile.end();
  };

  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`code-server did not listen within 60 s; see ${path.join(d, 'code-server.log')}`)), 60_000);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      logFile.write(chunk);
      const text = chunk.toString();
      options.log?.(text);
      buffered += text;
      if (buffered.includes('HTTP server listening on')) {
        clearTimeout(timeout);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`code-server exited with ${code}; see ${path.join(d, 'code-server.log')}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  return { port, origin: `http://127.0.0.1:${port}`, userDataDir, extensionsDir, stop };
}
