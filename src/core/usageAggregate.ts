import type { UsageRecord } from './usageRecord';
import { dayOf, monthOf } from './usageRecord';

/** Sums over a set of ledger records. */
export interface UsageTotals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  serverToolUses: number;
  /** USD of the records whose price was known. */
  costUsd: number;
  /** Requests with tokens whose model has no price: the cost above leaves them out. */
  unpricedRequests: number;
}

export function emptyTotals(): UsageTotals {
  return { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, serverToolUses: 0, costUsd: 0, unpricedRequests: 0 };
}

function addRecord(totals: UsageTotals, r: UsageRecord): void {
  totals.requests++;
  if (r.outcome === 'error') {
    totals.errors++;
  }
  // A count_tokens record holds the tokens it counted: none of them was used or billed.
  if (r.operation !== 'countTokens') {
    totals.inputTokens += r.inputTokens;
    totals.outputTokens += r.outputTokens;
    totals.cacheWrite5mTokens += r.cacheWrite5mTokens;
    totals.cacheWrite1hTokens += r.cacheWrite1hTokens;
    totals.cacheReadTokens += r.cacheReadTokens;
    totals.serverToolUses += r.serverToolUses;
  }
  if (r.costUsd === null) {
    totals.unpricedRequests++;
  } else {
    totals.costUsd += r.costUsd;
  }
}

function addTotals(into: UsageTotals, from: UsageTotals): void {
  for (const field of Object.keys(from) as Array<keyof UsageTotals>) {
    into[field] += from[field];
  }
}

/** Share of input tokens served from the cache: reads / (uncached input + cache writes + reads). */
export function cacheHitRate(t: UsageTotals): number | undefined {
  const all = t.inputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
  return all === 0 ? undefined : t.cacheReadTokens / all;
}

/**
 * Everything Show Usage, the budget and the status bar need from a stretch of the ledger, small
 * whatever the number of records (days × models × keys): the unit aggregated once per file and cached.
 * Keys are grouped by `name (hint)`, so a renamed or rotated key stays apart.
 */
export interface UsageSummary {
  readonly total: UsageTotals;
  /** `2026-12-02` → totals, and the same split per model and per key. */
  readonly byDay: Record<string, UsageTotals>;
  readonly byModel: Record<string, UsageTotals>;
  readonly byKey: Record<string, UsageTotals>;
  readonly byDayModel: Record<string, Record<string, UsageTotals>>;
  readonly byDayKey: Record<string, Record<string, UsageTotals>>;
  /** `2026-12` → totals. */
  readonly byMonth: Record<string, UsageTotals>;
  /** Lines that were not records (a torn write, a foreign line): skipped and counted. */
  skippedLines: number;
}

export function emptySummary(): UsageSummary {
  return { total: emptyTotals(), byDay: {}, byModel: {}, byKey: {}, byDayModel: {}, byDayKey: {}, byMonth: {}, skippedLines: 0 };
}

/** How a key is labelled in summaries: `work (sk-ant-api03-…wxyz)`. */
export function keyLabel(r: Pick<UsageRecord, 'keyName' | 'keyHint'>): string {
  return r.keyName ? `${r.keyName} (${r.keyHint})` : r.keyHint;
}

const NO_MODEL = '(no model)';

function slot<T>(map: Record<string, T>, key: string, make: () => T): T {
  let value = map[key];
  if (value === undefined) {
    value = make();
    map[key] = value;
  }
  return value;
}

/**
 * The seven totals a record counts in (overall, its day, model, key, day × model, day × key, month).
 * Records come from parseRecord, whose time is checked ISO UTC: the day and month are slices of it.
 */
function forEachTotals(summary: UsageSummary, r: UsageRecord, add: (totals: UsageTotals) => void): void {
  const day = r.time.slice(0, 10);
  const model = r.model ?? NO_MODEL;
  const key = keyLabel(r);
  add(summary.total);
  add(slot(summary.byDay, day, emptyTotals));
  add(slot(summary.byModel, model, emptyTotals));
  add(slot(summary.byKey, key, emptyTotals));
  add(slot(slot(summary.byDayModel, day, () => ({})), model, emptyTotals));
  add(slot(slot(summary.byDayKey, day, () => ({})), key, emptyTotals));
  add(slot(summary.byMonth, day.slice(0, 7), emptyTotals));
}

export function addToSummary(summary: UsageSummary, r: UsageRecord): void {
  forEachTotals(summary, r, (totals) => addRecord(totals, r));
}

/**
 * Adds records to a summary through one cell per (day, model, key): a record costs one sum, not the
 * seven of addToSummary, and the cells (days × models × keys, small) are folded in once at the end.
 * Reading a month of a heavy user's ledger is then mostly JSON.parse.
 */
