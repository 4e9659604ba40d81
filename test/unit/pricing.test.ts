import * as assert from 'node:assert/strict';
import { BATCH_MODIFIER, costUsd, formatUsd, modelAlias, parsePriceOverrides, priceFor, PRICES, PRICING_TAKEN_ON, type TokenCounts } from '../../src/core/pricing';

const MILLION = 1_000_000;
const every: TokenCounts = { inputTokens: MILLION, outputTokens: MILLION, cacheWrite5mTokens: MILLION, cacheWrite1hTokens: MILLION, cacheReadTokens: MILLION };
const only = (kind: keyof TokenCounts): TokenCounts => ({ inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, [kind]: MILLION });

describe('core/pricing', () => {
  it('is dated', () => {
    assert.match(PRICING_TAKEN_ON, /^\d{4}-\d{2}-\d{2}$/);
  });

  // USD per million tokens from the pricing page (claude-api-facts.md): input, 5 m write, 1 h write, read, output.
  const PAGE: Array<[string, number, number, number, number, number]> = [
    ['claude-opus-4-5-20251101', 5, 6.25, 10, 0.5, 25],
    ['claude-opus-5', 5, 6.25, 10, 0.5, 25],
    ['claude-sonnet-5', 2, 2.5, 4, 0.2, 10],
    ['claude-sonnet-4-5-20250929', 3, 3.75, 6, 0.3, 15],
    ['claude-sonnet-4-6', 3, 3.75, 6, 0.3, 15],
    ['claude-haiku-4-5-20251001', 1, 1.25, 2, 0.1, 5],
    ['claude-opus-4-1-20250805', 15, 18.75, 30, 1.5, 75],
  ];
  for (const [model, input, write5m, write1h, read, output] of PAGE) {
    it(`${model}: every token kind at the page's price`, () => {
      const price = priceFor(model);
      assert.ok(price, `${model} has a price`);
      const close = (actual: number, expected: number, kind: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${kind}: ${actual} ≠ ${expected}`);
      close(costUsd(only('inputTokens'), price), input, 'input');
      close(costUsd(only('cacheWrite5mTokens'), price), write5m, 'cache write 5m');
      close(costUsd(only('cacheWrite1hTokens'), price), write1h, 'cache write 1h');
      close(costUsd(only('cacheReadTokens'), price), read, 'cache read');
      close(costUsd(only('outputTokens'), price), output, 'output');
      close(costUsd(every, price), input + write5m + write1h + read + output, 'all');
      close(costUsd(every, price, true), (input + write5m + write1h + read + output) * BATCH_MODIFIER, 'batch');
    });
  }

  it('a small prompt costs fractions of a cent, exactly', () => {
    const price = priceFor('claude-haiku-4-5')!;
    // 1200 in, 300 out, 1000 written for 1 h, 5000 read.
    const cost = costUsd({ inputTokens: 1200, outputTokens: 300, cacheWrite5mTokens: 0, cacheWrite1hTokens: 1000, cacheReadTokens: 5000 }, price);
    assert.ok(Math.abs(cost - (1200 * 1 + 300 * 5 + 1000 * 2 + 5000 * 0.1) / MILLION) < 1e-12);
  });

  it('an unknown model has no price (never a guess), and shows "price unknown"', () => {
    for (const model of ['claude-sonnet-5-5', 'claude-opus-5-5', 'gpt-4o', '', undefined]) {
      assert.equal(priceFor(model), undefined, String(model));
    }
    assert.equal(formatUsd(null), 'price unknown');
  });

  it('aliases: a dated id and -latest find the alias', () => {
    assert.equal(modelAlias('claude-haiku-4-5-20251001'), 'claude-haiku-4-5');
    assert.equal(modelAlias('claude-sonnet-4-5-latest'), 'claude-sonnet-4-5');
    assert.deepEqual(priceFor('claude-haiku-4-5-20251001'), PRICES['claude-haiku-4-5']);
  });

  it('overrides: change a field of a known model, add a new model (cache prices by the page rule), ignore junk', () => {
    const overrides = parsePriceOverrides({
      'claude-haiku-4-5': { output: 6 },
      'claude-sonnet-5-5': { input: 2, output: 10 },
      'claude-half': { input: 2 },
      junk: 'x',
      negative: { input: -1, output: 'free' },
    });
    assert.deepEqual(Object.keys(overrides).sort(), ['claude-haiku-4-5', 'claude-half', 'claude-sonnet-5-5']);
    assert.equal(priceFor('claude-haiku-4-5-20251001', overrides)?.output, 6);
    assert.equal(priceFor('claude-haiku-4-5-20251001', overrides)?.input, 1);
    assert.deepEqual(priceFor('claude-sonnet-5-5', overrides), { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 });
    assert.equal(priceFor('claude-half', overrides), undefined, 'a new model needs input and output');
    assert.deepEqual(parsePriceOverrides(['a']), {});
    assert.deepEqual(parsePriceOverrides(null), {});
  });

  it('formats small amounts with four decimals', () => {
    assert.equal(formatUsd(0.00123), '$0.0012');
    assert.equal(formatUsd(4.1), '$4.10');
    assert.equal(formatUsd(0), '$0.00');
  });
});
