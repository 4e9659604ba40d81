import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAll } from '../../src/cli/output';
import { CLI, IssuedKeys, moduleLoadProbe, runCli, type JsonFinding } from './cliRun';

/** The CLI writes stdout and stderr with writeSync (no stream start-up), and loads its optional parts only when asked. */

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('cli: output written to the descriptor', () => {
  it('writes every byte across short writes', () => {
    const got: Buffer[] = [];
    writeAll(1, 'héllo, wörld\n'.repeat(50), (_fd, buffer, offset) => {
      const count = Math.min(7, buffer.length - offset);
      got.push(Buffer.from(buffer.subarray(offset, offset + count)));
      return count;
    });
    assert.equal(Buffer.concat(got).toString('utf8'), 'héllo, wörld\n'.repeat(50));
  });

  it('EAGAIN (a descriptor left non-blocking by whoever shares it) hands exactly the rest to the stream', () => {
    const text = 'x'.repeat(100);
    let calls = 0;
    const handed: Array<{ fd: number; rest: string }> = [];
    writeAll(
      2,
      text,
      () => {
        calls++;
        if (calls === 1) {
          return 40;
        }
        throw errno('EAGAIN');
      },
      (fd, rest) => handed.push({ fd, rest: rest.toString('utf8') }),
    );
    assert.deepEqual(handed, [{ fd: 2, rest: 'x'.repeat(60) }]);
  });

  it('EPIPE (the reader went away) drops the rest without an error; other errors are thrown', () => {
    assert.doesNotThrow(() =>
      writeAll(1, 'abc', () => {
        throw errno('EPIPE');
      }),
    );
    assert.throws(
      () =>
        writeAll(1, 'abc', () => {
          throw errno('EIO');
        }),
      /EIO/,
    );
  });

  describe('the built CLI', () => {
    const issued = new IssuedKeys();
    let tmp: string;

    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-output-'));
      // Enough findings for more output than a pipe holds (64 KB on Linux), in text as in JSON.
      for (let i = 0; i < 1000; i++) {
        fs.writeFileSync(path.join(tmp, `config-${String(i).padStart(4, '0')}.env`), `ANTHROPIC_API_KEY=${issued.key()}\n`);
      }
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('a report bigger than the pipe arrives whole, and the exit code is the scan\'s', () => {
      const run = runCli(['scan', '--format', 'json', '.'], tmp);
      assert.equal(run.status, 1, run.stderr);
      assert.ok(run.stdout.length > 64 * 1024, `${run.stdout.length} bytes`);
      const findings = JSON.parse(run.stdout) as JsonFinding[];
      assert.equal(findings.length, 1000);
      issued.assertNonePrinted(run.stdout + run.stderr);
    });

    it('a reader that stops early (| head) ends the output quietly: no EPIPE trace, the same exit code', async () => {
      const child = spawn(process.execPath, [CLI, 'scan', '--format', 'text', '.'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdout.once('data', (chunk: Buffer) => {
        first = chunk.toString('utf8');
        child.stdout.destroy();
      });
      const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      assert.match(first, /config-\d{4}\.env:1:19: apiKey sk-ant-api03-…/);
      assert.equal(status, 1);
      assert.doesNotMatch(stderr, /EPIPE|Error|at /);
      assert.match(stderr, /found 1000 credentials in 1000 files/);
    });

    it('a plain scan compiles none of the optional chunks; --jobs, --staged and --history load their own', () => {
      const probe = moduleLoadProbe(tmp);
      const loaded = (args: string[]): string[] => probe.loaded(runCli(args, tmp, { NODE_OPTIONS: probe.nodeOptions }).stderr).map((f) => path.basename(f));
      const chunks = ['cliHistory.js', 'cliStaged.js', 'cliParallel.js', 'cliVerify.js'];
      const plain = loaded(['scan', '--jobs', '1', 'config-0000.env']);
      assert.ok(plain.includes('cli.js'), plain.join(', '));
      assert.deepEqual(plain.filter((f) => chunks.includes(f)), []);
      assert.deepEqual(loaded(['scan', '--jobs', '2', '.']).filter((f) => chunks.includes(f)), ['cliParallel.js']);
      // Not a git repository: each fails after loading its chunk.
      assert.deepEqual(loaded(['scan', '--staged']).filter((f) => chunks.includes(f)), ['cliStaged.js']);
      assert.deepEqual(loaded(['scan', '--history']).filter((f) => chunks.includes(f)), ['cliHistory.js']);
    });
  });
});
