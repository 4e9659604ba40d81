import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chartedMonths } from '../../src/core/usageAggregate';
import { monthOf, serializeRecord } from '../../src/core/usageRecord';
import { buildUsageView } from '../../src/core/usageView';
import { SummaryStore } from '../../src/usage/summaryStore';
import { UsageLedger } from '../../src/usage/usageLedger';
import { viewSummary } from '../../src/usage/viewSummary';

/**
 * Opens Show Usage's data in a fresh process, as a new window does (argv: ledger folder, summaries
 * folder, optional "append" to add one record to the newest month first, "started" to time the open
 * after a start-up that read the current month only, or "startup" to do what a
 * window's start-up does instead: read the current month, then build the earlier charted month's
 * summary as UsageService.buildSummaries does): the ledger read through the persisted summaries, then
 * the view model the first chart is drawn from. When an earlier month has no summary yet the panel
 * posts the current month's view first: `firstChartMs` is then that partial view, `completeMs` the
 * whole one. Prints one JSON line.
 */
async function main(): Promise<void> {
  const [folder, summaries, mode] = process.argv.slice(2);
  if (mode === 'append') {
    const newest = fs.readdirSync(folder).filter((n) => n.endsWith('.jsonl')).sort().at(-1);
    const head = Buffer.alloc(4096);
    const fd = fs.openSync(path.join(folder, newest ?? ''), 'r');
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const sample = head.toString('utf8').split('\n')[0];
    fs.appendFileSync(path.join(folder, newest ?? ''), serializeRecord(JSON.parse(sample)));
  }
  const baseRss = process.memoryUsage().rss;
  const started = performance.now();
  const ledger = new UsageLedger(folder, new SummaryStore(summaries));
  // The generated history ends on 2026-12-28 (bench records fall on days 1–28 of each month).
  const now = new Date('2026-12-28T12:00:00Z');
  const budget = { monthlyUsd: 500, warnPercent: 80 };
  if (mode === 'startup') {
    await ledger.readMonth(monthOf(now));
    for (const month of chartedMonths(now).slice(0, -1)) {
      await ledger.readMonth(month);
    }
    console.log(JSON.stringify({ startupMs: performance.now() - started, maxRss: process.resourceUsage().maxRSS * 1024 }));
    return;
  }
  let openedAt = started;
  if (mode === 'started') {
    // A window's start-up has read the current month (UsageService.start, for today's spend); the
    // earlier month is not summarised yet. The open is timed from here.
    await ledger.readMonth(monthOf(now));
    openedAt = performance.now();
  }
  let partialMs: number | undefined;
  const summary = await viewSummary(ledger, now, (partial, loadingBefore) => {
    // What the panel posts first: built and serialised like the whole view.
    JSON.stringify(buildUsageView(partial, now, budget, undefined, loadingBefore));
    partialMs = performance.now() - openedAt;
  });
  const view = buildUsageView(summary, now, budget);
  const payloadBytes = Buffer.byteLength(JSON.stringify({ type: 'view', view }));
  const completeMs = performance.now() - openedAt;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ firstChartMs: partialMs ?? completeMs, completeMs, partial: partialMs !== undefined, baseRss, maxRss, records: summary.total.requests, payloadBytes, series: view.charts.map((c) => c.series.length) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
