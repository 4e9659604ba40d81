/**
 * What Claude API tokens cost, as data. Prices are USD per million tokens, copied from Anthropic's
 * pricing page on PRICING_TAKEN_ON; `claudeKeys.usage.pricing` overrides or adds models. A model that
 * is in neither is "price unknown": a guess would make every budget figure wrong without saying so.
 */
export const PRICING_TAKEN_ON = '2026-08-01';
export const PRICING_SOURCE = 'https://www.anthropic.com/pricing#api';

export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

/** The Batch API bills half of every token price. */
export const BATCH_MODIFIER = 0.5;

/** Cache writes are 1.25× (5 min) or 2× (1 h) the input price, reads 0.1× (the pricing page's rule). */
function family(input: number, output: number): ModelPrice {
  return { input, output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead: input / 10 };
}

const OPUS = family(5, 25);
const SONNET_5 = family(2, 10);
const SONNET_4 = family(3, 15);
const HAIKU_4_5 = family(1, 5);
const OPUS_RETIRED = family(15, 75);

/** By alias; dated ids (`claude-haiku-4-5-20251001`) find their alias through modelAlias(). */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-5': OPUS,
  'claude-opus-4-8': OPUS,
  'claude-opus-4-7': OPUS,
  'claude-opus-4-6': OPUS,
  'claude-opus-4-5': OPUS,
  'claude-sonnet-5': SONNET_5,
  'claude-sonnet-4-6': SONNET_4,
  'claude-sonnet-4-5': SONNET_4,
  'claude-haiku-4-5': HAIKU_4_5,
  'claude-opus-4-1': OPUS_RETIRED,
  'claude-opus-4-0': OPUS_RETIRED,
  'claude-opus-4': OPUS_RETIRED,
};

/** `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`; anything else unchanged. */
export function modelAlias(model: string): string {
  return model.replace(/-\d{8}$/, '').replace(/-latest$/, '');
}

export type PriceOverrides = Readonly<Record<string, Partial<ModelPrice>>>;

const FIELDS: ReadonlyArray<keyof ModelPrice> = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'];

/**
 * The setting's value made safe: only finite, non-negative numbers under known field names. A
 * partial entry for a model the table knows changes only the fields it names; for a new model it
 * needs input and output (cache prices then follow the page's rule).
 */
export function parsePriceOverrides(raw: unknown): PriceOverrides {
  const result: Record<string, Partial<ModelPrice>> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return result;
  }
  for (const [model, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) {
      continue;
    }
    const price: Partial<Record<keyof ModelPrice, number>> = {};
    for (const field of FIELDS) {
      const value = (entry as Record<string, unknown>)[field];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
        price[field] = value;
      }
    }
    if (Object.keys(price).length > 0) {
      result[model] = price;
    }
  }
  return result;
}

/** The price of `model`, or undefined when neither the table nor the overrides know it. */
export function priceFor(model: string | undefined, overrides: PriceOverrides = {}): ModelPrice | undefined {
  if (!model) {
    return undefined;
  }
  const alias = modelAlias(model);
  const base = PRICES[model] ?? PRICES[alias];
  const override = overrides[model] ?? overrides[alias];
  if (!override) {
    return base;
  }
  if (base) {
    return { ...base, ...override };
  }
  if (override.input === undefined || override.output === undefined) {
    return undefined;
  }
  return { ...family(override.input, override.output), ...override };
}

/** Token counts of one request, as the API reports them. */
export interface TokenCounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheWrite5mTokens: number;
  readonly cacheWrite1hTokens: number;
  readonly cacheReadTokens: number;
}

/** USD for these tokens at this price; `batch` applies the Batch API's half price. */
export function costUsd(tokens: TokenCounts, price: ModelPrice, batch = false): number {
  const perMillion =
    tokens.inputTokens * price.input +
    tokens.outputTokens * price.output +
    tokens.cacheWrite5mTokens * price.cacheWrite5m +
    tokens.cacheWrite1hTokens * price.cacheWrite1h +
    tokens.cacheReadTokens * price.cacheRead;
  return (perMillion / 1_000_000) * (batch ? BATCH_MODIFIER : 1);
}

/** "$0.0123", "$4.10", "price unknown". Small amounts keep four decimals: a prompt often costs under a cent. */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) {
    return 'price unknown';
  }
  return amount !== 0 && Math.abs(amount) < 1 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}
