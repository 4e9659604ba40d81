import { daysBetween } from './keyStatus';

export interface ReminderState {
  /** ISO instant until which the user snoozed reminders for this key. */
  readonly snoozedUntil?: string;
  readonly disabled?: boolean;
}

/**
 * A reminder is due when the key is older than `maxAgeDays` (0 = off), it is not snoozed or
 * disabled, and this window has not reminded today.
 */
export function isRotationReminderDue(options: {
  readonly setAt: string | undefined;
  readonly maxAgeDays: number;
  readonly state: ReminderState | undefined;
  readonly lastShownInWindow: Date | undefined;
  readonly now: Date;
}): boolean {
  const { setAt, maxAgeDays, state, lastShownInWindow, now } = options;
  if (!setAt || !(maxAgeDays > 0) || state?.disabled) {
    return false;
  }
  if (state?.snoozedUntil && Date.parse(state.snoozedUntil) > now.getTime()) {
    return false;
  }
  if (lastShownInWindow && lastShownInWindow.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) {
    return false;
  }
  return daysBetween(setAt, now) >= maxAgeDays;
}
