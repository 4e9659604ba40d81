import * as assert from 'node:assert/strict';
import { daysBetween, isKeyMetadata, storageBackendFor, type KeyMetadata } from '../../src/core/keyStatus';

const DAY = 86_400_000;

describe('core/keyStatus', () => {
  describe('storageBackendFor', () => {
    it('web UI stores secrets in browser storage', () => {
      assert.equal(storageBackendFor(true), 'browserStorage');
    });

    it('desktop UI (including remote windows) uses the OS keychain', () => {
      assert.equal(storageBackendFor(false), 'osKeychain');
    });
  });

  describe('daysBetween', () => {
    const from = '2024-01-01T00:00:00.000Z';
    const at = (ms: number): Date => new Date(Date.parse(from) + ms);

    it('is 0 at the same instant', () => {
      assert.equal(daysBetween(from, at(0)), 0);
    });

    it('is 0 just under one day later (rounds down)', () => {
      assert.equal(daysBetween(from, at(DAY - 1)), 0);
      assert.equal(daysBetween(from, at(DAY / 2)), 0);
    });

    it('is 1 exactly one day later', () => {
      assert.equal(daysBetween(from, at(DAY)), 1);
    });

    it('rounds down, never up', () => {
      assert.equal(daysBetween(from, at(2 * DAY - 1)), 1);
      assert.equal(daysBetween(from, at(10 * DAY - 1)), 9);
      assert.equal(daysBetween(from, at(10 * DAY + DAY * 0.99)), 10);
    });

    it('counts long spans', () => {
      assert.equal(daysBetween(from, new Date('2025-01-01T00:00:00.000Z')), 366); // 2024 is a leap year
      assert.equal(daysBetween('2000-01-01T00:00:00Z', new Date('2024-01-01T00:00:00Z')), 8766);
    });

    it('counts a leap day', () => {
      assert.equal(daysBetween('2024-02-28T12:00:00Z', new Date('2024-03-01T12:00:00Z')), 2);
      assert.equal(daysBetween('2023-02-28T12:00:00Z', new Date('2023-03-01T12:00:00Z')), 1);
    });

    it('respects time-zone offsets in the stored time', () => {
      assert.equal(daysBetween('2024-01-01T00:00:00+02:00', new Date('2024-01-01T22:00:00Z')), 1);
      assert.equal(daysBetween('2024-01-01T00:00:00-02:00', new Date('2024-01-02T01:59:59Z')), 0);
    });

    it('accepts a date-only ISO string (UTC midnight)', () => {
      assert.equal(daysBetween('2024-01-01', new Date('2024-01-04T00:00:00Z')), 3);
    });

    it('is never negative for a future time', () => {
      assert.equal(daysBetween(from, at(-1)), 0);
      assert.equal(daysBetween(from, at(-DAY)), 0);
      assert.equal(daysBetween(from, at(-365 * DAY)), 0);
    });

    it('gives 0 for an invalid date', () => {
      assert.equal(daysBetween('not a date', new Date('2024-06-01T00:00:00Z')), 0);
      assert.equal(daysBetween('', new Date('2024-06-01T00:00:00Z')), 0);
      assert.equal(daysBetween('2024-13-45T99:99:99Z', new Date('2024-06-01T00:00:00Z')), 0);
    });

    it('returns an integer', () => {
      for (const ms of [0, 1, DAY - 1, DAY + 1, 1234567890]) {
        assert.ok(Number.isInteger(daysBetween(from, at(ms))));
      }
    });

    it('works with a stored toISOString() value', () => {
      const now = new Date('2024-05-20T08:30:00Z');
      const stored = new Date(now.getTime() - 7 * DAY - 3_600_000).toISOString();
      assert.equal(daysBetween(stored, now), 7);
    });
  });

  describe('isKeyMetadata', () => {
    const valid: KeyMetadata = { setAt: '2024-01-01T00:00:00.000Z', source: 'input' };

    it('accepts valid metadata for both sources', () => {
      assert.equal(isKeyMetadata(valid), true);
      assert.equal(isKeyMetadata({ setAt: new Date().toISOString(), source: 'environment' }), true);
    });

    it('accepts extra fields', () => {
      assert.equal(isKeyMetadata({ ...valid, extra: 1 }), true);
    });

    it('accepts metadata parsed back from JSON', () => {
      assert.equal(isKeyMetadata(JSON.parse(JSON.stringify(valid))), true);
    });

    it('rejects missing fields', () => {
      assert.equal(isKeyMetadata({}), false);
      assert.equal(isKeyMetadata({ setAt: valid.setAt }), false);
      assert.equal(isKeyMetadata({ source: 'input' }), false);
    });

    it('rejects a bad date', () => {
      assert.equal(isKeyMetadata({ setAt: 'not a date', source: 'input' }), false);
      assert.equal(isKeyMetadata({ setAt: '', source: 'input' }), false);
      assert.equal(isKeyMetadata({ setAt: '2024-13-45T99:99:99Z', source: 'input' }), false);
    });

    it('rejects a non-string date', () => {
      assert.equal(isKeyMetadata({ setAt: Date.parse(valid.setAt), source: 'input' }), false);
      assert.equal(isKeyMetadata({ setAt: new Date(valid.setAt), source: 'input' }), false);
      assert.equal(isKeyMetadata({ setAt: null, source: 'input' }), false);
    });

    it('rejects a wrong source', () => {
      assert.equal(isKeyMetadata({ setAt: valid.setAt, source: 'file' }), false);
      assert.equal(isKeyMetadata({ setAt: valid.setAt, source: 'Input' }), false);
      assert.equal(isKeyMetadata({ setAt: valid.setAt, source: '' }), false);
      assert.equal(isKeyMetadata({ setAt: valid.setAt, source: 1 }), false);
    });

    it('rejects null, undefined and primitives', () => {
      assert.equal(isKeyMetadata(null), false);
      assert.equal(isKeyMetadata(undefined), false);
      assert.equal(isKeyMetadata('{"setAt":"2024-01-01","source":"input"}'), false);
      assert.equal(isKeyMetadata(42), false);
      assert.equal(isKeyMetadata(true), false);
    });

    it('rejects arrays', () => {
      assert.equal(isKeyMetadata([]), false);
      assert.equal(isKeyMetadata([valid.setAt, 'input']), false);
    });
  });
});

describe('core/keyStatus: metadata dates', () => {
  it('rejects dates that Date.parse accepts but are not ISO instants', () => {
    assert.equal(isKeyMetadata({ setAt: '1', source: 'input' }), false);
    assert.equal(isKeyMetadata({ setAt: 'March 7, 2026', source: 'input' }), false);
    assert.equal(isKeyMetadata({ setAt: '2026-03-07T10:00:00.000Z', source: 'input' }), true);
  });
});
