import * as assert from 'node:assert/strict';
import { maskKey, maskSecrets } from '../../src/core/mask';
import { fakeKeys, randomBody } from '../fakes/keys';

/** `sk-ant-<kind><n>-`, assembled at run time so no key-shaped literal is ever written down. */
const prefix = (kind: string, n: string): string => ['sk', 'ant', `${kind}${n}`, ''].join('-');
const API = prefix('api', '03');
const ADMIN = prefix('admin', '01');
const ANT = ['sk', 'ant', ''].join('-');
const SK = ['sk', ''].join('-');
const PROJ = ['sk', 'proj', ''].join('-');
const GHP = ['ghp', ''].join('_');
const PAT = ['github', 'pat', ''].join('_');

/** Random characters from [A-Za-z0-9] only. */
const alnum = (n: number): string => randomBody(n).replace(/[-_]/g, 'x');
const githubPat = (): string => PAT + alnum(22) + '_' + alnum(59);
const legacyOpenAiKey = (): string => SK + alnum(48);

/**
 * `text` carries no key material of `secret`: neither the whole secret nor any 8-character run of
 * it other than the known prefix and the last four characters (which masking shows on purpose).
 */
function assertNoKeyMaterial(text: string, secret: string, knownPrefix: string): void {
  assert.ok(!text.includes(secret), 'the whole secret is present');
  const hidden = secret.slice(knownPrefix.length, -4);
  for (let i = 0; i + 8 <= hidden.length; i++) {
    const run = hidden.slice(i, i + 8);
    assert.ok(!text.includes(run), `secret material at body offset ${i} is present`);
  }
}

