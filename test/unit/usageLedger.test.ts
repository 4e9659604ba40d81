import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineSplitter } from '../../src/core/lineSplitter';
import { filesToPrune, ledgerFileName, monthsBefore, parseRecord, serializeRecord } from '../../src/core/usageRecord';
import { UsageLedger } from '../../src/usage/usageLedger';
import { usageRecord } from './usageFixtures';

function runChild(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe('usage/usageLedger (real files)', () => {
  let folder: string;
  let ledger: UsageLedger;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    ledger = new UsageLedger(folder);
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('a record round-trips as one line; foreign or newer lines are not records', () => {
    const record = usageRecord();
    const line = serializeRecord(record);
    assert.ok(line.endsWith('\n'));
    assert.equal(line.indexOf('\n'), line.length - 1);
    assert.deepEqual(parseRecord(line.trim()), record);
    for (const bad of ['', '{', 'null', '[]', JSON.stringify({ ...record, v: 2 }), JSON.stringify({ ...record, inputTokens: -1 }), JSON.stringify({ ...record, latencyMs: 'NaN' }), line.replace('"outputTokens":', '"outputTokens":1e999,"x":'), JSON.stringify({ ...record, costUsd: 'x' }), JSON.stringify({ ...record, operation: 'other' })]) {
      assert.equal(parseRecord(bad), undefined, bad);
    }
  });

  it('a torn last line is skipped and counted; every earlier record is read; the next write starts a new line', async () => {
    await ledger.append(usageRecord({ requestId: 'a' }));
    await ledger.append(usageRecord({ requestId: 'b' }));
    const file = ledger.fileFor('2026-12');
    // A writer crashed half-way through a line.
    fs.appendFileSync(file, serializeRecord(usageRecord({ requestId: 'torn' })).slice(0, 40));
    let read = await ledger.read();
    assert.equal(read.summary.total.requests, 2);
    assert.equal(read.summary.skippedLines, 1);
    assert.equal(read.tornTail, true);

    await ledger.append(usageRecord({ requestId: 'c' }));
    read = await ledger.read();
    assert.equal(read.summary.total.requests, 3, 'the record after the torn line is whole');
    assert.equal(read.summary.skippedLines, 1, 'the torn line is counted once');
    assert.equal(read.tornTail, false);
    assert.deepEqual(
      (await ledger.records('2026-12')).map((r) => r.requestId),
      ['a', 'b', 'c'],
    );
  });

  it('two processes appending at once: every record exactly once, no line broken', async function () {
    this.timeout(30_000);
    const child = path.join(__dirname, 'ledgerWriterChild.js');
    const perWriter = 2000;
    await Promise.all([runChild(child, [folder, 'one', String(perWriter)]), runChild(child, [folder, 'two', String(perWriter)])]);
    const text = fs.readFileSync(ledger.fileFor('2026-12'), 'utf8');
    assert.ok(text.endsWith('\n'), 'the file ends with a newline');
    // A writer that reads the last byte while the other's line is being copied in may start its own
    // line with a newline it did not need: an empty line, which readers skip. Nothing else is allowed.
    const lines = text.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 2 * perWriter);
    const ids = lines.map((line) => parseRecord(line)?.requestId);
    assert.ok(ids.every((id) => id !== undefined), 'every line parses');
    assert.equal(new Set(ids).size, 2 * perWriter, 'no record twice');
    for (const writer of ['one', 'two']) {
      const own: number[] = ids.filter((id) => id!.startsWith(`${writer}-`)).map((id) => Number(id!.split('-')[1]));
      assert.deepEqual(own, [...own].sort((a, b) => a - b), `${writer}'s records are in its own order`);
    }
    const read = await ledger.read();
    assert.equal(read.summary.total.requests, 2 * perWriter);
    assert.equal(read.summary.skippedLines, 0);
  });

  it('a month boundary: records go to the file of their UTC month, and both are read', async () => {
    await ledger.append(usageRecord({ time: '2026-11-30T23:59:59.999Z', requestId: 'nov' }));
    await ledger.append(usageRecord({ time: '2026-12-01T00:00:00.000Z', requestId: 'dec' }));
    assert.deepEqual(fs.readdirSync(folder).sort(), [ledgerFileName('2026-11'), ledgerFileName('2026-12')]);
    assert.deepEqual((await ledger.records('2026-11')).map((r) => r.requestId), ['nov']);
    assert.deepEqual((await ledger.records('2026-12')).map((r) => r.requestId), ['dec']);
    const read = await ledger.read();
    assert.deepEqual(Object.keys(read.summary.byMonth).sort(), ['2026-11', '2026-12']);
    assert.deepEqual(Object.keys(read.summary.byDay).sort(), ['2026-11-30', '2026-12-01']);
    assert.equal((await ledger.readMonth('2026-12')).total.requests, 1);
  });

  it('retention: 13 months keeps this month and the 12 before; other files are never touched', async () => {
    const months = Array.from({ length: 16 }, (_, i) => monthsBefore('2026-12', i));
    for (const month of months) {
      fs.writeFileSync(path.join(folder, ledgerFileName(month)), serializeRecord(usageRecord({ time: `${month}-15T00:00:00.000Z` })));
    }
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const pruned = await ledger.prune(new Date('2026-12-02T00:00:00Z'), 13);
    assert.deepEqual(pruned.sort(), [ledgerFileName('2025-09'), ledgerFileName('2025-10'), ledgerFileName('2025-11')]);
    assert.ok(fs.existsSync(path.join(folder, ledgerFileName('2025-12'))));
    assert.ok(fs.existsSync(path.join(folder, 'notes.txt')));
    assert.equal((await ledger.read()).summary.total.requests, 13);
    assert.deepEqual(filesToPrune([ledgerFileName('2000-01')], new Date(), 0), [], '0 keeps everything');
  });

  it('aggregation is cached per file and an appended file is read on from where it was, not again', async () => {
    for (let i = 0; i < 5; i++) {
      await ledger.append(usageRecord({ requestId: `r${i}` }));
    }
    assert.equal((await ledger.read()).summary.total.requests, 5);
    const file = ledger.fileFor('2026-12');
    // Bytes already aggregated are changed behind the ledger's back: only a full re-read would notice.
    // (Past the first 64 bytes, which the ledger compares to tell a file written anew on the same inode.)
    const spoil = (): void => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.from('"}}"'), 0, 4, 100);
      fs.closeSync(fd);
    };
    const { mtime, atime } = fs.statSync(file);
    spoil();
    fs.utimesSync(file, atime, mtime);
    let read = await ledger.read();
    assert.equal(read.summary.total.requests, 5, 'same size and time: the cached aggregate is used');
    assert.equal(read.summary.skippedLines, 0);
    await ledger.append(usageRecord({ requestId: 'r5' }));
    read = await ledger.read();
    assert.equal(read.summary.total.requests, 6, 'only the appended line was read');
    assert.equal(read.summary.skippedLines, 0);
    // A fresh reader reads it all and sees the spoiled line.
    const fresh = await new UsageLedger(folder).read();
    assert.equal(fresh.summary.total.requests, 5);
    assert.equal(fresh.summary.skippedLines, 1);
  });

  it('a missing folder reads as empty; the first append creates it', async () => {
    const nested = new UsageLedger(path.join(folder, 'a', 'b'));
    assert.equal((await nested.read()).summary.total.requests, 0);
    await nested.append(usageRecord());
    assert.equal((await nested.read()).summary.total.requests, 1);
  });

  it('the line splitter keeps a multi-byte character cut by a chunk boundary whole', () => {
    const text = Buffer.from('{"a":"é€"}\n{"b":1}\npartial', 'utf8');
    const lines: string[] = [];
    const splitter = new LineSplitter();
    for (let i = 0; i < text.length; i += 3) {
      splitter.push(text.subarray(i, i + 3), (line) => lines.push(line));
    }
    assert.deepEqual(lines, ['{"a":"é€"}', '{"b":1}']);
    assert.equal(splitter.pendingBytes, 'partial'.length);
  });

  it('a line is pure ASCII (non-ASCII escaped), and reads back the same; lines written raw by 0.2 still read', () => {
    const record = usageRecord({ keyName: 'clé 🔑 работа', keyHint: 'sk-ant-api03-\u2026wxyz' });
    const line = serializeRecord(record);
    assert.match(line, /^[\x20-\x7e]+\n$/);
    assert.ok(line.includes('\\u2026') && line.includes('\\ud83d\\udd11'), line);
    assert.deepEqual(parseRecord(line.trim()), record);
    assert.deepEqual(parseRecord(JSON.stringify(record)), record);
  });

  it('the line splitter: many lines per chunk, empty lines skipped, bytes consumed exact, in any chunking', () => {
    const lines = ['{"a":1}', '', '{"hint":"sk-ant-api03-\u2026wxyz"}', '{"b":"€𝄞"}', '{"c":3}'];
    const text = Buffer.from(lines.join('\n') + '\ntorn', 'utf8');
    const complete = text.length - 'torn'.length;
    for (const size of [1, 2, 5, 17, text.length]) {
      const seen: string[] = [];
      const splitter = new LineSplitter();
      for (let i = 0; i < text.length; i += size) {
        splitter.push(text.subarray(i, i + size), (line) => seen.push(line));
      }
      assert.deepEqual(seen, lines.filter(Boolean), `chunks of ${size}`);
      assert.equal(splitter.consumed, complete, `chunks of ${size}`);
      assert.equal(splitter.pendingBytes, 'torn'.length, `chunks of ${size}`);
    }
  });
});
