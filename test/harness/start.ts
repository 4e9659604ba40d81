import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { freePort, startCodeServer } from './codeServer';
import { installExtensionLink } from './runE2e';
import { probeWorkbench } from './startProbe';
import { ensureTools, REPO_ROOT } from './tools';

/**
 * `npm start`: the built extension, installed into a local code-server on 127.0.0.1 with the demo
 * workspace. State lives in ~/.cache/claude-keys-dev so a stored key survives restarts (same port,
 * same browser profile).
 */
async function main(): Promise<void> {
  const tools = ensureTools();
  const stateDir = process.env.CLAUDE_KEYS_START_STATE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'claude-keys-dev');
  const extensionsDir = path.join(stateDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  installExtensionLink(extensionsDir);
  // CLAUDE_KEYS_START_PORT=0 picks a free port (CI runs `npm start` beside other servers).
  const wantedPort = Number(process.env.CLAUDE_KEYS_START_PORT ?? 8739);
  const port = wantedPort === 0 ? await freePort() : wantedPort;
  // Offline demo backend: a loopback fake of the Claude API that takes any well-formed key.
  // `npm start -- --real-api` talks to api.anthropic.com instead.
  const realApi = process.argv.includes('--real-api');
  const fake = realApi ? undefined : await FakeAnthropicApi.start({ acceptAnyWellFormedKey: true });
  const server = await startCodeServer({
    tools,
    stateDir,
    smokeTestDriver: false,
    port,
    settings: { 'claudeKeys.apiBaseUrl': fake ? fake.url : 'https://api.anthropic.com' },
  });
  const workspace = path.join(REPO_ROOT, 'test', 'fixtures', 'demo-workspace');
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  // A listening port is not a working editor: load the workbench once and wait for the extension.
  console.log(`Starting VS Code on ${server.origin} and waiting for Claude Keys to activate…`);
  try {
    const probe = await probeWorkbench(url);
    console.log(`Workbench up and Claude Keys active (status bar "${probe.statusBarText}") after ${(probe.millis / 1000).toFixed(1)} s.`);
  } catch (error) {
    await server.stop();
    await fake?.close();
    throw error;
  }
  console.log(`\nClaude Keys is running in VS Code (code-server ${tools.codeServerVersion}).`);
  console.log(`Open: ${url}`);
  console.log(fake ? `Claude API: offline demo fake at ${fake.url} (any well-formed key is accepted; --real-api for the real one)` : 'Claude API: https://api.anthropic.com');
  console.log('Stop: Ctrl+C\n');
  // Runs until Ctrl+C; codeServer.ts stops the whole process group on that signal.
  void server;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
