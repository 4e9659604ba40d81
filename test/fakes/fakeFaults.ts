import type * as http from 'node:http';
import { DEFAULT_MESSAGES, errorReply, errorTypeForStatus } from './fakeErrors';
import { rateLimitHeaders } from './fakeRateLimits';
import type { Route } from './fakeRequests';
import { sendReply, type Reply } from './fakeWire';

/**
 * Injectable faults: error answers (429 rate limit and spend cap, any status, a proxy that echoes the
 * credential), broken connections (drop, hang, delay) and mid-stream faults that fakeMessagesStream
 * applies. Tests queue them per route; each strikes the next matching request(s).
 */

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

export type StreamFault = Extract<Fault, { afterDeltas: number }>;
/** A fault met before auth, by any request of its route. */
export type RequestFault = Exclude<Fault, StreamFault>;

const STREAM_FAULT_KINDS: ReadonlySet<Fault['kind']> = new Set(['streamError', 'streamReset', 'malformedLine', 'stall']);

function isStreamFault(fault: Fault): fault is StreamFault {
  return STREAM_FAULT_KINDS.has(fault.kind);
}

interface QueuedFault {
  route: Route;
  fault: Fault;
  remaining: number;
}

/** Faults waiting for their route, in the order they were queued. */
export class FaultQueue {
  private queued: QueuedFault[] = [];

  enqueue(route: Route, fault: Fault, times: number): void {
    if (times > 0) {
      this.queued.push({ route, fault, remaining: times });
    }
  }

  takeRequestFault(route: Route | 'unknown'): RequestFault | undefined {
    return this.take(route, false) as RequestFault | undefined;
  }

  takeStreamFault(route: Route | 'unknown'): StreamFault | undefined {
    return this.take(route, true) as StreamFault | undefined;
  }

  clear(): void {
    this.queued = [];
  }

  /** The first queued fault for the route: stream faults only when `stream`, the others only when not. */
  private take(route: Route | 'unknown', stream: boolean): Fault | undefined {
    const index = this.queued.findIndex((f) => (f.route === 'any' || f.route === route) && isStreamFault(f.fault) === stream);
    if (index < 0) {
      return undefined;
    }
    const queued = this.queued[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) {
      this.queued.splice(index, 1);
    }
    return queued.fault;
  }
}

/** The request a fault strikes, and what the server core lends it. */
export interface FaultTarget {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** Marks the connection as cut by the fake, so the request is not recorded as aborted by the client. */
  markServerClosed(): void;
  /** A timer close() can clear. */
  sleep(ms: number): Promise<void>;
}

/** Applies a fault met before auth; true when it settled the request (answered, dropped or left hanging). */
export async function applyRequestFault(fault: RequestFault, target: FaultTarget): Promise<boolean> {
  switch (fault.kind) {
    case 'drop':
      target.markServerClosed();
      target.req.socket.destroy();
      return true;
    case 'hang':
      // Left open on purpose; close() destroys the socket.
      return true;
    case 'delay':
      await target.sleep(fault.ms);
      return false;
    case 'rateLimit':
    case 'spendCap':
    case 'status':
      sendReply(target.res, faultReply(fault));
      return true;
    case 'echo': {
      const credential = target.headers.authorization ?? target.headers['x-api-key'] ?? '';
      const reply = errorReply(fault.status, errorTypeForStatus(fault.status), `proxy echo: ${target.method} ${target.path} authorization=${credential}`);
      reply.headers = { 'request-id': `req_echo ${credential}` };
      sendReply(target.res, reply);
      return true;
    }
  }
}

function faultReply(fault: Extract<Fault, { kind: 'rateLimit' | 'spendCap' | 'status' }>): Reply {
  switch (fault.kind) {
    case 'rateLimit': {
      const retryAfter = fault.retryAfterSeconds ?? 30;
      const reply = errorReply(429, 'rate_limit_error', DEFAULT_MESSAGES.rate_limit_error);
      reply.headers = { 'retry-after': String(retryAfter), ...rateLimitHeaders(0, 'exhausted', Date.now() + retryAfter * 1000) };
      return reply;
    }
    case 'spendCap': {
      // The cap lifts at 00:00 UTC on the 1st of next month; there is no retry-after.
      const now = new Date();
      const lifts = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
      const message = fault.message ?? `You have reached your specified API usage limits. You will regain access on ${lifts} at 00:00 UTC.`;
      return errorReply(429, 'rate_limit_error', message, {
        error_code: 'enforced_spend_limit_reached',
      });
    }
    case 'status': {
      const type = fault.type ?? errorTypeForStatus(fault.status);
      return errorReply(fault.status, type, fault.message ?? DEFAULT_MESSAGES[type] ?? 'Error');
    }
  }
}
