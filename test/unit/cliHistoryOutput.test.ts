import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parseArgs } from '../../src/cli/args';
import { maskKey } from '../../src/core/mask';
import { cli, historyRepoHooks, json, key } from './cliHistoryRepo';
import { CLI, ROOT } from './cliRun';
import { sarifValidator } from './sarifSchema';

/** `scan --history` end to end: SARIF, exit codes, arguments, a hostile .git/config that tries to run a program, the README pre-push hook. */
let tmp: string;

describe('cli: claude-keys scan --history', function () {
  const { git, write, commit } = historyRepoHooks(this, (dir) => (tmp = dir));

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
});
