/** How the prompt panel writes numbers and times, without `Intl`. */

/** 1234567 as "1,234,567": the same grouping the host's messages use. */
export { formatTokenCount as formatCount } from '../core/tokenCount';

/** "14:05" today, "2025-11-24 14:05" before (local time). */
export function formatTime(at: number): string {
  const date = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  return date.toDateString() === new Date().toDateString() ? time : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}
