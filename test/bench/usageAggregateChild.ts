import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LineSplitter } from '../../src/core/lineSplitter';
import { UsageLedger } from '../../src/usage/usageLedger';

/** The floor: the same files read, split and JSON.parsed, nothing else. */
async function floorMs(folder: string): Promise<number> {
  const started = performance.now();
  let parsed = 0;
  for (const name of fs.readdirSync(folder)) {
    const splitter = new LineSplitter();
    for await (const chunk of fs.createReadStream(path.join(folder, name), { highWaterMark: 1 << 16 })) {
      splitter.push(chunk as Buffer, (line) => {
        parsed += JSON.parse(line) ? 1 : 0;
      });
    }
  }
  return parsed > 0 ? performance.now() - started : 0;
}

/**
 * Aggregates a ledger folder in a fresh process (argv: folder) so its peak memory is the
 * aggregation's alone. Prints one JSON line: first read, cached read, records, peak RSS and heap.
 */
async function main(): Promise<void> {
  const ledger = new UsageLedger(process.argv[2]);
  const baseRss = process.memoryUsage().rss;
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  const first = await ledger.read();
  const firstMs = performance.now() - started;
  const again = performance.now();
  await ledger.read();
  const cachedMs = performance.now() - again;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const floor = await floorMs(process.argv[2]);
  console.log(JSON.stringify({ floorMs: floor, firstMs, cachedMs, records: first.summary.total.requests, skipped: first.summary.skippedLines, files: first.files, baseRss, maxRss, peakHeap }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
