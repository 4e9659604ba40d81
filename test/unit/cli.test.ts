import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type * as Sarif from 'sarif';
import { parseArgs } from '../../src/cli/args';
import { detectInBytes } from '../../src/core/byteScan';
import { readBlobs, type Blob } from '../../src/cli/staged';
import { CLI_VERSION } from '../../src/cli/version';
import type { CredentialKind } from '../../src/core/credentials';
import { detectCredentials, findingKey } from '../../src/core/detector';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { CLI, IssuedKeys, ROOT, runCli, type CliRun, type JsonFinding } from './cliRun';
import { sarifValidator } from './sarifSchema';

/**
 * The scan CLI end to end: `node dist/cli.js` in a child process against temporary trees made here.
 * Every key is generated at run time, and every run checks that no key reached stdout or stderr.
 */

/** `sk-ant-api03-`, assembled so no key prefix is written down. */
const API_PREFIX = ['sk', 'ant', 'api03', ''].join('-');

/** Every key made by a test, to check none is ever printed. */
const issued = new IssuedKeys();
const key = issued.key;

function cli(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): CliRun {
  const run = runCli(args, cwd, env);
  issued.assertNonePrinted(run.stdout + run.stderr);
  return run;
}

function json(run: CliRun): JsonFinding[] {
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
function expected(shown: string, text: string, value: string, kind: CredentialKind = 'apiKey'): JsonFinding {
  const { line, column } = where(text, value);
  return { path: shown, line, column, endLine: line, endColumn: column + value.length, kind, masked: maskKey(value) };
}

let tmp: string;

function write(relative: string, content: string | Buffer): string {
  const full = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

describe('cli: claude-keys scan', function () {
  // Each test starts a few Node processes.
  this.timeout(30_000);

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first (npm test's pretest does)`);
  });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-cli-')));
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

  describe('usage', () => {
    it('--help and -h print usage on stdout and exit 0, also after the command', () => {
      for (const args of [['--help'], ['-h'], ['scan', '--help']]) {
        const run = cli(args, tmp);
        assert.equal(run.status, 0, args.join(' '));
        assert.match(run.stdout, /^Usage: claude-keys scan \[options\] \[PATH\.\.\.\]/);
        assert.match(run.stdout, /--format/);
        assert.equal(run.stderr, '');
      }
    });

    it('--version prints the version, and CLI_VERSION equals package.json', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(CLI_VERSION, pkg.version);
      const run = cli(['--version'], tmp);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, `${pkg.version}\n`);
    });

    it('exits 2 with a message on an unknown option, format, command, or bad --jobs', () => {
      const cases: [string[], RegExp][] = [
        [['scan', '--frobnicate'], /unknown option --frobnicate/],
        [['scan', '--format', 'xml'], /unknown format "xml"/],
        [['scan', '--format'], /--format needs a value/],
        [['scan', '--jobs', '0'], /--jobs needs a whole number/],
        [['scan', '--jobs=two'], /--jobs needs a whole number/],
        [['check'], /unknown command "check"/],
        [[], /missing command/],
      ];
      for (const [args, message] of cases) {
        const run = cli(args, tmp);
        assert.equal(run.status, 2, args.join(' '));
        assert.match(run.stderr, message);
        assert.match(run.stderr, /claude-keys --help/);
        assert.equal(run.stdout, '');
      }
    });

    it('parses --format=json, -f, -j and -- (paths that start with a dash)', () => {
      assert.deepEqual(parseArgs(['scan', '--format=json', '-j', '2', '--', '-odd', '--help']), {
        kind: 'scan',
        options: { format: 'json', jobs: 2, paths: ['-odd', '--help'], honourIgnoreMarkers: true, staged: false, followSymlinks: false, history: false, all: false, verify: false, onlyLive: false, identify: false },
      });
      assert.deepEqual(parseArgs(['scan', '-f', 'sarif']), {
        kind: 'scan',
        options: { format: 'sarif', jobs: 1, paths: ['.'], honourIgnoreMarkers: true, staged: false, followSymlinks: false, history: false, all: false, verify: false, onlyLive: false, identify: false },
      });
    });
  });

  describe('exit codes and text output', () => {
    it('exits 0 with no output on stdout when nothing is found, and a summary on stderr', () => {
      write('src/app.ts', 'export const answer = 42;\n');
      write('README.md', `Keys start with ${API_PREFIX} and are secret.\n`);
      const run = cli(['scan'], tmp);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /no Claude credentials found; 2 files scanned/);
    });

    it('exits 1 and prints path:line:column: kind masked, one line per finding', () => {
      const value = key();
      write('config/settings.py', `import os\n\nAPI_KEY = "${value}"\n`);
      const run = cli(['scan'], tmp);
      assert.equal(run.status, 1);
      assert.equal(run.stdout, `config/settings.py:3:12: apiKey ${maskKey(value)}\n`);
      assert.match(run.stderr, /found 1 credential in 1 file; 1 file scanned/);
    });

    it('scans the current directory by default and the given directories otherwise', () => {
      const value = key();
      write('a/one.env', `KEY=${value}\n`);
      write('b/two.txt', 'nothing here\n');
      assert.equal(cli(['scan', 'b'], tmp).status, 0);
      assert.equal(cli(['scan', 'a'], tmp).stdout, `a/one.env:1:5: apiKey ${maskKey(value)}\n`);
      assert.equal(cli(['scan'], path.join(tmp, 'a')).stdout, `one.env:1:5: apiKey ${maskKey(value)}\n`);
    });
  });

  describe('--format json', () => {
    it('prints the exact objects: path, 1-based line/column, endLine/endColumn (one past the end), kind, masked', () => {
      const api = key();
      const admin = key('adminKey');
      const oat = key('oauthAccessToken');
      const ort = key('oauthRefreshToken');
      const sid = key('sessionKey');
      // Non-ASCII before a key: columns count UTF-16 code units, like the editor.
      const env = `# café ☕ 𝄞\nANTHROPIC_API_KEY=${api}\nexport ADMIN="${admin}"\n`;
      const ts = `const tokens = {\r\n  access: '${oat}', refresh: '${ort}',\r\n  session: \`${sid}\`,\r\n};\r\n`;
      write('.env', env);
      write('src/tokens.ts', ts);
      const run = cli(['scan', '--format', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(json(run), [
        expected('.env', env, api),
        expected('.env', env, admin, 'adminKey'),
        expected('src/tokens.ts', ts, oat, 'oauthAccessToken'),
        expected('src/tokens.ts', ts, ort, 'oauthRefreshToken'),
        expected('src/tokens.ts', ts, sid, 'sessionKey'),
      ]);
      assert.equal(run.stderr, '');
    });

    it('prints [] and exits 0 when nothing is found', () => {
      write('x.txt', 'hello\n');
      const run = cli(['scan', '--format=json'], tmp);
      assert.equal(run.status, 0);
      assert.deepEqual(json(run), []);
    });

    it('shows explicit files as given and walked files relative to the current directory, with forward slashes', () => {
      const value = key();
      const text = `key: ${value}\n`;
      write('project/deep/dir/secret.yaml', text);
      write('elsewhere/x.yaml', text);
      const cwd = path.join(tmp, 'project');
      const run = cli(['scan', '-f', 'json', './deep/dir/secret.yaml', path.join(tmp, 'elsewhere')], cwd);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['./deep/dir/secret.yaml', '../elsewhere/x.yaml'],
      );
    });

    it('a key in a file with a UTF-8 BOM gets the column the editor shows', () => {
      const value = key();
      write('bom.ts', `\ufeffconst k = "${value}";\n`);
      assert.deepEqual(json(cli(['scan', '-f', 'json'], tmp)), [expected('bom.ts', `const k = "${value}";\n`, value)]);
    });
  });

  describe('--format sarif', () => {
    it('prints valid SARIF 2.1.0: rules per kind, levels, regions, relative URIs, fingerprints from a hash of the key', () => {
      const api = key();
      const sid = key('sessionKey');
      const text = `first line\nconst key = "${api}";\nconst s = "${sid}";\nconst again = "${api}";\n`;
      write('src/my file.ts', text);
      const run = cli(['scan', '--format', 'sarif'], tmp);
      assert.equal(run.status, 1);
      const log = JSON.parse(run.stdout) as Sarif.Log;
      sarifValidator()(log);

      assert.equal(log.version, '2.1.0');
      const [sarifRun] = log.runs;
      assert.equal(sarifRun.tool.driver.name, 'claude-keys');
      assert.equal(sarifRun.tool.driver.version, CLI_VERSION);
      assert.equal(sarifRun.columnKind, 'utf16CodeUnits');
      const rules = sarifRun.tool.driver.rules ?? [];
      assert.deepEqual(
        rules.map((r) => [r.id, r.defaultConfiguration?.level]),
        [
          ['claude-keys/api-key', 'error'],
          ['claude-keys/admin-key', 'error'],
          ['claude-keys/oauth-access-token', 'warning'],
          ['claude-keys/oauth-refresh-token', 'warning'],
          ['claude-keys/session-key', 'warning'],
        ],
      );

      const results = sarifRun.results ?? [];
      assert.deepEqual(
        results.map((r) => [r.ruleId, r.level, r.ruleIndex === undefined ? undefined : rules[r.ruleIndex].id]),
        [
          ['claude-keys/api-key', 'error', 'claude-keys/api-key'],
          ['claude-keys/session-key', 'warning', 'claude-keys/session-key'],
          ['claude-keys/api-key', 'error', 'claude-keys/api-key'],
        ],
      );
      const first = results[0];
      assert.deepEqual(first.locations?.[0].physicalLocation, {
        artifactLocation: { uri: 'src/my%20file.ts', uriBaseId: '%SRCROOT%' },
        region: { startLine: 2, startColumn: 14, endLine: 2, endColumn: 14 + api.length },
      });
      assert.equal(first.message.text, `Claude API key ${maskKey(api)}`);
      assert.equal(results[1].message.text, `claude.ai session key ${maskKey(sid)}`);

      // Fingerprints: a hash of the key, distinct for each occurrence, never the key.
      const hash = createHash('sha256').update(api).digest('hex');
      const prints = results.map((r) => Object.values(r.partialFingerprints ?? {})[0]);
      assert.ok(hash.startsWith(prints[0].split(':')[0]), 'fingerprint derives from the key hash');
      assert.equal(prints[0].split(':')[0], prints[2].split(':')[0]);
      assert.equal(new Set(prints).size, 3);
      assert.ok(prints[0].split(':')[0].length >= 16);
    });

    it('is valid with no results (exit 0) and lists read errors as notifications (exit 2)', () => {
      write('ok.txt', 'fine\n');
      const validate = sarifValidator();
      const clean = cli(['scan', '-f', 'sarif'], tmp);
      assert.equal(clean.status, 0);
      const cleanLog = JSON.parse(clean.stdout) as Sarif.Log;
      validate(cleanLog);
      assert.deepEqual(cleanLog.runs[0].results, []);

      const broken = cli(['scan', '-f', 'sarif', '.', 'missing.txt'], tmp);
      assert.equal(broken.status, 2);
      const brokenLog = JSON.parse(broken.stdout) as Sarif.Log;
      validate(brokenLog);
      const invocation = brokenLog.runs[0].invocations?.[0];
      assert.equal(invocation?.executionSuccessful, false);
      assert.match(invocation?.toolExecutionNotifications?.[0].message.text ?? '', /cannot read missing\.txt: no such file/);
    });
  });

  describe('read errors', () => {
    it('a missing path exits 2 with a clear message, after scanning the other paths', () => {
      const value = key();
      write('present.env', `KEY=${value}\n`);
      const run = cli(['scan', 'present.env', 'no/such/file.ts'], tmp);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, `present.env:1:5: apiKey ${maskKey(value)}\n`);
      assert.match(run.stderr, /claude-keys: cannot read no\/such\/file\.ts: no such file or directory \(ENOENT\)/);
    });

    it('an unreadable directory or file (chmod 000) exits 2 with a message', function () {
      const dir = path.join(tmp, 'locked');
      write('locked/inner.txt', 'x\n');
      const file = write('closed.txt', 'y\n');
      write('open.txt', 'z\n');
      fs.chmodSync(dir, 0);
      fs.chmodSync(file, 0);
      let readable = true;
      try {
        fs.readdirSync(dir);
        fs.readFileSync(file);
      } catch {
        readable = false;
      }
      if (readable) {
        // Root (or a permissive file system) reads through mode 000: nothing to test here.
        this.skip();
      }
      const run = cli(['scan'], tmp);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /cannot read locked: permission denied \(EACCES\)/);
      assert.match(run.stderr, /cannot read closed\.txt: permission denied \(EACCES\)/);
      assert.match(run.stderr, /1 file scanned/);
    });

    it('a file that opens but fails to read (EIO) exits 2 with a message, even as root', function () {
      // /proc/self/mem is a regular file of size 0 whose read at offset 0 fails with EIO, for any user.
      if (process.platform !== 'linux') {
        this.skip();
      }
      const value = key();
      write('present.env', `KEY=${value}\n`);
      const run = cli(['scan', 'present.env', '/proc/self/mem'], tmp);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, `present.env:1:5: apiKey ${maskKey(value)}\n`);
      assert.match(run.stderr, /claude-keys: cannot read \/proc\/self\/mem: input\/output error \(EIO\)/);
    });
  });

  describe('what is scanned', () => {
    it('skips node_modules and .git at any depth, scans dotfiles and dot-directories', () => {
      const values = { env: key(), config: key(), nm: key(), nested: key(), git: key() };
      write('.env', `K=${values.env}\n`);
      write('.config/tool/settings.json', `{"key": "${values.config}"}\n`);
      write('node_modules/pkg/index.js', `module.exports = "${values.nm}";\n`);
      write('packages/app/node_modules/x/y.js', `k = "${values.nested}"\n`);
      write('.git/config', `token = ${values.git}\n`);
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['.config/tool/settings.json', '.env'],
      );
    });

    it('scans a file given explicitly even inside node_modules or .git', () => {
      const value = key();
      write('node_modules/pkg/leak.js', `k = "${value}"\n`);
      write('.git/hooks/x.sh', `K=${value}\n`);
      const run = cli(['scan', '-f', 'json', 'node_modules/pkg/leak.js', '.git/hooks/x.sh'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['node_modules/pkg/leak.js', '.git/hooks/x.sh'],
      );
    });

    it('skips binaries (a NUL byte in the first 8 KB) but not text with a NUL further on', () => {
      const inBinary = key();
      const inText = key();
      write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`k=${inBinary}`)]));
      write('late-nul.log', Buffer.concat([Buffer.from(`k=${inText}\n${'a'.repeat(9000)}`), Buffer.from([0])]));
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(
        json(run).map((f) => [f.path, f.masked]),
        [['late-nul.log', maskKey(inText)]],
      );
      assert.match(cli(['scan'], tmp).stderr, /1 binary file skipped/);
    });

    it('honours ignore markers, and --no-ignore-markers reports those keys too', () => {
      const values = [key(), key(), key(), key()];
      const text = [
        `a = "${values[0]}" # claude-keys:ignore`,
        '# claude-keys:ignore-next-line',
        `b = "${values[1]}"`,
        `c = "${values[2]}" # gitleaks:allow`,
        `d = "${values[3]}"`,
        '',
      ].join('\n');
      write('fixtures.py', text);
      assert.deepEqual(json(cli(['scan', '-f', 'json'], tmp)), [expected('fixtures.py', text, values[3])]);
      assert.equal(json(cli(['scan', '-f', 'json', '--no-ignore-markers'], tmp)).length, 4);
    });

    it('ignores placeholders and bare prefixes', () => {
      write('README.md', `Set ANTHROPIC_API_KEY=${API_PREFIX}...\n\nexample: ${API_PREFIX}${'x'.repeat(93)}AA\n`);
      write('.env.example', `ANTHROPIC_API_KEY=${API_PREFIX}your-key-here\n`);
      assert.equal(cli(['scan'], tmp).status, 0);
    });

    it('does not follow directory symlinks (no loop) but scans symlinked files once per path', () => {
      const value = key();
      write('real/secret.env', `K=${value}\n`);
      fs.symlinkSync(tmp, path.join(tmp, 'real', 'loop'), 'dir');
      fs.symlinkSync(path.join(tmp, 'real', 'secret.env'), path.join(tmp, 'link.env'), 'file');
      fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(tmp, 'dangling.env'), 'file');
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).map((f) => f.path),
        ['link.env', 'real/secret.env'],
      );
    });

    it('scans a path given twice only once', () => {
      const value = key();
      write('dup.env', `K=${value}\n`);
      assert.equal(json(cli(['scan', '-f', 'json', '.', 'dup.env', './dup.env'], tmp)).length, 1);
    });

    it('finds a key at the end of a large file and never reports a stale key from the reused buffer', () => {
      const value = key();
      const filler = 'const line = "some ordinary source text";\n'.repeat(80_000); // ~3.4 MB: the buffer grows
      const big = `${filler}const k = "${value}";\n`;
      write('a-big.ts', big);
      // Shorter file read into the same buffer next: the old key still sits in the buffer past its end.
      write('b-small.ts', `${filler.slice(0, big.indexOf(value) - 10)}`);
      write('c-tiny.ts', 'x\n');
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(json(run), [expected('a-big.ts', big, value)]);
    });

    it('--jobs 2 reports exactly what --jobs 1 does, in the same order', () => {
      const texts: string[] = [];
      for (let i = 0; i < 60; i++) {
        const text = i % 7 === 0 ? `// file ${i}\nexport const k${i} = "${key()}";\n` : `// file ${i}\n${'let x = 1;\n'.repeat(500)}`;
        texts.push(text);
        write(`src/m${String(i).padStart(2, '0')}/f.ts`, text);
      }
      write('blob.bin', Buffer.from([0, 1, 2, 3]));
      const one = cli(['scan', '-f', 'json', '--jobs', '1'], tmp);
      const two = cli(['scan', '-f', 'json', '--jobs', '2'], tmp);
      const four = cli(['scan', '-f', 'json', '-j', '4'], tmp);
      assert.equal(one.status, 1);
      assert.equal(json(one).length, 9);
      assert.equal(two.stdout, one.stdout);
      assert.equal(four.stdout, one.stdout);
      assert.equal(two.status, 1);
      const text = cli(['scan', '--jobs', '2'], tmp);
      assert.match(text.stderr, /found 9 credentials in 9 files; 60 files scanned.*1 binary file skipped/);
    });
  });

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

  it('never prints a key in any format, nor in error messages', () => {
    const values = [key(), key('adminKey'), key('oauthAccessToken'), key('oauthRefreshToken'), key('sessionKey')];
    write('all.txt', values.map((v) => `value=${v}`).join('\n'));
    for (const format of ['text', 'json', 'sarif']) {
      const run = cli(['scan', '--format', format, '.', 'missing-file'], tmp);
      assert.equal(run.status, 2);
      const out = run.stdout + run.stderr;
      for (const value of values) {
        assert.ok(out.includes(maskKey(value)), `${format} shows the masked key`);
      }
    }
  });
});

