import * as assert from 'node:assert/strict';
import { groupHistoryHits, type HistoryHit } from '../../src/core/historyGroups';
import { identify, identityOf, OrganisationKeyIndex, type OrganisationKey } from '../../src/core/keyIdentity';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { fakeApiSuite } from './fakeApiSuite';

const hintOf = (key: string): string => `${key.slice(0, 16)}...${key.slice(-4)}`;

function record(key: string, overrides: Partial<OrganisationKey> = {}): OrganisationKey {
  return {
    id: `apikey_${key.slice(-8)}`,
    name: 'ci',
    status: 'active',
    partial_key_hint: hintOf(key),
    created_at: '2026-01-02T03:04:05Z',
    created_by: { id: 'user_01abc', type: 'user' },
    workspace_id: 'wrkspc_01',
    ...overrides,
  };
}

describe('core/keyIdentity: which of the organisation\'s keys a found key is', () => {
  it('matches by partial_key_hint and gives name, workspace, status, creator and date', () => {
    const key = fakeKeys.apiKey();
    const others = [fakeKeys.apiKey(), fakeKeys.apiKey()].map((k) => record(k, { name: 'other' }));
    assert.deepEqual(identify(key, [...others, record(key)]), {
      id: `apikey_${key.slice(-8)}`,
      name: 'ci',
      workspace: 'wrkspc_01',
      status: 'active',
      createdBy: 'user_01abc',
      createdAt: '2026-01-02T03:04:05Z',
    });
    assert.equal(identify(fakeKeys.apiKey(), others), undefined);
  });

  it('a key without a hint never matches; no workspace is "default"; the scope\'s workspace and a service account creator are read', () => {
    const key = fakeKeys.apiKey();
    assert.equal(identify(key, [record(key, { partial_key_hint: null })]), undefined);
    assert.equal(identityOf(record(key, { workspace_id: null })).workspace, 'default');
    const scoped = identityOf(record(key, { workspace_id: undefined, scope: { type: 'workspace', workspace_id: 'wrkspc_02' }, created_by: { id: 'sa_1', type: 'service_account' } }));
    assert.equal(scoped.workspace, 'wrkspc_02');
    assert.equal(scoped.createdBy, 'service_account sa_1');
    assert.equal(identityOf(record(key, { created_by: null })).createdBy, null);
  });
});

/** n API keys whose hints (16 + 4 characters) are all different, so every key has one right answer. */
function distinctHintKeys(n: number): string[] {
  const keys: string[] = [];
  const hints = new Set<string>();
  while (keys.length < n) {
    const key = fakeKeys.apiKey();
    if (!hints.has(hintOf(key))) {
      hints.add(hintOf(key));
      keys.push(key);
    }
  }
  return keys;
}

