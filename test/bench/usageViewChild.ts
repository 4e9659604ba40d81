import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { serializeRecord } from '../../src/core/usageRecord';
import { buildUsageView } from '../../src/core/usageView';
import { SummaryStore } from '../../src/usage/summaryStore';
import { UsageLedger } from '../../src/usage/usageLedger';
import { viewSummary } from '../../src/usage/viewSummary';

/**
 * Opens Show Usage's data in a fresh process, as a new window does (argv: ledger folder, summaries
 * folder, optional "append" to add one record to the newest month first): the ledger read through
 * the persisted summaries, then the view model the first chart is drawn from. Prints one JSON line.
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
  const summary = await viewSummary(ledger, now);
  const view = buildUsageView(summary, now, { monthlyUsd: 500, warnPercent: 80 });
  const firstChartMs = performance.now() - started;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const payloadBytes = Buffer.byteLength(JSON.stringify({ type: 'view', view }));
  console.log(JSON.stringify({ firstChartMs, baseRss, maxRss, records: summary.total.requests, payloadBytes, series: view.charts.map((c) => c.series.length) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
