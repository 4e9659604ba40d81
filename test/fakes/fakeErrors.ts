import type { Reply } from './fakeWire';

/**
 * The API's documented error statuses, `error.type`s and default messages, and its error body
 * (`{"type":"error","error":{type,message}}`; fakeWire adds `request_id`). Every endpoint module throws
 * HttpError and the server core turns it into this body, so the SDK maps each status to its own class.
 */

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

export const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
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

export function errorTypeForStatus(status: number): string {
  return ERROR_TYPES.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** A documented failure; the server core answers it with errorReply() and the status's error.type. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function errorReply(status: number, type: string, message: string, details?: Record<string, string>): Reply {
  const error: Record<string, unknown> = { type, message };
  if (details) {
    error.details = details;
  }
  return { status, body: { type: 'error', error } };
}

/** The reply for an HttpError thrown by an endpoint. */
export function httpErrorReply(error: HttpError): Reply {
  return errorReply(error.status, errorTypeForStatus(error.status), error.message);
}
