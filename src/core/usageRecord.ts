import type { TokenCounts } from './pricing';

/**
 * One line of the usage ledger: one API call the extension made. Counts, ids and timings only;
 * never a key (only its masked hint and name) and never prompt or answer text. A `countTokens`
 * record's inputTokens is the count the API returned: nothing was used or billed (cost 0), and
 * usage totals leave it out.
 */
export interface UsageRecord extends TokenCounts {
  /** Format version of the line. */
  readonly v: 1;
  /** When the call started, ISO 8601 UTC. */
  readonly time: string;
  readonly operation: UsageOperation;
  /** The key's name in the keyring ("admin" for the Admin key); undefined when not stored. */
  readonly keyName?: string;
  /** The masked key, `sk-ant-api03-…wxyz`. */
  readonly keyHint: string;
  readonly model?: string;
  readonly serverToolUses: number;
  readonly requestId?: string;
  readonly outcome: UsageOutcome;
  /** With outcome 'error': the ApiProblem kind (`rateLimited`, `invalidKey`…). */
  readonly errorClass?: string;
  readonly latencyMs: number;
  /** Estimated USD at the prices of the day it was recorded; null = price unknown. */
  readonly costUsd: number | null;
  /** Billed at the Batch API's half price. */
  readonly batch?: boolean;
}

export type UsageOperation = 'validate' | 'models' | 'prompt' | 'countTokens' | 'admin';
export type UsageOutcome = 'ok' | 'error' | 'stopped';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const OPERATIONS: ReadonlySet<string> = new Set<UsageOperation>(['validate', 'models', 'prompt', 'countTokens', 'admin']);
const OUTCOMES: ReadonlySet<string> = new Set<UsageOutcome>(['ok', 'error', 'stopped']);
const COUNTS = ['inputTokens', 'outputTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'cacheReadTokens', 'serverToolUses', 'latencyMs'] as const;

/** DEL and everything past ASCII: escaped, so a line is printable ASCII only. */
const NOT_PRINTABLE_ASCII = /[\u007f-\uffff]/g;

/**
 * One complete line, newline included: written with a single append so lines never interleave.
 * Pure ASCII (the `…` of a key hint becomes `\u2026`): V8 decodes and parses one-byte strings about a
 * third faster, which a million-line read feels.
 */
export function serializeRecord(record: UsageRecord): string {
  return JSON.stringify(record).replace(NOT_PRINTABLE_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/** A line of the ledger, or undefined when it is torn, foreign or from a newer format. */
export function parseRecord(line: string): UsageRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const r = value as Record<string, unknown>;
  // The writer always writes toISOString(): a cheap shape check instead of Date.parse (a million lines are read at once).
  if (r.v !== 1 || typeof r.time !== 'string' || !ISO_UTC.test(r.time) || typeof r.keyHint !== 'string') {
    return undefined;
  }
  if (typeof r.operation !== 'string' || !OPERATIONS.has(r.operation) || typeof r.outcome !== 'string' || !OUTCOMES.has(r.outcome)) {
    return undefined;
  }
  for (const name of COUNTS) {
    const count = r[name];
    if (typeof count !== 'number' || !(count >= 0) || count === Infinity) {
      return undefined;
    }
  }
  if (r.costUsd !== null && !(typeof r.costUsd === 'number' && Number.isFinite(r.costUsd))) {
    return undefined;
  }
  return value as UsageRecord;
}

/** `2026-12` for an instant, in UTC: Anthropic bills by the UTC month. A record's ISO time is sliced, not parsed. */
export function monthOf(time: Date | string): string {
  return (typeof time === 'string' && ISO_UTC.test(time) ? time : new Date(time).toISOString()).slice(0, 7);
}

/** `2026-12-02`, in UTC. */
export function dayOf(time: Date | string): string {
  return (typeof time === 'string' && ISO_UTC.test(time) ? time : new Date(time).toISOString()).slice(0, 10);
}

const FILE = /^usage-(\d{4}-\d{2})\.jsonl$/;

/** The ledger file of a month: `usage-2026-12.jsonl`. */
export function ledgerFileName(month: string): string {
  return `usage-${month}.jsonl`;
}

/** The month a ledger file holds, or undefined for any other file. */
export function ledgerFileMonth(fileName: string): string | undefined {
  return FILE.exec(fileName)?.[1];
}

/** `2026-12` minus n months. */
export function monthsBefore(month: string, n: number): string {
  const [year, mon] = month.split('-').map(Number);
  return new Date(Date.UTC(year, mon - 1 - n, 1)).toISOString().slice(0, 7);
}

/**
 * Ledger files older than the retention keeps: `retentionMonths` counts the current month, so 13
 * keeps this month and the twelve before it. 0 or less keeps everything.
 */
export function filesToPrune(fileNames: readonly string[], now: Date, retentionMonths: number): string[] {
  if (!(retentionMonths > 0)) {
    return [];
  }
  const oldestKept = monthsBefore(monthOf(now), Math.floor(retentionMonths) - 1);
  return fileNames.filter((name) => {
    const month = ledgerFileMonth(name);
    return month !== undefined && month < oldestKept;
  });
}

/** The `usage` object of an API response, as far as the ledger reads it (the SDK's Usage fits). */
export interface ApiUsage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation?: { readonly ephemeral_5m_input_tokens?: number | null; readonly ephemeral_1h_input_tokens?: number | null } | null;
  /** `{ web_search_requests, web_fetch_requests, … }`: every count is a server tool use. */
  readonly server_tool_use?: object | null;
  readonly service_tier?: string | null;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

/**
 * Token counts from a response's usage. Cache writes are split by TTL when the response says so;
 * without the split they are 5-minute writes (the API's default TTL). Server tool uses are every
 * `*_requests` count under `server_tool_use` (web search, web fetch…).
 */
export function tokensFromUsage(usage: ApiUsage | null | undefined): TokenCounts & { serverToolUses: number; batch: boolean } {
  const split = usage?.cache_creation;
  const total = count(usage?.cache_creation_input_tokens);
  const oneHour = count(split?.ephemeral_1h_input_tokens);
  const fiveMinutes = split ? count(split.ephemeral_5m_input_tokens) : total;
  let serverToolUses = 0;
  for (const value of Object.values(usage?.server_tool_use ?? {}) as unknown[]) {
    serverToolUses += count(value);
  }
  return {
    inputTokens: count(usage?.input_tokens),
    outputTokens: count(usage?.output_tokens),
    cacheWrite5mTokens: fiveMinutes,
    cacheWrite1hTokens: oneHour,
    cacheReadTokens: count(usage?.cache_read_input_tokens),
    serverToolUses,
    batch: usage?.service_tier === 'batch',
  };
}
