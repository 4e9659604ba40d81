import * as assert from 'node:assert/strict';
import { isRotationReminderDue, type ReminderState } from '../../src/core/rotationReminder';

const DAY = 86_400_000;
const NOW = new Date('2024-06-15T12:00:00.000Z');

/** An ISO instant `ms` before NOW. */
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

interface Options {
  setAt?: string | undefined;
  maxAgeDays?: number;
  state?: ReminderState | undefined;
  lastShownInWindow?: Date | undefined;
  now?: Date;
}

/** Due-ness with defaults: a 100-day-old key, a 90-day limit, no state, never shown. */
function due(options: Options = {}): boolean {
  return isRotationReminderDue({
    setAt: 'setAt' in options ? options.setAt : ago(100 * DAY),
    maxAgeDays: options.maxAgeDays ?? 90,
    state: options.state,
    lastShownInWindow: options.lastShownInWindow,
    now: options.now ?? NOW,
  });
}

describe('core/rotationReminder', () => {
  describe('isRotationReminderDue', () => {
    it('is due for a key older than the limit with nothing in the way', () => {
      assert.equal(due(), true);
    });

    it('is due when the key is exactly maxAgeDays old', () => {
      assert.equal(due({ setAt: ago(90 * DAY), maxAgeDays: 90 }), true);
    });

    it('is not due one day less than maxAgeDays', () => {
      assert.equal(due({ setAt: ago(89 * DAY), maxAgeDays: 90 }), false);
    });

    it('is not due one millisecond before maxAgeDays (whole days, rounded down)', () => {
      assert.equal(due({ setAt: ago(90 * DAY - 1), maxAgeDays: 90 }), false);
    });

    it('with a 1-day limit: due after a day, not after 23 hours', () => {
      assert.equal(due({ setAt: ago(DAY), maxAgeDays: 1 }), true);
      assert.equal(due({ setAt: ago(23 * 3_600_000), maxAgeDays: 1 }), false);
    });

    it('is not due for a brand-new key or one set in the future', () => {
      assert.equal(due({ setAt: NOW.toISOString() }), false);
      assert.equal(due({ setAt: new Date(NOW.getTime() + 365 * DAY).toISOString() }), false);
    });

    it('maxAgeDays 0 turns reminders off', () => {
      assert.equal(due({ setAt: ago(10_000 * DAY), maxAgeDays: 0 }), false);
    });

    it('a negative maxAgeDays turns reminders off', () => {
      assert.equal(due({ setAt: ago(10_000 * DAY), maxAgeDays: -1 }), false);
      assert.equal(due({ setAt: ago(10_000 * DAY), maxAgeDays: -90 }), false);
    });

    it('NaN maxAgeDays turns reminders off', () => {
      assert.equal(due({ setAt: ago(10_000 * DAY), maxAgeDays: Number.NaN }), false);
    });

    it('a fractional maxAgeDays needs the next whole day', () => {
      assert.equal(due({ setAt: ago(DAY - 1), maxAgeDays: 0.5 }), false);
      assert.equal(due({ setAt: ago(DAY), maxAgeDays: 0.5 }), true);
    });

    it('is never due when disabled', () => {
      assert.equal(due({ state: { disabled: true } }), false);
      assert.equal(due({ state: { disabled: true, snoozedUntil: ago(DAY) } }), false);
    });

    it('disabled: false does not block it', () => {
      assert.equal(due({ state: { disabled: false } }), true);
    });

    it('is not due while snoozed until a future instant', () => {
      assert.equal(due({ state: { snoozedUntil: new Date(NOW.getTime() + 1000).toISOString() } }), false);
      assert.equal(due({ state: { snoozedUntil: new Date(NOW.getTime() + 7 * DAY).toISOString() } }), false);
    });

    it('is due again once the snooze has passed', () => {
      assert.equal(due({ state: { snoozedUntil: ago(1000) } }), true);
      assert.equal(due({ state: { snoozedUntil: ago(30 * DAY) } }), true);
    });

    it('a snooze ending exactly now no longer applies', () => {
      assert.equal(due({ state: { snoozedUntil: NOW.toISOString() } }), true);
    });

    it('an unparseable snooze date does not block it', () => {
      assert.equal(due({ state: { snoozedUntil: 'someday' } }), true);
    });

    it('an empty state object does not block it', () => {
      assert.equal(due({ state: {} }), true);
    });

    it('is not due when already shown earlier the same UTC day', () => {
      assert.equal(due({ lastShownInWindow: new Date('2024-06-15T00:00:00.000Z') }), false);
      assert.equal(due({ lastShownInWindow: new Date('2024-06-15T11:59:59.000Z') }), false);
    });

    it('is due when last shown the previous UTC day, even minutes ago', () => {
      const now = new Date('2024-06-15T00:05:00.000Z');
      assert.equal(due({ now, setAt: ago(100 * DAY), lastShownInWindow: new Date('2024-06-14T23:55:00.000Z') }), true);
      assert.equal(due({ lastShownInWindow: new Date('2024-06-14T12:00:00.000Z') }), true);
    });

    it('shown the same UTC day late in the evening still counts as today', () => {
      const now = new Date('2024-06-15T23:59:59.000Z');
      assert.equal(due({ now, lastShownInWindow: new Date('2024-06-15T00:00:01.000Z') }), false);
    });

    it('being shown today does not matter when the key is not old enough anyway', () => {
      assert.equal(due({ setAt: ago(DAY), lastShownInWindow: new Date('2024-06-10T00:00:00.000Z') }), false);
    });

    it('a missing setAt is never due', () => {
      assert.equal(due({ setAt: undefined }), false);
      assert.equal(due({ setAt: '' }), false);
    });

    it('an unparseable setAt counts as zero days old, so it is not due', () => {
      assert.equal(due({ setAt: 'not a date' }), false);
    });
  });
});
