import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CredentialKind } from '../../src/core/credentials';
import { maskKey } from '../../src/core/mask';
import { CLI, IssuedKeys, runCli, type CliRun, type JsonFinding } from './cliRun';

/**
 * What the `claude-keys scan` test files (cli*.test.ts) share: a temporary tree per test and a CLI
 * run that checks no generated key reached stdout or stderr.
 */

/** `sk-ant-api03-`, assembled so no key prefix is written down. */
export const API_PREFIX = ['sk', 'ant', 'api03', ''].join('-');

/** Every key made by a scan test, to check none is ever printed. */
export const issued = new IssuedKeys();
export const key = issued.key;

export function cli(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): CliRun {
  const run = runCli(args, cwd, env);
  issued.assertNonePrinted(run.stdout + run.stderr);
  return run;
}

export function json(run: CliRun): JsonFinding[] {
  return JSON.parse(run.stdout) as JsonFinding[];
}

/** 1-based line and column of `needle` in `text` (UTF-16 units, \n line breaks). */
function where(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.notEqual(at, -1);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

/** The JSON object the CLI must print for `value` written in `text` of the file shown as `shown`. */
export function expected(shown: string, text: string, value: string, kind: CredentialKind = 'apiKey'): JsonFinding {
  const { line, column } = where(text, value);
  return { path: shown, line, column, endLine: line, endColumn: column + value.length, kind, masked: maskKey(value) };
}

/** Writes `content` to `relative` under `dir`, making its folders; returns the full path. */
function writeUnder(dir: string, relative: string, content: string | Buffer): string {
  const full = path.join(dir, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

/**
 * Call inside describe(): checks the built CLI exists, hands `take` a new temporary directory
 * before every test and removes it after (undoing any chmod 000 first). Returns a writer of files
 * in that directory.
 */
export function scanTreeHooks(suite: Mocha.Suite, take: (dir: string) => void): (relative: string, content: string | Buffer) => string {
  let tmp: string;
  // Each test starts a few Node processes.
  suite.timeout(30_000);

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first (npm test's pretest does)`);
  });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-cli-')));
    take(tmp);
  });

  afterEach(() => {
    // Undo chmod 000 so the tree can be removed.
    for (const entry of fs.readdirSync(tmp, { recursive: true, encoding: 'utf8' })) {
      try {
        fs.chmodSync(path.join(tmp, entry), 0o755);
      } catch {
        // gone or a dangling link
      }
    }
    fs.chmodSync(tmp, 0o755);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  return (relative, content) => writeUnder(tmp, relative, content);
}
