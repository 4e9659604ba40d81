import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { classifyCredential } from '../../src/core/credentials';
import { FakeAdminReports, isAdminReportPath } from './fakeAdminReports';
import { usageDeltaFields, usageStartFields, type FakeUsageExtras } from './fakeUsage';

/**
 * A loopback fake of the Anthropic API, faithful enough that the real `@anthropic-ai/sdk` runs against it
 * unmodified via `baseURL`: models, the Messages API (JSON and SSE streaming, count_tokens), the Admin
 * API's key endpoints, the documented error bodies and rate-limit headers, and injectable faults (429s,
 * spend cap, any status, dropped or hanging sockets, and mid-stream errors, resets, malformed lines and
 * stalls). Shapes follow /work/shared/claude-api-facts.md and the SDK's own parsing.
 */

export type KeyStatus = 'active' | 'inactive' | 'archived' | 'expired';

export interface FakeKeyRecord {
  readonly id: string;
  name: string;
  status: KeyStatus;
  readonly workspaceId: string | null;
  readonly createdAt: string;
  readonly partialKeyHint: string;
  permission: 'full' | 'none';
}

export type Fault =
  | { kind: 'rateLimit'; retryAfterSeconds?: number }
  /** `message` replaces the default text, e.g. one naming a workspace limit and its own date. */
  | { kind: 'spendCap'; message?: string }
  | { kind: 'status'; status: number; type?: string; message?: string }
  /**
   * A misbehaving proxy: answers `status` with an error whose message echoes the request (its
   * credential headers verbatim), and a `request-id` header that echoes the credential too.
   */
  | { kind: 'echo'; status: number }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  // Stream faults wait in the queue for the next streaming POST /v1/messages that gets as far as streaming
  // (past faults, auth and validation); other requests pass them by. `afterDeltas` counts text_delta
  // events already sent; a reply with fewer deltas gets the fault after its last one.
  /** Sends `event: error` with `{"type":"error","error":{type,message}}` and ends the response cleanly. */
  | { kind: 'streamError'; afterDeltas: number; errorType?: string; message?: string }
  /** Destroys the socket mid-body (after flushing what was sent): the chunked response never terminates. */
  | { kind: 'streamReset'; afterDeltas: number }
  /**
   * Writes `data: {not json` and a blank line, then carries on. Without `event` the SSE message has no
   * event name, which SDK 1.14 skips silently; with `event` (e.g. 'content_block_delta') it JSON.parses it and throws.
   */
  | { kind: 'malformedLine'; afterDeltas: number; event?: string }
  /** Stops sending but keeps the connection open until the client aborts or close() is called. */
  | { kind: 'stall'; afterDeltas: number };

type StreamFault = Extract<Fault, { afterDeltas: number }>;

const STREAM_FAULT_KINDS: ReadonlySet<Fault['kind']> = new Set(['streamError', 'streamReset', 'malformedLine', 'stall']);

function isStreamFault(fault: Fault): fault is StreamFault {
  return STREAM_FAULT_KINDS.has(fault.kind);
}

/** What the fake assistant answers; see setReply(). */
export interface FakeReply {
  text: string;
  /** Default: 'end_turn', or 'max_tokens' when the text had to be cut to fit max_tokens. */
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence';
  /** Default: estimateTokens() of the system prompt and every message's text. */
  inputTokens?: number;
  /** Default: estimateTokens() of the (possibly truncated) text. */
  outputTokens?: number;
  /** Characters (code points) per text_delta; default 8. */
  chunkSize?: number;
  /** Pause before every text_delta after the first; default 0. Streaming only. */
  delayMs?: number;
  /** Insert `event: ping` after every N text_deltas; default 0 = none. */
  pingEvery?: number;
  /** Cache tokens, server tool uses and service tier in `usage` (test/fakes/fakeUsage.ts). */
  usage?: FakeUsageExtras;
}

/** The request as a reply function sees it (system flattened to its text). */
export interface FakeMessagesRequest {
  model: string;
  system?: string;
  messages: unknown[];
  maxTokens: number;
  temperature?: number;
}

export type FakeReplySource = FakeReply | ((request: FakeMessagesRequest) => FakeReply);

/** The fake's deterministic token estimate: ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export type Route = 'models' | 'adminKeys' | 'adminReports' | 'messages' | 'any';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly apiKey: string | undefined;
  readonly authScheme: 'x-api-key' | 'bearer' | undefined;
  readonly route: Route | 'unknown';
  readonly at: number;
  /** The client closed the connection before the fake finished answering (e.g. SDK abort or timeout). */
  aborted: boolean;
}

export interface FakeApiOptions {
  port?: number;
  /** Register every well-formed API key as active (and admin key as admin) on first use: the demo backend. */
  acceptAnyWellFormedKey?: boolean;
}

interface FakeModel {
  id: string;
  display_name: string;
  created_at: string;
}

/** What the real /v1/models listed recently, newest first (the API's order). */
const DEFAULT_MODELS: readonly FakeModel[] = [
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-24T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
  { id: 'claude-3-haiku-20240307', display_name: 'Claude Haiku 3', created_at: '2024-03-07T00:00:00Z' },
];

