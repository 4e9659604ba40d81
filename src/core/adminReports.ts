import type { TokenCounts } from './pricing';

/**
 * The Admin API's two report endpoints, as plain data: GET /v1/organizations/usage_report/messages
 * (tokens per bucket, grouped by api_key_id and model) and GET /v1/organizations/cost_report (USD per
 * bucket). Everything from the wire is outside input: each item is checked here and anything that is
 * not the documented shape is dropped and counted, never trusted.
 */

/** One result of a usage bucket, in the ledger's token terms. */
export interface OrgUsageRow extends TokenCounts {
  /** `2026-12-01`: the UTC day the bucket starts. */
  readonly day: string;
  /** Null for Console (workbench) usage, which no API key made. */
  readonly apiKeyId: string | null;
  readonly model: string | null;
  readonly webSearchRequests: number;
}

/** One result of a cost bucket. */
export interface OrgCostRow {
  readonly day: string;
  readonly usd: number;
  readonly costType: string | null;
  readonly model: string | null;
}

export interface ParsedBuckets<Row> {
  readonly rows: Row[];
  /** Buckets and results that were not the documented shape. */
  readonly skipped: number;
}

/** What the usage report is asked for: daily buckets of the last `days` UTC days, today included. */
export function reportWindow(now: Date, days = 30): { startingAt: string; endingAt: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { startingAt: new Date(today - (days - 1) * 86_400_000).toISOString().replace('.000Z', 'Z'), endingAt: new Date(today + 86_400_000).toISOString().replace('.000Z', 'Z') };
}

/** The query of the usage report: 1d buckets, grouped by key and model (one page holds at most 31 buckets). */
export function usageReportQuery(now: Date, days = 30): Record<string, unknown> {
  const { startingAt, endingAt } = reportWindow(now, days);
  return { starting_at: startingAt, ending_at: endingAt, bucket_width: '1d', group_by: ['api_key_id', 'model'], limit: Math.min(31, days) };
}

export function costReportQuery(now: Date, days = 30): Record<string, unknown> {
  const { startingAt, endingAt } = reportWindow(now, days);
  return { starting_at: startingAt, ending_at: endingAt, bucket_width: '1d', limit: Math.min(31, days) };
}

/**
 * `amount` is a decimal string in cents ("123.45" = $1.2345). Parsed as a decimal, not through a
 * locale; anything else is undefined (not 0: a bad figure must not look like no spend).
 */
export function centsToUsd(amount: unknown): number | undefined {
  if (typeof amount === 'number') {
    return Number.isFinite(amount) ? amount / 100 : undefined;
  }
  if (typeof amount !== 'string' || !/^-?\d{1,15}(\.\d{1,12})?$/.test(amount.trim())) {
    return undefined;
  }
  return Number(amount.trim()) / 100;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : null);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The UTC day a bucket starts on, from its RFC 3339 `starting_at`. */
function bucketDay(bucket: Record<string, unknown>): string | undefined {
  const start = bucket.starting_at;
  if (typeof start !== 'string') {
    return undefined;
  }
  const ms = Date.parse(start);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/** Walks buckets (the pages' items, every page merged) and their results; empty buckets give no rows. */
function parseBuckets<Row>(buckets: readonly unknown[], row: (day: string, result: Record<string, unknown>) => Row | undefined): ParsedBuckets<Row> {
  const rows: Row[] = [];
  let skipped = 0;
  for (const item of buckets) {
    const bucket = record(item);
    const day = bucket && bucketDay(bucket);
    if (!bucket || !day || !Array.isArray(bucket.results)) {
      skipped++;
      continue;
    }
    for (const result of bucket.results as unknown[]) {
      const fields = record(result);
      const parsed = fields && row(day, fields);
      if (parsed) {
        rows.push(parsed);
      } else {
        skipped++;
      }
    }
  }
  return { rows, skipped };
}

export function parseUsageBuckets(buckets: readonly unknown[]): ParsedBuckets<OrgUsageRow> {
  return parseBuckets(buckets, (day, r) => {
    const cache = record(r.cache_creation);
    const tools = record(r.server_tool_use);
    return {
      day,
      apiKeyId: text(r.api_key_id),
      model: text(r.model),
      inputTokens: count(r.uncached_input_tokens),
      outputTokens: count(r.output_tokens),
      cacheWrite5mTokens: count(cache?.ephemeral_5m_input_tokens),
      cacheWrite1hTokens: count(cache?.ephemeral_1h_input_tokens),
      cacheReadTokens: count(r.cache_read_input_tokens),
      webSearchRequests: count(tools?.web_search_requests),
    };
  });
}

export function parseCostBuckets(buckets: readonly unknown[]): ParsedBuckets<OrgCostRow> {
  return parseBuckets(buckets, (day, r) => {
    const usd = centsToUsd(r.amount);
    // Only USD is documented; another currency cannot be added to dollars.
    if (usd === undefined || (r.currency !== undefined && r.currency !== 'USD')) {
      return undefined;
    }
    return { day, usd, costType: text(r.cost_type), model: text(r.model) };
  });
}

/** The organisation's cost per day (every cost type), oldest first. */
export function costByDay(rows: readonly OrgCostRow[]): Array<{ day: string; usd: number }> {
  const byDay = new Map<string, number>();
  for (const row of rows) {
    byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.usd);
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, usd]) => ({ day, usd }));
}

export function totalTokens(t: TokenCounts): number {
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}
