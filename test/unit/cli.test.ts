import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parseArgs } from '../../src/cli/args';
import { CLI_VERSION } from '../../src/cli/version';
import { maskKey } from '../../src/core/mask';
import { ROOT } from './cliRun';
import { API_PREFIX, cli, expected, json, key, scanTreeHooks } from './cliScan';
import { sarifValidator } from './sarifSchema';

/** The scan CLI end to end (cliScan.ts): arguments, exit codes, the text, JSON and SARIF formats, read errors. */
let tmp: string;

describe('cli: claude-keys scan', function () {
  const write = scanTreeHooks(this, (dir) => (tmp = dir));

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
