import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawLogParser, type Introduction } from '../../src/cli/history';
import { maskKey } from '../../src/core/mask';
import { cli, historyRepoHooks, json, key } from './cliHistoryRepo';

/** `scan --history` end to end on repositories built here (cliHistoryRepo.ts): what it finds, and the raw log parser. */
let tmp: string;

describe('cli: claude-keys scan --history', function () {
  const { git, write, commit } = historyRepoHooks(this, (dir) => (tmp = dir));

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