/** Maximum output tokens of the default models (max_tokens above it is a 400, as in the API). */
const MAX_OUTPUT_TOKENS: ReadonlyMap<string, number> = new Map([
  ['claude-opus-4-5-20251101', 64_000],
  ['claude-haiku-4-5-20251001', 64_000],
  ['claude-sonnet-4-5-20250929', 64_000],
  ['claude-opus-4-1-20250805', 32_000],
  ['claude-opus-4-20250514', 32_000],
  ['claude-sonnet-4-20250514', 64_000],
  ['claude-3-7-sonnet-20250219', 64_000],
  ['claude-3-5-haiku-20241022', 8_192],
  ['claude-3-haiku-20240307', 4_096],
]);

/** error.type for each status the API documents; others fall back by class. */
const ERROR_TYPES: ReadonlyMap<number, string> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [409, 'conflict_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error'],
]);

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found',
  conflict_error: 'The request conflicts with the current state of the resource.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'This request would exceed the rate limit for your organization of 4,000 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

/** A tier-4-like budget; only the shape and the arithmetic matter. */
const LIMITS = { requests: 4_000, inputTokens: 2_000_000, outputTokens: 400_000 } as const;

const API_PREFIX = ['sk', 'ant', 'api03', ''].join('-');
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';
const UPDATABLE_STATUSES: readonly string[] = ['active', 'inactive', 'archived'];
const LISTABLE_STATUSES: readonly string[] = ['active', 'inactive', 'archived', 'expired'];

export function errorTypeForStatus(status: number): string {
  return ERROR_TYPES.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
  }
  return out;
}

