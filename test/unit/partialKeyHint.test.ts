import * as assert from 'node:assert/strict';
import { matchesPartialKeyHint } from '../../src/core/partialKeyHint';
import { fakeKeys, randomBody } from '../fakes/keys';

/** `sk-ant-api03-`, assembled at run time. */
const API_PREFIX = ['sk', 'ant', 'api03', ''].join('-');

/** The hint the Admin API shows for `key`: prefix plus a few body characters, `...`, last four. */
function hintFor(key: string, headBody = 3, tail = 4): string {
  return `${key.slice(0, API_PREFIX.length + headBody)}...${key.slice(-tail)}`;
}

describe('core/partialKeyHint', () => {
  describe('matchesPartialKeyHint', () => {
    it('a hint built from a key matches that key', () => {
      const key = fakeKeys.apiKey();
      const hint = hintFor(key);
      assert.ok(hint.startsWith(API_PREFIX));
      assert.ok(hint.length < key.length);
      assert.equal(matchesPartialKeyHint(key, hint), true);
    });

    it('a hint matches its own key for many generated keys', () => {
      for (let i = 0; i < 50; i++) {
        const key = fakeKeys.apiKey();
        assert.equal(matchesPartialKeyHint(key, hintFor(key)), true);
      }
    });

    it('a hint does not match a different key', () => {
      const key = fakeKeys.apiKey();
      const hint = hintFor(key, 6, 6);
      let other = fakeKeys.apiKey();
      while (other.startsWith(hint.split('...')[0]) && other.endsWith(hint.split('...')[1])) {
        other = fakeKeys.apiKey();
      }
      assert.equal(matchesPartialKeyHint(other, hint), false);
    });

    it('the head and the tail must both match', () => {
      const body = randomBody(40).replace(/[-_]/g, 'x');
      const key = `${API_PREFIX}R2D${body}igAA`;
      const hint = `${API_PREFIX}R2D...igAA`;
      assert.equal(matchesPartialKeyHint(key, hint), true);
      // Same head, different tail.
      assert.equal(matchesPartialKeyHint(`${API_PREFIX}R2D${body}igAB`, hint), false);
      // Same tail, different head.
      assert.equal(matchesPartialKeyHint(`${API_PREFIX}R2E${body}igAA`, hint), false);
    });

    it('the match is case-sensitive', () => {
      const body = randomBody(40).replace(/[-_]/g, 'x');
      const key = `${API_PREFIX}abc${body}wxyz`;
      assert.equal(matchesPartialKeyHint(key, `${API_PREFIX}abc...wxyz`), true);
      assert.equal(matchesPartialKeyHint(key, `${API_PREFIX}ABC...wxyz`), false);
      assert.equal(matchesPartialKeyHint(key, `${API_PREFIX}abc...WXYZ`), false);
    });

    it('a hint for an admin key does not match an API key with the same body ends', () => {
      const key = fakeKeys.apiKey();
      const adminPrefix = ['sk', 'ant', 'admin01', ''].join('-');
      const hint = `${adminPrefix}${key.slice(API_PREFIX.length, API_PREFIX.length + 3)}...${key.slice(-4)}`;
      assert.equal(matchesPartialKeyHint(key, hint), false);
    });

    it('null, undefined and the empty hint match nothing', () => {
      const key = fakeKeys.apiKey();
      assert.equal(matchesPartialKeyHint(key, null), false);
      assert.equal(matchesPartialKeyHint(key, undefined), false);
      assert.equal(matchesPartialKeyHint(key, ''), false);
    });

    it('a hint without "..." matches nothing, even the whole key', () => {
      const key = fakeKeys.apiKey();
      assert.equal(matchesPartialKeyHint(key, key), false);
      assert.equal(matchesPartialKeyHint(key, key.slice(0, 16)), false);
      // A single Unicode ellipsis is not the Admin API's separator.
      assert.equal(matchesPartialKeyHint(key, `${key.slice(0, 16)}…${key.slice(-4)}`), false);
    });

    it('a hint with two "..." matches nothing', () => {
      const key = fakeKeys.apiKey();
      const hint = `${key.slice(0, 16)}...${key.slice(40, 44)}...${key.slice(-4)}`;
      assert.equal(matchesPartialKeyHint(key, hint), false);
    });

    it('an empty head or tail matches nothing', () => {
      const key = fakeKeys.apiKey();
      assert.equal(matchesPartialKeyHint(key, `...${key.slice(-4)}`), false);
      assert.equal(matchesPartialKeyHint(key, `${key.slice(0, 16)}...`), false);
      assert.equal(matchesPartialKeyHint(key, '...'), false);
    });

    it('a key shorter than head plus tail matches nothing', () => {
      assert.equal(matchesPartialKeyHint('abcdef', 'abcd...cdef'), false);
      const key = fakeKeys.apiKey();
      assert.equal(matchesPartialKeyHint(key.slice(0, 10), `${key.slice(0, 8)}...${key.slice(4, 10)}`), false);
    });

    it('a key exactly as long as head plus tail matches nothing: "..." stands for at least one character', () => {
      assert.equal(matchesPartialKeyHint('abcdef', 'abc...def'), false);
      assert.equal(matchesPartialKeyHint('abcXdef', 'abc...def'), true);
    });

    it('the empty key matches nothing', () => {
      assert.equal(matchesPartialKeyHint('', `${API_PREFIX}abc...wxyz`), false);
    });
  });
});
