import type { ChartView, MonthView, SeriesView, TotalsRow, UsageViewModel } from '../shared/usageProtocol';
import { budgetState, type BudgetSettings } from './budget';
import { CHART_DAYS, cacheHitRate, emptyTotals, lastDays, monthToDate, type UsageSummary, type UsageTotals } from './usageAggregate';

export { CHART_DAYS };
/** Lines per chart; the rest is summed into "Other" so a chart (and its table) stays readable. */
export const MAX_SERIES = 6;
export const OTHER = 'Other';

/** Every token the API billed: uncached input, output, cache writes and cache reads. */
export function tokensOf(t: UsageTotals): number {
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}

function addInto(into: UsageTotals, from: UsageTotals): void {
  for (const field of Object.keys(from) as Array<keyof UsageTotals>) {
    into[field] += from[field];
  }
}

function rowOf(label: string, t: UsageTotals): TotalsRow {
  return { label, requests: t.requests, tokens: tokensOf(t), costUsd: t.costUsd, unpricedRequests: t.unpricedRequests, cacheHitRate: cacheHitRate(t) ?? null };
}

/**
 * The series of one split (per model or per key) over `days`: the biggest MAX_SERIES - 1 by `rank`,
 * then one "Other" for the rest (only when there is a rest).
 */
function seriesOf(days: readonly string[], byDay: Record<string, Record<string, UsageTotals>>, totals: ReadonlyMap<string, UsageTotals>, value: (t: UsageTotals) => number, rank: (t: UsageTotals) => number): SeriesView[] {
  const ranked = [...totals.entries()].filter(([, t]) => t.requests > 0).sort((a, b) => rank(b[1]) - rank(a[1]) || a[0].localeCompare(b[0]));
  const named = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1).map(([label]) => label) : ranked.map(([label]) => label);
  const shown = new Set(named);
  const hasOther = named.length < ranked.length;
  const series: SeriesView[] = [...named, ...(hasOther ? [OTHER] : [])].map((label) => ({ label, values: [] as number[], unpriced: [] as number[] }));
  days.forEach((day) => {
    const split = byDay[day] ?? {};
    const other = emptyTotals();
    for (const [label, t] of Object.entries(split)) {
      if (!shown.has(label)) {
        addInto(other, t);
      }
    }
    series.forEach((s) => {
      const t = s.label === OTHER && hasOther && !shown.has(OTHER) ? other : (split[s.label] ?? emptyTotals());
      (s.values as number[]).push(value(t));
      (s.unpriced as number[]).push(t.unpricedRequests);
    });
  });
  return series;
}

/** Totals of each label of a split over the charted days only. */
function windowTotals(days: readonly string[], byDay: Record<string, Record<string, UsageTotals>>): Map<string, UsageTotals> {
  const totals = new Map<string, UsageTotals>();
  for (const day of days) {
    for (const [label, t] of Object.entries(byDay[day] ?? {})) {
      let sum = totals.get(label);
      if (!sum) {
        sum = emptyTotals();
        totals.set(label, sum);
      }
      addInto(sum, t);
    }
  }
  return totals;
}

const bySpendThenTokens = (t: UsageTotals): number => t.costUsd * 1e9 + tokensOf(t) / 1e3;

/**
 * What Show Usage shows, from the ledger's summary: small whatever the ledger's size (days × series),
 * so it is computed once per open or change, never per paint.
 */
export function buildUsageView(summary: UsageSummary, now: Date, budget: BudgetSettings, dayCount = CHART_DAYS, loadingBefore?: string): UsageViewModel {
  const charted = lastDays(summary, now, dayCount);
  const days = charted.map((d) => d.day);
  const inWindow = emptyTotals();
  charted.forEach((d) => addInto(inWindow, d.totals));
  const models = windowTotals(days, summary.byDayModel);
  const keys = windowTotals(days, summary.byDayKey);
  const charts: ChartView[] = [
    { id: 'spendByModel', unit: 'usd', series: seriesOf(days, summary.byDayModel, models, (t) => t.costUsd, bySpendThenTokens) },
    { id: 'spendByKey', unit: 'usd', series: seriesOf(days, summary.byDayKey, keys, (t) => t.costUsd, bySpendThenTokens) },
    { id: 'tokensByModel', unit: 'tokens', series: seriesOf(days, summary.byDayModel, models, tokensOf, tokensOf) },
    { id: 'tokensByKey', unit: 'tokens', series: seriesOf(days, summary.byDayKey, keys, tokensOf, tokensOf) },
  ];
  const rows = (totals: Map<string, UsageTotals>): TotalsRow[] =>
    [...totals.entries()]
      .filter(([, t]) => t.requests > 0)
      .sort((a, b) => bySpendThenTokens(b[1]) - bySpendThenTokens(a[1]) || a[0].localeCompare(b[0]))
      .map(([label, t]) => rowOf(label, t));
  return {
    generatedAt: now.toISOString(),
    days,
    charts,
    byModel: rows(models),
    byKey: rows(keys),
    cacheHitRate: cacheHitRate(inWindow) ?? null,
    requests: inWindow.requests,
    month: monthView(summary, now, budget),
    skippedLines: summary.skippedLines,
    ...(loadingBefore && days[0] < loadingBefore ? { loadingBefore } : {}),
  };
}

/** The month so far against the budget, with the straight-line projection to month end. */
export function monthView(summary: UsageSummary, now: Date, budget: BudgetSettings): MonthView {
  const month = monthToDate(summary, now);
  const state = budgetState(month.costUsd, budget, now);
  return {
    month: now.toISOString().slice(0, 7),
    spentUsd: state.spentUsd,
    projectedUsd: state.projectedUsd,
    daysElapsed: state.daysElapsed,
    daysInMonth: state.daysInMonth,
    budgetUsd: state.budgetUsd,
    used: state.used,
    level: state.level,
    ...(state.runsOutOn ? { runsOutOn: state.runsOutOn } : {}),
    unpricedRequests: month.unpricedRequests,
  };
}
