import * as assert from 'node:assert/strict';
import type { OrgUsageRow } from '../../src/core/adminReports';
import { costUsd, priceFor, type TokenCounts } from '../../src/core/pricing';
import { coverageStart, reconcile, relativeDay, type ReconcileInput, type StoredKeyRef } from '../../src/core/reconcile';
import { addToSummary, emptySummary, type UsageSummary } from '../../src/core/usageAggregate';
import type { UsageRecord } from '../../src/core/usageRecord';

const HAIKU = 'claude-haiku-4-5-20251001';
const WORK: StoredKeyRef = { name: 'work', hint: 'sk-ant-api03-…wxyz' };
const price = (model: string | null, tokens: TokenCounts): number | null => {
  const p = model === null ? undefined : priceFor(model);
  return p ? costUsd(tokens, p) : null;
};

function row(day: string, input: number, output = 0, apiKeyId: string | null = 'apikey_work', model: string | null = HAIKU): OrgUsageRow {
  return { day, apiKeyId, model, inputTokens: input, outputTokens: output, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 };
}

/** A ledger with one prompt per entry, priced as the ledger prices it. */
function ledger(entries: Array<{ day: string; input: number; output?: number; hint?: string; name?: string }>): UsageSummary {
  const summary = emptySummary();
  for (const e of entries) {
    const tokens = { inputTokens: e.input, outputTokens: e.output ?? 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
    const record: UsageRecord = {
      v: 1,
      time: `${e.day}T12:00:00.000Z`,
      operation: 'prompt',
      keyName: e.name ?? 'work',
      keyHint: e.hint ?? WORK.hint,
      model: HAIKU,
      ...tokens,
      serverToolUses: 0,
      outcome: 'ok',
      latencyMs: 10,
      costUsd: costUsd(tokens, priceFor(HAIKU)!),
    };
    addToSummary(summary, record);
  }
  return summary;
}

function input(rows: OrgUsageRow[], summary: UsageSummary, overrides: Partial<ReconcileInput> = {}): ReconcileInput {
  return { rows, keysById: new Map([['apikey_work', WORK]]), ledger: summary, price, coveredFrom: '2026-11-01', ...overrides };
}

describe('core/reconcile', () => {
  it('spend the ledger does not have is unexplained, in dollars at the model price, newest first', () => {
    const [work] = reconcile(input([row('2026-11-20', 1_000_000, 100_000), row('2026-12-01', 2_000_000, 0), row('2026-12-02', 10, 0)], ledger([{ day: '2026-12-02', input: 10 }])));
    assert.deepEqual(
      work.unexplained.map((u) => [u.day, u.tokens]),
      [
        ['2026-12-01', 2_000_000],
        ['2026-11-20', 1_100_000],
      ],
    );
    assert.ok(Math.abs(work.unexplained[0].usd! - 2) < 1e-9);
    assert.ok(Math.abs(work.unexplainedUsd - 3.5) < 1e-9, String(work.unexplainedUsd));
  });

  it('nothing is flagged when the ledger covers the spend (also a few tokens off, within the tolerance)', () => {
    const [work] = reconcile(input([row('2026-12-01', 500_000, 20_000)], ledger([{ day: '2026-12-01', input: 499_990, output: 20_000 }])));
    assert.deepEqual(work.unexplained, []);
    assert.equal(work.days.length, 1);
    assert.equal(work.days[0].localTokens, 519_990);
  });

  it('an excess under a cent is not worth a warning; above the token tolerance and a cent it is', () => {
    // 5,000 Haiku input tokens = $0.005.
    assert.deepEqual(reconcile(input([row('2026-12-01', 5_000)], ledger([])))[0].unexplained, []);
    assert.equal(reconcile(input([row('2026-12-01', 20_000)], ledger([])))[0].unexplained.length, 1);
    // 2 % of the org's count is tolerated: 1,000,000 vs 990,000 is fine.
    assert.deepEqual(reconcile(input([row('2026-12-01', 1_000_000)], ledger([{ day: '2026-12-01', input: 990_000 }])))[0].unexplained, []);
  });

  it('a call counted on the next day by the org is offset by the ledger surplus of the day before', () => {
    const [work] = reconcile(input([row('2026-12-02', 300_000)], ledger([{ day: '2026-12-01', input: 300_000 }])));
    assert.deepEqual(work.unexplained, []);
    // Two days apart is not a boundary.
    const [apart] = reconcile(input([row('2026-12-03', 300_000)], ledger([{ day: '2026-12-01', input: 300_000 }])));
    assert.equal(apart.unexplained.length, 1);
  });

  it('days before the ledger covers, and all days when it holds nothing, are not compared', () => {
    const rows = [row('2026-11-10', 3_000_000), row('2026-11-25', 3_000_000)];
    const [work] = reconcile(input(rows, ledger([]), { coveredFrom: '2026-11-20' }));
    assert.deepEqual(work.unexplained.map((u) => u.day), ['2026-11-25']);
    assert.equal(work.days.find((d) => d.day === '2026-11-10')?.compared, false);
    assert.deepEqual(reconcile(input(rows, ledger([]), { coveredFrom: undefined }))[0].unexplained, []);
    assert.equal(coverageStart(ledger([])), undefined);
    assert.equal(coverageStart(ledger([{ day: '2026-11-30', input: 1 }, { day: '2026-11-05', input: 1 }])), '2026-11-06');
  });

  it('keys not stored here, and Console usage (api_key_id null), are ignored', () => {
    const result = reconcile(input([row('2026-12-01', 9_000_000, 0, 'apikey_someone_else'), row('2026-12-01', 9_000_000, 0, null)], ledger([])));
    assert.equal(result.length, 1);
    assert.deepEqual(result[0].unexplained, []);
    assert.deepEqual(result[0].days, []);
  });

  it('the ledger is matched by hint, whatever name the key had (renamed keys stay one key); other hints are not counted', () => {
    const summary = ledger([
      { day: '2026-12-01', input: 400_000, name: 'old-name' },
      { day: '2026-12-01', input: 600_000, hint: 'sk-ant-api03-…abcd', name: 'work' },
    ]);
    const [work] = reconcile(input([row('2026-12-01', 400_000)], summary));
    assert.deepEqual(work.unexplained, []);
    assert.equal(work.days[0].localTokens, 400_000);
  });

  it('a model with no price still flags by tokens, with the amount unknown (null), never guessed', () => {
    const [work] = reconcile(input([row('2026-12-01', 200_000, 0, 'apikey_work', 'claude-sonnet-9-9')], ledger([])));
    assert.equal(work.unexplained.length, 1);
    assert.equal(work.unexplained[0].usd, null);
    assert.equal(work.unexplained[0].tokens, 200_000);
  });

  it('relativeDay says today, yesterday or the date (UTC)', () => {
    const now = new Date('2026-12-02T00:30:00Z');
    assert.equal(relativeDay('2026-12-02', now), 'today');
    assert.equal(relativeDay('2026-12-01', now), 'yesterday');
    assert.equal(relativeDay('2026-11-30', now), '2026-11-30');
  });
});
