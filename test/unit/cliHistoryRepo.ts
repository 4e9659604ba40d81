import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, IssuedKeys, runCli, type CliRun } from './cliRun';

/**
 * What the `scan --history` test files (cliHistory*.test.ts) share: a new git repository per test,
 * commits with distinct author dates, and a CLI run that checks no generated key was printed.
 */

/** One finding as `scan --history --format json` prints it. */
export interface HistoryJson {
  path: string;
  line: number;
  column: number;
  kind: string;
  masked: string;
  commit: string;
  authorDate: string;
  presentAtHead: boolean;
}

export const issued = new IssuedKeys();
export const key = issued.key;

export function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const run = runCli(args, cwd, env, 30_000);
  issued.assertNonePrinted(run.stdout + run.stderr);
  return run;
}

export const json = (run: CliRun): HistoryJson[] => JSON.parse(run.stdout) as HistoryJson[];

/** What a test does to its repository. */
export interface HistoryRepo {
  /** git in the repository with a fixed identity, no signing, and a distinct author date per commit. */
  git(...args: string[]): string;
  write(relative: string, content: string): void;
  /** Commits everything; returns the commit id and its author date (as --history prints it). */
  commit(message: string): { oid: string; date: string };
}

/**
 * Call inside describe(): checks the built CLI exists, hands `take` the folder of a new repository
 * (git init done) before every test and removes it after. Returns what a test does to that repository.
 */
export function historyRepoHooks(suite: Mocha.Suite, take: (dir: string) => void): HistoryRepo {
  let tmp: string;
  let dates = 0;
  suite.timeout(60_000);

  function git(...args: string[]): string {
    const identity = ['-c', 'user.name=Claude Keys Tests', '-c', 'user.email=tests@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main'];
    return execFileSync('git', [...identity, ...args], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  function write(relative: string, content: string): void {
    const full = path.join(tmp, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  function commit(message: string): { oid: string; date: string } {
    dates++;
    const date = new Date(Date.UTC(2024, 2, 1, 10) + dates * 86_400_000).toISOString().replace('.000Z', '+00:00');
    git('add', '-A');
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', 'commit', '-q', '--allow-empty', '-m', message], {
      cwd: tmp,
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      stdio: 'ignore',
    });
    return { oid: git('rev-parse', 'HEAD').trim(), date };
  }

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first`);
  });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-history-')));
    dates = 0;
    git('init', '-q');
    take(tmp);
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  return { git, write, commit };
}
