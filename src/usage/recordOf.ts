import type { CallEnd } from '../api/callObserver';
import { maskKey } from '../core/mask';
import { safeOutsideText } from '../core/maskAnyForm';
import { costUsd, priceFor, type PriceOverrides } from '../core/pricing';
import { tokensFromUsage, type UsageRecord } from '../core/usageRecord';

/**
 * The ledger line of a finished call. The key becomes its masked hint here and goes no further;
 * outside text (request id, model from settings) is made safe where it enters the ledger.
 */
export function recordOf(call: CallEnd, keyName: string | undefined, overrides: PriceOverrides): UsageRecord {
  const { batch, ...tokens } = tokensFromUsage(call.usage);
  // Counting tokens is free: its inputTokens are what was counted, not what was billed.
  const billed = call.operation !== 'countTokens' && tokens.inputTokens + tokens.outputTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens + tokens.cacheReadTokens > 0;
  const price = priceFor(call.model, overrides);
  const model = call.model === undefined ? undefined : safeOutsideText(call.model);
  return {
    v: 1,
    time: call.startedAt.toISOString(),
    operation: call.operation,
    ...(keyName ? { keyName } : {}),
    keyHint: call.key ? maskKey(call.key) : '(no key)',
    ...(model ? { model } : {}),
    ...tokens,
    ...(call.requestId ? { requestId: safeOutsideText(call.requestId) } : {}),
    outcome: call.outcome,
    ...(call.problem && call.outcome === 'error' ? { errorClass: call.problem.kind } : {}),
    latencyMs: Math.max(0, Math.round(call.latencyMs)),
    // Nothing billed costs nothing, priced or not; billed tokens of an unknown model are "price unknown".
    costUsd: !billed ? 0 : price ? costUsd(tokens, price, batch) : null,
    ...(batch ? { batch } : {}),
  };
}
