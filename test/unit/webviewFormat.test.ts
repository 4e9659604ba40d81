import * as assert from 'node:assert/strict';
import { formatCount, formatTime } from '../../src/webview-ui/format';

/** The panel's numbers and history times, written without Intl (whose first use loads ICU data). */
describe('webview-ui/format', () => {
  it('formatCount groups thousands with commas and rounds to a whole number', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [7, '7'],
      [999, '999'],
      [1000, '1,000'],
      [65_536, '65,536'],
      [1_234_567, '1,234,567'],
      [1234.4, '1,234'],
      [1234.5, '1,235'],
      [-1_234_567, '-1,234,567'],
    ];
    for (const [n, text] of cases) {
      assert.equal(formatCount(n), text, `formatCount(${n})`);
    }
  });

  it('formatCount of any whole number reads back as that number', () => {
    for (let n = 1; n < 1e15; n = n * 7 + 3) {
      const text = formatCount(n);
      assert.match(text, /^\d{1,3}(,\d{3})*$/);
      assert.equal(Number(text.replace(/,/g, '')), n);
    }
  });

  it('formatTime shows only the time today and the date too before today (local time)', () => {
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 5);
    assert.equal(formatTime(today.getTime()), '09:05');
    const before = new Date(2025, 10, 24, 14, 5);
    assert.equal(formatTime(before.getTime()), '2025-11-24 14:05');
  });
});
