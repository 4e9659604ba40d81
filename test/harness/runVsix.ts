import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LayerResult } from './layerResult';
import { runWorkbenchLayer } from './runE2e';
import { REPO_ROOT, type Tools } from './tools';

export const VSIX_PATH = path.join(REPO_ROOT, 'claude-keys.vsix');

/**
 * The packaged extension, tested once: `npm run package` builds the .vsix (production bundle), and
 * code-server installs that file into an empty extensions folder, as a user's VS Code would. A file
 * `.vscodeignore` leaves out, or a production-only bundling fault, fails here and nowhere else.
 */
export async function runVsix(tools: Tools, resultsDir: string): Promise<LayerResult> {
  const started = Date.now();
  fs.rmSync(VSIX_PATH, { force: true });
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  console.log(`packaged ${path.basename(VSIX_PATH)} (${Math.round(fs.statSync(VSIX_PATH).size / 1024)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  try {
    return await runWorkbenchLayer({
      layer: 'vsix',
      tools,
      resultsDir,
      testsDir: path.join(REPO_ROOT, 'out', 'test', 'vsix'),
      install: (extensionsDir, stateDir) => installVsix(tools, extensionsDir, stateDir),
      // A first install: VS Code's own setting decides whether the walkthrough opens, and it is on.
      machineSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      // No empty secondary side bar: the pictures in media/ show the editor at a useful width.
      settings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
  } finally {
    // `npm run package` left the production bundle in dist/: put the development build back.
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.js')], { cwd: REPO_ROOT, stdio: 'ignore' });
  }
}

/** `code-server --install-extension claude-keys.vsix`, with every folder it writes under stateDir. */
function installVsix(tools: Tools, extensionsDir: string, stateDir: string): void {
  const started = Date.now();
  const env = { ...process.env };
  for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR']) {
    const dir = path.join(stateDir, name.toLowerCase());
    fs.mkdirSync(dir, { recursive: true });
    env[name] = dir;
  }
  const output = execFileSync(
    tools.node24,
    [tools.codeServerEntry, '--install-extension', VSIX_PATH, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(stateDir, 'user-data')],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  console.log(`${output.trim().split('\n').pop()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
