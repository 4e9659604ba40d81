import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import type { ApiFailureFacts } from '../core/apiProblems';
import { safeOutsideText } from '../core/maskAnyForm';
import { observedFetch, type AttemptObserver } from './observedFetch';
import { ClaudeKeysSdk } from './sdkClient';
import { spendCapAwareFetch } from './spendCapFetch';

/**
 * Everything that needs the official SDK at run time. esbuild.js bundles this file on its own as
 * dist/sdk.js (the SDK is ~430 KB minified), and ClaudeClient loads it on its first call, so
 * activation never pays for it. Import it only through `import type` and loadSdk().
 */

export interface SdkOptions {
  /** A key, or a callback read per request that resolves to undefined when no key is stored. */
  readonly apiKey: string | (() => Promise<string | undefined>);
  readonly baseURL: string;
  readonly maxRetries?: number;
  readonly timeout?: number;
  /**
   * Sees every HTTP attempt, retries included, after the spend-cap fix-up (so as the SDK sees it):
   * the key state, and each answer's headers (rate limits, request id) for the usage ledger.
   */
  readonly observe?: AttemptObserver;
}

export { ClaudeKeysSdk };

export function createSdk(options: SdkOptions): ClaudeKeysSdk {
  const { apiKey } = options;
  // apiKey is always explicit: the SDK must never fall back to environment variables or profiles.
  return new ClaudeKeysSdk({
    apiKey:
      typeof apiKey === 'string'
        ? apiKey
        : async () => {
            const key = await apiKey();
            if (!key) {
              throw new NoKeyError();
            }
            return key;
          },
    baseURL: options.baseURL,
    maxRetries: options.maxRetries,
    timeout: options.timeout,
    logLevel: 'off',
    fetch: options.observe ? observedFetch(spendCapAwareFetch(), options.observe) : spendCapAwareFetch(),
  });
}

/** Thrown from the SDK's apiKey callback when no key is stored. */
export class NoKeyError extends Error {
  constructor() {
    super('No Claude API key is stored');
    this.name = 'NoKeyError';
  }
}

/** SDK error classes → plain facts for core/apiProblems. */
export function failureFacts(error: unknown, host: string): ApiFailureFacts {
  if (hasCause(error, (e) => e instanceof NoKeyError)) {
    return { kind: 'noKey' };
  }
  if (error instanceof BaseAnthropic.APIUserAbortError) {
    return { kind: 'aborted' };
  }
  if (error instanceof BaseAnthropic.APIConnectionTimeoutError) {
    return { kind: 'connection', timeout: true, host };
  }
  if (error instanceof BaseAnthropic.APIConnectionError) {
    return { kind: 'connection', timeout: false, code: causeCode(error), host };
  }
  if (error instanceof BaseAnthropic.APIError && typeof error.status === 'number') {
    const headers = error.headers;
    return { kind: 'http', status: error.status, ...outsideFacts(error), header: (name) => headers?.get(name) };
  }
  if (error instanceof BaseAnthropic.APIError) {
    // A mid-stream `event: error` has no status; its type still says what happened.
    const status = error.type === 'overloaded_error' ? 529 : error.type === 'rate_limit_error' ? 429 : 500;
    return { kind: 'http', status, ...outsideFacts(error), header: () => undefined };
  }
  if (hasCause(error, (e) => e instanceof SyntaxError)) {
    return { kind: 'protocol', host };
  }
  return { kind: 'connection', timeout: false, code: causeCode(error), host };
}

/**
 * What the server (or any proxy on the way) wrote into an error, made safe where it enters: a proxy
 * that echoes the request would otherwise put the key into a toast, the panel or a log.
 */
function outsideFacts(error: InstanceType<typeof BaseAnthropic.APIError>): Pick<Extract<ApiFailureFacts, { kind: 'http' }>, 'errorType' | 'errorCode' | 'message' | 'requestId'> {
  const safe = (text: string | null | undefined): string | null => (typeof text === 'string' ? safeOutsideText(text) : null);
  return { errorType: safe(error.type), errorCode: safe(error.errorCode), message: safe(error.apiMessage), requestId: safe(error.requestID) };
}

function hasCause(error: unknown, test: (e: unknown) => boolean): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (test(e)) {
      return true;
    }
  }
  return false;
}

/** The error codes and messages of a cause chain (ENOTFOUND, ECONNREFUSED, UND_ERR_SOCKET…), masked: messages are outside text. */
function causeCode(error: unknown): string {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      codes.push(code);
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      codes.push(message);
    }
  }
  return safeOutsideText(codes.join(' '));
}

export { reportPages, USAGE_REPORT_PATH, COST_REPORT_PATH } from './organizationReports';