/** RFC 3339 without milliseconds, as the API writes its reset headers. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Console's hint: prefix, first 3 body characters, `...`, last 4 characters. */
export function partialKeyHint(key: string): string {
  const body = key.startsWith(API_PREFIX) ? key.slice(API_PREFIX.length) : key;
  return `${API_PREFIX}${body.slice(0, 3)}...${key.slice(-4)}`;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

function credentialOf(headers: Record<string, string>): { apiKey: string | undefined; authScheme: RecordedRequest['authScheme'] } {
  // x-api-key wins when both are sent: it is the API's primary scheme.
  const xApiKey = headers['x-api-key']?.trim();
  if (xApiKey) {
    return { apiKey: xApiKey, authScheme: 'x-api-key' };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  if (bearer) {
    return { apiKey: bearer[1], authScheme: 'bearer' };
  }
  return { apiKey: undefined, authScheme: undefined };
}

function routeOf(path: string): Exclude<Route, 'any'> | 'unknown' {
  if (path === '/v1/models' || path.startsWith('/v1/models/')) {
    return 'models';
  }
  if (path === '/v1/organizations/api_keys' || path.startsWith('/v1/organizations/api_keys/')) {
    return 'adminKeys';
  }
  if (isAdminReportPath(path)) {
    return 'adminReports';
  }
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) {
    return 'messages';
  }
  return 'unknown';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface AdminKey {
  permission: 'full' | 'none';
  revoked: boolean;
}

interface QueuedFault {
  route: Route;
  fault: Fault;
  remaining: number;
}

/** A validated POST /v1/messages or /v1/messages/count_tokens body. */
interface MessagesCall {
  readonly request: FakeMessagesRequest;
  readonly stream: boolean;
  readonly stopSequences: readonly string[];
  /** The text the input estimate is taken from: system prompt and every message. */
  readonly inputText: string;
}

/** A Message ready to send, as JSON or as SSE. */
interface PlannedMessage {
  readonly id: string;
  readonly model: string;
  readonly text: string;
  readonly stopReason: string;
  readonly stopSequence: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly deltas: readonly string[];
  readonly delayMs: number;
  readonly pingEvery: number;
  readonly usage?: FakeUsageExtras;
}

interface StreamReply {
  stream: PlannedMessage;
  headers: Record<string, string>;
}

/** Per-request bookkeeping for abort detection: set when the fake itself cuts the connection. */
interface Exchange {
  readonly record: RecordedRequest;
  serverClosed: boolean;
}

const DEFAULT_CHUNK_SIZE = 8;

export class FakeAnthropicApi {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  /** The Admin API's usage and cost reports (test/fakes/fakeAdminReports.ts). */
  readonly reports = new FakeAdminReports();

  private readonly apiKeys = new Map<string, FakeKeyRecord>();
  private readonly adminKeys = new Map<string, AdminKey>();
  private faults: QueuedFault[] = [];
  private models: FakeModel[] = [...DEFAULT_MODELS];
  private readonly creatorId = `user_01${randomId(22)}`;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requestCounts = new Map<string, { windowStart: number; count: number; inputTokens: number; outputTokens: number }>();
  /** Rate-limit headers that replace the computed ones on every answer (e.g. a window nearly used up). */
  rateLimitOverrides: Record<string, string> = {};
  /**
   * The most keys one page of GET /v1/organizations/api_keys holds, whatever `limit` asks (a server
   * may return fewer than asked): a small value makes a client walk several pages by `after_id`.
   */
  adminKeysPageSize: number | undefined;
  private replySource: FakeReplySource | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeApiOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      this.handle(req, res).catch(() => {
        // A handler bug must not hang the client: answer 500 if the socket is still usable.
        if (!res.headersSent && !res.destroyed) {
          this.send(res, this.errorReply(500, 'api_error', DEFAULT_MESSAGES.api_error));
        }
      });
    });
  }

  /** Binds 127.0.0.1 only; port 0 (the default) picks a free port. */
  static start(options: FakeApiOptions = {}): Promise<FakeAnthropicApi> {
    const server = http.createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(new FakeAnthropicApi(server, options));
      });
    });
  }

  /** Registers an API key (active, full permission by default); adding a known key updates it. The record is live. */
  addApiKey(key: string, options: { name?: string; status?: KeyStatus; permission?: 'full' | 'none'; workspaceId?: string | null } = {}): FakeKeyRecord {
    const existing = this.apiKeys.get(key);
    if (existing) {
      existing.name = options.name ?? existing.name;
      existing.status = options.status ?? existing.status;
      existing.permission = options.permission ?? existing.permission;
      return existing;
    }
    const record: FakeKeyRecord = {
      id: `apikey_01${randomId(22)}`,
      name: options.name ?? `Key ${this.apiKeys.size + 1}`,
      status: options.status ?? 'active',
      workspaceId: options.workspaceId ?? null,
      createdAt: new Date().toISOString(),
      partialKeyHint: partialKeyHint(key),
      permission: options.permission ?? 'full',
    };
    this.apiKeys.set(key, record);
    return record;
  }

  addAdminKey(key: string, options: { permission?: 'full' | 'none' } = {}): void {
    this.adminKeys.set(key, { permission: options.permission ?? 'full', revoked: false });
  }

  /** From now on the key gets 401; an API key's record turns 'inactive' as the Console shows it. */
  revokeKey(key: string): void {
    const record = this.apiKeys.get(key);
    const admin = this.adminKeys.get(key);
    if (!record && !admin) {
      throw new Error('revokeKey: the fake does not know this key');
    }
    if (record) {
      record.status = 'inactive';
    }
    if (admin) {
      admin.revoked = true;
    }
  }

  /** The API keys as the Admin API lists them (newest first); the objects are live. */
  keyRecords(): FakeKeyRecord[] {
    return [...this.apiKeys.values()].reverse();
  }

  setModels(models: Array<{ id: string; display_name: string; created_at: string }>): void {
    this.models = models.map((m) => ({ id: m.id, display_name: m.display_name, created_at: m.created_at }));
  }

  /**
   * What the assistant answers from now on: a fixed reply or a function of the request. Without one the
   * fake echoes `You said: <last user text>`. Text longer than max_tokens allows (4 characters a token)
   * is cut, with stop_reason 'max_tokens' unless the reply names its own stop reason.
   */
  setReply(reply: FakeReplySource): void {
    this.replySource = reply;
  }

  /** The parsed JSON bodies of every POST /v1/messages recorded (count_tokens excluded), in order. */
  messagesRequests(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const r of this.requests) {
      if (r.method === 'POST' && r.path === '/v1/messages') {
        const body = parseJsonObject(r.body);
        if (body) {
          out.push(body);
        }
      }
    }
    return out;
  }

  enqueueFault(route: Route, fault: Fault, times = 1): void {
    if (times > 0) {
      this.faults.push({ route, fault, remaining: times });
    }
  }

  reset(): void {
    this.apiKeys.clear();
    this.adminKeys.clear();
    this.faults = [];
    this.requests.length = 0;
    this.models = [...DEFAULT_MODELS];
    this.requestCounts.clear();
    this.rateLimitOverrides = {};
    this.adminKeysPageSize = undefined;
    this.replySource = undefined;
    this.reports.reset();
  }

  /** Stops listening and destroys every open socket, hanging requests and stalled streams included. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) {
        clearTimeout(timer);
      }
      this.timers.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
    return this.closing;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const headers = flattenHeaders(req.headers);
    const route = routeOf(path);
    const { apiKey, authScheme } = credentialOf(headers);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      apiKey,
      authScheme,
      route,
      at: Date.now(),
      aborted: false,
    };
    this.requests.push(record);
    const exchange: Exchange = { record, serverClosed: false };
    res.once('close', () => {
      // Closed before the fake ended its answer, and not by the fake (a fault or close()): the client left.
      if (!res.writableFinished && !exchange.serverClosed && this.closing === undefined) {
        record.aborted = true;
      }
    });

    // Faults come after routing and before auth, so e.g. a 529 can be simulated for any key.
    const fault = this.takeFault(route, false);
    if (fault) {
      switch (fault.kind) {
        case 'drop':
          exchange.serverClosed = true;
          req.socket.destroy();
          return;
        case 'hang':
          // Left open on purpose; close() destroys the socket.
          return;
        case 'delay':
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              resolve();
            }, fault.ms);
            this.timers.add(timer);
          });
          break;
        case 'rateLimit':
        case 'spendCap':
        case 'status':
          this.send(res, this.faultReply(fault));
          return;
        case 'echo': {
          const credential = headers.authorization ?? headers['x-api-key'] ?? '';
          const reply = this.errorReply(fault.status, errorTypeForStatus(fault.status), `proxy echo: ${method} ${path} authorization=${credential}`);
          reply.headers = { 'request-id': `req_echo ${credential}` };
          this.send(res, reply);
          return;
        }
        default:
          // Stream faults are never taken here.
          break;
      }
    }

    let reply: Reply | StreamReply;
    try {
      reply = this.answer(method, path, url.searchParams, headers, body, route, apiKey);
    } catch (error) {
      if (!(error instanceof HttpError)) {
        throw error;
      }
      reply = this.errorReply(error.status, errorTypeForStatus(error.status), error.message);
    }
    if ('stream' in reply) {
      await this.sendStream(res, exchange, reply, this.takeFault(route, true) as StreamFault | undefined);
    } else {
      this.send(res, reply);
    }
  }

  /** The first queued fault for the route: stream faults only when `stream`, the others only when not. */
  private takeFault(route: Route | 'unknown', stream: boolean): Fault | undefined {
    const index = this.faults.findIndex((f) => (f.route === 'any' || f.route === route) && isStreamFault(f.fault) === stream);
    if (index < 0) {
      return undefined;
    }
    const queued = this.faults[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) {
      this.faults.splice(index, 1);
    }
    return queued.fault;
  }

  private faultReply(fault: Extract<Fault, { kind: 'rateLimit' | 'spendCap' | 'status' }>): Reply {
    switch (fault.kind) {
      case 'rateLimit': {
        const retryAfter = fault.retryAfterSeconds ?? 30;
        const reply = this.errorReply(429, 'rate_limit_error', DEFAULT_MESSAGES.rate_limit_error);
        reply.headers = { 'retry-after': String(retryAfter), ...rateLimitHeaders(0, 'exhausted', Date.now() + retryAfter * 1000) };
        return reply;
      }
      case 'spendCap': {
        // The cap lifts at 00:00 UTC on the 1st of next month; there is no retry-after.
        const now = new Date();
        const lifts = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
        const message = fault.message ?? `You have reached your specified API usage limits. You will regain access on ${lifts} at 00:00 UTC.`;
        return this.errorReply(429, 'rate_limit_error', message, {
          error_code: 'enforced_spend_limit_reached',
        });
      }
      case 'status': {
        const type = fault.type ?? errorTypeForStatus(fault.status);
        return this.errorReply(fault.status, type, fault.message ?? DEFAULT_MESSAGES[type] ?? 'Error');
      }
    }
  }

  /** Auth, version check and the endpoint itself; throws HttpError for the documented failures. */
  private answer(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: string,
    route: Exclude<Route, 'any'> | 'unknown',
    apiKey: string | undefined,
  ): Reply | StreamReply {
    if (route === 'unknown') {
      throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
    }
    if (apiKey === undefined) {
      throw new HttpError(401, 'x-api-key header is required');
    }
    this.autoRegister(apiKey);
    if (route === 'adminKeys' || route === 'adminReports') {
      this.authenticateAdmin(apiKey);
    } else {
      this.authenticateApiKey(apiKey);
    }
    if (!headers['anthropic-version']) {
      throw new HttpError(400, 'anthropic-version: header is required');
    }
    switch (route) {
      case 'models':
        return { ...this.modelsReply(method, path, query), headers: this.usageHeaders(apiKey) };
      case 'adminKeys':
        return this.adminKeysReply(method, path, query, body);
      case 'adminReports': {
        const report = this.reports.reply(method, path, query);
        if ('error' in report) {
          throw new HttpError(report.status, report.error);
        }
        return report;
      }
      case 'messages':
        return this.messagesReply(method, path, body, apiKey);
    }
  }

  /** POST /v1/messages (JSON or SSE) and POST /v1/messages/count_tokens. */
  private messagesReply(method: string, path: string, body: string, apiKey: string): Reply | StreamReply {
    const countOnly = path === '/v1/messages/count_tokens';
    if (method !== 'POST' || (path !== '/v1/messages' && !countOnly)) {
      throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
    }
    const call = validateMessagesBody(body, countOnly, (id) => this.resolveModel(id));
    const estimatedInput = Math.max(1, estimateTokens(call.inputText));
    if (countOnly) {
      return { status: 200, body: { input_tokens: estimatedInput }, headers: this.usageHeaders(apiKey) };
    }
    const planned = this.planMessage(call, estimatedInput);
    const headers = this.usageHeaders(apiKey, planned.inputTokens, planned.outputTokens);
    if (call.stream) {
      return { stream: planned, headers };
    }
    return { status: 200, body: messageObject(planned, planned.text, planned.stopReason, planned.stopSequence, planned.outputTokens), headers };
  }

  /** A default model by id or by alias (the id without its date); the fake's current list otherwise. */
  private resolveModel(id: string): string | undefined {
    const model = this.models.find((m) => m.id === id) ?? this.models.find((m) => m.id.replace(/-\d{8}$/, '') === id);
    return model?.id;
  }

  private planMessage(call: MessagesCall, estimatedInput: number): PlannedMessage {
    const { request } = call;
    const source = this.replySource;
    const reply: FakeReply = source === undefined ? { text: `You said: ${lastUserText(request.messages)}` } : typeof source === 'function' ? source(request) : source;
    let text = String(reply.text);
    let stopReason = reply.stopReason ?? 'end_turn';
    const allowed = request.maxTokens * 4;
    if (text.length > allowed) {
      // Never cut a surrogate pair in half.
      const cut = isHighSurrogate(text.charCodeAt(allowed - 1)) ? allowed - 1 : allowed;
      text = text.slice(0, cut);
      stopReason = reply.stopReason ?? 'max_tokens';
    }
    const chunkSize = Math.max(1, Math.floor(reply.chunkSize ?? DEFAULT_CHUNK_SIZE));
    const codePoints = Array.from(text);
    const deltas: string[] = [];
    for (let i = 0; i < codePoints.length; i += chunkSize) {
      deltas.push(codePoints.slice(i, i + chunkSize).join(''));
    }
    return {
      id: `msg_01${randomId(22)}`,
      model: request.model,
      text,
      stopReason,
      stopSequence: stopReason === 'stop_sequence' ? (call.stopSequences[0] ?? null) : null,
      inputTokens: reply.inputTokens ?? estimatedInput,
      outputTokens: reply.outputTokens ?? estimateTokens(text),
      deltas,
      delayMs: Math.max(0, reply.delayMs ?? 0),
      pingEvery: Math.max(0, Math.floor(reply.pingEvery ?? 0)),
      usage: reply.usage,
    };
  }

  /**
   * The Messages SSE stream in the API's order, with the stream fault (if any) applied after
   * `afterDeltas` text deltas. Stops writing as soon as the client goes away.
   */
  private async sendStream(res: http.ServerResponse, exchange: Exchange, reply: StreamReply, fault: StreamFault | undefined): Promise<void> {
    if (res.destroyed || res.headersSent) {
      return;
    }
    const gone = (): boolean => res.destroyed || res.writableEnded;
    const closed = new Promise<void>((resolve) => {
      if (res.destroyed) {
        resolve();
      } else {
        res.once('close', () => resolve());
      }
    });
    let lastWrite: Promise<void> = Promise.resolve();
    const write = (chunk: string): void => {
      if (!gone()) {
        lastWrite = new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      }
    };
    const event = (name: string, data: unknown): void => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    // The API writes its pings with a space after the colon.
    const ping = (): void => write('event: ping\ndata: {"type": "ping"}\n\n');

    const plan = reply.stream;
    res.writeHead(200, {
      ...reply.headers,
      'request-id': `req_011C${randomId(20)}`,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    event('message_start', { type: 'message_start', message: messageObject(plan, null, null, null, 1) });
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });

    /** Applies the fault; true when the stream is over. */
    const applyFault = async (f: StreamFault): Promise<boolean> => {
      switch (f.kind) {
        case 'streamError': {
          const type = f.errorType ?? 'overloaded_error';
          event('error', { type: 'error', error: { type, message: f.message ?? DEFAULT_MESSAGES[type] ?? 'Error' } });
          res.end();
          return true;
        }
        case 'streamReset':
          // Let what was sent reach the client first, so "after N deltas" holds.
          await lastWrite;
          exchange.serverClosed = true;
          res.destroy();
          return true;
        case 'malformedLine':
          write(`${f.event === undefined ? '' : `event: ${f.event}\n`}data: {not json\n\n`);
          return false;
        case 'stall':
          // Open until the client aborts or close() destroys the socket.
          await closed;
          return true;
      }
    };

    let pending = fault;
    for (let i = 0; i < plan.deltas.length; i++) {
      if (pending && pending.afterDeltas <= i) {
        const f = pending;
        pending = undefined;
        if (await applyFault(f)) {
          return;
        }
      }
      if (i > 0 && plan.delayMs > 0) {
        await this.sleep(plan.delayMs, closed);
      }
      if (gone()) {
        return;
      }
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: plan.deltas[i] } });
      if (plan.pingEvery > 0 && (i + 1) % plan.pingEvery === 0) {
        ping();
      }
    }
    if (pending && (await applyFault(pending))) {
      return;
    }
    if (gone()) {
      return;
    }
    event('content_block_stop', { type: 'content_block_stop', index: 0 });
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence },
      usage: { output_tokens: plan.outputTokens, ...usageDeltaFields(plan.usage) },
    });
    event('message_stop', { type: 'message_stop' });
    res.end();
  }

  /** Resolves after `ms`, or as soon as `cut` does; close() clears the timer. */
  private sleep(ms: number, cut: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      void cut.then(() => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      });
    });
  }

  private autoRegister(key: string): void {
    if (!this.options.acceptAnyWellFormedKey || this.apiKeys.has(key) || this.adminKeys.has(key)) {
      return;
    }
    const kind = classifyCredential(key);
    if (kind === 'apiKey') {
      this.addApiKey(key);
    } else if (kind === 'adminKey') {
      this.addAdminKey(key);
    }
  }

  private authenticateApiKey(key: string): void {
    const record = this.apiKeys.get(key);
    if (!record || record.status !== 'active') {
      throw new HttpError(401, DEFAULT_MESSAGES.authentication_error);
    }
    if (record.permission === 'none') {
      throw new HttpError(403, DEFAULT_MESSAGES.permission_error);
    }
  }

  private authenticateAdmin(key: string): void {
    const admin = this.adminKeys.get(key);
    if (!admin) {
      const message = this.apiKeys.has(key)
        ? 'invalid x-api-key: this endpoint requires an Admin API key, not a regular API key'
        : DEFAULT_MESSAGES.authentication_error;
      throw new HttpError(401, message);
    }
    if (admin.revoked) {
      throw new HttpError(401, DEFAULT_MESSAGES.authentication_error);
    }
    if (admin.permission === 'none') {
      throw new HttpError(403, DEFAULT_MESSAGES.permission_error);
    }
  }

  private modelsReply(method: string, path: string, query: URLSearchParams): Reply {
    if (method !== 'GET') {
      throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
    }
    if (path === '/v1/models') {
      return { status: 200, body: paginate(this.models, query, () => true, (m) => ({ type: 'model', ...m })) };
    }
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    // The API also resolves an alias (the id without its date) to the dated model.
    const model = this.models.find((m) => m.id === id) ?? this.models.find((m) => m.id.replace(/-\d{8}$/, '') === id);
    if (!model) {
      throw new HttpError(404, `model: ${id}`);
    }
    return { status: 200, body: { type: 'model', ...model } };
  }

  private adminKeysReply(method: string, path: string, query: URLSearchParams, body: string): Reply {
    const ordered = this.keyRecords();
    if (path === '/v1/organizations/api_keys') {
      if (method !== 'GET') {
        // There is no create endpoint: keys are made in the Console.
        throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
      }
      const status = query.get('status');
      if (status !== null && !LISTABLE_STATUSES.includes(status)) {
        throw new HttpError(400, `status: Input should be 'active', 'inactive', 'archived' or 'expired'`);
      }
      const workspaceId = query.get('workspace_id');
      const createdBy = query.get('created_by_user_id');
      const keep = (r: FakeKeyRecord): boolean =>
        (status === null || r.status === status) && (workspaceId === null || r.workspaceId === workspaceId) && (createdBy === null || createdBy === this.creatorId);
      return { status: 200, body: paginate(ordered, query, keep, (r) => this.apiKeyObject(r), this.adminKeysPageSize) };
    }
    const id = decodeURIComponent(path.slice('/v1/organizations/api_keys/'.length));
    const record = ordered.find((r) => r.id === id);
    if (method === 'GET' || method === 'POST') {
      if (!record) {
        throw new HttpError(404, `API key not found: ${id}`);
      }
      if (method === 'POST') {
        applyUpdate(record, body);
      }
      return { status: 200, body: this.apiKeyObject(record) };
    }
    // No delete either.
    throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
  }

  private apiKeyObject(r: FakeKeyRecord): Record<string, unknown> {
    return {
      id: r.id,
      type: 'api_key',
      name: r.name,
      status: r.status,
      created_at: r.createdAt,
      created_by: { id: this.creatorId, type: 'user' },
      partial_key_hint: r.partialKeyHint,
      // The documented flat field and the SDK's newer typed shape (principal + scope), both.
      workspace_id: r.workspaceId,
      principal: { type: 'user_actor', user_id: this.creatorId },
      scope: r.workspaceId ? { type: 'workspace', workspace_id: r.workspaceId } : { type: 'organization' },
      expires_at: null,
    };
  }

  /** Per-key one-minute window of requests and tokens, so "remaining" moves the way the real headers do. */
  private usageHeaders(key: string, inputTokens = 0, outputTokens = 0): Record<string, string> {
    const now = Date.now();
    const windowStart = Math.floor(now / 60_000) * 60_000;
    const previous = this.requestCounts.get(key);
    const counter = previous && previous.windowStart === windowStart ? previous : { windowStart, count: 0, inputTokens: 0, outputTokens: 0 };
    counter.count += 1;
    counter.inputTokens += inputTokens;
    counter.outputTokens += outputTokens;
    this.requestCounts.set(key, counter);
    return { ...rateLimitHeaders(Math.max(0, LIMITS.requests - counter.count), { input: counter.inputTokens, output: counter.outputTokens }, windowStart + 60_000), ...this.rateLimitOverrides };
  }

  private errorReply(status: number, type: string, message: string, details?: Record<string, string>): Reply {
    const error: Record<string, unknown> = { type, message };
    if (details) {
      error.details = details;
    }
    return { status, body: { type: 'error', error } };
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    if (res.destroyed || res.headersSent) {
      return;
    }
    // An echo fault sets its own (hostile) request id.
    const requestId = reply.headers?.['request-id'] ?? `req_011C${randomId(20)}`;
    // Error bodies carry the same id as the header, after `error` (the API's key order).
    const body = isErrorBody(reply.body) ? { ...reply.body, request_id: requestId } : reply.body;
    const text = JSON.stringify(body);
    res.writeHead(reply.status, {
      ...reply.headers,
      'request-id': requestId.replace(/[^\t\x20-\x7e]/g, '?'),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

function isErrorBody(body: unknown): body is { type: 'error'; error: unknown } {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'error';
}

/** Remaining requests and tokens used this window (or none left); token remaining is rounded to thousands as the API does. */
function rateLimitHeaders(requestsRemaining: number, used: { input: number; output: number } | 'exhausted', resetMs: number): Record<string, string> {
  const reset = rfc3339(resetMs);
  const thousands = (n: number): string => String(Math.round(Math.max(0, n) / 1000) * 1000);
  const tokens = LIMITS.inputTokens + LIMITS.outputTokens;
  const input = used === 'exhausted' ? LIMITS.inputTokens : used.input;
  const output = used === 'exhausted' ? LIMITS.outputTokens : used.output;
  return {
    'anthropic-ratelimit-requests-limit': String(LIMITS.requests),
    'anthropic-ratelimit-requests-remaining': String(requestsRemaining),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': String(tokens),
    'anthropic-ratelimit-tokens-remaining': thousands(tokens - input - output),
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': String(LIMITS.inputTokens),
    'anthropic-ratelimit-input-tokens-remaining': thousands(LIMITS.inputTokens - input),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': String(LIMITS.outputTokens),
    'anthropic-ratelimit-output-tokens-remaining': thousands(LIMITS.outputTokens - output),
    'anthropic-ratelimit-output-tokens-reset': reset,
  };
}

/** The Message object; `text` null gives the empty content of message_start. */
function messageObject(plan: PlannedMessage, text: string | null, stopReason: string | null, stopSequence: string | null, outputTokens: number): Record<string, unknown> {
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content: text === null ? [] : [{ type: 'text', text }],
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    usage: {
      input_tokens: plan.inputTokens,
      ...usageStartFields(plan.usage),
      output_tokens: outputTokens,
    },
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The text of a message's content: the string itself, or its text blocks joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return '';
  }
  return content
    .map((block: unknown) => {
      const b = block as { type?: unknown; text?: unknown };
      return b.type === 'text' && typeof b.text === 'string' ? b.text : '';
    })
    .join('');
}

function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m.role === 'user') {
      return contentText(m.content);
    }
  }
  return '';
}