export class SummaryAccumulator {
  /** day → model → key name → key hint → cell: nested maps, so no id string is built per record. */
  private readonly days = new Map<string, Map<string, Map<string, Map<string, { readonly record: UsageRecord; readonly totals: UsageTotals }>>>>();

  add(r: UsageRecord): void {
    const day = r.time.slice(0, 10);
    const byModel = slotIn(this.days, day);
    const byName = slotIn(byModel, r.model ?? NO_MODEL);
    const byHint = slotIn(byName, r.keyName ?? '');
    let cell = byHint.get(r.keyHint);
    if (!cell) {
      cell = { record: r, totals: emptyTotals() };
      byHint.set(r.keyHint, cell);
    }
    addRecord(cell.totals, r);
  }

  private *cells(): Iterable<{ readonly record: UsageRecord; readonly totals: UsageTotals }> {
    for (const byModel of this.days.values()) {
      for (const byName of byModel.values()) {
        for (const byHint of byName.values()) {
          yield* byHint.values();
        }
      }
    }
  }

  /** Adds every cell into `summary` (which may already hold earlier lines of the same file). */
  foldInto(summary: UsageSummary): void {
    // A cell's records share day, model and key: its first record places the whole cell.
    for (const { record, totals } of this.cells()) {
      forEachTotals(summary, record, (target) => addTotals(target, totals));
    }
    this.days.clear();
  }
}

function slotIn<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function mergeMap(into: Record<string, UsageTotals>, from: Record<string, UsageTotals>): void {
  for (const [name, totals] of Object.entries(from)) {
    addTotals(slot(into, name, emptyTotals), totals);
  }
}

/** A new summary of several (one per ledger file); the inputs are left as they are (they are cached). */
export function mergeSummaries(parts: readonly UsageSummary[]): UsageSummary {
  const merged = emptySummary();
  for (const part of parts) {
    addTotals(merged.total, part.total);
    mergeMap(merged.byDay, part.byDay);
    mergeMap(merged.byModel, part.byModel);
    mergeMap(merged.byKey, part.byKey);
    mergeMap(merged.byMonth, part.byMonth);
    for (const [day, models] of Object.entries(part.byDayModel)) {
      mergeMap(slot(merged.byDayModel, day, () => ({})), models);
    }
    for (const [day, keys] of Object.entries(part.byDayKey)) {
      mergeMap(slot(merged.byDayKey, day, () => ({})), keys);
    }
    merged.skippedLines += part.skippedLines;
  }
  return merged;
}

/** Days Show Usage charts, today included. */
export const CHART_DAYS = 30;

const DAY_MS = 86_400_000;

/** The UTC months the charted days fall in (one or two), oldest first. */
export function chartedMonths(now: Date, days = CHART_DAYS): string[] {
  return [...new Set([monthOf(new Date(now.getTime() - (days - 1) * DAY_MS)), monthOf(now)])];
}

/** The last `count` days up to `now` (UTC), oldest first, with empty days filled in: what a chart plots. */
export function lastDays(summary: UsageSummary, now: Date, count: number): Array<{ day: string; totals: UsageTotals }> {
  const result: Array<{ day: string; totals: UsageTotals }> = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = count - 1; i >= 0; i--) {
    const day = new Date(today - i * 86_400_000).toISOString().slice(0, 10);
    result.push({ day, totals: summary.byDay[day] ?? emptyTotals() });
  }
  return result;
}

export function todayTotals(summary: UsageSummary, now: Date): UsageTotals {
  return summary.byDay[dayOf(now)] ?? emptyTotals();
}

export function monthToDate(summary: UsageSummary, now: Date): UsageTotals {
  return summary.byMonth[monthOf(now)] ?? emptyTotals();
}

export interface MonthProjection {
  /** Spent so far this UTC month. */
  readonly spentUsd: number;
  /** At the month's burn rate so far, what the whole month comes to. */
  readonly projectedUsd: number;
  readonly daysElapsed: number;
  readonly daysInMonth: number;
}

/**
 * Month to date and a straight-line projection to month end. The rate is averaged over at least one
 * day, so the first expensive prompt of a month does not project a fortune.
 */
export function projectMonth(spentUsd: number, now: Date): MonthProjection {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const daysInMonth = (end - start) / 86_400_000;
  const daysElapsed = Math.min(daysInMonth, Math.max(1, (now.getTime() - start) / 86_400_000));
  return { spentUsd, projectedUsd: (spentUsd / daysElapsed) * daysInMonth, daysElapsed, daysInMonth };
}
