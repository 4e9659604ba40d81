import * as assert from 'node:assert/strict';
import { API_KEY_LENGTH, API_KEY_PREFIX } from '../../src/core/credentials';
import { checkApiKeyInput, type KeyInputProblem } from '../../src/core/keyInput';
import { fakeKeys, randomBody } from '../fakes/keys';

/** `sk-ant-<kind><n>-`, assembled at run time so no key-shaped literal is ever written down. */
const prefix = (kind: string, n: string): string => ['sk', 'ant', `${kind}${n}`, ''].join('-');
const ANT = ['sk', 'ant', ''].join('-');
const API = prefix('api', '03');

/** Random characters from [A-Za-z0-9] only. */
const alnum = (n: number): string => randomBody(n).replace(/[-_]/g, 'x');
/** Random characters from [A-Z0-9] only. */
const upperAlnum = (n: number): string => alnum(n).toUpperCase();

function expectProblem(raw: string, expected: KeyInputProblem): void {
  const result = checkApiKeyInput(raw);
  assert.deepEqual(result, { ok: false, ...expected });
}

/** checkApiKeyInput: which problem a pasted value has, named without echoing it. */
describe('core/keyInput', () => {
  describe('checkApiKeyInput', () => {
    describe('accepted', () => {
      it('accepts a well-formed API key and returns it', () => {
        const key = fakeKeys.apiKey();
        assert.deepEqual(checkApiKeyInput(key), { ok: true, key });
      });

      it('returns the normalized key for wrapped input', () => {
        const key = fakeKeys.apiKey();
        for (const raw of [
          `  ${key}\n`,
          `${key}\r\n`,
          `"${key}"`,
          `'${key}'`,
          `\`${key}\``,
          `ANTHROPIC_API_KEY=${key}`,
          `export ANTHROPIC_API_KEY="${key}"`,
          `\n export ANTHROPIC_API_KEY='${key}' \n`,
        ]) {
          assert.deepEqual(checkApiKeyInput(raw), { ok: true, key }, JSON.stringify(raw.replace(key, '<key>')));
        }
      });
    });

    describe('empty', () => {
      it('empty string', () => {
        expectProblem('', { reason: 'empty' });
      });

      it('whitespace only', () => {
        expectProblem('   ', { reason: 'empty' });
        expectProblem('\r\n\t', { reason: 'empty' });
      });

      it('empty quotes and empty assignment', () => {
        expectProblem('""', { reason: 'empty' });
        expectProblem("'  '", { reason: 'empty' });
        expectProblem('ANTHROPIC_API_KEY=', { reason: 'empty' });
        expectProblem('export ANTHROPIC_API_KEY=""', { reason: 'empty' });
      });
    });

    describe('innerWhitespace', () => {
      const key = (): string => fakeKeys.apiKey();
      const split = (k: string, sep: string): string => k.slice(0, 50) + sep + k.slice(50);

      it('inner space', () => {
        expectProblem(split(key(), ' '), { reason: 'innerWhitespace' });
      });

      it('inner newline', () => {
        expectProblem(split(key(), '\n'), { reason: 'innerWhitespace' });
        expectProblem(split(key(), '\r\n'), { reason: 'innerWhitespace' });
      });

      it('inner tab', () => {
        expectProblem(split(key(), '\t'), { reason: 'innerWhitespace' });
      });

      it('inner non-breaking space', () => {
        expectProblem(split(key(), '\u00A0'), { reason: 'innerWhitespace' });
      });

      it('whitespace inside quotes but within the key', () => {
        expectProblem(`"${split(key(), ' ')}"`, { reason: 'innerWhitespace' });
      });

      it('a key pasted twice on two lines', () => {
        expectProblem(`${key()}\n${key()}`, { reason: 'innerWhitespace' });
      });

      it('ordinary words separated by spaces', () => {
        expectProblem('my api key', { reason: 'innerWhitespace' });
      });
    });

    describe('adminKey', () => {
      it('a well-formed admin key', () => {
        expectProblem(fakeKeys.adminKey(), { reason: 'adminKey' });
      });

      it('a truncated admin key', () => {
        expectProblem(fakeKeys.adminKey().slice(0, 40), { reason: 'adminKey' });
        expectProblem(prefix('admin', '01'), { reason: 'adminKey' });
      });

      it('an admin key of another version or wrong length', () => {
        expectProblem(prefix('admin', '02') + randomBody(93) + 'AA', { reason: 'adminKey' });
        expectProblem(prefix('admin', '01') + randomBody(94) + 'AA', { reason: 'adminKey' });
      });

      it('an admin key wrapped in an assignment', () => {
        expectProblem(`export ANTHROPIC_API_KEY="${fakeKeys.adminKey()}"`, { reason: 'adminKey' });
      });
    });

    describe('oauthToken', () => {
      it('an OAuth access token', () => {
        expectProblem(fakeKeys.oauthAccessToken(), { reason: 'oauthToken' });
      });

      it('an OAuth refresh token', () => {
        expectProblem(fakeKeys.oauthRefreshToken(), { reason: 'oauthToken' });
      });

      it('truncated OAuth tokens', () => {
        expectProblem(fakeKeys.oauthAccessToken().slice(0, 30), { reason: 'oauthToken' });
        expectProblem(fakeKeys.oauthRefreshToken().slice(0, 30), { reason: 'oauthToken' });
        expectProblem(prefix('oat', '01'), { reason: 'oauthToken' });
      });

      it('OAuth tokens of another version', () => {
        expectProblem(prefix('oat', '02') + randomBody(60), { reason: 'oauthToken' });
        expectProblem(prefix('ort', '09') + randomBody(60), { reason: 'oauthToken' });
      });
    });

    describe('sessionKey', () => {
      it('a session key', () => {
        expectProblem(fakeKeys.sessionKey(), { reason: 'sessionKey' });
      });

      it('a truncated session key', () => {
        expectProblem(fakeKeys.sessionKey().slice(0, 25), { reason: 'sessionKey' });
        expectProblem(prefix('sid', '01'), { reason: 'sessionKey' });
      });
    });

    describe('openAiKey', () => {
      it('an OpenAI project key (sk-proj-)', () => {
        expectProblem(fakeKeys.openAiProjectKey(), { reason: 'openAiKey' });
      });

      it('a legacy OpenAI key (sk-)', () => {
        expectProblem(['sk', ''].join('-') + alnum(48), { reason: 'openAiKey' });
      });

      it('OpenAI service-account and admin keys', () => {
        expectProblem(['sk', 'svcacct', ''].join('-') + randomBody(60), { reason: 'openAiKey' });
        expectProblem(['sk', 'admin', ''].join('-') + randomBody(60), { reason: 'openAiKey' });
      });

      it('a too-short sk- value is not called an OpenAI key', () => {
        expectProblem('sk-abc', { reason: 'notAClaudeKey' });
        expectProblem('sk-' + alnum(19), { reason: 'notAClaudeKey' });
      });
    });

    describe('githubToken', () => {
      it('a classic GitHub token (ghp_)', () => {
        expectProblem(fakeKeys.githubToken(), { reason: 'githubToken' });
      });

      it('other GitHub token kinds (gho_, ghu_, ghs_, ghr_)', () => {
        for (const p of ['gho', 'ghu', 'ghs', 'ghr']) {
          expectProblem(`${p}_${alnum(36)}`, { reason: 'githubToken' });
        }
      });

      it('a fine-grained GitHub token (github_pat_)', () => {
        expectProblem(['github', 'pat', ''].join('_') + alnum(22) + '_' + alnum(59), { reason: 'githubToken' });
      });

      it('a too-short ghp_ value is not called a GitHub token', () => {
        expectProblem('ghp_' + alnum(19), { reason: 'notAClaudeKey' });
      });
    });

    describe('otherProviderKey', () => {
      it('a Google API key (AIza…)', () => {
        expectProblem('AIza' + randomBody(35), { reason: 'otherProviderKey', provider: 'Google' });
      });

      it('an AWS access key id (AKIA…, ASIA…)', () => {
        expectProblem('AKIA' + upperAlnum(16), { reason: 'otherProviderKey', provider: 'AWS' });
        expectProblem('ASIA' + upperAlnum(16), { reason: 'otherProviderKey', provider: 'AWS' });
      });

      it('an AWS-looking value of the wrong length is not called AWS', () => {
        expectProblem('AKIA' + upperAlnum(15), { reason: 'notAClaudeKey' });
        expectProblem('AKIA' + upperAlnum(17), { reason: 'notAClaudeKey' });
      });

      it('a Slack token', () => {
        expectProblem(['xoxb', alnum(12), alnum(24)].join('-'), { reason: 'otherProviderKey', provider: 'Slack' });
      });

      it('a Hugging Face token', () => {
        expectProblem('hf_' + alnum(34), { reason: 'otherProviderKey', provider: 'Hugging Face' });
      });

      it('a Groq key', () => {
        expectProblem('gsk_' + alnum(52), { reason: 'otherProviderKey', provider: 'Groq' });
      });
    });

    describe('wrongLength', () => {
      it('API key with a 92-character body', () => {
        const raw = API + randomBody(92) + 'AA';
        expectProblem(raw, { reason: 'wrongLength', length: 107, expected: 108 });
      });

      it('API key with a 94-character body', () => {
        const raw = API + randomBody(94) + 'AA';
        expectProblem(raw, { reason: 'wrongLength', length: 109, expected: 108 });
      });

      it('expected is always API_KEY_LENGTH', () => {
        const result = checkApiKeyInput(API + randomBody(10));
        assert.equal(result.ok === false && result.reason === 'wrongLength' ? result.expected : undefined, API_KEY_LENGTH);
      });

      it('a truncated API key reports its length', () => {
        const key = fakeKeys.apiKey();
        expectProblem(key.slice(0, 60), { reason: 'wrongLength', length: 60, expected: 108 });
        expectProblem(key.slice(0, -1), { reason: 'wrongLength', length: 107, expected: 108 });
      });

      it('the API key prefix alone', () => {
        expectProblem(API_KEY_PREFIX, { reason: 'wrongLength', length: API_KEY_PREFIX.length, expected: 108 });
      });

      it('an API key with trailing punctuation', () => {
        expectProblem(fakeKeys.apiKey() + ',', { reason: 'wrongLength', length: 109, expected: 108 });
      });

      it('a wrong-length key with bad characters reports the length first', () => {
        expectProblem(API + randomBody(20) + '.' + randomBody(20), { reason: 'wrongLength', length: API.length + 41, expected: 108 });
      });

      it('the length is measured after normalization', () => {
        expectProblem(`  "${API + randomBody(92)}AA"  `, { reason: 'wrongLength', length: 107, expected: 108 });
      });

      it('an API key pasted twice without a separator', () => {
        const key = fakeKeys.apiKey();
        expectProblem(key + key, { reason: 'wrongLength', length: 216, expected: 108 });
      });
    });

    describe('invalidCharacters', () => {
      for (const bad of ['.', '+', '/', '=', '!', 'é', '"', "'"]) {
        it(`right length, body contains ${JSON.stringify(bad)}`, () => {
          expectProblem(API + randomBody(46) + bad + randomBody(46) + 'AA', { reason: 'invalidCharacters' });
        });
      }

      it('right length, a bad character in the suffix position', () => {
        expectProblem(API + randomBody(93) + 'A.', { reason: 'invalidCharacters' });
      });
    });

    describe('unknownAnthropicFormat', () => {
      it('an API key of the right length with the wrong suffix', () => {
        expectProblem(API + randomBody(93) + 'AB', { reason: 'unknownAnthropicFormat' });
      });

      it('an unknown API key version', () => {
        expectProblem(prefix('api', '04') + randomBody(93) + 'AA', { reason: 'unknownAnthropicFormat' });
      });

      it('sk-ant- alone and with arbitrary text', () => {
        expectProblem(ANT, { reason: 'unknownAnthropicFormat' });
        expectProblem(ANT + randomBody(40), { reason: 'unknownAnthropicFormat' });
        expectProblem(ANT + 'something', { reason: 'unknownAnthropicFormat' });
      });

      it('oat/ort without a version number is not an OAuth token', () => {
        expectProblem(ANT + 'oat-' + randomBody(40), { reason: 'unknownAnthropicFormat' });
      });
    });

    describe('notAClaudeKey', () => {
      it('random words', () => {
        for (const word of ['hello', 'password123', 'correcthorsebatterystaple', 'x', 'sk', 'sk-', 'ANTHROPIC_API_KEY']) {
          expectProblem(word, { reason: 'notAClaudeKey' });
        }
      });

      it('an upper-cased API key', () => {
        expectProblem(fakeKeys.apiKey().toUpperCase(), { reason: 'notAClaudeKey' });
      });

      it('a key with a leading mismatched quote', () => {
        const key = fakeKeys.apiKey();
        expectProblem(`"${key}'`, { reason: 'notAClaudeKey' });
        expectProblem(`"${key}`, { reason: 'notAClaudeKey' });
      });

      it('a key behind another variable name', () => {
        expectProblem(`OPENAI_API_KEY=${fakeKeys.apiKey()}`, { reason: 'notAClaudeKey' });
      });

      it('a UUID and a URL', () => {
        expectProblem('123e4567-e89b-12d3-a456-426614174000', { reason: 'notAClaudeKey' });
        expectProblem('https://console.anthropic.com/settings/keys', { reason: 'notAClaudeKey' });
      });
    });

    describe('never echoes the value', () => {
      it('no problem result contains the pasted value or its body', () => {
        const api = fakeKeys.apiKey();
        const inputs = [
          fakeKeys.adminKey(),
          fakeKeys.oauthAccessToken(),
          fakeKeys.oauthRefreshToken(),
          fakeKeys.sessionKey(),
          fakeKeys.openAiProjectKey(),
          fakeKeys.githubToken(),
          'AIza' + randomBody(35),
          api.slice(0, -1),
          api + 'A',
          api.slice(0, 60) + '.' + api.slice(61),
          api.slice(0, -2) + 'AB',
          api.slice(0, 50) + ' ' + api.slice(50),
          ANT + randomBody(40),
          randomBody(40),
        ];
        for (const input of inputs) {
          const result = checkApiKeyInput(input);
          assert.equal(result.ok, false);
          const text = JSON.stringify(result);
          assert.ok(!text.includes(input), 'result contains the input');
          assert.ok(!text.includes(input.slice(16, 36)), 'result contains part of the input');
        }
      });

      it('problem results carry only the documented fields', () => {
        const result = checkApiKeyInput(fakeKeys.adminKey());
        assert.deepEqual(Object.keys(result).sort(), ['ok', 'reason']);
        const wrong = checkApiKeyInput(API + randomBody(3));
        assert.deepEqual(Object.keys(wrong).sort(), ['expected', 'length', 'ok', 'reason']);
      });
    });
  });
});
