import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { livenessOf } from '../../src/core/liveness';
import { maskKey } from '../../src/core/mask';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';
import { CLI, IssuedKeys, moduleLoadProbe, runCliAsync, type CliRun } from './cliRun';
import { sarifValidator } from './sarifSchema';

/**
 * `claude-keys scan --verify` and `--only-live`: `node dist/cli.js` (its SDK chunk dist/cliVerify.js)
 * against the loopback fake API, which knows which keys are live (addApiKey / addAdminKey) and
 * revoked (revokeKey). The CLI runs asynchronously: the fake answers from this process.
 */

interface VerifiedJson {
  path: string;
  kind: string;
  masked: string;
  verification: string;
  verificationDetail: string;
}

const issued = new IssuedKeys();
const key = issued.key;

async function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const run = await runCliAsync(args, cwd, env);
  issued.assertNonePrinted(run.stdout + run.stderr);
  return run;
}

const json = (run: CliRun): VerifiedJson[] => JSON.parse(run.stdout) as VerifiedJson[];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The hooks of a suite that runs the CLI against the loopback fake: one fake for the suite, reset
 * before each test, and a new temporary folder for each test; `take` receives both before each test.
 */
function cliAgainstFake(prefix: string, take: (suite: { fake: FakeAnthropicApi; tmp: string }) => void): void {
  let fake: FakeAnthropicApi;
  let tmp: string;
  before(async () => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first`);
    fake = await FakeAnthropicApi.start();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    fake.reset();
    take({ fake, tmp });
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
}

describe('cli: claude-keys scan --verify', function () {
  this.timeout(60_000);
  let tmp: string;
  let fake: FakeAnthropicApi;
  let env: NodeJS.ProcessEnv;

  function write(relative: string, content: string): void {
    const full = path.join(tmp, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  cliAgainstFake('claude-keys-verify-', (s) => ({ fake, tmp } = s));

  beforeEach(() => {
    env = { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: '' };
  });

  it('reports live, revoked and unknown (5xx) keys, checks each distinct key once, and never sends tokens', async () => {
    const live = key();
    const revoked = key();
    const admin = key('adminKey');
    const other = key('adminKey');
    const token = key('oauthAccessToken');
    fake.addApiKey(live);
    fake.addApiKey(revoked);
    fake.revokeKey(revoked);
    fake.addAdminKey(admin);
    fake.addAdminKey(other);
    write('a.env', `LIVE=${live}\nREVOKED=${revoked}\n`);
    write('b.env', `ADMIN=${admin}\nTOKEN=${token}\n`);
    write('c/copy.py', `k = "${live}"\nk2 = "${live}"\nadmin = "${other}"\n`);
    // The first Admin request (b.env's key, checked before c/copy.py's) gets a 503.
    fake.enqueueFault('adminKeys', { kind: 'status', status: 503 });
    const found = await cli(['scan', '--verify', '-f', 'json', '.'], tmp, env);
    assert.equal(found.status, 1, found.stderr);
    const byKey = new Map(json(found).map((f) => [`${f.path} ${f.masked}`, f.verification]));
    assert.equal(byKey.get(`a.env ${maskKey(live)}`), 'live');
    assert.equal(byKey.get(`a.env ${maskKey(revoked)}`), 'revoked');
    assert.equal(byKey.get(`b.env ${maskKey(admin)}`), 'unknown');
    assert.equal(byKey.get(`b.env ${maskKey(token)}`), 'unknown');
    assert.equal(byKey.get(`c/copy.py ${maskKey(live)}`), 'live');
    assert.equal(byKey.get(`c/copy.py ${maskKey(other)}`), 'live');
    assert.deepEqual(
      json(found).filter((f) => f.verification === 'unknown').map((f) => f.verificationDetail),
      ['HTTP 503', 'not checked: only API and Admin API keys have a check'],
    );
    assert.equal(json(found).length, 7);

    // One request per distinct API or Admin key, on the documented endpoints; the token never sent.
    const sent = fake.requests.map((r) => [r.method, r.path, r.query.limit, r.apiKey]);
    assert.deepEqual(sent.map((s) => s[3]).sort(), [live, revoked, admin, other].sort());
    for (const [method, p, limit, k] of sent) {
      assert.equal(method, 'GET');
      assert.equal(limit, '1');
      assert.equal(p, k === admin || k === other ? '/v1/organizations/api_keys' : '/v1/models');
    }
    assert.ok(!fake.requests.some((r) => r.apiKey === token));
  });

  it('a 5xx or a refused connection is unknown, a 401 is not retried', async () => {
    const a = key();
    const b = key();
    fake.addApiKey(a);
    write('keys.txt', `${a}\n${b}\n`);
    fake.enqueueFault('models', { kind: 'status', status: 500 });
    const run = await cli(['scan', '--verify', '-f', 'json'], tmp, env);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(
      json(run).map((f) => [f.masked, f.verification, f.verificationDetail]),
      [
        [maskKey(a), 'unknown', 'HTTP 500'],
        [maskKey(b), 'revoked', 'HTTP 401'],
      ],
    );
    // No retry of the 500 nor of the 401.
    assert.equal(fake.requests.length, 2);

    const port = await closedPort();
    const refused = await cli(['scan', '--verify'], tmp, { ...env, CLAUDE_KEYS_API_BASE_URL: `http://127.0.0.1:${port}` });
    assert.equal(refused.status, 1);
    const lines = refused.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.match(line, /\(unknown: no answer \(ECONNREFUSED\)\)$/);
    }
    assert.match(refused.stderr, /keys checked: 0 live, 0 revoked, 2 unknown/);
  });

  it('sends at most 4 requests a second', async () => {
    const keys = Array.from({ length: 6 }, () => key());
    for (const k of keys) {
      fake.addApiKey(k);
    }
    write('many.txt', keys.map((k) => `${k}\n`).join(''));
    const run = await cli(['scan', '--verify'], tmp, env);
    assert.equal(run.status, 1);
    const times = fake.requests.map((r) => r.at).sort((x, y) => x - y);
    assert.equal(times.length, 6);
    for (let i = 1; i < times.length; i++) {
      assert.ok(times[i] - times[i - 1] >= 240, `requests ${i - 1} and ${i} only ${times[i] - times[i - 1]} ms apart`);
    }
    assert.match(run.stderr, /keys checked: 6 live, 0 revoked, 0 unknown/);
  });

  it('--only-live shows only live keys, in every format, and exits 0 when none is live', async () => {
    const live = key();
    const dead = key();
    fake.addApiKey(live);
    write('x.env', `A=${dead}\nB=${live}\n`);
    const text = await cli(['scan', '--only-live'], tmp, env);
    assert.equal(text.status, 1);
    assert.equal(text.stdout, `x.env:2:3: apiKey ${maskKey(live)} (live)\n`);
    assert.match(text.stderr, /found 1 credential in 1 file; keys checked: 1 live, 1 revoked, 0 unknown \(1 finding of keys not live hidden\)/);

    const sarif = await cli(['scan', '--only-live', '-f', 'sarif'], tmp, env);
    const log = JSON.parse(sarif.stdout) as Sarif.Log;
    sarifValidator()(log);
    const results = log.runs[0].results ?? [];
    assert.equal(results.length, 1);
    assert.equal(results[0].message.text, `Claude API key ${maskKey(live)} (live)`);
    assert.deepEqual(results[0].properties, { verification: 'live', verificationDetail: 'HTTP 200' });

    fake.revokeKey(live);
    const none = await cli(['scan', '--only-live', '-f', 'json'], tmp, env);
    assert.equal(none.status, 0);
    assert.deepEqual(JSON.parse(none.stdout), []);
  });

  it('is never on by default, and refuses a base URL that would send keys in clear text', async () => {
    const value = key();
    fake.addApiKey(value);
    write('k.txt', `${value}\n`);
    // A probe that lists, at exit, every module file the CLI loaded: a plain scan must not load the SDK chunk.
    const probe = moduleLoadProbe(tmp);
    const plain = await cli(['scan', 'k.txt'], tmp, { ...env, NODE_OPTIONS: probe.nodeOptions });
    assert.equal(plain.status, 1);
    assert.equal(fake.requests.length, 0, 'a plain scan sent a request');
    assert.doesNotMatch(plain.stdout, /live/);
    const loaded = probe.loaded(plain.stderr);
    assert.ok(loaded.some((f) => f.endsWith('cli.js')), loaded.join(', '));
    assert.ok(!loaded.some((f) => f.endsWith('cliVerify.js')), 'a plain scan loaded the SDK chunk');
    const verified = await cli(['scan', '--verify', 'k.txt'], tmp, { ...env, NODE_OPTIONS: probe.nodeOptions });
    assert.ok(verified.stderr.includes('cliVerify.js'), 'the probe sees the chunk when --verify loads it');

    const insecure = await cli(['scan', '--verify'], tmp, { ...env, CLAUDE_KEYS_API_BASE_URL: 'http://keys.example.invalid' });
    assert.equal(insecure.status, 2);
    assert.match(insecure.stderr, /CLAUDE_KEYS_API_BASE_URL is not usable \(plain http is allowed only to this machine\); no key was sent/);
    assert.equal(insecure.stdout, '');
  });

  it('works with --history: the verdict follows the key into every commit it appears in', async () => {
    const value = key();
    fake.addApiKey(value);
    const g = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgSign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: tmp, encoding: 'utf8' });
    g('init', '-q');
    write('one.txt', `${value}\n`);
    g('add', '-A');
    g('commit', '-q', '-m', 'one');
    fs.rmSync(path.join(tmp, 'one.txt'));
    write('two.txt', `again ${value}\n`);
    g('add', '-A');
    g('commit', '-q', '-m', 'two');
    const run = await cli(['scan', '--history', '--verify', '-f', 'json'], tmp, env);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(json(run).map((f) => [f.path, f.verification]), [['one.txt', 'live'], ['two.txt', 'live']]);
    assert.equal(fake.requests.length, 1);
  });

  it('maps answers to live, revoked and unknown as TruffleHog does', () => {
    assert.deepEqual([200, 403, 401, 404, 429, 400, 500, 529].map((s) => livenessOf(s).state), ['live', 'live', 'revoked', 'revoked', 'unknown', 'unknown', 'unknown', 'unknown']);
    assert.deepEqual(livenessOf(undefined, 'ECONNRESET'), { state: 'unknown', detail: 'no answer (ECONNRESET)' });
  });
});