describe('cli: detection on bytes (only the lines around each hit are decoded)', () => {
  const keys = [fakeKeys.apiKey(), fakeKeys.adminKey(), fakeKeys.oauthAccessToken(), fakeKeys.sessionKey()];
  const pieces = [
    ...keys,
    ...keys,
    // Encoded forms: base64 at each alignment and in both alphabets, JSON and URL escapes.
    ...keys.map((k, i) => Buffer.from(['', 'u:', 'us:', 'x'][i] + k).toString(i % 2 ? 'base64url' : 'base64')),
    keys[0].replace(/-/g, '\\u002d'),
    keys[3].replace(/-/g, '%2D'),
    '%2D',
    '\\u005f',
    '\n',
    '\r\n',
    '\r',
    '\n\n',
    ' ',
    'x',
    '=',
    '"',
    'é',
    '😀',
    '\\n',
    '%3D',
    API_PREFIX,
    ['sk', 'ant', ''].join('-'),
    'claude-keys:ignore',
    'claude-keys:ignore-next-line',
    'secretlint-disable-next-line',
    '# claude-keys:ignore-next-line\r\n',
    '// secretlint-disable-next-line\r',
    '# claude-keys:ignore-next-line\n',
    'gitleaks:allow',
    'a'.repeat(600),
  ];
  const documents = fc.record({
    bom: fc.boolean(),
    parts: fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
    honour: fc.boolean(),
  });

  it('reports exactly what detectCredentials reports on the whole decoded file', () => {
    fc.assert(
      fc.property(documents, ({ bom, parts, honour }) => {
        const text = parts.join('');
        const bytes = Buffer.from((bom ? '\ufeff' : '') + text, 'utf8');
        const padded = Buffer.concat([bytes, Buffer.from(`stale ${keys[0]} bytes past the end`)]);
        const got = detectInBytes(padded, bytes.length, honour);
        const want = detectCredentials(text, { honourIgnoreMarkers: honour });
        assert.deepEqual(
          got,
          want.map((f) => ({
            kind: f.kind,
            line: f.line,
            column: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            masked: f.masked,
            ...(f.encoding ? { encoding: f.encoding } : {}),
            key: findingKey(text, f),
          })),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
