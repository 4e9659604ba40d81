import * as assert from 'node:assert/strict';
import { budgetState, dueWarnings } from '../../src/core/budget';
import { addToSummary, cacheHitRate, emptySummary, lastDays, mergeSummaries, monthToDate, projectMonth, SummaryAccumulator, todayTotals } from '../../src/core/usageAggregate';
import { tokensFromUsage } from '../../src/core/usageRecord';
import { usageRecord } from './usageFixtures';

describe('core/usageAggregate', () => {
  const records = [
    usageRecord({ time: '2026-12-01T09:00:00Z', model: 'claude-haiku-4-5', keyName: 'work', keyHint: 'sk-ant-api03-…AAAA', costUsd: 1, inputTokens: 100, cacheReadTokens: 300, cacheWrite5mTokens: 50, cacheWrite1hTokens: 50 }),
    usageRecord({ time: '2026-12-01T23:59:59Z', model: 'claude-opus-4-5', keyName: 'work', keyHint: 'sk-ant-api03-…AAAA', costUsd: 2 }),
    usageRecord({ time: '2026-12-02T00:00:00Z', model: 'claude-sonnet-5-5', keyName: 'home', keyHint: 'sk-ant-api03-…BBBB', costUsd: null }),
    usageRecord({ time: '2026-12-02T01:00:00Z', operation: 'validate', model: undefined, keyName: 'home', keyHint: 'sk-ant-api03-…BBBB', costUsd: 0, inputTokens: 0, outputTokens: 0, outcome: 'error', errorClass: 'invalidKey' }),
    usageRecord({ time: '2026-11-30T12:00:00Z', costUsd: 5 }),
  ];
  const summary = emptySummary();
  records.forEach((r) => addToSummary(summary, r));

  it('the per-cell accumulator gives exactly the summary of adding record by record, names that look like separators included', () => {
    const tricky = [
      ...records,
      // A model and a key name whose concatenation equals another group's: still two groups.
      usageRecord({ time: '2026-12-03T01:00:00Z', model: 'a1:b', keyName: 'c', keyHint: 'sk-ant-api03-…CCCC', costUsd: 3 }),
      usageRecord({ time: '2026-12-03T02:00:00Z', model: 'a', keyName: '1:bc', keyHint: 'sk-ant-api03-…CCCC', costUsd: 4 }),
      usageRecord({ time: '2026-12-03T03:00:00Z', model: 'a\nb', keyName: undefined, keyHint: 'sk-ant-api03-…CCCC', costUsd: null }),
      usageRecord({ time: '2026-12-03T04:00:00Z', model: 'a\nb', keyName: undefined, keyHint: 'sk-ant-api03-…CCCC', costUsd: 1 }),
    ];
    const expected = emptySummary();
    tricky.forEach((r) => addToSummary(expected, r));
    const cells = new SummaryAccumulator();
    const got = emptySummary();
    tricky.slice(0, 4).forEach((r) => cells.add(r));
    cells.foldInto(got);
    // A second batch folded into the same summary, as a file read on from its saved offset.
    tricky.slice(4).forEach((r) => cells.add(r));
    cells.foldInto(got);
    assert.deepEqual(got, expected);
    assert.equal(got.byKey['c (sk-ant-api03-…CCCC)'].costUsd, 3);
    assert.equal(got.byKey['1:bc (sk-ant-api03-…CCCC)'].costUsd, 4);
    assert.equal(got.byDayModel['2026-12-03']['a\nb'].requests, 2);
  });

  it('totals per day (UTC), per model, per named key and per month', () => {
    assert.equal(summary.total.requests, 5);
    assert.equal(summary.total.errors, 1);
    assert.equal(summary.total.costUsd, 8);
    assert.equal(summary.total.unpricedRequests, 1);
    assert.deepEqual(Object.keys(summary.byDay).sort(), ['2026-11-30', '2026-12-01', '2026-12-02']);
    assert.equal(summary.byDay['2026-12-01'].costUsd, 3);
    assert.equal(summary.byModel['claude-opus-4-5'].costUsd, 2);
    assert.equal(summary.byModel['(no model)'].requests, 1);
    assert.equal(summary.byKey['work (sk-ant-api03-…AAAA)'].requests, 2);
    assert.equal(summary.byKey['home (sk-ant-api03-…BBBB)'].unpricedRequests, 1);
    assert.equal(summary.byDayModel['2026-12-01']['claude-haiku-4-5'].costUsd, 1);
    assert.equal(summary.byDayKey['2026-12-02']['home (sk-ant-api03-…BBBB)'].requests, 2);
    assert.equal(summary.byMonth['2026-11'].costUsd, 5);
    assert.equal(summary.byMonth['2026-12'].costUsd, 3);
  });

  it('cache hit rate: reads over all input (uncached + writes + reads)', () => {
    assert.equal(cacheHitRate(summary.byModel['claude-haiku-4-5']), 300 / (100 + 50 + 50 + 300));
    assert.equal(cacheHitRate(summary.byModel['(no model)']), undefined);
  });

  it('merging per-file summaries equals aggregating everything at once, and leaves the parts alone', () => {
    const a = emptySummary();
    const b = emptySummary();
    records.slice(0, 2).forEach((r) => addToSummary(a, r));
    records.slice(2).forEach((r) => addToSummary(b, r));
    const before = JSON.stringify(a);
    assert.deepEqual(mergeSummaries([a, b]), summary);
    assert.equal(JSON.stringify(a), before);
  });

  it('last 30 days are filled in oldest first; today and month to date', () => {
    const now = new Date('2026-12-02T18:00:00Z');
    const days = lastDays(summary, now, 30);
    assert.equal(days.length, 30);
    assert.equal(days[29].day, '2026-12-02');
    assert.equal(days[0].day, '2026-11-03');
    assert.equal(days[27].totals.costUsd, 5);
    assert.equal(days[10].totals.requests, 0);
    assert.equal(todayTotals(summary, now).requests, 2);
    assert.equal(monthToDate(summary, now).costUsd, 3);
  });

  it('projection: straight line from the month so far, averaged over at least a day', () => {
    const p = projectMonth(10, new Date('2026-12-11T00:00:00Z'));
    assert.equal(p.daysInMonth, 31);
    assert.equal(p.daysElapsed, 10);
    assert.equal(p.projectedUsd, 31);
    assert.equal(projectMonth(2, new Date('2026-12-01T01:00:00Z')).projectedUsd, 62, 'the first hour counts as a day');
  });

  it('reads usage with the 5 m / 1 h split, without it (all 5 m), server tools and the batch tier', () => {
    assert.deepEqual(
      tokensFromUsage({ input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 30, cache_read_input_tokens: 40, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 }, server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 }, service_tier: 'batch' }),
      { inputTokens: 10, outputTokens: 20, cacheWrite5mTokens: 10, cacheWrite1hTokens: 20, cacheReadTokens: 40, serverToolUses: 3, batch: true },
    );
    assert.deepEqual(tokensFromUsage({ input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 30, cache_read_input_tokens: null }), {
      inputTokens: 1,
      outputTokens: 2,
      cacheWrite5mTokens: 30,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
      serverToolUses: 0,
      batch: false,
    });
    assert.equal(tokensFromUsage(undefined).inputTokens, 0);
  });
});

