/**
 * The parts of a Messages `usage` object beyond input and output tokens, for the usage ledger's
 * tests: cache writes split by TTL, cache reads, server tool uses and the service tier. Hooked into
 * fakeMessages.ts through FakeReply.usage.
 */
export interface FakeUsageExtras {
  readonly cacheWrite5mTokens?: number;
  readonly cacheWrite1hTokens?: number;
  readonly cacheReadTokens?: number;
  readonly webSearchRequests?: number;
  readonly serviceTier?: 'standard' | 'priority' | 'batch';
}

/** The usage fields the API sends at message_start (and in a JSON reply); without extras, the fake's old minimal shape. */
export function usageStartFields(extras: FakeUsageExtras | undefined): Record<string, unknown> {
  if (!extras) {
    return { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  }
  const fiveMinutes = extras?.cacheWrite5mTokens ?? 0;
  const oneHour = extras?.cacheWrite1hTokens ?? 0;
  return {
    cache_creation_input_tokens: fiveMinutes + oneHour,
    cache_read_input_tokens: extras?.cacheReadTokens ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: oneHour },
    server_tool_use: extras?.webSearchRequests ? { web_search_requests: extras.webSearchRequests, web_fetch_requests: 0 } : null,
    service_tier: extras?.serviceTier ?? 'standard',
  };
}

/** The cumulative usage fields of message_delta beyond output_tokens. */
export function usageDeltaFields(extras: FakeUsageExtras | undefined): Record<string, unknown> {
  return extras?.webSearchRequests ? { server_tool_use: { web_search_requests: extras.webSearchRequests, web_fetch_requests: 0 } } : {};
}