/**
 * Validates a Messages (or count_tokens) body with the API's messages, in this order: JSON object, model
 * (400 if missing or not a string, 404 `model: <id>` if unknown), max_tokens (not for count_tokens),
 * messages, system, temperature, stream. Unknown fields are let through.
 */
function validateMessagesBody(body: string, countOnly: boolean, resolveModel: (id: string) => string | undefined): MessagesCall {
  const parsed = parseJsonObject(body);
  if (!parsed) {
    throw new HttpError(400, 'There was an error parsing the body of your request. Please ensure the body is valid JSON.');
  }
  const { model, max_tokens: maxTokens, messages, system, temperature, stream, stop_sequences: stopSequences } = parsed;
  if (model === undefined) {
    throw new HttpError(400, 'model: Field required');
  }
  if (typeof model !== 'string' || model.length === 0) {
    throw new HttpError(400, 'model: Input should be a valid string');
  }
  const resolved = resolveModel(model);
  if (resolved === undefined) {
    throw new HttpError(404, `model: ${model}`);
  }
  if (!countOnly) {
    if (maxTokens === undefined) {
      throw new HttpError(400, 'max_tokens: Field required');
    }
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
      throw new HttpError(400, 'max_tokens: Input should be a valid integer');
    }
    if (maxTokens < 1) {
      throw new HttpError(400, 'max_tokens: Input should be greater than or equal to 1');
    }
    const limit = MAX_OUTPUT_TOKENS.get(resolved);
    if (limit !== undefined && maxTokens > limit) {
      throw new HttpError(400, `max_tokens: ${maxTokens} > ${limit}, which is the maximum allowed number of output tokens for ${resolved}`);
    }
  }
  if (messages === undefined) {
    throw new HttpError(400, 'messages: Field required');
  }
  if (!Array.isArray(messages)) {
    throw new HttpError(400, 'messages: Input should be a valid list');
  }
  if (messages.length === 0) {
    throw new HttpError(400, 'messages: at least one message is required');
  }
  let inputText = '';
  messages.forEach((message: unknown, i) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new HttpError(400, `messages.${i}: Input should be a valid dictionary`);
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant') {
      throw new HttpError(400, role === undefined ? `messages.${i}.role: Field required` : `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (i === 0 && role !== 'user') {
      throw new HttpError(400, 'messages: first message must use the "user" role');
    }
    if (i > 0 && (messages[i - 1] as { role: unknown }).role === role) {
      throw new HttpError(400, `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`);
    }
    if (content === undefined) {
      throw new HttpError(400, `messages.${i}.content: Field required`);
    }
    if (typeof content !== 'string' && !Array.isArray(content)) {
      throw new HttpError(400, `messages.${i}.content: Input should be a valid string or a valid list`);
    }
    // A final assistant turn may be empty-ish (prefill); anything else needs content.
    const last = i === messages.length - 1 && role === 'assistant';
    if (!last && (content.length === 0 || (typeof content === 'string' && content.trim() === ''))) {
      throw new HttpError(400, `messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
    if (Array.isArray(content)) {
      content.forEach((block: unknown, j) => {
        const b = block as { type?: unknown; text?: unknown } | null;
        if (typeof b !== 'object' || b === null || typeof b.type !== 'string') {
          throw new HttpError(400, `messages.${i}.content.${j}.type: Field required`);
        }
        if (b.type === 'text' && typeof b.text !== 'string') {
          throw new HttpError(400, `messages.${i}.content.${j}.text: Field required`);
        }
      });
    }
    inputText += contentText(content);
  });
  let systemText: string | undefined;
  if (system !== undefined) {
    if (typeof system === 'string') {
      systemText = system;
    } else if (Array.isArray(system) && system.every((b: unknown) => (b as { type?: unknown } | null)?.type === 'text' && typeof (b as { text?: unknown }).text === 'string')) {
      systemText = contentText(system);
    } else {
      throw new HttpError(400, 'system: Input should be a valid string or a list of text blocks');
    }
    inputText = systemText + inputText;
  }
  if (temperature !== undefined) {
    if (typeof temperature !== 'number' || !Number.isFinite(temperature)) {
      throw new HttpError(400, 'temperature: Input should be a valid number');
    }
    if (temperature < 0 || temperature > 1) {
      throw new HttpError(400, `temperature: Input should be ${temperature < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`);
    }
  }
  if (stream !== undefined && typeof stream !== 'boolean') {
    throw new HttpError(400, 'stream: Input should be a valid boolean');
  }
  const request: FakeMessagesRequest = { model, messages, maxTokens: countOnly ? 0 : (maxTokens as number) };
  if (systemText !== undefined) {
    request.system = systemText;
  }
  if (typeof temperature === 'number') {
    request.temperature = temperature;
  }
  return {
    request,
    stream: stream === true,
    stopSequences: Array.isArray(stopSequences) ? stopSequences.filter((s): s is string => typeof s === 'string') : [],
    inputText,
  };
}

