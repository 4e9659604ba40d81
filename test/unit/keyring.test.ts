import * as assert from 'node:assert/strict';
import {
  activeKey,
  checkKeyName,
  DEFAULT_KEY_NAME,
  EMPTY_KEYRING,
  keyNames,
  parseKeyring,
  serializeKeyring,
  withActive,
  withKey,
  withoutKey,
  unusedName,
  type Keyring,
} from '../../src/core/keyring';
import { fakeKeys } from '../fakes/keys';

/** A keyring holding a fresh generated key under each name, `active` as given. */
function ring(names: readonly string[], active: string | undefined): Keyring {
  const keys: Record<string, string> = {};
  for (const name of names) {
    keys[name] = fakeKeys.apiKey();
  }
  return { active, keys };
}

describe('core/keyring', () => {
  describe('constants', () => {
    it('the default key name is "default" and is itself a valid name', () => {
      assert.equal(DEFAULT_KEY_NAME, 'default');
      assert.equal(checkKeyName(DEFAULT_KEY_NAME), undefined);
    });

    it('the empty keyring has no active key and no keys', () => {
      assert.equal(EMPTY_KEYRING.active, undefined);
      assert.deepEqual(EMPTY_KEYRING.keys, {});
      assert.equal(activeKey(EMPTY_KEYRING), undefined);
      assert.deepEqual(keyNames(EMPTY_KEYRING), []);
    });
  });

  describe('parseKeyring / serializeKeyring', () => {
    it('round-trips a keyring with several keys and an active one', () => {
      const original = ring(['work', 'personal', 'ci'], 'personal');
      const parsed = parseKeyring(serializeKeyring(original));
      assert.deepEqual(parsed, original);
      assert.equal(activeKey(parsed), original.keys.personal);
    });

    it('round-trips twice to the same string', () => {
      const original = ring(['a', 'b'], 'b');
      const once = serializeKeyring(original);
      assert.equal(serializeKeyring(parseKeyring(once)), once);
    });

    it('round-trips the empty keyring', () => {
      assert.deepEqual(parseKeyring(serializeKeyring(EMPTY_KEYRING)), EMPTY_KEYRING);
    });

    it('serializes with a version number, the active name and the keys', () => {
      const original = ring(['work'], 'work');
      const json: unknown = JSON.parse(serializeKeyring(original));
      assert.deepEqual(json, { version: 1, active: 'work', keys: { work: original.keys.work } });
    });

    it('serializing an empty keyring omits the undefined active name', () => {
      const json = JSON.parse(serializeKeyring(EMPTY_KEYRING)) as Record<string, unknown>;
      assert.ok(!('active' in json));
      assert.deepEqual(json, { version: 1, keys: {} });
    });

    it('undefined and the empty string parse as the empty keyring', () => {
      assert.deepEqual(parseKeyring(undefined), EMPTY_KEYRING);
      assert.deepEqual(parseKeyring(''), EMPTY_KEYRING);
    });

    it('corrupt JSON throws a SyntaxError', () => {
      assert.throws(() => parseKeyring('{"active": "a", "keys": {'), SyntaxError);
      assert.throws(() => parseKeyring('not json'), SyntaxError);
    });

    it('JSON that is not an object throws', () => {
      for (const stored of ['null', '42', '"a string"', 'true']) {
        assert.throws(() => parseKeyring(stored), /keyring is not an object/, stored);
      }
    });

    it('an object without keys parses as no keys and no active name', () => {
      assert.deepEqual(parseKeyring('{}'), { active: undefined, keys: {} });
      assert.deepEqual(parseKeyring('{"active":"work"}'), { active: undefined, keys: {} });
      assert.deepEqual(parseKeyring('{"active":"work","keys":null}'), { active: undefined, keys: {} });
      assert.deepEqual(parseKeyring('{"active":"work","keys":"oops"}'), { active: undefined, keys: {} });
    });

    it('an active name pointing to a missing key falls back to the first name', () => {
      const keys = ring(['zeta', 'alpha', 'mid'], undefined).keys;
      const parsed = parseKeyring(JSON.stringify({ active: 'gone', keys }));
      assert.equal(parsed.active, 'alpha');
      assert.equal(activeKey(parsed), keys.alpha);
    });

    it('a missing or non-string active name falls back to the first name', () => {
      const keys = ring(['b', 'a'], undefined).keys;
      assert.equal(parseKeyring(JSON.stringify({ keys })).active, 'a');
      assert.equal(parseKeyring(JSON.stringify({ active: 7, keys })).active, 'a');
    });

    it('active null means no key is active on purpose, and round-trips', () => {
      const keys = ring(['b', 'a'], undefined).keys;
      const parsed = parseKeyring(JSON.stringify({ active: null, keys }));
      assert.deepEqual(parsed, { active: undefined, keys });
      assert.equal(activeKey(parsed), undefined);
      assert.deepEqual(parseKeyring(serializeKeyring(parsed)), parsed);
    });

    it('drops empty and non-string keys', () => {
      const good = fakeKeys.apiKey();
      const stored = JSON.stringify({ active: 'good', keys: { good, empty: '', num: 42, nil: null, obj: { k: 'v' }, arr: ['x'], flag: true } });
      assert.deepEqual(parseKeyring(stored), { active: 'good', keys: { good } });
    });

    it('an active name whose key was dropped falls back to the first remaining name', () => {
      const keep = fakeKeys.apiKey();
      const parsed = parseKeyring(JSON.stringify({ active: 'broken', keys: { broken: '', keep } }));
      assert.deepEqual(parsed, { active: 'keep', keys: { keep } });
    });

    it('when every key is dropped there is no active name', () => {
      assert.deepEqual(parseKeyring(JSON.stringify({ active: 'a', keys: { a: '', b: 3 } })), { active: undefined, keys: {} });
    });

    it('ignores unknown fields such as version', () => {
      const key = fakeKeys.apiKey();
      assert.deepEqual(parseKeyring(JSON.stringify({ version: 99, extra: [1, 2], active: 'x', keys: { x: key } })), { active: 'x', keys: { x: key } });
    });

    it('an active name that is an Object.prototype member but not a key falls back to the first name', () => {
      const key = fakeKeys.apiKey();
      const parsed = parseKeyring(JSON.stringify({ active: 'toString', keys: { work: key } }));
      assert.equal(parsed.active, 'work');
      assert.equal(activeKey(parsed), key);
    });
  });

  describe('activeKey', () => {
    it('is the key stored under the active name', () => {
      const r = ring(['a', 'b'], 'b');
      assert.equal(activeKey(r), r.keys.b);
    });

    it('is undefined without an active name', () => {
      assert.equal(activeKey(ring(['a'], undefined)), undefined);
    });
  });

  describe('keyNames', () => {
    it('lists the names sorted', () => {
      assert.deepEqual(keyNames(ring(['work', 'ci', 'personal', 'alpha'], 'work')), ['alpha', 'ci', 'personal', 'work']);
    });

    it('sorts digits before letters and does not mutate the keyring', () => {
      const r = ring(['zed', '2nd', '1st'], 'zed');
      const before = Object.keys(r.keys);
      assert.deepEqual(keyNames(r), ['1st', '2nd', 'zed']);
      assert.deepEqual(Object.keys(r.keys), before);
    });
  });

  describe('withKey', () => {
    it('the first key stored becomes active', () => {
      const key = fakeKeys.apiKey();
      const next = withKey(EMPTY_KEYRING, 'work', key);
      assert.deepEqual(next, { active: 'work', keys: { work: key } });
      assert.equal(activeKey(next), key);
    });

    it('a later key does not change the active name', () => {
      const first = withKey(EMPTY_KEYRING, 'work', fakeKeys.apiKey());
      const second = withKey(first, 'personal', fakeKeys.apiKey());
      assert.equal(second.active, 'work');
      assert.deepEqual(keyNames(second), ['personal', 'work']);
    });

    it('makeActive makes the new key active', () => {
      const first = withKey(EMPTY_KEYRING, 'work', fakeKeys.apiKey());
      const key = fakeKeys.apiKey();
      const second = withKey(first, 'personal', key, true);
      assert.equal(second.active, 'personal');
      assert.equal(activeKey(second), key);
    });

    it('replaces the key already stored under the same name and keeps the active name', () => {
      const r = ring(['work', 'personal'], 'work');
      const replacement = fakeKeys.apiKey();
      const next = withKey(r, 'personal', replacement);
      assert.equal(next.keys.personal, replacement);
      assert.equal(next.keys.work, r.keys.work);
      assert.equal(next.active, 'work');
      assert.deepEqual(keyNames(next), ['personal', 'work']);
    });

    it('replacing the active key changes what activeKey returns', () => {
      const r = ring(['work'], 'work');
      const replacement = fakeKeys.apiKey();
      assert.equal(activeKey(withKey(r, 'work', replacement)), replacement);
    });

    it('does not mutate the keyring it was given', () => {
      const r = ring(['work'], 'work');
      const snapshot = JSON.stringify(r);
      withKey(r, 'other', fakeKeys.apiKey(), true);
      withKey(r, 'work', fakeKeys.apiKey());
      assert.equal(JSON.stringify(r), snapshot);
    });
  });

  describe('withoutKey', () => {
    it('removing the active key makes the first remaining name (sorted) active', () => {
      const r = ring(['mid', 'zeta', 'alpha'], 'mid');
      const next = withoutKey(r, 'mid');
      assert.equal(next.active, 'alpha');
      assert.deepEqual(keyNames(next), ['alpha', 'zeta']);
      assert.equal(activeKey(next), r.keys.alpha);
    });

    it('with activateAnother false, removing the active key leaves none active (and a later store makes that one active)', () => {
      const r = ring(['work', 'personal'], 'work');
      const next = withoutKey(r, 'work', false);
      assert.deepEqual(next, { active: undefined, keys: { personal: r.keys.personal } });
      const replacement = fakeKeys.apiKey();
      assert.equal(withKey(next, 'work', replacement).active, 'work');
    });

    it('unusedName: the base, else the first free numbered name', () => {
      assert.equal(unusedName(ring(['work'], 'work'), 'default'), 'default');
      assert.equal(unusedName(ring(['default', 'Default-2'], 'default'), 'default'), 'default-3');
    });

    it('removing a key that is not active keeps the active name', () => {
      const r = ring(['a', 'b', 'c'], 'c');
      const next = withoutKey(r, 'a');
      assert.equal(next.active, 'c');
      assert.deepEqual(keyNames(next), ['b', 'c']);
    });

    it('removing the last key leaves no active name', () => {
      const next = withoutKey(ring(['only'], 'only'), 'only');
      assert.deepEqual(next, { active: undefined, keys: {} });
      assert.equal(activeKey(next), undefined);
    });

    it('removing a name that is not there changes nothing', () => {
      const r = ring(['a', 'b'], 'b');
      assert.deepEqual(withoutKey(r, 'nope'), r);
    });

    it('does not mutate the keyring it was given', () => {
      const r = ring(['a', 'b'], 'a');
      const snapshot = JSON.stringify(r);
      withoutKey(r, 'a');
      assert.equal(JSON.stringify(r), snapshot);
    });
  });

  describe('withActive', () => {
    it('switches the active name to an existing key', () => {
      const r = ring(['a', 'b'], 'a');
      const next = withActive(r, 'b');
      assert.equal(next.active, 'b');
      assert.equal(activeKey(next), r.keys.b);
      assert.equal(next.keys, r.keys);
      assert.equal(r.active, 'a');
    });

    it('throws for an unknown name', () => {
      assert.throws(() => withActive(ring(['a'], 'a'), 'b'), /no key named b/);
      assert.throws(() => withActive(EMPTY_KEYRING, 'default'), /no key named default/);
    });

    it('throws for an unknown name that is an Object.prototype member', () => {
      assert.equal(checkKeyName('constructor'), undefined);
      assert.throws(() => withActive(ring(['a'], 'a'), 'constructor'), /no key named constructor/);
    });
  });

  describe('checkKeyName', () => {
    it('refuses the empty name', () => {
      assert.equal(checkKeyName(''), 'empty');
    });

    it('refuses whitespace-only names as empty', () => {
      assert.equal(checkKeyName('   '), 'empty');
      assert.equal(checkKeyName('\t\n '), 'empty');
    });

    it('accepts 32 characters, refuses 33', () => {
      assert.equal(checkKeyName('a'.repeat(32)), undefined);
      assert.equal(checkKeyName('a'.repeat(33)), 'invalid');
      assert.equal(checkKeyName('k' + 'x'.repeat(32)), 'invalid');
    });

    it('refuses path-like names', () => {
      for (const name of ['../x', './x', 'a/b', 'a\\b', '/etc']) {
        assert.equal(checkKeyName(name), 'invalid', name);
      }
    });

    it('refuses a name starting with a dot, dash, underscore or other punctuation', () => {
      for (const name of ['.hidden', '-dash', '_under', '#1', '@work']) {
        assert.equal(checkKeyName(name), 'invalid', name);
      }
    });

    it('trims surrounding whitespace before checking, so a leading space is not an error', () => {
      // The caller (keyCommands) stores name.trim(), so " work" becomes "work".
      assert.equal(checkKeyName(' work'), undefined);
      assert.equal(checkKeyName('work  '), undefined);
      assert.equal(checkKeyName('  .work'), 'invalid');
    });

    it('refuses characters outside letters, digits, space, dot, dash and underscore', () => {
      for (const name of ['work!', 'a:b', 'café', 'name\twith-tab', 'x\ny', 'a,b', 'emoji😀']) {
        assert.equal(checkKeyName(name), 'invalid', JSON.stringify(name));
      }
    });

    it('accepts names with space, dot, dash and underscore after the first character', () => {
      for (const name of ['work', 'Work Laptop', 'v1.2', 'team-a', 'ci_bot', '9lives', 'A b.c-d_e']) {
        assert.equal(checkKeyName(name), undefined, name);
      }
    });

    it('refuses a name already taken, ignoring case', () => {
      const existing = ['work', 'Personal'];
      assert.equal(checkKeyName('work', existing), 'taken');
      assert.equal(checkKeyName('WORK', existing), 'taken');
      assert.equal(checkKeyName('personal', existing), 'taken');
      assert.equal(checkKeyName('  Work ', existing), 'taken');
    });

    it('accepts a name not taken', () => {
      assert.equal(checkKeyName('work2', ['work', 'personal']), undefined);
      assert.equal(checkKeyName('work', []), undefined);
    });

    it('reports invalid before taken and empty before anything', () => {
      assert.equal(checkKeyName('.work', ['.work']), 'invalid');
      assert.equal(checkKeyName(' ', [' ', '']), 'empty');
    });
  });
});
