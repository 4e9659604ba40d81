import * as assert from 'node:assert/strict';
import { groupHistoryHits, type HistoryHit } from '../../src/core/historyGroups';
import { identify, identityOf, type OrganisationKey } from '../../src/core/keyIdentity';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';

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
