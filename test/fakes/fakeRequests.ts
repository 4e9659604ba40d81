import type * as http from 'node:http';
import { isAdminReportPath } from './fakeAdminReports';
import { credentialOf, flattenHeaders, parseJsonObject, type AuthScheme } from './fakeWire';

/**
 * What the fake records of every request (tests assert on it: which key, which scheme, whether the
 * client aborted) and which endpoint family a path belongs to (faults are queued per family).
 */

export type Route = 'models' | 'adminKeys' | 'adminReports' | 'messages' | 'any';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly apiKey: string | undefined;
  readonly authScheme: AuthScheme | undefined;
  readonly route: Route | 'unknown';
  readonly at: number;
  /** The client closed the connection before the fake finished answering (e.g. SDK abort or timeout). */
  aborted: boolean;
}

export function routeOf(path: string): Exclude<Route, 'any'> | 'unknown' {
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

/** The record of a request whose body has been read; `url` keeps the parsed query for the endpoints. */
export function recordRequest(req: http.IncomingMessage, body: string): { record: RecordedRequest; url: URL } {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const headers = flattenHeaders(req.headers);
  const { apiKey, authScheme } = credentialOf(headers);
  const record: RecordedRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    apiKey,
    authScheme,
    route: routeOf(path),
    at: Date.now(),
    aborted: false,
  };
  return { record, url };
}

/** The parsed JSON bodies of every POST /v1/messages recorded (count_tokens excluded), in order. */
export function messagesBodies(requests: readonly RecordedRequest[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const r of requests) {
    if (r.method === 'POST' && r.path === '/v1/messages') {
      const body = parseJsonObject(r.body);
      if (body) {
        out.push(body);
      }
    }
  }
  return out;
}