/**
 * The API's cursor pagination over an ordered list: `limit` 1–1000 (default 20), `after_id` or
 * `before_id`. Cursors are positions in the unfiltered list, so a cursor stays valid when the item
 * it names no longer passes the filter (e.g. a key archived between two pages).
 */
function paginate<T extends { id: string }, U>(items: readonly T[], query: URLSearchParams, keep: (item: T) => boolean, render: (item: T) => U, pageSize?: number) {
  const rawLimit = query.get('limit');
  const asked = rawLimit === null ? 20 : Number(rawLimit);
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000) {
    throw new HttpError(400, 'limit: Input should be between 1 and 1000');
  }
  const limit = pageSize === undefined ? asked : Math.max(1, Math.min(asked, pageSize));
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId !== null && beforeId !== null) {
    throw new HttpError(400, 'Only one of after_id and before_id may be given');
  }
  const cursor = afterId ?? beforeId;
  const at = cursor === null ? -1 : items.findIndex((item) => item.id === cursor);
  if (cursor !== null && at < 0) {
    throw new HttpError(400, `${afterId !== null ? 'after_id' : 'before_id'}: no such id: ${cursor}`);
  }
  let chosen: T[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const before = items.slice(0, at).filter(keep);
    chosen = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    const after = items.slice(at + 1).filter(keep);
    chosen = after.slice(0, limit);
    hasMore = after.length > limit;
  }
  return {
    data: chosen.map(render),
    has_more: hasMore,
    first_id: chosen.length > 0 ? chosen[0].id : null,
    last_id: chosen.length > 0 ? chosen[chosen.length - 1].id : null,
  };
}

function applyUpdate(record: FakeKeyRecord, body: string): void {
  let update: unknown;
  try {
    update = body ? JSON.parse(body) : {};
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON.');
  }
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    throw new HttpError(400, 'Request body must be a JSON object.');
  }
  const { name, status, ...extra } = update as Record<string, unknown>;
  const unknownField = Object.keys(extra)[0];
  if (unknownField !== undefined) {
    throw new HttpError(400, `${unknownField}: Extra inputs are not permitted`);
  }
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0 || name.length > 500)) {
    throw new HttpError(400, 'name: String should have between 1 and 500 characters');
  }
  if (status !== undefined && status !== null && (typeof status !== 'string' || !UPDATABLE_STATUSES.includes(status))) {
    throw new HttpError(400, `status: Input should be 'active', 'inactive' or 'archived'`);
  }
  // Validate everything before changing anything.
  if (typeof name === 'string') {
    record.name = name;
  }
  if (typeof status === 'string') {
    record.status = status as KeyStatus;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // An aborted upload still gets recorded with what arrived.
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
