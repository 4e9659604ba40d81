import { chartedMonths, mergeSummaries, type UsageSummary } from '../core/usageAggregate';
import type { UsageLedger } from './usageLedger';

export { chartedMonths };

/** The first day of the month of `now` (UTC), ISO: before it, a partial view has no data yet. */
function firstDayOfMonth(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

/**
 * What Show Usage needs from the ledger: only the month files its 30 days and the month so far fall
 * in. A year of history is never read for the view (the export reads it, streaming); each file's
 * summary is cached and persisted, so a later open reads only new lines.
 *
 * The current month is read first. When an earlier charted month has no summary yet (the very first
 * open: a heavy user's month is a few hundred milliseconds of JSON.parse), `onPartial` gets the
 * current month alone and the day before which data is still loading, so the first chart and the
 * month so far show at once; the result is then the whole view.
 */
export async function viewSummary(ledger: UsageLedger, now: Date, onPartial?: (summary: UsageSummary, loadingBefore: string) => void): Promise<UsageSummary> {
  const months = chartedMonths(now);
  const current = months[months.length - 1];
  const earlier = months.slice(0, -1);
  const currentSummary = await ledger.readMonth(current);
  const parts = [currentSummary];
  let partialPosted = false;
  for (const month of earlier) {
    if (onPartial && !partialPosted && !(await ledger.isSummarised(month))) {
      onPartial(currentSummary, firstDayOfMonth(now));
      partialPosted = true;
    }
    parts.push(await ledger.readMonth(month));
  }
  return mergeSummaries(parts);
}
