import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parseArgs } from '../../src/cli/args';
import { readBlobs, type Blob } from '../../src/cli/staged';
import { maskKey } from '../../src/core/mask';
import { CLI } from './cliRun';
import { API_PREFIX, cli, expected, issued, json, key, scanTreeHooks } from './cliScan';
import { sarifValidator } from './sarifSchema';

/** `scan --staged` end to end (cliScan.ts): what the commit will contain, and the pre-commit hook. */
let tmp: string;

describe('cli: claude-keys scan', function () {
  const write = scanTreeHooks(this, (dir) => (tmp = dir));

  describe('--staged (what the commit will contain)', () => {
    /** git in `cwd` with a fixed identity, no signing and no global hooks. */
    function git(cwd: string, ...args: string[]): string {
      const identity = ['-c', 'user.name=Claude Keys Tests', '-c', 'user.email=tests@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main'];
      return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    }

    /** A repository in tmp with one commit (README.md), or none. */
    function repo(commit = true): void {
      git(tmp, 'init', '-q');
      if (commit) {
        write('README.md', '# test\n');
        git(tmp, 'add', 'README.md');
        git(tmp, 'commit', '-q', '-m', 'first');
      }
    }

    it('finds a key that was staged and then removed from the working copy, at its staged line and column', () => {
      repo();
      const value = key();
      const text = `# settings\nexport ANTHROPIC_API_KEY="${value}"\n`;
      write('config/app.env', text);
      git(tmp, 'add', 'config/app.env');
      write('config/app.env', '# settings\nexport ANTHROPIC_API_KEY="$FROM_VAULT"\n');

      assert.equal(cli(['scan'], tmp).status, 0, 'the working tree is clean');
      const run = cli(['scan', '--staged'], tmp);
      assert.equal(run.status, 1);
      assert.equal(run.stdout, `config/app.env:2:27: apiKey ${maskKey(value)}\n`);
      assert.match(run.stderr, /found 1 credential in 1 file; 1 staged file scanned/);
      const found = cli(['scan', '--staged', '-f', 'json'], tmp);
      assert.equal(found.status, 1);
      assert.deepEqual(json(found), [expected('config/app.env', text, value)]);
    });

    it('does not report a key that is only in the working copy (modified, partially staged or untracked)', () => {
      repo();
      write('src/a.ts', 'export const a = 1;\n');
      write('src/b.ts', 'export const b = 1;\n');
      git(tmp, 'add', '.');
      git(tmp, 'commit', '-q', '-m', 'sources');
      // Modified, not staged.
      write('src/a.ts', `export const a = "${key()}";\n`);
      // A clean change staged, then a key added on top of it.
      write('src/b.ts', 'export const b = 2;\n');
      git(tmp, 'add', 'src/b.ts');
      write('src/b.ts', `export const b = 2;\nexport const k = "${key()}";\n`);
      write('untracked.env', `KEY=${key()}\n`);

      assert.equal(cli(['scan'], tmp).status, 1, 'the working tree has keys');
      const run = cli(['scan', '--staged'], tmp);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /no Claude credentials found; 1 staged file scanned/);
    });

    it('exits 0 on a clean staged change and when nothing is staged', () => {
      repo();
      assert.match(cli(['scan', '--staged'], tmp).stderr, /no Claude credentials found; 0 staged files scanned/);
      write('notes.md', `Keys start with ${API_PREFIX} and are secret.\n`);
      git(tmp, 'add', 'notes.md');
      const run = cli(['scan', '--staged'], tmp);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /no Claude credentials found; 1 staged file scanned/);
    });

    it('scans every staged file of a repository with no commit yet', () => {
      repo(false);
      const value = key('adminKey');
      const text = `admin: ${value}\n`;
      write('a.txt', 'hello\n');
      write('deploy/admin.yaml', text);
      git(tmp, 'add', '.');
      const run = cli(['scan', '--staged', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(json(run), [expected('deploy/admin.yaml', text, value, 'adminKey')]);
      assert.match(cli(['scan', '--staged'], tmp).stderr, /2 staged files scanned/);
    });

    it('shows paths relative to the current directory, scans the whole index from a subdirectory, and PATHs restrict it', () => {
      repo();
      write('app/src/config.ts', `export const k = "${key()}";\n`);
      write('lib/other.env', `K=${key()}\n`);
      write('root.env', `K=${key()}\n`);
      git(tmp, 'add', '.');
      const app = path.join(tmp, 'app');
      const paths = (args: string[], cwd: string): string[] => json(cli(['scan', '--staged', '-f', 'json', ...args], cwd)).map((f) => f.path);
      assert.deepEqual(paths([], app), ['src/config.ts', '../lib/other.env', '../root.env']);
      assert.deepEqual(paths(['src'], app), ['src/config.ts']);
      assert.deepEqual(paths(['../lib', '../root.env'], app), ['../lib/other.env', '../root.env']);
      assert.deepEqual(paths(['lib'], tmp), ['lib/other.env']);
      // Literal file names, not globs; a PATH with nothing staged under it is not an error.
      const glob = cli(['scan', '--staged', '*.env'], tmp);
      assert.equal(glob.status, 0);
      assert.match(glob.stderr, /0 staged files scanned/);
      assert.equal(cli(['scan', '--staged', 'no/such/dir'], tmp).status, 0);
    });

    it('a PATH outside the repository exits 2 with git\'s reason', () => {
      repo();
      const run = cli(['scan', '--staged', path.dirname(tmp)], tmp);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^claude-keys: --staged: .*outside repository/);
    });

    it('scans a renamed file under its new name; staged deletions are no error', () => {
      repo();
      const value = key();
      write('old/name.env', `K=${value}\n`);
      write('gone.txt', 'bye\n');
      git(tmp, 'add', '.');
      git(tmp, 'commit', '-q', '-m', 'fixture with a key');
      fs.mkdirSync(path.join(tmp, 'new'));
      git(tmp, 'mv', 'old/name.env', 'new/name.env');
      git(tmp, 'rm', '-q', 'gone.txt');
      const run = cli(['scan', '--staged', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['new/name.env'],
      );

      git(tmp, 'commit', '-q', '-m', 'rename');
      git(tmp, 'rm', '-q', 'new/name.env');
      const deleted = cli(['scan', '--staged'], tmp);
      assert.equal(deleted.status, 0);
      assert.match(deleted.stderr, /0 staged files scanned/);
    });

    it('skips staged binaries (a NUL byte in the first 8 KB), symlinks and submodules', () => {
      repo();
      const inBinary = key();
      const inText = key();
      write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`k=${inBinary}`)]));
      write('late-nul.log', Buffer.concat([Buffer.from(`k=${inText}\n${'a'.repeat(9000)}`), Buffer.from([0])]));
      // A symlink's blob is its target; a submodule's entry is a commit id.
      fs.symlinkSync('late-nul.log', path.join(tmp, 'link.log'));
      write('vendor/sub/x.txt', 'inner\n');
      git(path.join(tmp, 'vendor', 'sub'), 'init', '-q');
      git(path.join(tmp, 'vendor', 'sub'), 'add', '.');
      git(path.join(tmp, 'vendor', 'sub'), 'commit', '-q', '-m', 'sub');
      git(tmp, 'add', '.');
      assert.match(git(tmp, 'ls-files', '-s', 'vendor/sub'), /^160000 /);

      const run = cli(['scan', '--staged', '-f', 'json'], tmp);
      assert.deepEqual(
        json(run).map((f) => [f.path, f.masked]),
        [['late-nul.log', maskKey(inText)]],
      );
      assert.match(cli(['scan', '--staged'], tmp).stderr, /found 1 credential in 1 file; 1 staged file scanned \(0\.0 MB\), 1 binary file skipped/);
    });

    it('handles names with spaces, non-ASCII letters, quotes and line breaks (no git quoting)', () => {
      repo();
      const names = ['"quoted".env', 'dir with space/naïve café.env', '日本/キー.txt'];
      if (process.platform !== 'win32') {
        names.push('line\nbreak.env');
      }
      for (const name of names) {
        write(name, `K=${key()}\n`);
      }
      git(tmp, 'add', '.');
      const run = cli(['scan', '--staged', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
      assert.deepEqual(
        json(cli(['scan', '--staged', '-f', 'json', 'dir with space'], tmp)).map((f) => f.path),
        ['dir with space/naïve café.env'],
      );
    });

    it('honours ignore markers, and --no-ignore-markers reports those keys too', () => {
      repo();
      const values = [key(), key()];
      const text = `a = "${values[0]}" # claude-keys:ignore\nb = "${values[1]}"\n`;
      write('fixtures.py', text);
      git(tmp, 'add', '.');
      assert.deepEqual(json(cli(['scan', '--staged', '-f', 'json'], tmp)), [expected('fixtures.py', text, values[1])]);
      assert.equal(json(cli(['scan', '--staged', '-f', 'json', '--no-ignore-markers'], tmp)).length, 2);
    });

    it('prints valid SARIF with relative URIs and regions from the staged content', () => {
      repo();
      const value = key();
      const text = `first line\nconst key = "${value}";\n`;
      write('src/my file.ts', text);
      git(tmp, 'add', '.');
      write('src/my file.ts', 'first line\n');
      const run = cli(['scan', '--staged', '--format', 'sarif'], tmp);
      assert.equal(run.status, 1);
      const log = JSON.parse(run.stdout) as Sarif.Log;
      sarifValidator()(log);
      const results = log.runs[0].results ?? [];
      assert.equal(results.length, 1);
      assert.equal(results[0].ruleId, 'claude-keys/api-key');
      assert.deepEqual(results[0].locations?.[0].physicalLocation, {
        artifactLocation: { uri: 'src/my%20file.ts', uriBaseId: '%SRCROOT%' },
        region: { startLine: 2, startColumn: 14, endLine: 2, endColumn: 14 + value.length },
      });
      const hash = createHash('sha256').update(value).digest('hex');
      assert.ok(hash.startsWith(Object.values(results[0].partialFingerprints ?? {})[0].split(':')[0]));

      git(tmp, 'add', '.');
      const clean = cli(['scan', '--staged', '-f', 'sarif'], tmp);
      assert.equal(clean.status, 0);
      const cleanLog = JSON.parse(clean.stdout) as Sarif.Log;
      sarifValidator()(cleanLog);
      assert.deepEqual(cleanLog.runs[0].results, []);
    });

    it('--jobs is ignored: the same report as one thread', () => {
      repo();
      for (let i = 0; i < 12; i++) {
        write(`src/f${String(i).padStart(2, '0')}.ts`, i % 3 === 0 ? `export const k = "${key()}";\n` : 'export {};\n');
      }
      git(tmp, 'add', '.');
      const one = cli(['scan', '--staged', '-f', 'json'], tmp);
      const four = cli(['scan', '--staged', '-f', 'json', '-j', '4'], tmp);
      assert.equal(one.status, 1);
      assert.equal(json(one).length, 4);
      assert.equal(four.stdout, one.stdout);
    });

    it('outside a git repository, or without git on PATH, exits 2 with a message and prints no report', () => {
      write('k.env', `K=${key()}\n`);
      // Stop git's search above tmp, in case the temporary directory is inside a repository.
      const outside = cli(['scan', '--staged', '-f', 'json'], tmp, { GIT_CEILING_DIRECTORIES: path.dirname(tmp) });
      assert.equal(outside.status, 2);
      assert.equal(outside.stdout, '');
      assert.match(outside.stderr, /^claude-keys: --staged: not a git repository/);

      repo();
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-no-git-'));
      try {
        const noGit = cli(['scan', '--staged'], tmp, { PATH: empty });
        assert.equal(noGit.status, 2);
        assert.equal(noGit.stdout, '');
        assert.equal(noGit.stderr, 'claude-keys: --staged: git is not installed or not on PATH\n');
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });

    it('as a pre-commit hook: blocks a commit whose staged content has a key; `git commit PATH` and `-a` are judged by what they commit', function () {
      if (process.platform === 'win32') {
        this.skip();
      }
      repo();
      const hooks = path.join(tmp, '.git', 'hooks');
      fs.writeFileSync(path.join(hooks, 'pre-commit'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" scan --staged\n`, { mode: 0o755 });
      const commit = (...args: string[]): { status: number | null; output: string } => {
        const result = spawnSync('git', ['-c', `core.hooksPath=${hooks}`, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', 'commit', '-q', ...args], {
          cwd: tmp,
          encoding: 'utf8',
        });
        issued.assertNonePrinted(result.stdout + result.stderr);
        return { status: result.status, output: result.stdout + result.stderr };
      };
      const value = key();
      write('secret.env', `K=${value}\n`);
      git(tmp, 'add', 'secret.env');
      write('secret.env', 'K=$FROM_VAULT\n');
      write('notes.md', 'clean\n');
      git(tmp, 'add', 'notes.md');

      const blocked = commit('-m', 'with a key');
      assert.notEqual(blocked.status, 0);
      assert.ok(blocked.output.includes(`secret.env:1:3: apiKey ${maskKey(value)}`), blocked.output);
      assert.equal(git(tmp, 'log', '--format=%s').trim(), 'first');

      // `git commit PATH` commits PATH's working copy through a temporary index (GIT_INDEX_FILE): the staged key is not in it.
      const only = commit('-m', 'notes only', '--', 'notes.md');
      assert.equal(only.status, 0, only.output);
      assert.equal(git(tmp, 'log', '-1', '--format=%s').trim(), 'notes only');

      // `git commit -a` stages tracked files into the index it commits: that index is scanned.
      const other = key();
      write('notes.md', `clean\ntoken: ${other}\n`);
      const all = commit('-a', '-m', 'everything');
      assert.notEqual(all.status, 0);
      assert.ok(all.output.includes(`notes.md:2:8: apiKey ${maskKey(other)}`), all.output);
      write('notes.md', 'clean\nstill clean\n');
      assert.equal(commit('-a', '-m', 'everything').status, 0);
      assert.equal(git(tmp, 'show', 'HEAD:secret.env'), 'K=$FROM_VAULT\n');
    });

    it('reads blobs from one cat-file stream: across pipe chunks, past the size limit, missing ones, empty ones', async () => {
      repo();
      const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `${i}\n`).join(''));
      write('big.txt', big);
      write('small.txt', 'small\n');
      write('empty.txt', '');
      git(tmp, 'add', '.');
      const oid = (name: string): string => git(tmp, 'rev-parse', `:${name}`).trim();
      const missing = 'f'.repeat(oid('small.txt').length);
      const oids = [oid('small.txt'), oid('big.txt'), missing, oid('empty.txt'), oid('big.txt')];
      const read = async (limit: number): Promise<Blob[]> => {
        const blobs: Blob[] = [];
        await readBlobs(oids, tmp, limit, (index, blob) => {
          blobs[index] = blob;
        });
        return blobs;
      };
      assert.deepEqual(await read(big.length), [{ content: Buffer.from('small\n') }, { content: big }, { missing: true }, { content: Buffer.alloc(0) }, { content: big }]);
      assert.deepEqual(await read(big.length - 1), [{ content: Buffer.from('small\n') }, { tooLarge: big.length }, { missing: true }, { content: Buffer.alloc(0) }, { tooLarge: big.length }]);
    });

    it('parses --staged: no PATH means the whole index, and it takes no value', () => {
      assert.deepEqual(parseArgs(['scan', '--staged']), {
        kind: 'scan',
        options: { format: 'text', jobs: 1, paths: [], honourIgnoreMarkers: true, staged: true, followSymlinks: false, history: false, all: false, verify: false, onlyLive: false, identify: false },
      });
      assert.deepEqual(parseArgs(['scan', 'src', '--staged', '-f', 'sarif', '--', '-odd']), {
        kind: 'scan',
        options: { format: 'sarif', jobs: 1, paths: ['src', '-odd'], honourIgnoreMarkers: true, staged: true, followSymlinks: false, history: false, all: false, verify: false, onlyLive: false, identify: false },
      });
      assert.deepEqual(parseArgs(['scan', '--staged=x']), { kind: 'usageError', message: '--staged takes no value' });
      assert.deepEqual(parseArgs(['scan', '--', '--staged']), {
        kind: 'scan',
        options: { format: 'text', jobs: 1, paths: ['--staged'], honourIgnoreMarkers: true, staged: false, followSymlinks: false, history: false, all: false, verify: false, onlyLive: false, identify: false },
      });
      const run = cli(['scan', '--staged=yes'], tmp);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--staged takes no value/);
    });
  });
});
