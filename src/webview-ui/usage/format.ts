import { t } from '../strings';

/** "$0.0123", "$4.10": small amounts keep four decimals (a prompt often costs under a cent). */
export function usd(amount: number): string {
  return amount !== 0 && Math.abs(amount) < 1 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

export function tokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function percent(share: number | null): string {
  return share === null ? t('n/a') : `${(share * 100).toFixed(1)} %`;
}

/** A spend cell: the priced amount, and the requests whose price is unknown when there are any. */
export function spendCell(amount: number, unpriced: number): string {
  if (unpriced === 0) {
    return usd(amount);
  }
  return amount === 0 ? t('price unknown ({0} requests)', unpriced) : t('{0} + price unknown ({1} requests)', usd(amount), unpriced);
}

/** `2026-12-02` → `Dec 2`. */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
