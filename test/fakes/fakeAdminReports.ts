import { rfc3339 } from './fakeWire';

/**
 * The Admin API's report endpoints for the loopback fake (hooked into fakeAnthropicApi.ts, which does
 * auth: an Admin key, 401 for others, 403 for one without rights):
 * - GET /v1/organizations/usage_report/messages: `starting_at` (required), `ending_at`, `bucket_width`
 *   1d (default 7 buckets a page, max 31) | 1h (24, 168) | 1m (60, 1440), `group_by[]`, `limit`, `page`.
 * - GET /v1/organizations/cost_report: 1d only, `group_by[]` of workspace_id / description.
 * Responses `{ data: [{ starting_at, ending_at, results: [...] }], has_more, next_page }`, empty buckets
 * included (results []), as /work/shared/claude-api-facts.md documents. `amount` is a decimal string in cents.
 */

export const USAGE_REPORT_PATH = '/v1/organizations/usage_report/messages';
export const COST_REPORT_PATH = '/v1/organizations/cost_report';

export function isAdminReportPath(path: string): boolean {
  return path === USAGE_REPORT_PATH || path === COST_REPORT_PATH;
}

/** Tokens one key spent on one model in one bucket; `at` is any instant inside the bucket. */
export interface FakeUsageEntry {
  at: string;
  apiKeyId: string | null;
  model: string;
  workspaceId?: string | null;
  uncachedInputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreation5mTokens?: number;
  cacheCreation1hTokens?: number;
  webSearchRequests?: number;
}

export interface FakeCostEntry {
  at: string;
  /** Cents, as a decimal string: "123.45" is $1.2345. */
  amount: string;
  costType?: string;
  model?: string | null;
  description?: string | null;
  tokenType?: string | null;
  workspaceId?: string | null;
}

export type FakeReportReply = { status: 200; body: unknown } | { status: number; error: string };

const WIDTHS: Readonly<Record<string, { ms: number; defaultLimit: number; maxLimit: number }>> = {
  '1d': { ms: 86_400_000, defaultLimit: 7, maxLimit: 31 },
  '1h': { ms: 3_600_000, defaultLimit: 24, maxLimit: 168 },
  '1m': { ms: 60_000, defaultLimit: 60, maxLimit: 1440 },
};
const USAGE_GROUPS = new Set(['api_key_id', 'workspace_id', 'model', 'service_tier', 'context_window']);
const COST_GROUPS = new Set(['workspace_id', 'description']);

export class FakeAdminReports {
  usage: FakeUsageEntry[] = [];
  costs: FakeCostEntry[] = [];
  /** When set, a page holds at most this many buckets whatever `limit` asks: forces pagination. */
  maxBucketsPerPage: number | undefined;

  reset(): void {
    this.usage = [];
    this.costs = [];
    this.maxBucketsPerPage = undefined;
  }

