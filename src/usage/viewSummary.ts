import { mergeSummaries, type UsageSummary } from '../core/usageAggregate';
import { monthOf } from '../core/usageRecord';
import { CHART_DAYS } from '../core/usageView';
import type { UsageLedger } from './usageLedger';

const DAY_MS = 86_400_000;

/** The UTC months the charted days fall in (one or two), oldest first. */
export function chartedMonths(now: Date, days = CHART_DAYS): string[] {
  return [...new Set([monthOf(new Date(now.getTime() - (days - 1) * DAY_MS)), monthOf(now)])];
}

/**
 * What Show Usage needs from the ledger: only the month files its 30 days and the month so far fall
 * in. A year of history is never read for the view (the export reads it, streaming); each file's
 * summary is cached and persisted, so a later open reads only new lines.
 */
export async function viewSummary(ledger: UsageLedger, now: Date): Promise<UsageSummary> {
  const parts: UsageSummary[] = [];
  for (const month of chartedMonths(now)) {
    parts.push(await ledger.readMonth(month));
  }
  return mergeSummaries(parts);
}
