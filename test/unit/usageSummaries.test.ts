import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ledgerFileName, serializeRecord } from '../../src/core/usageRecord';
import { SummaryStore } from '../../src/usage/summaryStore';
import { UsageLedger } from '../../src/usage/usageLedger';
import { chartedMonths, viewSummary } from '../../src/usage/viewSummary';
import { usageRecord } from './usageFixtures';

/** Which ledger files are opened for reading, and from which byte (fs is patched for the test). */
function watchReads(): { reads: Array<{ file: string; start: number }>; restore: () => void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, which the ledger's `fs` is
  const nodeFs = require('node:fs') as typeof fs;
  const original = nodeFs.createReadStream;
  const reads: Array<{ file: string; start: number }> = [];
  nodeFs.createReadStream = ((file: fs.PathLike, options?: { start?: number }) => {
    reads.push({ file: path.basename(String(file)), start: options?.start ?? 0 });
    return original(file, options as Parameters<typeof original>[1]);
  }) as typeof original;
  return { reads, restore: () => (nodeFs.createReadStream = original) };
}

describe('usage/summaryStore (per-file summaries persisted beside the ledger)', () => {
  let folder: string;
  const store = (): SummaryStore => new SummaryStore(path.join(folder, 'summaries'));
  const november = (): string => path.join(folder, ledgerFileName('2026-11'));
  const december = (): string => path.join(folder, ledgerFileName('2026-12'));

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-summaries-'));
    fs.writeFileSync(november(), [1, 2, 3].map((i) => serializeRecord(usageRecord({ time: `2026-11-0${i}T10:00:00.000Z`, costUsd: i }))).join(''));
    fs.writeFileSync(december(), serializeRecord(usageRecord({ time: '2026-12-01T10:00:00.000Z', costUsd: 10 })));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('a new window reads no closed month again, and the current month only from the saved offset', async () => {
    const first = await new UsageLedger(folder, store()).read();
    assert.equal(first.summary.total.costUsd, 16);
    assert.ok(fs.existsSync(path.join(folder, 'summaries', `${ledgerFileName('2026-11')}.summary.json`)));

    const before = fs.statSync(december()).size;
    fs.appendFileSync(december(), serializeRecord(usageRecord({ time: '2026-12-02T10:00:00.000Z', costUsd: 100 })));
    const watch = watchReads();
    let second;
    try {
      second = await new UsageLedger(folder, store()).read();
    } finally {
      watch.restore();
    }
    assert.deepEqual(watch.reads.filter((r) => r.file.endsWith('.jsonl')), [{ file: ledgerFileName('2026-12'), start: before }]);
    assert.equal(second.summary.total.costUsd, 116);
    assert.equal(second.summary.total.requests, 5);
    // The same figures as aggregating everything from scratch, without summaries.
    assert.deepEqual(second.summary, (await new UsageLedger(folder).read()).summary);
  });

  it('an unreadable sidecar, or a ledger file replaced by another, is read again', async () => {
    await new UsageLedger(folder, store()).read();
    fs.writeFileSync(path.join(folder, 'summaries', `${ledgerFileName('2026-11')}.summary.json`), '{"v":1,"aggregate":{"offset":"x"}}');
    // Written beside and renamed over it: another file (another inode), even though it is larger.
    const replacement = path.join(folder, 'replacement.tmp');
    fs.writeFileSync(replacement, serializeRecord(usageRecord({ time: '2026-12-03T10:00:00.000Z', costUsd: 7 })) + serializeRecord(usageRecord({ time: '2026-12-03T11:00:00.000Z', costUsd: 7 })));
    fs.renameSync(replacement, december());
    const watch = watchReads();
    let read;
    try {
      read = await new UsageLedger(folder, store()).read();
    } finally {
      watch.restore();
    }
    assert.deepEqual(
      watch.reads.filter((r) => r.file.endsWith('.jsonl')).map((r) => [r.file, r.start]),
      [
        [ledgerFileName('2026-11'), 0],
        [ledgerFileName('2026-12'), 0],
      ],
    );
    assert.equal(read.summary.total.costUsd, 6 + 14);
  });

  it('Show Usage reads only the month files its 30 days fall in, never the rest of the year', async () => {
    fs.writeFileSync(path.join(folder, ledgerFileName('2026-10')), serializeRecord(usageRecord({ time: '2026-10-05T10:00:00.000Z', costUsd: 1000 })));
    assert.deepEqual(chartedMonths(new Date('2026-12-10T12:00:00Z')), ['2026-11', '2026-12']);
    assert.deepEqual(chartedMonths(new Date('2026-12-31T12:00:00Z')), ['2026-12']);
    const watch = watchReads();
    let summary;
    try {
      summary = await viewSummary(new UsageLedger(folder, store()), new Date('2026-12-10T12:00:00Z'));
    } finally {
      watch.restore();
    }
    // The current month first (its view can go out while the earlier month is read), never October.
    assert.deepEqual(watch.reads.filter((r) => r.file.endsWith('.jsonl')).map((r) => r.file), [ledgerFileName('2026-12'), ledgerFileName('2026-11')]);
    assert.equal(summary.total.costUsd, 16);
  });

  it('a first open posts the current month first when the earlier month has no summary, then the whole view', async () => {
    const now = new Date('2026-12-10T12:00:00Z');
    const partials: Array<{ cost: number; loadingBefore: string }> = [];
    const onPartial = (s: { total: { costUsd: number } }, loadingBefore: string): number => partials.push({ cost: s.total.costUsd, loadingBefore });
    const ledger = new UsageLedger(folder, store());
    assert.equal(await ledger.isSummarised('2026-11'), false);
    const watch = watchReads();
    let whole;
    try {
      whole = await viewSummary(ledger, now, onPartial);
    } finally {
      watch.restore();
    }
    // The current month is read first; November only after the partial view went out.
    assert.deepEqual(watch.reads.filter((r) => r.file.endsWith('.jsonl')).map((r) => r.file), [ledgerFileName('2026-12'), ledgerFileName('2026-11')]);
    assert.deepEqual(partials, [{ cost: 10, loadingBefore: '2026-12-01' }]);
    assert.equal(whole.total.costUsd, 16);
    // Summarised now (in memory, and on disk for a new window): no partial view again.
    assert.equal(await ledger.isSummarised('2026-11'), true);
    assert.equal(await new UsageLedger(folder, store()).isSummarised('2026-11'), true);
    assert.equal(await new UsageLedger(folder).isSummarised('2026-11'), false, 'without the saved summaries a new window must read it');
    assert.equal(await ledger.isSummarised('2026-01'), true, 'a month with no file costs nothing');
    await viewSummary(new UsageLedger(folder, store()), now, onPartial);
    assert.equal(partials.length, 1);
  });

  it('a file rewritten on the same inode (deleted and written anew) is read from its start, not on from the old offset', async () => {
    const ledger = new UsageLedger(folder, store());
    assert.equal((await ledger.readMonth('2026-12')).total.costUsd, 10);
    const ino = fs.statSync(december()).ino;
    // Truncated and written again in place: same inode, larger, different first line.
    fs.writeFileSync(december(), [5, 6].map((i) => serializeRecord(usageRecord({ time: `2026-12-0${i}T10:00:00.000Z`, costUsd: i }))).join(''));
    assert.equal(fs.statSync(december()).ino, ino);
    assert.equal((await ledger.readMonth('2026-12')).total.costUsd, 11);
    // A new window, through the saved summary: the same.
    assert.equal((await new UsageLedger(folder, store()).readMonth('2026-12')).total.costUsd, 11);
    // Appending still reads on from the offset.
    fs.appendFileSync(december(), serializeRecord(usageRecord({ time: '2026-12-07T10:00:00.000Z', costUsd: 100 })));
    assert.equal((await ledger.readMonth('2026-12')).total.costUsd, 111);
  });

  it('a month read stopped by its signal keeps no summary and saves none', async () => {
    const ledger = new UsageLedger(folder, store());
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(ledger.readMonth('2026-11', stop.signal), { name: 'AbortError' });
    assert.equal(await ledger.isSummarised('2026-11'), false);
    assert.equal(fs.existsSync(path.join(folder, 'summaries', `${ledgerFileName('2026-11')}.summary.json`)), false);
    assert.equal((await ledger.readMonth('2026-11')).total.costUsd, 6);
  });

  it('pruning a month deletes its sidecar too', async () => {
    const ledger = new UsageLedger(folder, store());
    await ledger.read();
    assert.deepEqual(await ledger.prune(new Date('2026-12-15T00:00:00Z'), 1), [ledgerFileName('2026-11')]);
    assert.deepEqual(fs.readdirSync(path.join(folder, 'summaries')), [`${ledgerFileName('2026-12')}.summary.json`]);
  });
});
