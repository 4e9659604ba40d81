import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ledgerFileName, monthsBefore, serializeRecord, type UsageRecord } from '../../src/core/usageRecord';
import { UsageLedger } from '../../src/usage/usageLedger';
import { runChild } from './children';

const MB = 1024 * 1024;
const RECORDS = 1_000_000;
const MONTHS = 12;
const APPENDS = 2000;
const GOALS = { appendMs: 1, aggregateMb: 100, firstChartMs: 300 };

const MODELS = ['claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-sonnet-5-5'];
const KEYS = [
  { keyName: 'default', keyHint: 'sk-ant-api03-…Ab1d' },
  { keyName: 'work', keyHint: 'sk-ant-api03-…Xy9Q' },
  { keyName: 'ci', keyHint: 'sk-ant-api03-…k2LM' },
];

function record(i: number, month: string): UsageRecord {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const key = KEYS[i % KEYS.length];
  return {
    v: 1,
    time: `${month}-${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
    operation: i % 20 === 0 ? 'validate' : 'prompt',
    ...key,
    model: MODELS[i % MODELS.length],
    inputTokens: 1000 + (i % 5000),
    outputTokens: 200 + (i % 800),
    cacheWrite5mTokens: i % 7 === 0 ? 2000 : 0,
    cacheWrite1hTokens: i % 11 === 0 ? 4000 : 0,
    cacheReadTokens: i % 3 === 0 ? 8000 : 0,
    serverToolUses: i % 50 === 0 ? 1 : 0,
    requestId: `req_011CBench${i.toString(36).padStart(10, '0')}`,
    outcome: i % 40 === 0 ? 'error' : 'ok',
    ...(i % 40 === 0 ? { errorClass: 'rateLimited' } : {}),
    latencyMs: 300 + (i % 2000),
    costUsd: i % MODELS.length === 3 ? null : 0.0123,
  };
}

/** A year of a heavy user's ledger: RECORDS records over MONTHS month files, written once per run. */
function writeHistory(folder: string): number {
  let bytes = 0;
  const perMonth = Math.ceil(RECORDS / MONTHS);
  for (let m = 0, i = 0; m < MONTHS; m++) {
    const month = monthsBefore('2026-12', m);
    const fd = fs.openSync(path.join(folder, ledgerFileName(month)), 'w');
    const lines: string[] = [];
    for (let n = 0; n < perMonth && i < RECORDS; n++, i++) {
      lines.push(serializeRecord(record(i, month)));
      if (lines.length === 10_000) {
        bytes += fs.writeSync(fd, lines.join(''));
        lines.length = 0;
      }
    }
    bytes += fs.writeSync(fd, lines.join(''));
    fs.closeSync(fd);
  }
  return bytes;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

/**
 * The usage ledger: what appending one record costs a request (the call that queues it, and the
 * write itself), and aggregating a million records (a heavy user's year) in a fresh process.
 */
export async function benchUsage(): Promise<string[]> {
  const lines: string[] = ['usage ledger:'];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-bench-ledger-'));
  try {
    const ledger = new UsageLedger(path.join(folder, 'append'));
    await ledger.append(record(0, '2026-12'));
    const queued: number[] = [];
    const written: number[] = [];
    for (let i = 1; i <= APPENDS; i++) {
      const started = performance.now();
      const write = ledger.append(record(i, '2026-12'));
      queued.push(performance.now() - started);
      await write;
      written.push(performance.now() - started);
    }
    const queuedMs = median(queued);
    const writtenMs = median(written);
    lines.push(`  append one record, time on the request's path (median of ${APPENDS}) ${queuedMs.toFixed(4).padStart(9)} ms   goal ≤ ${GOALS.appendMs} ms   ${verdict(queuedMs <= GOALS.appendMs)}`);
    lines.push(`  append one record, until on disk (open, check tail, write, close)  ${writtenMs.toFixed(4).padStart(9)} ms   goal ≤ ${GOALS.appendMs} ms   ${verdict(writtenMs <= GOALS.appendMs)}`);

    const history = path.join(folder, 'history');
    fs.mkdirSync(history);
    const generated = performance.now();
    const bytes = writeHistory(history);
    lines.push(`  history: ${RECORDS.toLocaleString('en')} records in ${MONTHS} month files, ${(bytes / MB).toFixed(0)} MB (written in ${((performance.now() - generated) / 1000).toFixed(1)} s)`);
    const child = await runChild(process.execPath, [path.join(__dirname, 'usageAggregateChild.js'), history], { cwd: folder, timeoutMs: 300_000 });
    if (child.code !== 0) {
      lines.push(`  aggregate: FAILED (${child.code}) ${child.stderr.slice(0, 400)}`);
      return lines;
    }
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { floorMs: number; firstMs: number; cachedMs: number; records: number; skipped: number; baseRss: number; maxRss: number; peakHeap: number };
    const extraMb = (result.maxRss - result.baseRss) / MB;
    lines.push(`  aggregate ${result.records.toLocaleString('en')} records (skipped ${result.skipped}): first read ${(result.firstMs / 1000).toFixed(2)} s (${((bytes / MB) / (result.firstMs / 1000)).toFixed(0)} MB/s), cached read ${result.cachedMs.toFixed(1)} ms; floor (read + split + JSON.parse only) ${(result.floorMs / 1000).toFixed(2)} s, ratio ${(result.firstMs / result.floorMs).toFixed(2)}×`);
    lines.push(
      `  aggregate peak memory: RSS ${(result.maxRss / MB).toFixed(0)} MB (${extraMb.toFixed(0)} MB over the process at rest), heap ${(result.peakHeap / MB).toFixed(0)} MB   goal ≤ ${GOALS.aggregateMb} MB   ${verdict(result.maxRss / MB <= GOALS.aggregateMb)}`,
    );
    lines.push(...(await benchShowUsage(history, path.join(folder, 'summaries'))));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return lines;
}

/**
 * Show Usage over the same million records, each open in a fresh process as a new window: the very
 * first open (no summary anywhere: the current month's view is posted first, the whole view once the
 * earlier month is read), the same in a window whose start-up has read the current month (as
 * UsageService.start does) but not yet the earlier one, a later one from the summaries, one after a new record (reads only that
 * line), and a first open in a window whose start-up had built the summaries (UsageService does it
 * some seconds after start-up). Host side: ledger read + view model (what the first chart is drawn
 * from), and peak RSS.
 */
async function benchShowUsage(history: string, summaries: string): Promise<string[]> {
  const lines: string[] = [];
  const afterStartup = `${summaries}-startup`;
  const runs: Array<[string, string, string[]]> = [
    ['very first open (no summary yet)', summaries, []],
    ['first open just after start-up', `${summaries}-started`, ['started']],
    ['later open (from the summaries)', summaries, []],
    ['open after one new record', summaries, ['append']],
    ["start-up's reads (this month, last month's summary)", afterStartup, ['startup']],
    ['first open after start-up built them', afterStartup, []],
  ];
  for (const [label, folder, extra] of runs) {
    const child = await runChild(process.execPath, [path.join(__dirname, 'usageViewChild.js'), history, folder, ...extra], { cwd: history, timeoutMs: 300_000 });
    if (child.code !== 0) {
      lines.push(`  Show Usage ${label}: FAILED (${child.code}) ${child.stderr.slice(0, 400)}`);
      continue;
    }
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { firstChartMs: number; completeMs: number; partial: boolean; maxRss: number; records: number; payloadBytes: number; startupMs?: number };
    const mb = r.maxRss / MB;
    if (r.startupMs !== undefined) {
      lines.push(`  Show Usage ${label.padEnd(38)} ${r.startupMs.toFixed(1).padStart(8)} ms off the open's path (in the background, some seconds after start-up); peak RSS ${mb.toFixed(0)} MB`);
      continue;
    }
    const complete = r.partial ? ` (current month's view; whole view ${r.completeMs.toFixed(0)} ms)` : '';
    lines.push(
      `  Show Usage ${label.padEnd(38)} first chart data ${r.firstChartMs.toFixed(1).padStart(8)} ms   goal ≤ ${GOALS.firstChartMs} ms   ${verdict(r.firstChartMs <= GOALS.firstChartMs)}${complete}; peak RSS ${mb.toFixed(0)} MB   goal ≤ ${GOALS.aggregateMb} MB   ${verdict(mb <= GOALS.aggregateMb)} (${r.records.toLocaleString('en')} records in the charted months, view message ${(r.payloadBytes / 1024).toFixed(0)} KB)`,
    );
  }
  return lines;
}
