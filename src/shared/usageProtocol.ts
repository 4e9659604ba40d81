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

export type ChartId = 'spendByModel' | 'spendByKey' | 'tokensByModel' | 'tokensByKey' | 'orgCostByDay' | 'orgTokensByKey';

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

/** One stored key the organisation knows: its bill against what this machine recorded, over the report's days. */
export interface OrgKeyRow {
  /** `work (sk-ant-api03-…wxyz)`. */
  readonly label: string;
  /** The keyring name: what Report Leaked Key is asked about. */
  readonly name: string;
  readonly billedTokens: number;
  /** Null when some billed tokens were of a model with no price. */
  readonly billedUsd: number | null;
  readonly recordedTokens: number;
  readonly recordedUsd: number;
  /** The leak flag in plain words, when the organisation billed spend this machine did not send. */
  readonly leak?: string;
}

/** The Admin API's figures of the last fetch, as Show Usage draws them. */
export interface OrganisationFiguresView {
  readonly fetchedAt: string;
  /** The report's days, oldest first (the same 30 UTC days as the ledger's charts). */
  readonly days: readonly string[];
  /** `orgCostByDay` (the cost report) and `orgTokensByKey` (the usage report per API key). */
  readonly charts: readonly ChartView[];
  readonly orgCostUsd: number;
  readonly keys: readonly OrgKeyRow[];
  /** Labels of stored keys the organisation does not list (another organisation's, or deleted). */
  readonly keysNotInOrganisation: readonly string[];
  /** First day compared with the ledger; null when the ledger holds nothing yet. */
  readonly coveredFrom: string | null;
}

export type OrganisationProblem = 'unavailable' | 'forbidden' | 'network' | 'error';

/** The Organisation section: what Show Usage knows of the Admin API's figures. */
export type OrganisationView =
  /** No Admin key stored: nothing is asked (an individual account has no Admin API). */
  | { readonly state: 'noAdminKey' }
  | { readonly state: 'fetching'; readonly previous?: OrganisationFiguresView }
  /** unavailable: 401/404 (not an Admin key, or no Admin API); forbidden: 403; network; error: anything else. */
  | { readonly state: 'problem'; readonly problem: OrganisationProblem; readonly message: string; readonly fetchedAt: string }
  | { readonly state: 'ok'; readonly figures: OrganisationFiguresView };

export type UsageHostToWebview =
  | { readonly type: 'view'; readonly view: UsageViewModel }
  | { readonly type: 'organisation'; readonly organisation: OrganisationView }
  | { readonly type: 'notice'; readonly message: string };

export type UsageWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'export'; readonly format: ExportFormat }
  | { readonly type: 'openBudgetSetting' }
  /** The "Refresh organisation figures" button: the only thing besides opening the panel that calls the Admin API. */
  | { readonly type: 'refreshOrganisation' }
  | { readonly type: 'setAdminKey' }
  | { readonly type: 'openConsoleUsage' }
  /** Report Leaked Key for a key the last figures flagged (the host checks that it did). */
  | { readonly type: 'reportLeakedKey'; readonly keyName: string };

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
    case 'refreshOrganisation':
    case 'setAdminKey':
    case 'openConsoleUsage':
      return { type: value.type };
    case 'export':
      return value.format === 'csv' || value.format === 'json' ? { type: 'export', format: value.format } : undefined;
    case 'reportLeakedKey':
      return typeof value.keyName === 'string' && value.keyName.length > 0 && value.keyName.length <= 200 ? { type: 'reportLeakedKey', keyName: value.keyName } : undefined;
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

const CHART_IDS: readonly string[] = ['spendByModel', 'spendByKey', 'tokensByModel', 'tokensByKey', 'orgCostByDay', 'orgTokensByKey'];
const PROBLEMS: readonly string[] = ['unavailable', 'forbidden', 'network', 'error'];

function isChart(value: unknown, days: number): value is ChartView {
  return isRecord(value) && typeof value.id === 'string' && CHART_IDS.includes(value.id) && (value.unit === 'usd' || value.unit === 'tokens') && Array.isArray(value.series) && value.series.every((s) => isSeries(s, days));
}

const isDays = (value: unknown): value is string[] => Array.isArray(value) && value.length <= 366 && value.every((d) => text(d, 10));
const usdOrNull = (value: unknown): boolean => value === null || finite(value);

function isOrgKey(value: unknown): value is OrgKeyRow {
  return (
    isRecord(value) &&
    text(value.label) &&
    text(value.name, 200) &&
    finite(value.billedTokens) &&
    usdOrNull(value.billedUsd) &&
    finite(value.recordedTokens) &&
    finite(value.recordedUsd) &&
    (value.leak === undefined || text(value.leak, 1000))
  );
}

function isFigures(value: unknown): value is OrganisationFiguresView {
  if (!isRecord(value) || !isDays(value.days) || !text(value.fetchedAt, 40)) {
    return false;
  }
  const days = value.days.length;
  return (
    Array.isArray(value.charts) &&
    value.charts.every((c) => isChart(c, days)) &&
    finite(value.orgCostUsd) &&
    Array.isArray(value.keys) &&
    value.keys.every(isOrgKey) &&
    Array.isArray(value.keysNotInOrganisation) &&
    value.keysNotInOrganisation.every((k) => text(k)) &&
    (value.coveredFrom === null || text(value.coveredFrom, 10))
  );
}

function isOrganisation(value: unknown): value is OrganisationView {
  if (!isRecord(value)) {
    return false;
  }
  switch (value.state) {
    case 'noAdminKey':
      return true;
    case 'fetching':
      return value.previous === undefined || isFigures(value.previous);
    case 'problem':
      return typeof value.problem === 'string' && PROBLEMS.includes(value.problem) && text(value.message, 2000) && text(value.fetchedAt, 40);
    case 'ok':
      return isFigures(value.figures);
    default:
      return false;
  }
}
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
  if (value.type === 'organisation') {
    return isOrganisation(value.organisation) ? { type: 'organisation', organisation: value.organisation } : undefined;
  }
  if (value.type !== 'view' || !isRecord(value.view)) {
    return undefined;
  }
  const v = value.view;
  if (!isDays(v.days)) {
    return undefined;
  }
  const days = v.days.length;
  const chartsOk = Array.isArray(v.charts) && v.charts.every((c: unknown) => isChart(c, days));
  const rowsOk = Array.isArray(v.byModel) && v.byModel.every(isRow) && Array.isArray(v.byKey) && v.byKey.every(isRow);
  if (!chartsOk || !rowsOk || !isMonth(v.month) || !text(v.generatedAt, 40) || !finite(v.requests) || !finite(v.skippedLines) || !(v.loadingBefore === undefined || text(v.loadingBefore, 10)) || !(v.cacheHitRate === null || finite(v.cacheHitRate))) {
    return undefined;
  }
  return { type: 'view', view: v as unknown as UsageViewModel };
}
