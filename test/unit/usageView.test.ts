import * as assert from 'node:assert/strict';
import { addToSummary, emptySummary } from '../../src/core/usageAggregate';
import { buildUsageView, CHART_DAYS, MAX_SERIES, OTHER, tokensOf } from '../../src/core/usageView';
import type { UsageRecord } from '../../src/core/usageRecord';
import { parseUsageHostMessage, parseUsageWebviewMessage } from '../../src/shared/usageProtocol';
import { usageRecord } from './usageFixtures';

function summaryOf(records: UsageRecord[]) {
  const summary = emptySummary();
  records.forEach((r) => addToSummary(summary, r));
  return summary;
}

const NOW = new Date('2026-12-10T12:00:00Z');
const NO_BUDGET = { monthlyUsd: 0, warnPercent: 80 };

describe('core/usageView (Show Usage view model)', () => {
  const records = [
    usageRecord({ time: '2026-12-10T09:00:00.000Z', model: 'claude-haiku-4-5', keyName: 'work', keyHint: 'sk-ant-api03-…AAAA', costUsd: 1, inputTokens: 100, outputTokens: 10, cacheReadTokens: 300 }),
    usageRecord({ time: '2026-12-09T09:00:00.000Z', model: 'claude-opus-4-5', keyName: 'work', keyHint: 'sk-ant-api03-…AAAA', costUsd: 2, inputTokens: 1000, outputTokens: 20 }),
    usageRecord({ time: '2026-12-09T10:00:00.000Z', model: 'claude-sonnet-5-5', keyName: 'home', keyHint: 'sk-ant-api03-…BBBB', costUsd: null, inputTokens: 50, outputTokens: 5 }),
    // Outside the 30 days: counts in the month? No (November), and not in the charts.
    usageRecord({ time: '2026-11-01T10:00:00.000Z', model: 'claude-opus-4-5', costUsd: 100 }),
  ];
  const view = buildUsageView(summaryOf(records), NOW, NO_BUDGET);

  it('charts the last 30 days, oldest first, today last, empty days as zero', () => {
    assert.equal(view.days.length, CHART_DAYS);
    assert.equal(view.days[0], '2026-11-11');
    assert.equal(view.days.at(-1), '2026-12-10');
    const spend = view.charts.find((c) => c.id === 'spendByModel');
    assert.ok(spend);
    const opus = spend.series.find((s) => s.label === 'claude-opus-4-5');
    assert.ok(opus);
    assert.equal(opus.values.length, CHART_DAYS);
    assert.equal(opus.values[CHART_DAYS - 2], 2);
    assert.equal(opus.values.reduce((a, b) => a + b, 0), 2, 'the November record is outside the charted days');
  });

  it('per model and per named key, spend and tokens; unknown prices counted per day, not guessed', () => {
    const ids = view.charts.map((c) => c.id);
    assert.deepEqual(ids, ['spendByModel', 'spendByKey', 'tokensByModel', 'tokensByKey']);
    const byKey = view.charts.find((c) => c.id === 'spendByKey');
    assert.deepEqual(
      byKey?.series.map((s) => s.label),
      ['work (sk-ant-api03-…AAAA)', 'home (sk-ant-api03-…BBBB)'],
    );
    const sonnet = view.charts.find((c) => c.id === 'spendByModel')?.series.find((s) => s.label === 'claude-sonnet-5-5');
    assert.equal(sonnet?.values[CHART_DAYS - 2], 0);
    assert.equal(sonnet?.unpriced[CHART_DAYS - 2], 1);
    const tokens = view.charts.find((c) => c.id === 'tokensByModel')?.series.find((s) => s.label === 'claude-haiku-4-5');
    assert.equal(tokens?.values[CHART_DAYS - 1], 100 + 10 + 300);
    const row = view.byModel.find((r) => r.label === 'claude-sonnet-5-5');
    assert.deepEqual([row?.costUsd, row?.unpricedRequests, row?.requests], [0, 1, 1]);
  });

  it('cache hit rate over the charted days, and the month against the budget with a projection', () => {
    assert.equal(view.cacheHitRate, 300 / (100 + 1000 + 50 + 300));
    assert.equal(view.requests, 3);
    assert.equal(view.month.month, '2026-12');
    assert.equal(view.month.spentUsd, 3);
    assert.equal(view.month.unpricedRequests, 1);
    // 9.5 days elapsed of 31: 3 / 9.5 * 31.
    assert.ok(Math.abs(view.month.projectedUsd - (3 / 9.5) * 31) < 1e-9);
    assert.equal(view.month.level, 'off');
    const budgeted = buildUsageView(summaryOf(records), NOW, { monthlyUsd: 5, warnPercent: 50 });
    assert.equal(budgeted.month.level, 'warn');
    assert.equal(budgeted.month.used, 3 / 5);
    assert.equal(budgeted.month.runsOutOn, '2026-12-16', 'at $3 per 9.5 days, $5 is gone after 15.8 days');
  });

  it('more models than a chart can show: the biggest by spend, the rest summed into Other', () => {
    const many = Array.from({ length: MAX_SERIES + 3 }, (_, i) => usageRecord({ time: '2026-12-10T01:00:00.000Z', model: `model-${i}`, costUsd: i + 1, inputTokens: 10, outputTokens: 0 }));
    const v = buildUsageView(summaryOf(many), NOW, NO_BUDGET);
    const series = v.charts[0].series;
    assert.equal(series.length, MAX_SERIES);
    assert.equal(series.at(-1)?.label, OTHER);
    assert.equal(series[0].label, `model-${MAX_SERIES + 2}`);
    const total = series.reduce((sum, s) => sum + s.values[CHART_DAYS - 1], 0);
    assert.equal(total, many.reduce((sum, r) => sum + (r.costUsd ?? 0), 0), 'nothing is lost to Other');
    assert.equal(v.byModel.length, MAX_SERIES + 3, 'the totals table lists every model');
  });

  it('an empty ledger is a valid view with no series', () => {
    const v = buildUsageView(emptySummary(), NOW, NO_BUDGET);
    assert.equal(v.requests, 0);
    assert.equal(v.cacheHitRate, null);
    assert.ok(v.charts.every((c) => c.series.length === 0));
    assert.deepEqual(parseUsageHostMessage({ type: 'view', view: v }), { type: 'view', view: v });
  });

  it('the view passes the webview-side check; malformed ones do not', () => {
    assert.deepEqual(parseUsageHostMessage({ type: 'view', view }), { type: 'view', view });
    const broken = { ...view, charts: [{ ...view.charts[0], series: [{ label: 'x', values: [1], unpriced: [0] }] }] };
    assert.equal(parseUsageHostMessage({ type: 'view', view: broken }), undefined, 'a series not as long as the days');
    assert.equal(parseUsageHostMessage({ type: 'view', view: { ...view, month: { ...view.month, level: 'boom' } } }), undefined);
    assert.equal(parseUsageHostMessage({ type: 'other' }), undefined);
    assert.equal(tokensOf({ requests: 1, errors: 0, inputTokens: 1, outputTokens: 2, cacheWrite5mTokens: 3, cacheWrite1hTokens: 4, cacheReadTokens: 5, serverToolUses: 9, costUsd: 0, unpricedRequests: 0 }), 15);
  });

  it('a partial first view says before which day it is still loading, and only when that day is charted', () => {
    const partial = buildUsageView(summaryOf(records), NOW, NO_BUDGET, CHART_DAYS, '2026-12-01');
    assert.equal(partial.loadingBefore, '2026-12-01');
    assert.deepEqual(parseUsageHostMessage({ type: 'view', view: partial }), { type: 'view', view: partial });
    assert.equal(buildUsageView(summaryOf(records), NOW, NO_BUDGET, CHART_DAYS, '2020-01-01').loadingBefore, undefined);
    for (const bad of [5, '2026-12-01T00:00:00Z', null]) {
      assert.equal(parseUsageHostMessage({ type: 'view', view: { ...partial, loadingBefore: bad } }), undefined, JSON.stringify(bad));
    }
  });

  it('the Organisation section passes the webview-side check in each state; malformed ones do not', () => {
    const days = ['2026-12-09', '2026-12-10'];
    const figures = {
      fetchedAt: '2026-12-10T12:00:00.000Z',
      days,
      charts: [
        { id: 'orgCostByDay', unit: 'usd', series: [{ label: 'Organisation', values: [1, 2], unpriced: [0, 0] }] },
        { id: 'orgTokensByKey', unit: 'tokens', series: [{ label: 'work (sk-ant-api03-…AAAA)', values: [10, 20], unpriced: [0, 0] }] },
      ],
      orgCostUsd: 3,
      keys: [{ label: 'work (sk-ant-api03-…AAAA)', name: 'work', billedTokens: 30, billedUsd: null, recordedTokens: 10, recordedUsd: 0.5, leak: 'sk-ant-api03-…AAAA spent $1.00 yesterday that Claude Keys did not send.' }],
      keysNotInOrganisation: ['old (sk-ant-api03-…BBBB)'],
      coveredFrom: null,
    };
    const good = [
      { state: 'noAdminKey' },
      { state: 'fetching' },
      { state: 'fetching', previous: figures },
      { state: 'problem', problem: 'forbidden', message: 'The Admin key has no right (403).', fetchedAt: '2026-12-10T12:00:00.000Z' },
      { state: 'ok', figures },
    ];
    for (const organisation of good) {
      assert.deepEqual(parseUsageHostMessage({ type: 'organisation', organisation }), { type: 'organisation', organisation }, JSON.stringify(organisation));
    }
    const bad: unknown[] = [
      undefined,
      { state: 'lost' },
      { state: 'problem', problem: 'teapot', message: 'x', fetchedAt: 'now' },
      { state: 'problem', problem: 'network', message: 'x'.repeat(5000), fetchedAt: 'now' },
      { state: 'fetching', previous: { ...figures, days: 'all' } },
      { state: 'ok', figures: { ...figures, charts: [{ ...figures.charts[0], series: [{ label: 'x', values: [1], unpriced: [0] }] }] } },
      { state: 'ok', figures: { ...figures, charts: [{ ...figures.charts[0], id: 'pie' }] } },
      { state: 'ok', figures: { ...figures, keys: [{ ...figures.keys[0], billedUsd: 'lots' }] } },
      { state: 'ok', figures: { ...figures, keys: [{ ...figures.keys[0], leak: 42 }] } },
      { state: 'ok', figures: { ...figures, coveredFrom: undefined } },
      { state: 'ok', figures: { ...figures, orgCostUsd: Number.NaN } },
    ];
    for (const organisation of bad) {
      assert.equal(parseUsageHostMessage({ type: 'organisation', organisation }), undefined, JSON.stringify(organisation));
    }
  });

  it('the host accepts the Organisation section\'s messages, and Report Leaked Key only with a key name', () => {
    for (const type of ['refreshOrganisation', 'setAdminKey', 'openConsoleUsage'] as const) {
      assert.deepEqual(parseUsageWebviewMessage({ type, url: 'https://evil.example' }), { type });
    }
    assert.deepEqual(parseUsageWebviewMessage({ type: 'reportLeakedKey', keyName: 'work' }), { type: 'reportLeakedKey', keyName: 'work' });
    for (const bad of [{ type: 'reportLeakedKey' }, { type: 'reportLeakedKey', keyName: '' }, { type: 'reportLeakedKey', keyName: 7 }, { type: 'reportLeakedKey', keyName: 'x'.repeat(201) }]) {
      assert.equal(parseUsageWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the host accepts only the known webview messages', () => {
    assert.deepEqual(parseUsageWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseUsageWebviewMessage({ type: 'export', format: 'csv', extra: 1 }), { type: 'export', format: 'csv' });
    for (const bad of [null, 'ready', { type: 'export', format: 'xml' }, { type: 'export' }, { type: 'openFile', path: '/etc/passwd' }, { type: 42 }]) {
      assert.equal(parseUsageWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