describe('core/budget', () => {
  const settings = { monthlyUsd: 100, warnPercent: 80 };
  const mid = new Date('2026-12-16T00:00:00Z');

  it('off without a budget', () => {
    assert.equal(budgetState(1000, { monthlyUsd: 0, warnPercent: 80 }, mid).level, 'off');
  });

  it('under, warn at the warning level, over at 100 %', () => {
    assert.equal(budgetState(10, settings, mid).level, 'under');
    assert.equal(budgetState(80, settings, mid).level, 'warn');
    assert.equal(budgetState(100, settings, mid).level, 'over');
    assert.equal(budgetState(50, { monthlyUsd: 100, warnPercent: 50 }, mid).level, 'warn');
  });

  it('runs out early when the projection passes the budget, and says when', () => {
    // $60 in 15 days of a 31-day month: $4/day → $124; $100 is reached on day 25.
    const state = budgetState(60, settings, mid);
    assert.equal(state.runsOutEarly, true);
    assert.equal(state.runsOutOn, '2026-12-26');
    assert.equal(budgetState(30, settings, mid).runsOutEarly, false);
  });

  it('each warning is due once a month', () => {
    const state = budgetState(85, settings, mid);
    assert.deepEqual(dueWarnings(state, undefined, '2026-12'), { crossed: true, projection: true });
    assert.deepEqual(dueWarnings(state, { month: '2026-12', crossedWarnLevel: true, projectedOver: false }, '2026-12'), { crossed: false, projection: true });
    assert.deepEqual(dueWarnings(state, { month: '2026-12', crossedWarnLevel: true, projectedOver: true }, '2026-12'), { crossed: false, projection: false });
    assert.deepEqual(dueWarnings(state, { month: '2026-11', crossedWarnLevel: true, projectedOver: true }, '2026-12'), { crossed: true, projection: true }, 'a new month starts afresh');
  });
});