describe('cli: claude-keys scan --identify', function () {
  this.timeout(60_000);
  let tmp: string;
  let fake: FakeAnthropicApi;

  cliAgainstFake('claude-keys-identify-', (s) => ({ fake, tmp } = s));

  interface IdentifiedJson {
    masked: string;
    identity?: { name: string; workspace: string; status: string; createdBy: string | null; createdAt: string } | null;
  }

  it('names each API key found from the organisation\'s key list (Admin key from ANTHROPIC_ADMIN_KEY), sending only the Admin key', async () => {
    const admin = key('adminKey');
    fake.addAdminKey(admin);
    const ours = key();
    const gone = key();
    const stranger = key();
    const record = fake.addApiKey(ours, { name: 'ci-deploy', workspaceId: 'wrkspc_01ci' });
    fake.addApiKey(gone, { name: 'old laptop', status: 'inactive' });
    fs.writeFileSync(path.join(tmp, 'a.env'), `A=${ours}\nB=${gone}\nC=${stranger}\n`);
    const run = await cli(['scan', '--identify', '-f', 'json', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: admin });
    assert.equal(run.status, 1, run.stderr);
    const rows = JSON.parse(run.stdout) as IdentifiedJson[];
    assert.deepEqual(
      rows.map((r) => [r.masked, r.identity && { ...r.identity, createdBy: r.identity.createdBy?.startsWith('user_') }]),
      [
        [maskKey(ours), { name: 'ci-deploy', workspace: 'wrkspc_01ci', status: 'active', createdBy: true, createdAt: record.createdAt }],
        [maskKey(gone), { name: 'old laptop', workspace: 'default', status: 'inactive', createdBy: true, createdAt: fake.keyRecords().find((r) => r.name === 'old laptop')?.createdAt }],
        [maskKey(stranger), null],
      ],
    );
    assert.ok(fake.requests.length > 0 && fake.requests.every((r) => r.apiKey === admin && r.route === 'adminKeys'), 'something other than the Admin key listing was sent');
    const text = await cli(['scan', '--identify', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: admin });
    assert.match(text.stdout, /\[organisation key "ci-deploy", active\]/);
    assert.match(text.stdout, /\[not an organisation key\]/);
  });

  it('reads every page of the organisation\'s key list: a key on page 3 (two keys a page) is named', async () => {
    const admin = key('adminKey');
    fake.addAdminKey(admin);
    const ours = key();
    // The list is newest first: the five keys added after ours fill pages 1 to 3.
    fake.addApiKey(ours, { name: 'oldest', workspaceId: 'wrkspc_01old' });
    for (let i = 0; i < 5; i++) {
      fake.addApiKey(key(), { name: `newer ${i}` });
    }
    fake.adminKeysPageSize = 2;
    fs.writeFileSync(path.join(tmp, 'a.env'), `A=${ours}\n`);
    const run = await cli(['scan', '--identify', '-f', 'json', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: admin });
    assert.equal(run.status, 1, run.stderr);
    const [row, ...rest] = JSON.parse(run.stdout) as IdentifiedJson[];
    assert.equal(rest.length, 0);
    assert.equal(row.identity?.name, 'oldest');
    assert.equal(row.identity?.workspace, 'wrkspc_01old');
    const pages = fake.requests.filter((r) => r.route === 'adminKeys');
    assert.equal(pages.length, 3);
    const records = fake.keyRecords();
    assert.deepEqual(pages.map((r) => r.query.after_id), [undefined, records[1].id, records[3].id]);
  });

  it('SARIF: each result\'s properties carry the organisation key (name, workspace, status; null when none) with --identify, and the verification state with --verify', async () => {
    const admin = key('adminKey');
    fake.addAdminKey(admin);
    const ours = key();
    const gone = key();
    const stranger = key();
    fake.addApiKey(ours, { name: 'ci-deploy', workspaceId: 'wrkspc_01ci' });
    // A key name is outside text: one holding a key is printed masked.
    fake.addApiKey(gone, { name: `old laptop ${stranger}`, status: 'inactive' });
    fs.writeFileSync(path.join(tmp, 'a.env'), `A=${ours}\nB=${gone}\nC=${stranger}\n`);
    const run = await cli(['scan', '--identify', '--verify', '-f', 'sarif', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: admin });
    assert.equal(run.status, 1, run.stderr);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    sarifValidator()(log);
    const results = log.runs[0].results ?? [];
    assert.deepEqual(
      results.map((r) => r.properties),
      [
        { verification: 'live', verificationDetail: 'HTTP 200', identity: { name: 'ci-deploy', workspace: 'wrkspc_01ci', status: 'active' } },
        { verification: 'revoked', verificationDetail: 'HTTP 401', identity: { name: `old laptop ${maskKey(stranger)}`, workspace: 'default', status: 'inactive' } },
        { verification: 'revoked', verificationDetail: 'HTTP 401', identity: null },
      ],
    );
    assert.ok(!run.stdout.includes(stranger) && !run.stdout.includes(ours), 'a key is in the SARIF log');

    const identifyOnly = await cli(['scan', '--identify', '-f', 'sarif', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: admin });
    const only = (JSON.parse(identifyOnly.stdout) as Sarif.Log).runs[0].results ?? [];
    assert.deepEqual(only[0].properties, { identity: { name: 'ci-deploy', workspace: 'wrkspc_01ci', status: 'active' } });
  });

  it('without ANTHROPIC_ADMIN_KEY, or with one the API rejects, it stops with exit 2 and says why', async () => {
    fs.writeFileSync(path.join(tmp, 'a.env'), `A=${key()}\n`);
    const none = await cli(['scan', '--identify', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: '' });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--identify: set ANTHROPIC_ADMIN_KEY/);
    assert.equal(fake.requests.length, 0);
    const rejected = await cli(['scan', '--identify', '.'], tmp, { CLAUDE_KEYS_API_BASE_URL: fake.url, ANTHROPIC_ADMIN_KEY: key('adminKey') });
    assert.equal(rejected.status, 2);
    assert.match(rejected.stderr, /--identify: could not list the organisation's keys: the Admin key was rejected \(HTTP 401\)/);
    assert.equal(rejected.stdout, '');
  });
});