describe('core/keyIdentity: OrganisationKeyIndex names many found keys in linear time', () => {
  it('gives what identify() gives: first record in list order, hints of other shapes, no hint, malformed hints, too-short keys', () => {
    const [a, b, c] = distinctHintKeys(3);
    const records: OrganisationKey[] = [
      record(b, { partial_key_hint: null, name: 'no hint' }),
      record(b, { partial_key_hint: `${b.slice(0, 16)}...${b.slice(-4)}...x`, name: 'three parts' }),
      record(b, { partial_key_hint: `...${b.slice(-4)}`, name: 'no head' }),
      record(a, { partial_key_hint: `${a.slice(0, 20)}...${a.slice(-6)}`, name: 'a, other shape', id: 'late-shape' }),
      record(a, { name: 'a first' }),
      record(a, { name: 'a again' }),
      record(c, { name: 'c' }),
    ];
    const index = new OrganisationKeyIndex(records);
    for (const key of [a, b, c, fakeKeys.apiKey(), a.slice(0, 19), '']) {
      assert.deepEqual(index.identify(key), identify(key, records), key.length === 0 ? 'empty' : maskKey(key));
    }
    // The other-shape record comes first in the list, so it wins as it does in identify().
    assert.equal(index.identify(a)?.name, 'a, other shape');
    assert.equal(index.identify(c)?.name, 'c');
    assert.equal(index.identify(b), undefined);
  });

  it('thousands of organisation keys and found keys: a constant number of lookups per found key, the same answers as the list scan', () => {
    const probesFor = (n: number): { probes: number; index: OrganisationKeyIndex; keys: string[]; records: OrganisationKey[] } => {
      const keys = distinctHintKeys(2 * n);
      // Half of the found keys belong to the organisation, half do not.
      const records = keys.slice(0, n).map((k, i) => record(k, { name: `key ${i}`, id: `apikey_${i}` }));
      const index = new OrganisationKeyIndex(records);
      for (const key of keys) {
        index.identify(key);
      }
      return { probes: index.probes, index, keys, records };
    };
    const small = probesFor(2_000);
    const large = probesFor(8_000);
    // One hint shape: one lookup per found key, however many keys the organisation has (a scan of the list would be n per key).
    assert.equal(small.probes, 4_000);
    assert.equal(large.probes, 16_000);
    for (let i = 0; i < large.keys.length; i += 397) {
      const key = large.keys[i];
      assert.deepEqual(large.index.identify(key), identify(key, large.records));
      assert.equal(large.index.identify(key)?.name, i < 8_000 ? `key ${i}` : undefined);
    }
  });
});

describe('identity paging: the organisation\'s key list is read page by page to the end', () => {
  const suite = fakeApiSuite();

  it('3,000 keys, 100 a page: every key comes back once, in order, each page asked after the last one\'s last_id, and the key on the last page is named', async () => {
    const admin = fakeKeys.adminKey();
    suite.fake.addAdminKey(admin);
    const keys = distinctHintKeys(2_999);
    keys.forEach((k, i) => suite.fake.addApiKey(k, { name: `k${i}` }));
    suite.fake.adminKeysPageSize = 100;
    const listed = await suite.client.listApiKeys(admin);
    assert.ok(listed.ok, JSON.stringify(listed));
    // The suite's own key is the oldest: on the last page.
    assert.equal(listed.value.length, 3_000);
    assert.deepEqual(listed.value.map((k) => k.id), suite.fake.keyRecords().map((r) => r.id));
    const pages = suite.fake.requests.filter((r) => r.route === 'adminKeys');
    assert.equal(pages.length, 30);
    assert.equal(pages[0].query.after_id, undefined);
    for (let p = 1; p < pages.length; p++) {
      assert.equal(pages[p].query.after_id, listed.value[p * 100 - 1].id, `page ${p + 1} does not follow page ${p}`);
    }
    const index = new OrganisationKeyIndex(listed.value);
    assert.equal(index.identify(suite.key)?.name, 'Key 1');
    assert.equal(index.identify(keys[1_234])?.name, 'k1234');
  });
});

describe('core/historyGroups: key → commits → locations for the tree view', () => {
  it('groups by key, then by commit in the order met, keeping every location', () => {
    const a = fakeKeys.apiKey();
    const b = fakeKeys.adminKey();
    const hit = (key: string, commit: string, p: string, line: number): HistoryHit => ({
      key,
      kind: key === a ? 'apiKey' : 'adminKey',
      masked: maskKey(key),
      commit,
      authorDate: `date-${commit}`,
      path: p,
      line,
      column: 1,
      atHead: key === b,
    });
    const groups = groupHistoryHits([hit(a, 'c1', 'x.ts', 1), hit(b, 'c1', 'y.env', 2), hit(a, 'c2', 'z.ts', 3), hit(a, 'c1', 'w.ts', 4)]);
    assert.deepEqual(
      groups.map((g) => [g.masked, g.atHead, g.commits.map((c) => [c.commit, c.locations.map((l) => `${l.path}:${l.line}`)])]),
      [
        [maskKey(a), false, [['c1', ['x.ts:1', 'w.ts:4']], ['c2', ['z.ts:3']]]],
        [maskKey(b), true, [['c1', ['y.env:2']]]],
      ],
    );
  });
});
