import { totalTokens, type OrgUsageRow } from './adminReports';
import type { TokenCounts } from './pricing';
import type { UsageSummary, UsageTotals } from './usageAggregate';

/**
 * The organisation's bill against this machine's ledger, per stored API key and UTC day. Pure maths:
 * the host matches the org's api_key_ids to stored keys (by partial_key_hint) and passes only those;
 * every other key of the organisation is someone else's and is ignored.
 *
 * A day is flagged when the org counted more tokens on the key than the ledger recorded, beyond a
 * tolerance, and the excess is worth at least a cent (or its price is unknown). A local surplus on a
 * neighbouring day offsets an excess first: a call started at 23:59:59 may land in the next bucket.
 * Days before the ledger's coverage began are not compared (nothing could have recorded them).
 */

export interface StoredKeyRef {
  /** The key's name in the keyring. */
  readonly name: string;
  /** `sk-ant-api03-…wxyz`, as the ledger writes it. */
  readonly hint: string;
}

export interface ReconcileInput {
  /** Org usage rows, already limited to ids that map to a stored key. */
  readonly rows: readonly OrgUsageRow[];
  /** api_key_id → the stored key it is. */
  readonly keysById: ReadonlyMap<string, StoredKeyRef>;
  /** The ledger over the same window. */
  readonly ledger: Pick<UsageSummary, 'byDayKey'>;
  /** USD of tokens of one model, or null when the price is unknown. */
  readonly price: (model: string | null, tokens: TokenCounts) => number | null;
  /** First UTC day the ledger covers in full; earlier days are not compared. Undefined: none. */
  readonly coveredFrom: string | undefined;
  readonly tolerance?: Partial<Tolerance>;
}

export interface Tolerance {
  /** Tokens the org may count beyond the ledger, absolute… */
  readonly tokens: number;
  /** …or as a share of the org's count, whichever is larger. */
  readonly share: number;
  /** An excess worth less than this is not worth a warning. */
  readonly usd: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { tokens: 50, share: 0.02, usd: 0.01 };

export interface KeyDay {
  readonly day: string;
  readonly orgTokens: number;
  readonly localTokens: number;
  /** Null when some of the org's tokens that day were of a model with no price. */
  readonly orgUsd: number | null;
  readonly localUsd: number;
  /** Whether this day is inside the ledger's coverage. */
  readonly compared: boolean;
}

export interface UnexplainedSpend {
  readonly day: string;
  readonly tokens: number;
  /** Null: price unknown. */
  readonly usd: number | null;
}

export interface KeyReconciliation {
  readonly key: StoredKeyRef;
  readonly days: KeyDay[];
  /** Days on which the org billed the key for more than this machine sent, newest first. */
  readonly unexplained: UnexplainedSpend[];
  readonly unexplainedUsd: number;
  readonly unexplainedTokens: number;
}

interface Tally {
  tokens: number;
  usd: number | null;
}

/** Ledger totals of one stored key on one day: labels are `name (hint)` or the hint alone (core/usageAggregate). */
function localOn(byKey: Record<string, UsageTotals> | undefined, hint: string): { tokens: number; usd: number } {
  let tokens = 0;
  let usd = 0;
  for (const [label, totals] of Object.entries(byKey ?? {})) {
    if (label === hint || label.endsWith(` (${hint})`)) {
      tokens += totalTokens(totals);
      usd += totals.costUsd;
    }
  }
  return { tokens, usd };
}

export function reconcile(input: ReconcileInput): KeyReconciliation[] {
  const tolerance = { ...DEFAULT_TOLERANCE, ...input.tolerance };
  // Keys are matched by hint: two ids mapped to the same stored key are one key.
  const orgByHint = new Map<string, { key: StoredKeyRef; days: Map<string, Tally> }>();
  for (const key of input.keysById.values()) {
    if (!orgByHint.has(key.hint)) {
      orgByHint.set(key.hint, { key, days: new Map() });
    }
  }
  for (const row of input.rows) {
    const key = row.apiKeyId === null ? undefined : input.keysById.get(row.apiKeyId);
    if (!key) {
      continue;
    }
    const days = orgByHint.get(key.hint)!.days;
    const tally = days.get(row.day) ?? { tokens: 0, usd: 0 };
    const usd = input.price(row.model, row);
    tally.tokens += totalTokens(row);
    tally.usd = tally.usd === null || usd === null ? null : tally.usd + usd;
    days.set(row.day, tally);
  }

  const result: KeyReconciliation[] = [];
  for (const { key, days: org } of orgByHint.values()) {
    const allDays = new Set(org.keys());
    for (const [day, byKey] of Object.entries(input.ledger.byDayKey)) {
      if (localOn(byKey, key.hint).tokens > 0) {
        allDays.add(day);
      }
    }
    const days: KeyDay[] = [...allDays].sort().map((day) => {
      const local = localOn(input.ledger.byDayKey[day], key.hint);
      const o = org.get(day) ?? { tokens: 0, usd: 0 };
      const compared = input.coveredFrom !== undefined && day >= input.coveredFrom;
      return { day, orgTokens: o.tokens, localTokens: local.tokens, orgUsd: o.usd, localUsd: local.usd, compared };
    });
    const unexplained = findUnexplained(days, tolerance);
    result.push({
      key,
      days,
      unexplained,
      unexplainedUsd: unexplained.reduce((sum, u) => sum + (u.usd ?? 0), 0),
      unexplainedTokens: unexplained.reduce((sum, u) => sum + u.tokens, 0),
    });
  }
  return result;
}

function findUnexplained(days: readonly KeyDay[], tolerance: Tolerance): UnexplainedSpend[] {
  // Local surplus per day, spendable once by a neighbouring day's excess.
  const surplus = days.map((d) => Math.max(0, d.localTokens - d.orgTokens));
  const found: UnexplainedSpend[] = [];
  days.forEach((d, i) => {
    let excess = d.orgTokens - d.localTokens;
    if (!d.compared || excess <= 0) {
      return;
    }
    for (const j of [i - 1, i + 1]) {
      if (j >= 0 && j < days.length && isNextDay(days[Math.min(i, j)].day, days[Math.max(i, j)].day)) {
        const used = Math.min(surplus[j], excess);
        surplus[j] -= used;
        excess -= used;
      }
    }
    if (excess <= Math.max(tolerance.tokens, tolerance.share * d.orgTokens)) {
      return;
    }
    // The excess's worth at the day's average price per token (the org's figure is priced per model).
    const usd = d.orgUsd === null ? null : d.orgTokens > 0 ? (d.orgUsd * excess) / d.orgTokens : 0;
    if (usd !== null && usd < tolerance.usd) {
      return;
    }
    found.push({ day: d.day, tokens: excess, usd });
  });
  return found.reverse();
}

function isNextDay(a: string, b: string): boolean {
  return Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z') === 86_400_000;
}

/** The first UTC day after the ledger's first record: that day itself may hold calls from before it existed. */
export function coverageStart(ledger: Pick<UsageSummary, 'byDay'>): string | undefined {
  const first = Object.keys(ledger.byDay).sort()[0];
  if (first === undefined) {
    return undefined;
  }
  return new Date(Date.parse(first + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
}

/** "today", "yesterday" or the date, for the leak hint. */
export function relativeDay(day: string, now: Date): 'today' | 'yesterday' | string {
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(Date.parse(today + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
  return day === today ? 'today' : day === yesterday ? 'yesterday' : day;
}
