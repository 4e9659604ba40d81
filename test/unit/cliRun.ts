import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CredentialKind } from '../../src/core/credentials';
import { fakeKeys } from '../fakes/keys';

/** The repository (this file runs from out/test/unit). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The scan CLI as it ships (`npm run build` makes it). */
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** What one run of the CLI gave. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One finding as `scan --format json` prints it. */
export interface JsonFinding {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: CredentialKind;
  masked: string;
  encoding?: string;
}

/** The keys a test file made, so that every run can check it printed none of them. */
export class IssuedKeys {
  private readonly issued: string[] = [];

  /** A new generated key of this kind, remembered. */
  readonly key = (kind: keyof typeof fakeKeys = 'apiKey'): string => {
    const value = fakeKeys[kind]();
    this.issued.push(value);
    return value;
  };

  assertNonePrinted(text: string): void {
    for (const value of this.issued) {
      assert.ok(!text.includes(value), 'a key was printed');
      // Not even a long piece of its body.
      assert.ok(!text.includes(value.slice(20, 60)), 'part of a key was printed');
    }
  }
}

/** Runs `node dist/cli.js ...args` in `cwd`, `env` added to this process's environment. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
  assert.equal(result.error, undefined, `could not run the CLI: ${result.error?.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same without blocking this process: for a CLI that calls a fake API served from here. */
export function runCliAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * A `--require` script, written into `dir`, that prints at exit every module file the CLI loaded:
 * `nodeOptions` goes into NODE_OPTIONS, `loaded` reads the list back from the run's stderr.
 */
export function moduleLoadProbe(dir: string): { readonly nodeOptions: string; loaded(stderr: string): string[] } {
  const probe = path.join(dir, 'probe.cjs');
  fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n");
  return { nodeOptions: `--require ${probe}`, loaded: (stderr) => JSON.parse(/LOADED (.*)/.exec(stderr)?.[1] ?? '[]') as string[] };
}
