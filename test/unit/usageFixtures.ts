import type { UsageRecord } from '../../src/core/usageRecord';

/** A ledger record with sensible defaults; tests override what they check. */
export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    v: 1,
    time: '2026-12-02T10:00:00.000Z',
    operation: 'prompt',
    keyName: 'default',
    keyHint: 'sk-ant-api03-…AbCd',
    model: 'claude-haiku-4-5-20251001',
    inputTokens: 100,
    outputTokens: 50,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    serverToolUses: 0,
    requestId: 'req_011CTEST',
    outcome: 'ok',
    latencyMs: 120,
    costUsd: 0.00035,
    ...overrides,
  };
}
