import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryCancelled, scanHistory } from '../../src/cli/history';
import { fakeKeys } from '../fakes/keys';

/** scanHistory called in this process, as the editor's Scan Git History does, with a logging git shim on PATH. */
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