  reply(method: string, path: string, query: URLSearchParams): FakeReportReply {
    if (method !== 'GET') {
      return { status: 404, error: 'Not found' };
    }
    const cost = path === COST_REPORT_PATH;
    const widthName = query.get('bucket_width') ?? '1d';
    const width = WIDTHS[widthName];
    if (!width || (cost && widthName !== '1d')) {
      return { status: 400, error: `bucket_width: Input should be ${cost ? "'1d'" : "'1d', '1h' or '1m'"}` };
    }
    const start = Date.parse(query.get('starting_at') ?? '');
    if (Number.isNaN(start)) {
      return { status: 400, error: 'starting_at: Field required' };
    }
    const limit = query.get('limit') === null ? width.defaultLimit : Number(query.get('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > width.maxLimit) {
      return { status: 400, error: `limit: Input should be between 1 and ${width.maxLimit}` };
    }
    const groups = query.getAll('group_by[]');
    const allowed = cost ? COST_GROUPS : USAGE_GROUPS;
    const bad = groups.find((g) => !allowed.has(g));
    if (bad !== undefined) {
      return { status: 400, error: `group_by: '${bad}' is not a valid option` };
    }
    const endParam = query.get('ending_at');
    const end = endParam === null ? start + limit * width.ms : Date.parse(endParam);
    if (Number.isNaN(end) || end <= start) {
      return { status: 400, error: 'ending_at: must be after starting_at' };
    }
    const totalBuckets = Math.ceil((end - start) / width.ms);
    const page = query.get('page');
    const offset = page === null ? 0 : Number(Buffer.from(page, 'base64url').toString('utf8').replace(/^bucket:/, ''));
    if (!Number.isInteger(offset) || offset < 0 || offset >= totalBuckets) {
      return { status: 400, error: 'page: invalid page token' };
    }
    const count = Math.min(limit, this.maxBucketsPerPage ?? limit, totalBuckets - offset);
    const data: unknown[] = [];
    for (let i = offset; i < offset + count; i++) {
      const from = start + i * width.ms;
      const to = Math.min(end, from + width.ms);
      const inside = (at: string): boolean => {
        const t = Date.parse(at);
        return t >= from && t < to;
      };
      const results = cost ? this.costResults(this.costs.filter((e) => inside(e.at)), groups) : this.usageResults(this.usage.filter((e) => inside(e.at)), groups);
      data.push({ starting_at: rfc3339(from), ending_at: rfc3339(to), results });
    }
    const next = offset + count;
    const hasMore = next < totalBuckets;
    return { status: 200, body: { data, has_more: hasMore, next_page: hasMore ? Buffer.from(`bucket:${next}`).toString('base64url') : null } };
  }

  private usageResults(entries: readonly FakeUsageEntry[], groups: readonly string[]): unknown[] {
    const grouped = new Map<string, Record<string, unknown>>();
    for (const e of entries) {
      const dims = {
        api_key_id: groups.includes('api_key_id') ? e.apiKeyId : null,
        workspace_id: groups.includes('workspace_id') ? (e.workspaceId ?? null) : null,
        model: groups.includes('model') ? e.model : null,
        service_tier: groups.includes('service_tier') ? 'standard' : null,
        context_window: groups.includes('context_window') ? '0-200k' : null,
      };
      const id = JSON.stringify(dims);
      const r = grouped.get(id) ?? {
        uncached_input_tokens: 0,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        cache_read_input_tokens: 0,
        output_tokens: 0,
        server_tool_use: { web_search_requests: 0 },
        ...dims,
      };
      const cache = r.cache_creation as { ephemeral_1h_input_tokens: number; ephemeral_5m_input_tokens: number };
      r.uncached_input_tokens = (r.uncached_input_tokens as number) + (e.uncachedInputTokens ?? 0);
      r.output_tokens = (r.output_tokens as number) + (e.outputTokens ?? 0);
      r.cache_read_input_tokens = (r.cache_read_input_tokens as number) + (e.cacheReadInputTokens ?? 0);
      cache.ephemeral_5m_input_tokens += e.cacheCreation5mTokens ?? 0;
      cache.ephemeral_1h_input_tokens += e.cacheCreation1hTokens ?? 0;
      (r.server_tool_use as { web_search_requests: number }).web_search_requests += e.webSearchRequests ?? 0;
      grouped.set(id, r);
    }
    return [...grouped.values()];
  }

  private costResults(entries: readonly FakeCostEntry[], groups: readonly string[]): unknown[] {
    const byDescription = groups.includes('description');
    const grouped = new Map<string, { cents: number; fields: Record<string, unknown> }>();
    for (const e of entries) {
      const fields = {
        currency: 'USD',
        workspace_id: groups.includes('workspace_id') ? (e.workspaceId ?? null) : null,
        // Without group_by[]=description the API leaves these null.
        description: byDescription ? (e.description ?? null) : null,
        cost_type: byDescription ? (e.costType ?? 'tokens') : null,
        model: byDescription ? (e.model ?? null) : null,
        token_type: byDescription ? (e.tokenType ?? null) : null,
        context_window: null,
        service_tier: null,
      };
      const id = JSON.stringify(fields);
      const slot = grouped.get(id) ?? { cents: 0, fields };
      slot.cents += Number(e.amount);
      grouped.set(id, slot);
    }
    return [...grouped.values()].map(({ cents, fields }) => ({ ...fields, amount: String(Math.round(cents * 1e6) / 1e6) }));
  }
}
