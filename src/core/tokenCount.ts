import { costUsd, priceFor, type PriceOverrides } from './pricing';

/**
 * Count Tokens sends the text to the API: at most this many characters (the prompt panel's own
 * limit), so a huge file is refused before anything is read into a string or sent.
 */
export const MAX_COUNT_CHARS = 400_000;

/** Retries the SDK makes for a count (429, 529, 5xx): a transient error needn't fail it. */
export const COUNT_TOKENS_MAX_RETRIES = 2;

/** What the count is over: a selection, or the whole document when nothing is selected. */
export type CountScope =
  | { readonly ok: true; readonly source: 'selection' | 'document'; readonly chars: number }
  | { readonly ok: false; readonly reason: 'empty' | 'tooLarge'; readonly source: 'selection' | 'document'; readonly chars: number };

/**
 * Decides from lengths alone (no text is read): the selection when there is one, else the document;
 * nothing to count, or more than `max` characters, is refused with its reason.
 */
export function countScope(selectionChars: number, documentChars: number, max = MAX_COUNT_CHARS): CountScope {
  const source = selectionChars > 0 ? 'selection' : 'document';
  const chars = source === 'selection' ? selectionChars : documentChars;
  if (chars === 0) {
    return { ok: false, reason: 'empty', source, chars };
  }
  if (chars > max) {
    return { ok: false, reason: 'tooLarge', source, chars };
  }
  return { ok: true, source, chars };
}

/** What sending these input tokens to `model` would cost, in USD; null = price unknown (never guessed). */
export function inputCostUsd(inputTokens: number, model: string, overrides: PriceOverrides = {}): number | null {
  const price = priceFor(model, overrides);
  if (!price) {
    return null;
  }
  return costUsd({ inputTokens, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 }, price);
}

/**
 * 1234567 → "1,234,567", in the host's messages and the panel alike. Not `toLocaleString`/`Intl`:
 * the same digits in every locale, and in the panel their first use loads ICU data (tens of ms).
 */
export function formatTokenCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
