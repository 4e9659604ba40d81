import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeAdminReports } from './fakeAdminReports';
import { DEFAULT_MESSAGES, HttpError, errorReply, httpErrorReply } from './fakeErrors';
import { applyRequestFault, FaultQueue, type Fault } from './fakeFaults';
import { FakeKeyRegistry, type AddApiKeyOptions, type FakeKeyRecord } from './fakeKeyRegistry';
import { messagesReply, type FakeReplySource, type StreamReply } from './fakeMessages';
import { sendStream } from './fakeMessagesStream';
import { FakeModels } from './fakeModels';
import { RateLimitWindows } from './fakeRateLimits';
import { messagesBodies, recordRequest, type RecordedRequest, type Route } from './fakeRequests';
import { readBody, sendReply, type Reply } from './fakeWire';

/**
 * A loopback fake of the Anthropic API, faithful enough that the real `@anthropic-ai/sdk` runs against it
 * unmodified via `baseURL`: models, the Messages API (JSON and SSE streaming, count_tokens), the Admin
 * API's key endpoints, the documented error bodies and rate-limit headers, and injectable faults (429s,
 * spend cap, any status, dropped or hanging sockets, and mid-stream errors, resets, malformed lines and
 * stalls). Shapes follow /work/shared/claude-api-facts.md and the SDK's own parsing.
 *
 * This file is the server core (lifecycle, request log, routing and auth order) and the one module tests
 * import; each endpoint family lives in its own fake*.ts next to it and is re-exported here.
 */

export { partialKeyHint, type FakeKeyRecord, type KeyStatus } from './fakeKeyRegistry';
export { errorTypeForStatus } from './fakeErrors';
export type { Fault } from './fakeFaults';
export { estimateTokens, type FakeReply, type FakeReplySource } from './fakeMessages';
export type { FakeMessagesRequest } from './fakeMessagesRequest';
export type { RecordedRequest, Route } from './fakeRequests';

export interface FakeApiOptions {
  port?: number;
  /** Register every well-formed API key as active (and admin key as admin) on first use: the demo backend. */
  acceptAnyWellFormedKey?: boolean;
}

/** Per-request bookkeeping for abort detection: set when the fake itself cuts the connection. */
interface Exchange {
  readonly record: RecordedRequest;
  serverClosed: boolean;
}

export class FakeAnthropicApi {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  /** The Admin API's usage and cost reports (test/fakes/fakeAdminReports.ts). */
  readonly reports = new FakeAdminReports();

  private readonly keys = new FakeKeyRegistry();
  private readonly faults = new FaultQueue();
  private readonly models = new FakeModels();
  private readonly rateLimits = new RateLimitWindows();
  private readonly countTokensRateLimits = new RateLimitWindows('countTokens');
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
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
          sendReply(res, errorReply(500, 'api_error', DEFAULT_MESSAGES.api_error));
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
  addApiKey(key: string, options: AddApiKeyOptions = {}): FakeKeyRecord {
    return this.keys.addApiKey(key, options);
  }

  addAdminKey(key: string, options: { permission?: 'full' | 'none' } = {}): void {
    this.keys.addAdminKey(key, options);
  }

  /** From now on the key gets 401; an API key's record turns 'inactive' as the Console shows it. */
  revokeKey(key: string): void {
    this.keys.revokeKey(key);
  }

  /** The API keys as the Admin API lists them (newest first); the objects are live. */
  keyRecords(): FakeKeyRecord[] {
    return this.keys.keyRecords();
  }

  setModels(models: Array<{ id: string; display_name: string; created_at: string }>): void {
    this.models.set(models);
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
    return messagesBodies(this.requests);
  }

  enqueueFault(route: Route, fault: Fault, times = 1): void {
    this.faults.enqueue(route, fault, times);
  }

  reset(): void {
    this.keys.clear();
    this.faults.clear();
    this.requests.length = 0;
    this.models.reset();
    this.rateLimits.clear();
    this.countTokensRateLimits.clear();
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
    const { record, url } = recordRequest(req, body);
    this.requests.push(record);
    const exchange: Exchange = { record, serverClosed: false };
    res.once('close', () => {
      // Closed before the fake ended its answer, and not by the fake (a fault or close()): the client left.
      if (!res.writableFinished && !exchange.serverClosed && this.closing === undefined) {
        record.aborted = true;
      }
    });
    const markServerClosed = (): void => {
      exchange.serverClosed = true;
    };

    // Faults come after routing and before auth, so e.g. a 529 can be simulated for any key.
    const fault = this.faults.takeRequestFault(record.route);
    if (fault) {
      const { method, path, headers } = record;
      const settled = await applyRequestFault(fault, { req, res, method, path, headers, markServerClosed, sleep: (ms) => this.sleep(ms) });
      if (settled) {
        return;
      }
    }

    let reply: Reply | StreamReply;
    try {
      reply = this.answer(record, url.searchParams);
    } catch (error) {
      if (!(error instanceof HttpError)) {
        throw error;
      }
      reply = httpErrorReply(error);
    }
    if ('stream' in reply) {
      const streamFault = this.faults.takeStreamFault(record.route);
      await sendStream(res, reply, streamFault, { markServerClosed, sleep: (ms, cut) => this.sleep(ms, cut) });
    } else {
      sendReply(res, reply);
    }
  }

  /** Auth, version check and the endpoint itself; throws HttpError for the documented failures. */
  private answer(record: RecordedRequest, query: URLSearchParams): Reply | StreamReply {
    const { method, path, headers, body, route, apiKey } = record;
    // 'any' only ever names a fault's target, never a request's route.
    if (route === 'unknown' || route === 'any') {
      throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
    }
    if (apiKey === undefined) {
      throw new HttpError(401, 'x-api-key header is required');
    }
    if (this.options.acceptAnyWellFormedKey) {
      this.keys.autoRegister(apiKey);
    }
    if (route === 'adminKeys' || route === 'adminReports') {
      this.keys.authenticateAdmin(apiKey);
    } else {
      this.keys.authenticateApiKey(apiKey);
    }
    if (!headers['anthropic-version']) {
      throw new HttpError(400, 'anthropic-version: header is required');
    }
    const usageHeaders = (inputTokens = 0, outputTokens = 0): Record<string, string> => ({
      ...this.rateLimits.headersFor(apiKey, inputTokens, outputTokens),
      ...this.rateLimitOverrides,
    });
    switch (route) {
      case 'models':
        return { ...this.models.reply(method, path, query), headers: usageHeaders() };
      case 'adminKeys':
        return this.keys.adminKeysReply(method, path, query, body, this.adminKeysPageSize);
      case 'adminReports': {
        const report = this.reports.reply(method, path, query);
        if ('error' in report) {
          throw new HttpError(report.status, report.error);
        }
        return report;
      }
      case 'messages':
        return messagesReply(method, path, body, {
          models: this.models,
          replySource: this.replySource,
          usageHeaders,
          countHeaders: () => ({ ...this.countTokensRateLimits.headersFor(apiKey), ...this.rateLimitOverrides }),
        });
    }
  }

  /** Resolves after `ms`, or as soon as `cut` does (never, by default); close() clears the timer. */
  private sleep(ms: number, cut?: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      void cut?.then(() => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      });
    });
  }
}
