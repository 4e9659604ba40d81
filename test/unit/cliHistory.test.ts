import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parseArgs } from '../../src/cli/args';
import { HistoryCancelled, RawLogParser, scanHistory, type Introduction } from '../../src/cli/history';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { CLI, IssuedKeys, ROOT, runCli, type CliRun } from './cliRun';
import { sarifValidator } from './sarifSchema';

/**
 * `claude-keys scan --history` end to end: `node dist/cli.js` against git repositories built here at
 * run time (keys generated, committed, removed), including one whose .git/config tries to make git
 * run a program.
 */

interface HistoryJson {
  path: string;
  line: number;
  column: number;
  kind: string;
  masked: string;
  commit: string;
  authorDate: string;
  presentAtHead: boolean;
}

const issued = new IssuedKeys();
const key = issued.key;

function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const run = runCli(args, cwd, env, 30_000);
  issued.assertNonePrinted(run.stdout + run.stderr);
  return run;
}

const json = (run: CliRun): HistoryJson[] => JSON.parse(run.stdout) as HistoryJson[];

describe('cli: claude-keys scan --history', function () {
  this.timeout(60_000);
  let tmp: string;
  let dates = 0;

  /** git in the repository with a fixed identity, no signing, and a distinct author date per commit. */
  function git(...args: string[]): string {
    const identity = ['-c', 'user.name=Claude Keys Tests', '-c', 'user.email=tests@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main'];
    return execFileSync('git', [...identity, ...args], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  function write(relative: string, content: string): void {
    const full = path.join(tmp, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  /** Commits everything; returns the commit id and its author date (as --history prints it). */
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
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds a key that was added and later removed, at the commit, date, path, line and column that brought it in', () => {
    write('README.md', '# project\n');
    commit('readme');
    const removed = key();
    const text = `import os\n\nAPI_KEY = "${removed}"\n`;
    write('app/settings.py', text);
    const added = commit('settings');
    write('app/settings.py', 'import os\n\nAPI_KEY = os.environ["ANTHROPIC_API_KEY"]\n');
    commit('use the environment');
    // The working tree is clean: only history holds the key.
    const plain = cli(['scan', '-f', 'json'], tmp);
    assert.deepEqual(JSON.parse(plain.stdout), []);

    const run = cli(['scan', '--history', '-f', 'json'], tmp);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(json(run), [
      {
        path: 'app/settings.py',
        line: 3,
        column: 12,
        endLine: 3,
        endColumn: 12 + removed.length,
        kind: 'apiKey',
        masked: maskKey(removed),
        commit: added.oid,
        authorDate: added.date,
        presentAtHead: false,
      },
    ]);

    const text1 = cli(['scan', '--history'], tmp);
    assert.equal(text1.status, 1);
    assert.equal(
      text1.stdout,
      `${added.oid.slice(0, 12)}:app/settings.py:3:12: apiKey ${maskKey(removed)} (commit ${added.oid.slice(0, 12)} of ${added.date}, no longer in HEAD)\n`,
    );
    assert.match(text1.stderr, /found 1 credential in 1 commit; 3 blobs scanned \(0\.0 MB\) from 3 commits/);
  });

  it('says whether each key is still present at HEAD, wherever it now is', () => {
    const kept = key();
    const moved = key('adminKey');
    const gone = key();
    write('a.env', `KEPT=${kept}\nMOVED=${moved}\nGONE=${gone}\n`);
    commit('all three');
    write('a.env', `KEPT=${kept}\n`);
    write('b/other.txt', `moved here: ${moved}\n`);
    commit('move one, drop one');
    const found = json(cli(['scan', '--history', '-f', 'json'], tmp));
    const at = (value: string, p: string): boolean | undefined => found.find((f) => f.masked === maskKey(value) && f.path === p)?.presentAtHead;
    assert.equal(found.length, 4, JSON.stringify(found));
    assert.equal(at(kept, 'a.env'), true);
    assert.equal(at(moved, 'a.env'), true);
    assert.equal(at(moved, 'b/other.txt'), true);
    assert.equal(at(gone, 'a.env'), false);
  });

  it('scans a blob once however many commits hold it, and reports a key once per path', () => {
    const value = key();
    write('config.json', `{ "key": "${value}" }\n`);
    const first = commit('key');
    for (let i = 0; i < 25; i++) {
      write('notes.txt', `note ${i}\n`);
      commit(`note ${i}`);
    }
    // Another version of the same file, still with the key: a new blob, the same leak.
    write('config.json', `{ "key": "${value}", "debug": true }\n`);
    commit('debug');
    // The same content under a second name: the same blob, scanned once, brought in by this commit.
    write('copy/config.json', `{ "key": "${value}" }\n`);
    const copied = commit('copy');

    const run = cli(['scan', '--history', '-f', 'json'], tmp);
    assert.deepEqual(
      json(run).map((f) => [f.path, f.commit]),
      [['config.json', first.oid]],
      'the copy is the blob config.json already had: scanned and reported once',
    );
    const text = cli(['scan', '--history'], tmp);
    // 1 config + 25 notes + 1 debug version = 27 distinct blobs in 28 commits.
    assert.match(text.stderr, /found 1 credential in 1 commit; 27 blobs scanned \(0\.0 MB\) from 28 commits/);
    assert.ok(copied.oid);
  });

  it('runs a fixed number of git processes, with one cat-file --batch, whatever the number of commits', function () {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const shim = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-git-shim-'));
    const log = path.join(shim, 'calls.log');
    fs.writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    try {
      for (let i = 0; i < 40; i++) {
        write(`f${i % 7}.txt`, `${i} ${i % 5 === 0 ? key() : 'nothing'}\n`);
        commit(`c${i}`);
      }
      const run = cli(['scan', '--history', '-f', 'json'], tmp, { PATH: `${shim}${path.delimiter}${process.env.PATH ?? ''}` });
      assert.equal(run.status, 1);
      assert.equal(json(run).length, 8);
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(calls.filter((c) => /\bcat-file --batch\b/.test(c)).length, 1, calls.join('\n'));
      assert.equal(calls.filter((c) => / log -z /.test(c)).length, 1, calls.join('\n'));
      assert.ok(calls.length <= 6, `${calls.length} git processes:\n${calls.join('\n')}`);
    } finally {
      fs.rmSync(shim, { recursive: true, force: true });
    }
  });

  it('keeps up when git cat-file\'s input backs up: 4,000 commits, every blob read and in order', () => {
    // One fast-import: 4,000 commits of one small distinct blob each; ids alone overflow a 64 KB pipe.
    // The key comes in at commit 3,949 (f49.txt) and is overwritten 50 commits later.
    const value = key();
    let stream = '';
    for (let c = 1; c <= 4000; c++) {
      const content = c === 3949 ? `late ${value}\n` : `line ${c}\n`;
      stream += `commit refs/heads/main\nmark :${c}\ncommitter T <t@example.invalid> ${1_700_000_000 + c} +0000\ndata 2\nc\n`;
      stream += `${c > 1 ? `from :${c - 1}\n` : ''}M 100644 inline f${c % 50}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: tmp, input: stream });
    const run = cli(['scan', '--history'], tmp);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^[0-9a-f]{12}:f49\.txt:1:6: apiKey \S+ \(commit [0-9a-f]{12} of 2023-11-1\dT\S+, no longer in HEAD\)\n$/);
    assert.match(run.stderr, /found 1 credential in 1 commit; 4000 blobs scanned \(0\.0 MB\) from 4000 commits/);
  });

  it('--since REV scans only the commits after REV', () => {
    const old = key();
    write('old.txt', `${old}\n`);
    commit('old key');
    write('old.txt', 'removed\n');
    const base = commit('remove it');
    const fresh = key();
    write('new.txt', `${fresh}\n`);
    const added = commit('new key');

    const all = json(cli(['scan', '--history', '-f', 'json'], tmp));
    assert.deepEqual(all.map((f) => f.masked), [maskKey(old), maskKey(fresh)]);
    const since = cli(['scan', '--history', '--since', base.oid, '-f', 'json'], tmp);
    assert.equal(since.status, 1);
    assert.deepEqual(
      json(since).map((f) => [f.path, f.commit, f.masked, f.presentAtHead]),
      [['new.txt', added.oid, maskKey(fresh), true]],
    );
    const none = cli(['scan', '--history', '--since=HEAD'], tmp);
    assert.equal(none.status, 0);
    assert.match(none.stderr, /no Claude credentials found; 0 blobs scanned \(0\.0 MB\) from 0 commits/);

    const bad = cli(['scan', '--history', '--since', 'no-such-branch'], tmp);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--history: --since: "no-such-branch" is not a commit/);
    assert.equal(bad.stdout, '');
  });

  it('--since tells whether a key brought in after REV is still at HEAD, reading older files only for that', () => {
    const value = key();
    write('keep.txt', `${value}\n`);
    commit('key');
    const base = commit('empty');
    write('copy.txt', `again ${value}\n`);
    commit('copy the key');
    write('copy.txt', 'gone\n');
    commit('drop the copy');
    const found = json(cli(['scan', '--history', '--since', base.oid, '-f', 'json'], tmp));
    // Only the copy is new since REV; the key is still at HEAD in keep.txt, which --since did not report.
    assert.deepEqual(found.map((f) => [f.path, f.presentAtHead]), [['copy.txt', true]]);
  });

  it('--all also scans other branches; without it only HEAD\'s history', () => {
    write('README.md', 'x\n');
    commit('root');
    git('checkout', '-q', '-b', 'feature');
    const value = key('oauthAccessToken');
    write('feature.yaml', `token: ${value}\n`);
    const onBranch = commit('feature');
    git('checkout', '-q', 'main');

    const headOnly = cli(['scan', '--history'], tmp);
    assert.equal(headOnly.status, 0);
    const all = cli(['scan', '--history', '--all', '-f', 'json'], tmp);
    assert.equal(all.status, 1);
    assert.deepEqual(
      json(all).map((f) => [f.path, f.commit, f.kind, f.presentAtHead]),
      [['feature.yaml', onBranch.oid, 'oauthAccessToken', false]],
    );
  });

  it('prints valid SARIF whose results name the commit, with HEAD in versionControlProvenance', () => {
    const value = key();
    write('src/my file.ts', `const k = "${value}";\n`);
    const added = commit('key');
    write('src/my file.ts', 'const k = process.env.KEY;\n');
    const head = commit('fix');
    fs.mkdirSync(path.join(tmp, 'sub'));
    // From a subdirectory: paths stay relative to the repository root, which is %SRCROOT%.
    const run = cli(['scan', '--history', '-f', 'sarif'], path.join(tmp, 'sub'));
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    sarifValidator()(log);
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.originalUriBaseIds?.['%SRCROOT%'].uri, `file://${tmp}/`);
    assert.equal(sarifRun.versionControlProvenance?.[0].revisionId, head.oid);
    const [result] = sarifRun.results ?? [];
    assert.equal(sarifRun.results?.length, 1);
    assert.deepEqual(result.locations?.[0].physicalLocation, {
      artifactLocation: { uri: 'src/my%20file.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 12, endLine: 1, endColumn: 12 + value.length },
    });
    assert.equal(result.partialFingerprints?.['claudeKeys/commit/v1'], added.oid);
    assert.match(result.partialFingerprints?.['claudeKeys/keyHash/v1'] ?? '', /^[0-9a-f]{32}:1$/);
    assert.deepEqual(result.properties, { commit: added.oid, authorDate: added.date, presentAtHead: false });
    assert.equal(result.message.text, `Claude API key ${maskKey(value)} (commit ${added.oid.slice(0, 12)} of ${added.date}, no longer in HEAD)`);
  });

  it('a hostile .git/config (fsmonitor, pager, signature checker, external diff) never makes git run a program', () => {
    const marker = path.join(tmp, 'ran.txt');
    const script = path.join(tmp, 'evil.sh');
    fs.writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat >/dev/null 2>&1\nexit 0\n`, { mode: 0o755 });
    const value = key();
    write('leak.txt', `${value}\n`);
    const first = commit('leak');
    // A commit carrying a (bogus) signature: log.showSignature would hand it to gpg.program.
    const tree = git('rev-parse', 'HEAD^{tree}').trim();
    const signed = [
      `tree ${tree}`,
      `parent ${first.oid}`,
      'author T <t@example.invalid> 1700000000 +0000',
      'committer T <t@example.invalid> 1700000000 +0000',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' ',
      ' AAAA',
      ' -----END PGP SIGNATURE-----',
      '',
      'signed',
      '',
    ].join('\n');
    const signedOid = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: tmp, input: signed, encoding: 'utf8' }).trim();
    git('update-ref', 'HEAD', signedOid);
    for (const [name, value2] of [
      ['core.fsmonitor', script],
      ['core.pager', script],
      ['log.showSignature', 'true'],
      ['gpg.program', script],
      ['diff.external', script],
      ['pager.log', script],
    ]) {
      git('config', name, value2);
    }
    write('staged.txt', `${key()}\n`);
    git('add', 'staged.txt');
    fs.rmSync(marker, { force: true });

    // The premise: this configuration does run the script when git is run plainly.
    execFileSync('git', ['log', '-1', '--format=%H'], { cwd: tmp, stdio: 'ignore' });
    assert.ok(fs.existsSync(marker), 'the hostile configuration should run the script under a plain git log');
    fs.rmSync(marker);

    const history = cli(['scan', '--history', '-f', 'json'], tmp);
    assert.equal(history.status, 1, history.stderr);
    assert.deepEqual(json(history).map((f) => f.path), ['leak.txt']);
    const staged = cli(['scan', '--staged', '-f', 'json'], tmp);
    assert.equal(staged.status, 1, staged.stderr);
    assert.ok(!fs.existsSync(marker), `git ran the repository's program: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);
  });

  it('exits 2 with git\'s reason outside a repository, and 0 in a repository with no commit', () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-norepo-')));
    try {
      const run = cli(['scan', '--history'], outside, { GIT_CEILING_DIRECTORIES: path.dirname(outside) });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^claude-keys: --history: not a git repository/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
    const empty = cli(['scan', '--history'], tmp);
    assert.equal(empty.status, 0, empty.stderr);
    assert.match(empty.stderr, /0 blobs scanned/);
  });

  it('parses --history, --since and --all, and refuses them where they make no sense', () => {
    assert.deepEqual(parseArgs(['scan', '--history', '--since', 'origin/main', '--all']), {
      kind: 'scan',
      options: { format: 'text', jobs: 1, paths: [], honourIgnoreMarkers: true, staged: false, followSymlinks: false, history: true, all: true, verify: false, onlyLive: false, identify: false, since: 'origin/main' },
    });
    for (const [args, message] of [
      [['scan', '--since', 'HEAD~1'], /--since needs --history/],
      [['scan', '--all'], /--all needs --history/],
      [['scan', '--history', '--staged'], /cannot be combined/],
      [['scan', '--history', 'src'], /takes no PATH/],
      [['scan', '--history', '--since'], /--since needs a revision/],
      [['scan', '--history', '--since', '--all'], /--since needs a revision/],
      [['scan', '--history=yes'], /takes no value/],
    ] as const) {
      const parsed = parseArgs(args);
      assert.equal(parsed.kind, 'usageError', args.join(' '));
      assert.match(parsed.kind === 'usageError' ? parsed.message : '', message);
    }
  });

  it('the README\'s pre-push hook blocks a push whose new commits held a key, and lets a clean push through', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Git pre-push hook'));
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    assert.ok(script?.startsWith('#!/bin/sh\n'), 'the README has a pre-push hook');
    // The hook as published, with the installed CLI replaced by this build (npx --no finds no package here).
    const hook = script.replaceAll('npx --no claude-keys', `'${process.execPath}' '${CLI}'`);
    assert.notEqual(hook, script);
    const remote = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-remote-')));
    try {
      execFileSync('git', ['init', '-q', '--bare', remote]);
      fs.writeFileSync(path.join(tmp, '.git', 'hooks', 'pre-push'), hook, { mode: 0o755 });
      git('remote', 'add', 'origin', remote);
      write('README.md', 'x\n');
      commit('root');
      git('push', '-q', 'origin', 'main');

      // A key added and removed again before the push: HEAD is clean, the pushed history is not.
      const value = key();
      write('leak.env', `KEY=${value}\n`);
      commit('oops');
      fs.rmSync(path.join(tmp, 'leak.env'));
      commit('remove it');
      const blocked = spawnSync('git', ['push', 'origin', 'main'], { cwd: tmp, encoding: 'utf8' });
      assert.notEqual(blocked.status, 0, 'the push went through');
      assert.match(blocked.stdout + blocked.stderr, /leak\.env:1:5: apiKey/);
      assert.equal(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: remote, encoding: 'utf8' }).trim(), '1');

      // Drop the two commits: a clean commit on top of what the remote has goes through, and only it is scanned.
      git('reset', '-q', '--hard', 'origin/main');
      write('ok.txt', 'fine\n');
      commit('clean');
      const pushed = spawnSync('git', ['push', 'origin', 'main'], { cwd: tmp, encoding: 'utf8' });
      assert.equal(pushed.status, 0, pushed.stderr);
      assert.match(pushed.stderr, /no Claude credentials found; 1 blob scanned \(0\.0 MB\) from 1 commit/);

      // A new branch pushed while another is checked out: its whole history is read through --all.
      git('checkout', '-q', '-b', 'feature');
      write('feature.env', `KEY=${key()}\n`);
      commit('feature key');
      git('checkout', '-q', 'main');
      const branch = spawnSync('git', ['push', 'origin', 'feature'], { cwd: tmp, encoding: 'utf8' });
      assert.notEqual(branch.status, 0, 'the new branch went through');
      assert.match(branch.stdout + branch.stderr, /feature\.env:1:5: apiKey/);
    } finally {
      fs.rmSync(remote, { recursive: true, force: true });
    }
  });

  it('the raw log parser takes output split anywhere, and keeps only regular files that exist after the change', () => {
    const oid = (c: string): string => c.repeat(40);
    const raw = Buffer.from(
      `\x01${oid('a')} 2024-01-01T00:00:00+00:00\0\n:000000 100644 ${oid('0')} ${oid('1')} A\0dir/file one.txt\0` +
        `:000000 120000 ${oid('0')} ${oid('2')} A\0link\0:000000 160000 ${oid('0')} ${oid('3')} A\0sub\0` +
        `:100644 000000 ${oid('4')} ${oid('0')} D\0gone\0\x01${oid('b')} 2024-01-02T00:00:00+00:00\0\n:100644 100755 ${oid('1')} ${oid('5')} M\0caf\u00e9\0`,
      'utf8',
    );
    for (const step of [1, 3, 7, raw.length]) {
      const seen: [string, Introduction][] = [];
      const parser = new RawLogParser((o, where) => seen.push([o, where]));
      for (let at = 0; at < raw.length; at += step) {
        parser.push(raw.subarray(at, at + step));
      }
      assert.ok(parser.complete);
      assert.equal(parser.commits, 2);
      assert.deepEqual(seen, [
        [oid('1'), { commit: oid('a'), authorDate: '2024-01-01T00:00:00+00:00', path: 'dir/file one.txt' }],
        [oid('5'), { commit: oid('b'), authorDate: '2024-01-02T00:00:00+00:00', path: 'caf\u00e9' }],
      ]);
    }
  });
});

describe('scanHistory in process: cancel and where git starts (the editor\'s Scan Git History)', function () {
  this.timeout(60_000);
  let tmp: string;
  let shim: string;
  let savedPath: string | undefined;

  function git(...args: string[]): void {
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: tmp, stdio: 'ignore' });
  }

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-history-inproc-')));
    git('init', '-q');
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(path.join(tmp, `f${i}.txt`), `${i} ${fakeKeys.apiKey()}\n`);
      git('add', '-A');
      git('commit', '-q', '-m', `c${i}`);
    }
    // A git on PATH that logs its pid, its working directory and its arguments, then becomes the real git.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    shim = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-git-shim-')));
    fs.writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$$ $(pwd) $*" >> '${path.join(shim, 'calls.log')}'\ncase "$SLOW_GIT_LOG $*" in 1*' log -z '*) sleep 3;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${shim}${path.delimiter}${savedPath ?? ''}`;
  });

  afterEach(() => {
    process.env.PATH = savedPath;
    delete process.env.SLOW_GIT_LOG;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(shim, { recursive: true, force: true });
  });

  const calls = (): { pid: number; cwd: string; args: string }[] =>
    fs
      .readFileSync(path.join(shim, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [pid, cwd, ...args] = line.split(' ');
        return { pid: Number(pid), cwd, args: args.join(' ') };
      });

  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('an abort rejects with HistoryCancelled and kills git log and git cat-file --batch', async () => {
    // git log is slow to start here, so both processes are surely running when the user cancels.
    process.env.SLOW_GIT_LOG = '1';
    const controller = new AbortController();
    const scan = scanHistory({ all: false, signal: controller.signal }, tmp, { honourIgnoreMarkers: true, fingerprints: false });
    const streamingCalls = (): ReturnType<typeof calls> => calls().filter((c) => /\b(log -z|cat-file --batch)\b/.test(c.args));
    const started = Date.now() + 5000;
    while (streamingCalls().length < 2 && Date.now() < started) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await assert.rejects(scan, (error: unknown) => error instanceof HistoryCancelled);
    const streaming = streamingCalls();
    assert.equal(streaming.length, 2, JSON.stringify(calls()));
    const deadline = Date.now() + 5000;
    while (streaming.some((c) => alive(c.pid)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      streaming.filter((c) => alive(c.pid)).map((c) => c.args),
      [],
      'git processes still running after the abort',
    );
  });

  it('with launchDir, every git starts there and is pointed at the repository with -C', async () => {
    const result = await scanHistory({ all: false, launchDir: shim }, tmp, { honourIgnoreMarkers: true, fingerprints: false });
    assert.equal(result.findings.length, 5);
    assert.equal(result.root, tmp);
    const all = calls();
    assert.ok(all.length >= 3, JSON.stringify(all));
    for (const call of all) {
      assert.equal(call.cwd, shim, `git started in ${call.cwd}: ${call.args}`);
      assert.match(call.args, / -C /, call.args);
    }
  });
});
