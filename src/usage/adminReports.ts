import type { ClaudeClient } from '../api/claudeClient';
import { costByDay, costReportQuery, parseCostBuckets, parseUsageBuckets, reportWindow, totalTokens, usageReportQuery } from '../core/adminReports';
import type { ApiProblem } from '../core/apiProblems';
import { maskKey } from '../core/mask';
import { matchesPartialKeyHint } from '../core/partialKeyHint';
import { costUsd, priceFor, type PriceOverrides } from '../core/pricing';
import { coverageStart, reconcile, type KeyReconciliation, type StoredKeyRef } from '../core/reconcile';
import type { UsageSummary } from '../core/usageAggregate';

/**
 * The organisation's own figures beside this machine's ledger: what Check Organisation Usage shows,
 * and what Show Usage can render. Plain data (masked hints and names, never a key).
 */
export type OrganisationUsage =
  /** No Admin key is stored: the Admin API cannot be asked (individual accounts have none). */
  | { readonly state: 'noAdminKey' }
  | { readonly state: 'failed'; readonly step: 'apiKeys' | 'usageReport' | 'costReport'; readonly problem: ApiProblem }
  | OrganisationFigures;

export interface OrganisationFigures {
  readonly state: 'ok';
  readonly fetchedAt: string;
  /** The report window: `2026-11-03` to `2026-12-02` (UTC days, today included). */
  readonly from: string;
  readonly to: string;
  /** The cost report: what the whole organisation was billed per day (every key, Console included). */
  readonly costByDay: ReadonlyArray<{ readonly day: string; readonly usd: number }>;
  readonly orgCostUsd: number;
  /**
   * The usage report's tokens per API key and day, every key of the organisation: a stored key by its
   * `name (hint)`, another by the name the Admin API gives it, Console usage as null.
   */
  readonly tokensByKey: ReadonlyArray<{ readonly key: string | null; readonly day: string; readonly tokens: number }>;
  /** Per key stored here that the organisation knows: its bill against the ledger. */
  readonly keys: readonly KeyReconciliation[];
  /** Stored keys the organisation's key list does not show (another organisation's, or deleted). */
  readonly keysNotInOrganisation: readonly StoredKeyRef[];
  /** First day compared; undefined when the ledger holds nothing yet. */
  readonly coveredFrom: string | undefined;
  readonly pages: { readonly usage: number; readonly cost: number };
  /** Report items that were not the documented shape (skipped). */
  readonly skippedItems: number;
}

export interface OrganisationUsageSources {
  readonly client: Pick<ClaudeClient, 'listApiKeys' | 'organizationReport'>;
  readonly adminKey: () => Promise<string | undefined>;
  /** Stored named keys: name → key. Held in memory only to match the Admin API's hints. */
  readonly storedKeys: () => Promise<Record<string, string>>;
  /** The ledger over (at least) the report's days. */
  readonly ledger: () => Promise<UsageSummary>;
  /**
   * The first day the ledger covers, when the summary above does not start where the ledger does
   * (it holds only the recent months); by default the day after the summary's first record.
   */
  readonly coveredFrom?: (ledger: UsageSummary) => Promise<string | undefined>;
  readonly priceOverrides: () => PriceOverrides;
}

/** Fetches the key list and both reports (every page) and reconciles them with the ledger. */
export async function fetchOrganisationUsage(sources: OrganisationUsageSources, now = new Date()): Promise<OrganisationUsage> {
  const adminKey = await sources.adminKey();
  if (!adminKey) {
    return { state: 'noAdminKey' };
  }
  const orgKeys = await sources.client.listApiKeys(adminKey);
  if (!orgKeys.ok) {
    return { state: 'failed', step: 'apiKeys', problem: orgKeys.problem };
  }
  const usage = await sources.client.organizationReport(adminKey, 'usageReport', usageReportQuery(now));
  if (!usage.ok) {
    return { state: 'failed', step: 'usageReport', problem: usage.problem };
  }
  const cost = await sources.client.organizationReport(adminKey, 'costReport', costReportQuery(now));
  if (!cost.ok) {
    return { state: 'failed', step: 'costReport', problem: cost.problem };
  }

  const stored = await sources.storedKeys();
  const keysById = new Map<string, StoredKeyRef>();
  const labels = new Map<string, string>();
  const matched = new Set<string>();
  for (const orgKey of orgKeys.value) {
    const hit = Object.entries(stored).find(([, key]) => matchesPartialKeyHint(key, orgKey.partial_key_hint));
    if (hit) {
      keysById.set(orgKey.id, { name: hit[0], hint: maskKey(hit[1]) });
      labels.set(orgKey.id, `${hit[0]} (${maskKey(hit[1])})`);
      matched.add(hit[0]);
    } else {
      // Someone else's key: its name as the Admin API gives it (already made safe outside text).
      labels.set(orgKey.id, orgKey.name);
    }
  }
  const usageRows = parseUsageBuckets(usage.value.buckets);
  const costRows = parseCostBuckets(cost.value.buckets);
  const ledger = await sources.ledger();
  const overrides = sources.priceOverrides();
  const coveredFrom = sources.coveredFrom ? await sources.coveredFrom(ledger) : coverageStart(ledger);
  const keys = reconcile({
    rows: usageRows.rows,
    keysById,
    ledger,
    coveredFrom,
    price: (model, tokens) => {
      const price = model === null ? undefined : priceFor(model, overrides);
      return price ? costUsd(tokens, price) : null;
    },
  });
  const days = costByDay(costRows.rows);
  const { startingAt } = reportWindow(now);
  return {
    state: 'ok',
    fetchedAt: now.toISOString(),
    from: startingAt.slice(0, 10),
    to: now.toISOString().slice(0, 10),
    costByDay: days,
    orgCostUsd: days.reduce((sum, d) => sum + d.usd, 0),
    tokensByKey: tokensPerKeyAndDay(usageRows.rows, labels),
    keys,
    keysNotInOrganisation: Object.entries(stored)
      .filter(([name]) => !matched.has(name))
      .map(([name, key]) => ({ name, hint: maskKey(key) })),
    coveredFrom,
    pages: { usage: usage.value.pages, cost: cost.value.pages },
    skippedItems: usageRows.skipped + costRows.skipped,
  };
}

/** Tokens per API key (labelled) and day; an id the key list does not know is shown as its id. */
function tokensPerKeyAndDay(rows: ReturnType<typeof parseUsageBuckets>['rows'], labels: ReadonlyMap<string, string>): Array<{ key: string | null; day: string; tokens: number }> {
  const sums = new Map<string, { key: string | null; day: string; tokens: number }>();
  for (const row of rows) {
    const key = row.apiKeyId === null ? null : (labels.get(row.apiKeyId) ?? row.apiKeyId);
    const id = `${row.day} ${key === null ? '' : `k${key}`}`;
    const sum = sums.get(id) ?? { key, day: row.day, tokens: 0 };
    sum.tokens += totalTokens(row);
    sums.set(id, sum);
  }
  return [...sums.values()];
}
