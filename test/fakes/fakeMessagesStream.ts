import type * as http from 'node:http';
import { DEFAULT_MESSAGES } from './fakeErrors';
import type { StreamFault } from './fakeFaults';
import { messageObject, type StreamReply } from './fakeMessages';
import { usageDeltaFields } from './fakeUsage';
import { requestId } from './fakeWire';

/**
 * The Messages SSE stream in the API's event order (message_start, content_block_start, deltas with
 * optional pings, content_block_stop, message_delta, message_stop), with a queued stream fault applied
 * after `afterDeltas` text deltas. Stops writing as soon as the client goes away.
 */

/** What the server core lends a stream. */
export interface StreamHost {
  /** Marks the connection as cut by the fake, so the request is not recorded as aborted by the client. */
  markServerClosed(): void;
  /** Resolves after `ms`, or as soon as `cut` does; close() clears the timer. */
  sleep(ms: number, cut: Promise<void>): Promise<void>;
}

export async function sendStream(res: http.ServerResponse, reply: StreamReply, fault: StreamFault | undefined, host: StreamHost): Promise<void> {
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
    'request-id': requestId(),
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
        host.markServerClosed();
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
      await host.sleep(plan.delayMs, closed);
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
