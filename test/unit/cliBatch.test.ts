import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { detectInFile, mayHoldKeys } from '../../src/core/byteScan';
import { BATCH_BYTES, BATCH_FILE_BYTES, FileScanner, type FileOutcome } from '../../src/cli/scanner';
import { fakeKeys } from '../fakes/keys';

/**
 * FileScanner.add reads small files end to end into one buffer and searches them together: every
 * file must come out exactly as scan() alone reports it, whatever sits next to it in the batch.
 */

const key = fakeKeys.apiKey();
const admin = fakeKeys.adminKey();

/** Pieces of file content: keys whole, split over two files, encoded, binary and UTF-16 starts, fillers. */
const pieces: readonly Buffer[] = [
  Buffer.from(`K=${key}\n`),
  Buffer.from(key.slice(0, 20)),
  Buffer.from(key.slice(20)),
  Buffer.from('sk-an'),
  Buffer.from('t-'),
  Buffer.from(Buffer.from(`u:${admin}`).toString('base64')),
  Buffer.from(admin.replace(/-/g, '%2D')),
  Buffer.from(key.replace(/-/g, '\\u002d')),
  Buffer.from('%2F %s \\n\n'),
  Buffer.from([0]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from(`\ufeff`),
  Buffer.from(`# claude-keys:ignore-next-line\nK=${key}\n`),
  Buffer.from('ordinary source text;\n'.repeat(200)),
  Buffer.alloc(9000, 0x61),
];

const fileContent = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((parts) => Buffer.concat(parts)) },
  // Around the batching limits: just under and at BATCH_FILE_BYTES, with a key at the very end.
  { weight: 1, arbitrary: fc.constantFrom(BATCH_FILE_BYTES - 1, BATCH_FILE_BYTES, BATCH_FILE_BYTES + 1).map((size) => Buffer.concat([Buffer.alloc(size - key.length - 1, 0x78), Buffer.from(`${key}\n`)])) },
);

describe('cli: small files searched together (add, flush)', function () {
  this.timeout(120_000);
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-batch-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const options = { honourIgnoreMarkers: true, fingerprints: false };

  /**
   * Each file scanned alone (scan()), and all of them as the CLI's loop scans them: add() for each,
   * flush() after those marked in `flushAfter` and at the end (a second flush() must report nothing).
   * `seen` is the order `each` got the indexes in.
   */
  function scanBoth(contents: readonly Buffer[], flushAfter: readonly boolean[] = []): { alone: FileOutcome[]; together: FileOutcome[]; seen: number[] } {
    const files = contents.map((content, i) => {
      const file = path.join(tmp, `f${i}.txt`);
      fs.writeFileSync(file, content);
      return file;
    });
    const alone = files.map((file) => new FileScanner(options).scan(file));
    const { together, seen } = scanTogether(files, flushAfter);
    return { alone, together, seen };
  }

  function scanTogether(files: readonly string[], flushAfter: readonly boolean[] = []): { together: FileOutcome[]; seen: number[] } {
    const scanner = new FileScanner(options);
    const together: FileOutcome[] = [];
    const seen: number[] = [];
    const each = (index: number, outcome: FileOutcome): void => {
      seen.push(index);
      together[index] = outcome;
    };
    files.forEach((file, i) => {
      scanner.add(i, file, each);
      if (flushAfter[i]) {
        scanner.flush(each);
      }
    });
    scanner.flush(each);
    scanner.flush(each);
    return { together, seen };
  }

  it('property: every file has the outcome scan() gives it alone', () => {
    fc.assert(
      fc.property(fc.array(fileContent, { minLength: 1, maxLength: 30 }), (contents) => {
        const { alone, together } = scanBoth(contents);
        assert.deepEqual(together, alone);
      }),
      { numRuns: 60 },
    );
  });

  it('property: flush() at any points gives each file its outcome exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ content: fileContent, flushAfter: fc.boolean(), big: fc.boolean() }), { minLength: 1, maxLength: 20 }),
        (steps) => {
          // Some files too big to batch, between held ones: the held ones are searched first.
          const contents = steps.map(({ content, big }) => (big ? Buffer.concat([content, Buffer.alloc(BATCH_FILE_BYTES, 0x20)]) : content));
          const { alone, together, seen } = scanBoth(
            contents,
            steps.map((step) => step.flushAfter),
          );
          assert.deepEqual([...seen].sort((a, b) => a - b), contents.map((_, i) => i));
          assert.deepEqual(together, alone);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('more small files than one batch holds, with keys near the batch seams, are all found', () => {
    const size = 30 * 1024;
    const count = Math.ceil((3 * BATCH_BYTES) / size);
    const contents = Array.from({ length: count }, (_, i) => Buffer.concat([Buffer.from(`K=${key}\n`), Buffer.alloc(size - key.length - 4 - (i % 3), 0x20), Buffer.from('\n')]));
    const { alone, together } = scanBoth(contents);
    assert.deepEqual(together, alone);
    assert.equal(together.filter((o) => o.findings?.length === 1).length, count);
  });

  it('errors and skips keep their place: an unreadable path among files', () => {
    const files = [path.join(tmp, 'a.txt'), path.join(tmp, 'missing.txt'), path.join(tmp, 'b.txt')];
    fs.writeFileSync(files[0], `K=${key}\n`);
    fs.writeFileSync(files[2], 'clean\n');
    const { together } = scanTogether(files);
    assert.equal(together[0].findings?.length, 1);
    assert.match(together[1].error ?? '', /ENOENT|no such file/i);
    assert.deepEqual(together[2], { bytes: 6 });
  });

  it('mayHoldKeys never clears a file in which detectInFile finds anything', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((parts) => Buffer.concat(parts)), { minLength: 1, maxLength: 12 }), (contents) => {
        const buffer = Buffer.concat(contents);
        let start = 0;
        const stretches = contents.map((c) => {
          const s = { start, length: c.length };
          start += c.length;
          return s;
        });
        const flags = mayHoldKeys(buffer, stretches);
        stretches.forEach(({ start: at, length }, i) => {
          const alone = detectInFile(Buffer.from(buffer.subarray(at, at + length)), length, true);
          if (!flags[i]) {
            assert.deepEqual(alone, [], `file ${i} was cleared`);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
