import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { FileScanner } from '../../src/cli/scanner';
import { escapeName, formatText } from '../../src/cli/report';
import { fakeKeys } from '../fakes/keys';
import { CLI, ROOT, runCli, type CliRun } from './cliRun';

/**
 * The scan CLI against a hostile repository (a pull request a CI job scans): symlinks that point out
 * of the scanned tree (at /proc/self/environ, which holds the CI's own key), special files, and file
 * names that forge or hide lines of the text report. `node dist/cli.js` in a child process.
 */

const SCANNER = path.join(ROOT, 'out', 'src', 'cli', 'scanner.js');

const cli = (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun => runCli(args, cwd, env);

const paths = (run: CliRun): string[] => (JSON.parse(run.stdout) as { path: string }[]).map((f) => f.path);

describe('cli: a hostile repository', function () {
  this.timeout(30_000);
  let tmp: string;
  let outside: string;

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first`);
  });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-hostile-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-outside-')));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  describe('symlinks', () => {
    it('a symlink to /proc/self/environ does not report the CI\'s own key', function () {
      if (!fs.existsSync('/proc/self/environ')) {
        this.skip();
      }
      fs.symlinkSync('/proc/self/environ', path.join(tmp, 'env.txt'));
      fs.writeFileSync(path.join(tmp, 'readme.md'), 'nothing here\n');
      const run = cli(['scan', '-f', 'json'], tmp, { CI_ANTHROPIC_KEY: fakeKeys.apiKey() });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(paths(run), []);
      assert.match(run.stderr, /skipped env\.txt: a symlink to outside the scanned paths/);
    });

    it('a walked symlink to a file outside the scanned paths is skipped with a note; inside ones are scanned', () => {
      const value = fakeKeys.apiKey();
      fs.writeFileSync(path.join(outside, 'secret.env'), `K=${value}\n`);
      fs.mkdirSync(path.join(tmp, 'src'));
      fs.writeFileSync(path.join(tmp, 'src', 'inner.env'), `K=${fakeKeys.apiKey()}\n`);
      fs.symlinkSync(path.join(outside, 'secret.env'), path.join(tmp, 'src', 'out.env'));
      fs.symlinkSync('src/inner.env', path.join(tmp, 'in.env'));
      const run = cli(['scan', '-f', 'json'], tmp);
      assert.equal(run.status, 1);
      assert.deepEqual(paths(run), ['in.env', 'src/inner.env']);
      assert.match(run.stderr, /skipped src\/out\.env: a symlink to outside the scanned paths/);
    });

    it('a symlink given explicitly that points out of the current directory is skipped too', () => {
      fs.writeFileSync(path.join(outside, 'secret.env'), `K=${fakeKeys.apiKey()}\n`);
      fs.symlinkSync(path.join(outside, 'secret.env'), path.join(tmp, 'link.env'));
      const run = cli(['scan', '-f', 'json', '--', 'link.env'], tmp);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(paths(run), []);
    });

    it('--follow-symlinks follows them (the user asked)', () => {
      fs.writeFileSync(path.join(outside, 'secret.env'), `K=${fakeKeys.apiKey()}\n`);
      fs.symlinkSync(path.join(outside, 'secret.env'), path.join(tmp, 'link.env'));
      const run = cli(['scan', '-f', 'json', '--follow-symlinks'], tmp);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(paths(run), ['link.env']);
      assert.equal(parseArgs(['scan', '--follow-symlinks']).kind, 'scan');
    });

    it('a directory given explicitly is a root: symlinks into it from inside it are followed', () => {
      fs.mkdirSync(path.join(outside, 'tree'));
      fs.writeFileSync(path.join(outside, 'tree', 'a.env'), `K=${fakeKeys.apiKey()}\n`);
      fs.symlinkSync('a.env', path.join(outside, 'tree', 'b.env'));
      const run = cli(['scan', '-f', 'json', outside], tmp);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(paths(run).length, 2);
    });
  });

  describe('special files', () => {
    it('a character device (/dev/zero) is not read: skipped as not a regular file, at once', () => {
      const scanner = new FileScanner({ honourIgnoreMarkers: true, fingerprints: false });
      const outcome = scanner.scan('/dev/zero');
      assert.equal(outcome.bytes, 0);
      assert.match(outcome.skipped ?? '', /not a regular file/);
    });

    it('a FIFO is never opened for a blocking read (a child process, so a hang cannot stop the run)', function () {
      const fifo = path.join(tmp, 'pipe');
      try {
        execFileSync('mkfifo', [fifo]);
      } catch {
        this.skip();
      }
      const script = `const { FileScanner } = require(${JSON.stringify(SCANNER)}); console.log(JSON.stringify(new FileScanner({ honourIgnoreMarkers: true, fingerprints: false }).scan(${JSON.stringify(fifo)})));`;
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5_000 });
      assert.equal(result.signal, null, 'the scan of a FIFO hung');
      assert.match(result.stdout, /not a regular file/);
    });

    it('a file that reports size 0 (procfs) is read with a byte cap', () => {
      const scanner = new FileScanner({ honourIgnoreMarkers: true, fingerprints: false }, undefined, { unknownSizeCap: 64 });
      const outcome = scanner.scan('/proc/self/environ');
      assert.equal(outcome.bytes, 0);
      assert.match(outcome.skipped ?? '', /reports size 0 .*more than 64 bytes/);
      const small = new FileScanner({ honourIgnoreMarkers: true, fingerprints: false }).scan('/proc/self/stat');
      assert.ok(small.bytes > 0 && small.skipped === undefined, JSON.stringify(small));
    });
  });

  describe('reading into the reused buffer', () => {
    const scanner = (): FileScanner => new FileScanner({ honourIgnoreMarkers: true, fingerprints: false });
    const filler = (bytes: number): string => 'x'.repeat(Math.max(0, bytes - 1)) + '\n';

    it('a key at the very end is found whether the file is just under, exactly, or just over the 1 MiB buffer, or much bigger', () => {
      const key = fakeKeys.apiKey();
      const one = scanner();
      for (const size of [1024 * 1024 - 200, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 17]) {
        const text = `${filler(size - key.length - 1)}${key}\n`;
        assert.equal(Buffer.byteLength(text), size);
        const file = path.join(tmp, `f${size}.env`);
        fs.writeFileSync(file, text);
        for (const s of [scanner(), one]) {
          const outcome = s.scan(file);
          assert.equal(outcome.bytes, size);
          assert.equal(outcome.findings?.length, 1, `${size} bytes`);
          assert.equal(outcome.findings?.[0].line, text.split('\n').length - 1);
        }
      }
    });

    it('an empty file, and a file shorter than the one read before it, give only their own bytes', () => {
      const key = fakeKeys.apiKey();
      const one = scanner();
      fs.writeFileSync(path.join(tmp, 'long.env'), `K=${key}\n${filler(5000)}`);
      fs.writeFileSync(path.join(tmp, 'empty.env'), '');
      fs.writeFileSync(path.join(tmp, 'short.env'), 'K=\n');
      assert.equal(one.scan(path.join(tmp, 'long.env')).findings?.length, 1);
      assert.deepEqual(one.scan(path.join(tmp, 'empty.env')), { bytes: 0 });
      assert.deepEqual(one.scan(path.join(tmp, 'short.env')), { bytes: 3 });
    });
  });

  describe('file names in the text report', () => {
    it('a name with a line break or ANSI codes cannot forge or hide a line', () => {
      const forged = 'x.env\nclean.ts:1:1: apiKey sk-ant-api03-…FAKE';
      const hidden = 'y.env\u001b[2K\r';
      for (const name of [forged, hidden, 'bidi\u202egol.env']) {
        fs.writeFileSync(path.join(tmp, name), `K=${fakeKeys.apiKey()}\n`);
      }
      const run = cli(['scan'], tmp);
      assert.equal(run.status, 1);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3, run.stdout);
      const raw = [...(run.stdout + run.stderr)].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '\u202e'));
      assert.deepEqual(raw, [], JSON.stringify(run.stdout));
      assert.ok(lines.some((l) => l.startsWith('"x.env\\nclean.ts:1:1: apiKey ')), run.stdout);
      assert.ok(lines.some((l) => l.startsWith('"y.env\\x1b[2K\\r":1:3: apiKey ')), run.stdout);
      // JSON keeps the exact names; SARIF percent-encodes them in its URIs.
      const json = cli(['scan', '-f', 'json'], tmp);
      assert.deepEqual(paths(json).sort(), [forged, hidden, 'bidi\u202egol.env'].sort());
      const sarif = JSON.parse(cli(['scan', '-f', 'sarif'], tmp).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const uris = sarif.runs[0].results.map((r) => decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri));
      assert.deepEqual(uris.sort(), [forged, hidden, 'bidi\u202egol.env'].sort());
    });

    it('names in stderr notes are escaped too', () => {
      const name = 'gone\n[fake] line';
      fs.symlinkSync(path.join(outside, 'x.env'), path.join(tmp, name));
      fs.writeFileSync(path.join(outside, 'x.env'), 'nothing\n');
      const run = cli(['scan'], tmp);
      assert.ok(!run.stderr.includes('\n[fake] line'), run.stderr);
      assert.match(run.stderr, /skipped "gone\\n\[fake\] line"/);
    });

    it('escapeName leaves ordinary names alone and quotes the rest like git', () => {
      assert.equal(escapeName('src/app.ts'), 'src/app.ts');
      assert.equal(escapeName('ünïcode dir/a b.ts'), 'ünïcode dir/a b.ts');
      assert.equal(escapeName('a\tb'), '"a\\tb"');
      assert.equal(escapeName('q"uote\\'), '"q\\"uote\\\\"');
      assert.equal(formatText([{ path: 'a\nb', finding: { kind: 'apiKey', line: 1, column: 2, endLine: 1, endColumn: 9, masked: 'm' } }]), '"a\\nb":1:2: apiKey m\n');
    });
  });
});
