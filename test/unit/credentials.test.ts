import * as assert from 'node:assert/strict';
import {
  API_KEY_LENGTH,
  API_KEY_PREFIX,
  CREDENTIAL_SHAPES,
  classifyCredential,
  shapeOf,
  type CredentialKind,
} from '../../src/core/credentials';
import { fakeKeys, randomBody } from '../fakes/keys';

/** `sk-ant-<kind><n>-`, assembled at run time so no key-shaped literal is ever written down. */
const prefix = (kind: string, n: string): string => ['sk', 'ant', `${kind}${n}`, ''].join('-');
const API = prefix('api', '03');
const ADMIN = prefix('admin', '01');
const OAT = prefix('oat', '01');
const ORT = prefix('ort', '01');
const SID = prefix('sid', '01');

const ALL_KINDS: readonly CredentialKind[] = ['apiKey', 'adminKey', 'oauthAccessToken', 'oauthRefreshToken', 'sessionKey'];

describe('core/credentials', () => {
  describe('constants', () => {
    it('API_KEY_PREFIX is the API key prefix', () => {
      assert.equal(API_KEY_PREFIX, API);
    });

    it('API_KEY_LENGTH is prefix + 93 body characters + the two-character suffix', () => {
      assert.equal(API_KEY_LENGTH, API.length + 93 + 2);
      assert.equal(API_KEY_LENGTH, 108);
    });

    it('a generated API key has exactly API_KEY_LENGTH characters', () => {
      assert.equal(fakeKeys.apiKey().length, API_KEY_LENGTH);
    });

    it('CREDENTIAL_SHAPES has one shape per kind, with the expected prefixes', () => {
      assert.deepEqual(
        CREDENTIAL_SHAPES.map((s) => s.kind),
        ALL_KINDS,
      );
      assert.deepEqual(
        CREDENTIAL_SHAPES.map((s) => s.prefix),
        [API, ADMIN, OAT, ORT, SID],
      );
    });

    it('API and admin keys are exact-length with an AA suffix; tokens have a minimum length and no suffix', () => {
      for (const shape of CREDENTIAL_SHAPES) {
        if (shape.kind === 'apiKey' || shape.kind === 'adminKey') {
          assert.equal(shape.exact, true, shape.kind);
          assert.equal(shape.bodyLength, 93, shape.kind);
          assert.equal(shape.suffix, 'AA', shape.kind);
        } else {
          assert.equal(shape.exact, false, shape.kind);
          assert.equal(shape.bodyLength, 40, shape.kind);
          assert.equal(shape.suffix, '', shape.kind);
        }
      }
    });

    it('every shape has a non-empty human label, and labels are distinct', () => {
      const labels = CREDENTIAL_SHAPES.map((s) => s.label);
      for (const label of labels) {
        assert.ok(label.length > 0);
      }
      assert.equal(new Set(labels).size, labels.length);
    });

    it('prefixes are distinct and none is a prefix of another', () => {
      for (const a of CREDENTIAL_SHAPES) {
        for (const b of CREDENTIAL_SHAPES) {
          if (a !== b) {
            assert.ok(!a.prefix.startsWith(b.prefix), `${a.prefix} starts with ${b.prefix}`);
          }
        }
      }
    });
  });

  describe('shapeOf', () => {
    it('returns the shape for every kind', () => {
      for (const kind of ALL_KINDS) {
        const shape = shapeOf(kind);
        assert.equal(shape.kind, kind);
        assert.ok(CREDENTIAL_SHAPES.includes(shape));
      }
    });

    it('returns the API key shape with its label and prefix', () => {
      const shape = shapeOf('apiKey');
      assert.equal(shape.prefix, API_KEY_PREFIX);
      assert.equal(shape.label, 'Claude API key');
    });

    it('throws for an unknown kind', () => {
      assert.throws(() => shapeOf('bogus' as CredentialKind), /unknown credential kind bogus/);
    });
  });

  describe('classifyCredential', () => {
    describe('well-formed credentials', () => {
      it('classifies an API key', () => {
        assert.equal(classifyCredential(fakeKeys.apiKey()), 'apiKey');
      });

      it('classifies an admin key', () => {
        assert.equal(classifyCredential(fakeKeys.adminKey()), 'adminKey');
      });

      it('classifies an OAuth access token', () => {
        assert.equal(classifyCredential(fakeKeys.oauthAccessToken()), 'oauthAccessToken');
      });

      it('classifies an OAuth refresh token', () => {
        assert.equal(classifyCredential(fakeKeys.oauthRefreshToken()), 'oauthRefreshToken');
      });

      it('classifies a session key', () => {
        assert.equal(classifyCredential(fakeKeys.sessionKey()), 'sessionKey');
      });

      it('classifies many random API keys (every body character is allowed)', () => {
        for (let i = 0; i < 50; i++) {
          assert.equal(classifyCredential(fakeKeys.apiKey()), 'apiKey');
        }
      });

      it('accepts bodies made only of "-" and "_"', () => {
        assert.equal(classifyCredential(API + '-'.repeat(93) + 'AA'), 'apiKey');
        assert.equal(classifyCredential(API + '_'.repeat(93) + 'AA'), 'apiKey');
        assert.equal(classifyCredential(OAT + '-_'.repeat(20)), 'oauthAccessToken');
      });

      it('accepts an API key whose body itself ends in A', () => {
        assert.equal(classifyCredential(API + randomBody(90) + 'AAA' + 'AA'), 'apiKey');
      });
    });

    describe('exact-length keys', () => {
      for (const [name, pre] of [
        ['API key', API],
        ['admin key', ADMIN],
      ] as const) {
        it(`${name}: body of 92 characters is rejected`, () => {
          assert.equal(classifyCredential(pre + randomBody(92) + 'AA'), undefined);
        });

        it(`${name}: body of 94 characters is rejected`, () => {
          assert.equal(classifyCredential(pre + randomBody(94) + 'AA'), undefined);
        });

        it(`${name}: wrong suffix is rejected`, () => {
          const body = randomBody(93);
          assert.equal(classifyCredential(pre + body + 'AB'), undefined);
          assert.equal(classifyCredential(pre + body + 'aa'), undefined);
          assert.equal(classifyCredential(pre + body + 'BA'), undefined);
        });

        it(`${name}: missing suffix is rejected`, () => {
          assert.equal(classifyCredential(pre + randomBody(95).replace(/A$/, 'B')), undefined);
        });

        it(`${name}: a bad character in the body is rejected`, () => {
          for (const bad of ['.', '+', '/', '=', ' ', '\n', 'é', '!', '~']) {
            const body = randomBody(46) + bad + randomBody(46);
            assert.equal(classifyCredential(pre + body + 'AA'), undefined, JSON.stringify(bad));
          }
        });

        it(`${name}: prefix only is rejected`, () => {
          assert.equal(classifyCredential(pre), undefined);
          assert.equal(classifyCredential(pre + 'AA'), undefined);
        });
      }
    });

    describe('minimum-length tokens', () => {
      for (const [kind, pre] of [
        ['oauthAccessToken', OAT],
        ['oauthRefreshToken', ORT],
        ['sessionKey', SID],
      ] as const) {
        it(`${kind}: exactly 40 body characters is accepted`, () => {
          assert.equal(classifyCredential(pre + randomBody(40)), kind);
        });

        it(`${kind}: 39 body characters is rejected`, () => {
          assert.equal(classifyCredential(pre + randomBody(39)), undefined);
        });

        it(`${kind}: a long body is accepted`, () => {
          assert.equal(classifyCredential(pre + randomBody(500)), kind);
        });

        it(`${kind}: a bad character in the body is rejected`, () => {
          assert.equal(classifyCredential(pre + randomBody(30) + '.' + randomBody(30)), undefined);
          assert.equal(classifyCredential(pre + randomBody(30) + ' ' + randomBody(30)), undefined);
        });

        it(`${kind}: prefix only is rejected`, () => {
          assert.equal(classifyCredential(pre), undefined);
        });
      }
    });

    describe('other inputs', () => {
      it('rejects the empty string', () => {
        assert.equal(classifyCredential(''), undefined);
      });

      it('rejects surrounding whitespace (it classifies the whole string)', () => {
        const key = fakeKeys.apiKey();
        assert.equal(classifyCredential(` ${key}`), undefined);
        assert.equal(classifyCredential(`${key}\n`), undefined);
      });

      it('rejects a key embedded in other text', () => {
        assert.equal(classifyCredential(`key=${fakeKeys.apiKey()}`), undefined);
      });

      it('is case-sensitive about the prefix', () => {
        const key = fakeKeys.apiKey();
        assert.equal(classifyCredential(key.slice(0, API.length).toUpperCase() + key.slice(API.length)), undefined);
      });

      it('rejects unknown Anthropic versions and formats', () => {
        assert.equal(classifyCredential(prefix('api', '04') + randomBody(93) + 'AA'), undefined);
        assert.equal(classifyCredential(prefix('admin', '02') + randomBody(93) + 'AA'), undefined);
        assert.equal(classifyCredential(prefix('oat', '02') + randomBody(60)), undefined);
        assert.equal(classifyCredential('sk-ant-' + randomBody(100)), undefined);
      });

      it('rejects OpenAI and GitHub tokens', () => {
        assert.equal(classifyCredential(fakeKeys.openAiProjectKey()), undefined);
        assert.equal(classifyCredential(fakeKeys.githubToken()), undefined);
      });

      it('does not swap kinds: an API-key body with an admin prefix is an admin key', () => {
        const body = randomBody(93) + 'AA';
        assert.equal(classifyCredential(API + body), 'apiKey');
        assert.equal(classifyCredential(ADMIN + body), 'adminKey');
      });
    });
  });
});
