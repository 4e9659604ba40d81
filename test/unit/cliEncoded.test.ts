import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskKey } from '../../src/core/mask';
import { realisticKey } from '../fakes/corpus';
import { runCli, type JsonFinding } from './cliRun';

/**
 * `node dist/cli.js scan` on encoded keys and UTF-16 files, in every output format. Keys and their
 * encodings are made at run time; no run may print a key, encoded or not.
 */

describe('cli: encoded keys and UTF-16 files', () => {
  let tmp: string;
  const apiKey = realisticKey('apiKey');
  const adminKey = realisticKey('adminKey');
  const sessionKey = realisticKey('sessionKey');
  const base64 = Buffer.from(apiKey).toString('base64');
  const secret = `apiVersion: v1\nkind: Secret\ndata:\n  ANTHROPIC_API_KEY: ${base64}\n`;
  const escaped = `{"admin":"${adminKey.replace(/-/g, '\\u002d')}"}\n`;
  const profile = `# profile é\r\n$env:CLAUDE = "${sessionKey}"\r\n`;
  const forbidden = [apiKey, adminKey, sessionKey, base64, apiKey.slice(20, 60), base64.slice(20, 100), adminKey.slice(20, 60)];

  function cli(...args: string[]): { status: number | null; stdout: string } {
    const result = runCli(['scan', ...args], tmp);
    for (const piece of forbidden) {
      assert.ok(!(result.stdout + result.stderr).includes(piece), 'key material was printed');
    }
    return { status: result.status, stdout: result.stdout };
  }

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-cli-encoded-'));
    fs.writeFileSync(path.join(tmp, 'secret.yaml'), secret);
    fs.writeFileSync(path.join(tmp, 'escaped.json'), escaped);
    fs.writeFileSync(path.join(tmp, 'profile.ps1'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(profile, 'utf16le')]));
    // The same API key written plainly: its SARIF fingerprint must match the base64 copy's.
    fs.writeFileSync(path.join(tmp, 'plain.env'), `ANTHROPIC_API_KEY=${apiKey}\n`);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('JSON: each finding on the encoded text, masked as the decoded key, with its encoding; the UTF-16 file at editor positions', () => {
    const run = cli('--format', 'json', '.');
    assert.equal(run.status, 1);
    const findings = JSON.parse(run.stdout) as JsonFinding[];
    const column = secret.split('\n')[3].indexOf(base64) + 1;
    const profileColumn = profile.split('\r\n')[1].indexOf(sessionKey) + 1;
    assert.deepEqual(findings, [
      { path: 'escaped.json', line: 1, column: 11, endLine: 1, endColumn: 11 + adminKey.replace(/-/g, '\\u002d').length, kind: 'adminKey', masked: maskKey(adminKey), encoding: 'escaped' },
      { path: 'plain.env', line: 1, column: 19, endLine: 1, endColumn: 19 + apiKey.length, kind: 'apiKey', masked: maskKey(apiKey) },
      { path: 'profile.ps1', line: 2, column: profileColumn, endLine: 2, endColumn: profileColumn + sessionKey.length, kind: 'sessionKey', masked: maskKey(sessionKey) },
      { path: 'secret.yaml', line: 4, column, endLine: 4, endColumn: column + base64.length, kind: 'apiKey', masked: maskKey(apiKey), encoding: 'base64' },
    ]);
  });

  it('text: says how the key is written', () => {
    const run = cli('--format', 'text', '.');
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.includes(`secret.yaml:4:${secret.split('\n')[3].indexOf(base64) + 1}: apiKey ${maskKey(apiKey)} (base64-encoded)`), run.stdout);
    assert.ok(lines.includes(`escaped.json:1:11: adminKey ${maskKey(adminKey)} (escaped)`), run.stdout);
    assert.ok(lines.includes(`profile.ps1:2:${profile.split('\r\n')[1].indexOf(sessionKey) + 1}: sessionKey ${maskKey(sessionKey)}`), run.stdout);
  });

  it('SARIF: "base64-encoded Claude API key" on the encoded region, fingerprinted as the decoded key', () => {
    const run = cli('--format', 'sarif', '.');
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as {
      runs: Array<{ results: Array<{ message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; partialFingerprints: Record<string, string>; properties?: { encoding: string } }> }>;
    };
    const results = log.runs[0].results;
    const at = (uri: string) => results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === uri);
    const encoded = at('secret.yaml');
    const plain = at('plain.env');
    assert.equal(encoded?.message.text, `base64-encoded Claude API key ${maskKey(apiKey)}`);
    assert.equal(encoded?.properties?.encoding, 'base64');
    assert.equal(encoded?.locations[0].physicalLocation.region.startLine, 4);
    assert.equal(plain?.message.text, `Claude API key ${maskKey(apiKey)}`);
    assert.equal(plain?.properties, undefined);
    const hash = (r: typeof plain): string => (r?.partialFingerprints['claudeKeys/keyHash/v1'] ?? '').split(':')[0];
    assert.ok(hash(plain).length > 0);
    assert.equal(hash(encoded), hash(plain), 'the same key, encoded or not, has the same fingerprint');
    assert.equal(at('escaped.json')?.message.text, `Claude Admin API key written with escapes ${maskKey(adminKey)}`);
  });
});