describe('core/mask', () => {
  describe('maskKey', () => {
    it('masks an API key as its prefix, an ellipsis and the last four characters', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskKey(key), `${API}…${key.slice(-4)}`);
    });

    it('an API key mask ends in AA, the fixed suffix', () => {
      assert.match(maskKey(fakeKeys.apiKey()), /^sk-ant-api03-….{2}AA$/);
    });

    it('the mask has a fixed, short length', () => {
      assert.equal(maskKey(fakeKeys.apiKey()).length, API.length + 1 + 4);
    });

    it('never contains the middle of the body', () => {
      for (let i = 0; i < 20; i++) {
        const key = fakeKeys.apiKey();
        const masked = maskKey(key);
        assert.ok(!masked.includes(key.slice(API.length, -4)));
        assertNoKeyMaterial(masked, key, API);
      }
    });

    it('keeps the kind-revealing prefix of each Claude credential', () => {
      const cases: ReadonlyArray<readonly [string, string]> = [
        [fakeKeys.adminKey(), ADMIN],
        [fakeKeys.oauthAccessToken(), prefix('oat', '01')],
        [fakeKeys.oauthRefreshToken(), prefix('ort', '01')],
        [fakeKeys.sessionKey(), prefix('sid', '01')],
      ];
      for (const [key, pre] of cases) {
        assert.equal(maskKey(key), `${pre}…${key.slice(-4)}`);
        assertNoKeyMaterial(maskKey(key), key, pre);
      }
    });

    it('keeps sk-ant- for an unknown Anthropic format', () => {
      const key = ANT + alnum(40).toUpperCase();
      assert.equal(maskKey(key), `${ANT}…${key.slice(-4)}`);
    });

    it('keeps the OpenAI prefixes', () => {
      const proj = fakeKeys.openAiProjectKey();
      assert.equal(maskKey(proj), `${PROJ}…${proj.slice(-4)}`);
      const legacy = legacyOpenAiKey();
      assert.equal(maskKey(legacy), `${SK}…${legacy.slice(-4)}`);
    });

    it('keeps the GitHub prefixes', () => {
      const ghp = fakeKeys.githubToken();
      assert.equal(maskKey(ghp), `${GHP}…${ghp.slice(-4)}`);
      const pat = githubPat();
      assert.equal(maskKey(pat), `${PAT}…${pat.slice(-4)}`);
    });

    it('shows no prefix for an unknown format, only the last four characters', () => {
      const value = alnum(30).toUpperCase();
      assert.equal(maskKey(value), `…${value.slice(-4)}`);
    });

    it('trims surrounding whitespace before masking', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskKey(`  ${key}\r\n`), maskKey(key));
      assert.ok(!maskKey(`${key}\n`).includes('\n'));
    });

    it('gives only an ellipsis for short input', () => {
      assert.equal(maskKey(''), '…');
      assert.equal(maskKey('a'), '…');
      assert.equal(maskKey('abcdefghijk'), '…'); // 11 characters
      assert.equal(maskKey('sk-ant-api0'), '…');
    });

    it('counts the length after trimming', () => {
      assert.equal(maskKey('     abcdefghijk     '), '…');
      assert.equal(maskKey('\n\n\n\n\n\n\n\n\n\n\n\n\n'), '…');
    });

    it('12 characters is long enough to show the last four', () => {
      assert.equal(maskKey('abcdefghijkl'), '…ijkl');
    });

    it('always contains the ellipsis and never returns the input for input of 12+ characters', () => {
      for (const n of [12, 13, 20, 64, 200]) {
        const value = alnum(n);
        const masked = maskKey(value);
        assert.ok(masked.includes('…'));
        assert.notEqual(masked, value);
      }
    });
  });

  describe('maskSecrets', () => {
    describe('leaves ordinary text unchanged', () => {
      for (const text of [
        '',
        'Hello, world.',
        'Stored the Claude API key at 2024-01-01T00:00:00.000Z (source: input).',
        'risk-free task-management-system-for-the-whole-team',
        'desk_ghp_is_not_a_token',
        'sk-ant-abc',
        'sk-ant-api03-',
        'sk-abc and ghp_short',
        'https://console.anthropic.com/settings/keys?tab=api',
        '{"setAt":"2024-01-01T00:00:00Z","source":"environment"}',
        'line one\nline two\r\n\ttabbed …',
        '123e4567-e89b-12d3-a456-426614174000',
      ]) {
        it(JSON.stringify(text), () => {
          assert.equal(maskSecrets(text), text);
        });
      }
    });

    it('masks a whole-string API key exactly like maskKey', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskSecrets(key), maskKey(key));
    });

    it('masks a key inside a sentence and keeps the surrounding text', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskSecrets(`Using key ${key} for requests.`), `Using key ${maskKey(key)} for requests.`);
    });

    it('masks several keys on one line', () => {
      const a = fakeKeys.apiKey();
      const b = fakeKeys.apiKey();
      const c = fakeKeys.adminKey();
      const out = maskSecrets(`${a} ${b},${c}`);
      assert.equal(out, `${maskKey(a)} ${maskKey(b)},${maskKey(c)}`);
      assertNoKeyMaterial(out, a, API);
      assertNoKeyMaterial(out, b, API);
      assertNoKeyMaterial(out, c, ADMIN);
    });

    it('masks keys on several lines', () => {
      const a = fakeKeys.apiKey();
      const b = fakeKeys.oauthAccessToken();
      const out = maskSecrets(`first: ${a}\r\nsecond: ${b}\n`);
      assert.equal(out, `first: ${maskKey(a)}\r\nsecond: ${maskKey(b)}\n`);
    });

    it('masks keys in JSON and keeps the JSON valid', () => {
      const key = fakeKeys.apiKey();
      const admin = fakeKeys.adminKey();
      const out = maskSecrets(JSON.stringify({ apiKey: key, nested: { admin }, note: 'ok' }));
      const parsed = JSON.parse(out) as { apiKey: string; nested: { admin: string }; note: string };
      assert.equal(parsed.apiKey, maskKey(key));
      assert.equal(parsed.nested.admin, maskKey(admin));
      assert.equal(parsed.note, 'ok');
      assertNoKeyMaterial(out, key, API);
    });

    it('masks keys in URLs and keeps the rest of the URL', () => {
      const key = fakeKeys.apiKey();
      const out = maskSecrets(`GET https://api.example.invalid/v1/messages?key=${key}&model=x failed`);
      assert.equal(out, `GET https://api.example.invalid/v1/messages?key=${maskKey(key)}&model=x failed`);
    });

    it('masks keys in a URL path and in a header line', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskSecrets(`https://example.invalid/k/${key}/x`), `https://example.invalid/k/${maskKey(key)}/x`);
      assert.equal(maskSecrets(`x-api-key: ${key}`), `x-api-key: ${maskKey(key)}`);
    });

    it('masks a key glued to preceding text', () => {
      const key = fakeKeys.apiKey();
      const out = maskSecrets(`ANTHROPIC_API_KEY=${key}`);
      assert.equal(out, `ANTHROPIC_API_KEY=${maskKey(key)}`);
      assertNoKeyMaterial(maskSecrets(`token${key}`), key, API);
    });

    it('masks a key in quotes', () => {
      const key = fakeKeys.apiKey();
      assert.equal(maskSecrets(`"${key}" '${key}' \`${key}\``), `"${maskKey(key)}" '${maskKey(key)}' \`${maskKey(key)}\``);
    });

    it('masks truncated keys', () => {
      const key = fakeKeys.apiKey();
      for (const n of [API.length + 8, 30, 60, 107]) {
        const truncated = key.slice(0, n);
        const out = maskSecrets(`pasted ${truncated} here`);
        assert.equal(out, `pasted ${maskKey(truncated)} here`);
        assert.ok(!out.includes(truncated));
      }
    });

    it('masks malformed Anthropic tokens (any sk-ant- with 8+ following characters)', () => {
      const value = ANT + randomBody(8);
      assert.equal(maskSecrets(value), maskKey(value));
      const longer = prefix('api', '04') + randomBody(93) + 'AA';
      assertNoKeyMaterial(maskSecrets(longer), longer, prefix('api', '04'));
    });

    it('masks admin keys, OAuth tokens and session keys', () => {
      for (const [key, pre] of [
        [fakeKeys.adminKey(), ADMIN],
        [fakeKeys.oauthAccessToken(), prefix('oat', '01')],
        [fakeKeys.oauthRefreshToken(), prefix('ort', '01')],
        [fakeKeys.sessionKey(), prefix('sid', '01')],
      ] as const) {
        const out = maskSecrets(`value=${key};`);
        assert.equal(out, `value=${maskKey(key)};`);
        assertNoKeyMaterial(out, key, pre);
      }
    });

    it('masks OpenAI keys', () => {
      const proj = fakeKeys.openAiProjectKey();
      const legacy = legacyOpenAiKey();
      const out = maskSecrets(`Authorization: Bearer ${proj}\nOPENAI_API_KEY=${legacy}`);
      assert.equal(out, `Authorization: Bearer ${maskKey(proj)}\nOPENAI_API_KEY=${maskKey(legacy)}`);
      assertNoKeyMaterial(out, proj, PROJ);
      assertNoKeyMaterial(out, legacy, SK);
    });

    it('masks GitHub tokens', () => {
      const ghp = fakeKeys.githubToken();
      const pat = githubPat();
      const others = ['gho', 'ghu', 'ghs', 'ghr'].map((p) => `${p}_${alnum(36)}`);
      const text = [ghp, pat, ...others].join(' ');
      const out = maskSecrets(text);
      assert.equal(out, [ghp, pat, ...others].map(maskKey).join(' '));
      assertNoKeyMaterial(out, ghp, GHP);
      assertNoKeyMaterial(out, pat, PAT);
    });

    it('masks a GitHub token in a git remote URL', () => {
      const ghp = fakeKeys.githubToken();
      assert.equal(maskSecrets(`https://x:${ghp}@github.com/o/r.git`), `https://x:${maskKey(ghp)}@github.com/o/r.git`);
    });

    it('masks a mix of Claude, OpenAI and GitHub secrets in one text', () => {
      const secrets: ReadonlyArray<readonly [string, string]> = [
        [fakeKeys.apiKey(), API],
        [fakeKeys.adminKey(), ADMIN],
        [fakeKeys.openAiProjectKey(), PROJ],
        [fakeKeys.githubToken(), GHP],
      ];
      const out = maskSecrets(secrets.map(([s], i) => `#${i}: ${s}`).join(', '));
      for (const [secret, pre] of secrets) {
        assert.ok(out.includes(maskKey(secret)));
        assertNoKeyMaterial(out, secret, pre);
      }
    });

    it('never leaves the original key in the result (random keys, random positions)', () => {
      for (let i = 0; i < 30; i++) {
        const key = fakeKeys.apiKey();
        const text = `${alnum(i)} ${key} ${alnum(30 - i)}`;
        const out = maskSecrets(text);
        assertNoKeyMaterial(out, key, API);
      }
    });

    it('is idempotent for API keys, OAuth tokens, session keys, OpenAI keys and GitHub tokens', () => {
      const text = [
        fakeKeys.apiKey(),
        fakeKeys.oauthAccessToken(),
        fakeKeys.oauthRefreshToken(),
        fakeKeys.sessionKey(),
        fakeKeys.openAiProjectKey(),
        fakeKeys.githubToken(),
      ].join(' and ');
      const once = maskSecrets(text);
      assert.notEqual(once, text);
      assert.equal(maskSecrets(once), once);
    });

    it('leaves an already-masked admin key unchanged (the logger re-masks maskKey output)', () => {
      const masked = maskKey(fakeKeys.adminKey());
      assert.equal(maskSecrets(`Admin key ${masked} rejected`), `Admin key ${masked} rejected`);
    });

    it('leaves text that only names the admin key prefix unchanged', () => {
      const text = `Admin API keys start with ${ADMIN} and cannot send prompts.`;
      assert.equal(maskSecrets(text), text);
    });
  });
});

describe('core/mask: fragments and glued tokens', () => {
  it('shows no tail for a fragment too short to hide it', () => {
    const fragment = ['sk', 'ant', 'api03', 'ab'].join('-');
    assert.equal(maskKey(fragment), 'sk-ant-api03-…');
  });

  it('masks a GitHub token glued to a preceding underscore', () => {
    const token = ['ghp', randomBody(36).replace(/[-_]/g, 'q')].join('_');
    const out = maskSecrets(`token_${token}`);
    assert.ok(!out.includes(token), out);
    assert.ok(out.endsWith(`…${token.slice(-4)}`), out);
  });
});
