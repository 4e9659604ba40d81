/**
 * The Show Usage panel's message protocol, imported by the extension host and the webview. What
 * crosses it is the ledger's aggregates (numbers, model ids, masked key hints): never a key, never
 * prompt text. The host validates every incoming message; the webview checks what the host posts.
 */

/** One line of a chart: a model or a named key, one value per day of `UsageViewModel.days`. */
export interface SeriesView {
  readonly label: string;
  readonly values: readonly number[];
  /** Requests per day whose model had no price: their spend is not in `values` ("price unknown"). */
  readonly unpriced: readonly number[];
}

export type ChartId = 'spendByModel' | 'spendByKey' | 'tokensByModel' | 'tokensByKey';

export interface ChartView {
  readonly id: ChartId;
  readonly unit: 'usd' | 'tokens';
  readonly series: readonly SeriesView[];
}

/** A row of a totals table (per model, per key) over the charted days. */
export interface TotalsRow {
  readonly label: string;
  readonly requests: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly unpricedRequests: number;
  /** Share of input served from the cache; null when there was no input. */
  readonly cacheHitRate: number | null;
}

export interface MonthView {
  /** `2026-12` (UTC). */
  readonly month: string;
  readonly spentUsd: number;
  readonly projectedUsd: number;
  readonly daysElapsed: number;
  readonly daysInMonth: number;
  /** 0 = no budget set. */
  readonly budgetUsd: number;
  /** Spent as a share of the budget (1 = all of it); 0 without a budget. */
  readonly used: number;
  readonly level: 'off' | 'under' | 'warn' | 'over';
  /** ISO day the budget runs out at the current rate, when before month end. */
  readonly runsOutOn?: string;
  readonly unpricedRequests: number;
}

/** Everything the panel shows, computed once in the host from the cached summaries. */
export interface UsageViewModel {
  /** When this was computed, ISO. */
  readonly generatedAt: string;
  /** The charted days, oldest first (`2026-12-02`). */
  readonly days: readonly string[];
  readonly charts: readonly ChartView[];
  readonly byModel: readonly TotalsRow[];
  readonly byKey: readonly TotalsRow[];
  /** Over the charted days; null without input tokens. */
  readonly cacheHitRate: number | null;
  readonly requests: number;
  readonly month: MonthView;
  /** Ledger lines that were not records (torn or foreign), skipped. */
  readonly skippedLines: number;
  /**
   * A first, partial view (ISO day): the days before it are still being read (their month has no
   * saved summary yet) and show as empty; the complete view follows.
   */
  readonly loadingBefore?: string;
}

export type ExportFormat = 'csv' | 'json';

export type UsageHostToWebview =
  | { readonly type: 'view'; readonly view: UsageViewModel }
  | { readonly type: 'notice'; readonly message: string };

export type UsageWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'export'; readonly format: ExportFormat }
  | { readonly type: 'openBudgetSetting' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The only way a Show Usage webview message reaches host code: anything else is undefined (dropped). */
export function parseUsageWebviewMessage(value: unknown): UsageWebviewToHost | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return undefined;
  }
  switch (value.type) {
    case 'ready':
    case 'refresh':
    case 'openBudgetSetting':
      return { type: value.type };
    case 'export':
      return value.format === 'csv' || value.format === 'json' ? { type: 'export', format: value.format } : undefined;
    default:
      return undefined;
  }
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown, max = 500): value is string => typeof value === 'string' && value.length <= max;
const numbers = (value: unknown, length: number): value is number[] => Array.isArray(value) && value.length === length && value.every(finite);

function isSeries(value: unknown, days: number): value is SeriesView {
  return isRecord(value) && text(value.label) && numbers(value.values, days) && numbers(value.unpriced, days);
}

function isRow(value: unknown): value is TotalsRow {
  return isRecord(value) && text(value.label) && finite(value.requests) && finite(value.tokens) && finite(value.costUsd) && finite(value.unpricedRequests) && (value.cacheHitRate === null || finite(value.cacheHitRate));
}

const CHART_IDS: readonly string[] = ['spendByModel', 'spendByKey', 'tokensByModel', 'tokensByKey'];
const LEVELS: readonly string[] = ['off', 'under', 'warn', 'over'];

function isMonth(value: unknown): value is MonthView {
  return (
    isRecord(value) &&
    text(value.month, 7) &&
    ['spentUsd', 'projectedUsd', 'daysElapsed', 'daysInMonth', 'budgetUsd', 'used', 'unpricedRequests'].every((name) => finite(value[name])) &&
    typeof value.level === 'string' &&
    LEVELS.includes(value.level) &&
    (value.runsOutOn === undefined || text(value.runsOutOn, 10))
  );
}

/**
 * The webview's check of what the host posts: the host is trusted, but the panel must never throw
 * on odd data (an older or newer host, a bug). Anything unusable is undefined and ignored.
 */
export function parseUsageHostMessage(value: unknown): UsageHostToWebview | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  if (value.type === 'notice') {
    return text(value.message, 2000) ? { type: 'notice', message: value.message } : undefined;
  }
  if (value.type !== 'view' || !isRecord(value.view)) {
    return undefined;
  }
  const v = value.view;
  if (!Array.isArray(v.days) || v.days.length > 366 || !v.days.every((d) => text(d, 10))) {
    return undefined;
  }
  const days = v.days.length;
  const chartsOk =
    Array.isArray(v.charts) &&
    v.charts.every((c: unknown) => isRecord(c) && typeof c.id === 'string' && CHART_IDS.includes(c.id) && (c.unit === 'usd' || c.unit === 'tokens') && Array.isArray(c.series) && c.series.every((s) => isSeries(s, days)));
  const rowsOk = Array.isArray(v.byModel) && v.byModel.every(isRow) && Array.isArray(v.byKey) && v.byKey.every(isRow);
  if (!chartsOk || !rowsOk || !isMonth(v.month) || !text(v.generatedAt, 40) || !finite(v.requests) || !finite(v.skippedLines) || !(v.loadingBefore === undefined || text(v.loadingBefore, 10)) || !(v.cacheHitRate === null || finite(v.cacheHitRate))) {
    return undefined;
  }
  return { type: 'view', view: v as unknown as UsageViewModel };
}
