import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { sweep } from '../../src/core/sweep';

/** What the sweep must equal: one indexOf pass per needle over the whole text, with the same resumes. */
function naive(text: string, needles: readonly string[], skip: (needle: number, at: number) => number): Array<[number, number]> {
  const visits: Array<[number, number]> = [];
  needles.forEach((needle, k) => {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, Math.max(at + 1, skip(k, at)))) {
      visits.push([k, at]);
    }
  });
  return visits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function swept(text: string, needles: readonly string[], skip: (needle: number, at: number) => number): Array<[number, number]> {
  const visits: Array<[number, number]> = [];
  sweep(text, needles, (k, at) => {
    visits.push([k, at]);
    return skip(k, at);
  });
  // In order per needle: sorting by needle alone must not reorder a needle's hits.
  const byNeedle = [...visits].sort((a, b) => a[0] - b[0]);
  assert.deepEqual(byNeedle, [...visits].sort((a, b) => a[0] - b[0] || a[1] - b[1]), 'hits of a needle come in increasing order');
  return byNeedle;
}

describe('core/sweep: several needles in one pass of cache-sized chunks', () => {
  it('visits exactly what one indexOf pass per needle visits, across chunk boundaries, with skips', () => {
    const needles = ['-ant-', 'W', 'z', '%', '\\'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('-ant-', 'W', 'z', '%', '\\', 'abc', '-an', 't-', 'x'.repeat(1000), '\n'), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 0, max: 70_000 }),
        fc.integer({ min: 0, max: 50 }),
        (parts, pad, skipBy) => {
          // Padding moves the pieces over the 64 KB chunk boundary.
          const text = 'y'.repeat(pad) + parts.join('');
          const skip = (k: number, at: number): number => at + 1 + ((at + k) % 3 === 0 ? skipBy : 0);
          assert.deepEqual(swept(text, needles, skip), naive(text, needles, skip));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a needle that straddles a chunk boundary once, and a skip past the chunk carries on', () => {
    for (const at of [65536 - 4, 65536 - 1, 65536, 2 * 65536 - 2]) {
      const text = 'y'.repeat(at) + '-ant-' + 'y'.repeat(10) + '-ant-' + 'y'.repeat(70_000) + '-ant-';
      const skipFar = (_k: number, hit: number): number => (hit === at ? hit + 12 : hit + 1);
      assert.deepEqual(swept(text, ['-ant-'], skipFar), naive(text, ['-ant-'], skipFar));
      assert.deepEqual(swept(text, ['-ant-'], (_k, hit) => hit + 1).length, 3);
    }
  });
});
