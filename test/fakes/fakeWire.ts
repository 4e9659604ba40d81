import type * as http from 'node:http';
import { randomChars } from './keys';

/**
 * HTTP plumbing the loopback fake's endpoints share: reading a request, naming its credential, and
 * writing a JSON answer the way the API does (request id in header and error body). Kept apart so each
 * endpoint module returns plain data and never touches a socket.
 */

/** A JSON answer an endpoint hands back; the server core writes it with sendReply(). */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type AuthScheme = 'x-api-key' | 'bearer';

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';

/** Random id characters in the API's style (no look-alike 0/O, 1/l/I). */
export function randomId(length: number): string {
  return randomChars(ID_ALPHABET, length);
}

/** A fresh `request-id` header value. */
export function requestId(): string {
  return `req_011C${randomId(20)}`;
}

/** RFC 3339 without milliseconds, as the API writes its timestamps and reset headers. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The body as a JSON object, or undefined for anything else (invalid JSON, arrays, scalars). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      out[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

export function credentialOf(headers: Record<string, string>): { apiKey: string | undefined; authScheme: AuthScheme | undefined } {
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

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // An aborted upload still gets recorded with what arrived.
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function isErrorBody(body: unknown): body is { type: 'error'; error: unknown } {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'error';
}

/** Writes the reply as JSON, unless the client is gone or something was already sent. */
export function sendReply(res: http.ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) {
    return;
  }
  // An echo fault sets its own (hostile) request id.
  const id = reply.headers?.['request-id'] ?? requestId();
  // Error bodies carry the same id as the header, after `error` (the API's key order).
  const body = isErrorBody(reply.body) ? { ...reply.body, request_id: id } : reply.body;
  const text = JSON.stringify(body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'request-id': id.replace(/[^\t\x20-\x7e]/g, '?'),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
