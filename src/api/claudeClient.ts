import Anthropic from '@anthropic-ai/sdk';
import type { APIKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import { classifyApiFailure, type ApiFailureFacts, type ApiProblem } from '../core/apiProblems';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import { safeOutsideText } from '../core/maskAnyForm';
import { spendCapAwareFetch } from './spendCapFetch';

/** The Admin API's view of an API key (never the key itself). */
export type AdminApiKey = APIKey;

export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ApiProblem };

export interface ClientSettings {
  /** Raw `claudeKeys.apiBaseUrl`. */
  readonly baseUrl: () => string | undefined;
}

/**
 * Every call to the Claude API goes through here, in the extension host, on the official SDK. The
 * SDK owns HTTP, retries and error classes; this module picks the key, the host and the time-out,
 * and turns SDK errors into ApiProblems.
 */
export class ClaudeClient {
  /** Time-out of one check or Admin call; short, because a person is waiting for the answer. */
  checkTimeoutMs = 15_000;

  constructor(
    private readonly settings: ClientSettings,
    /** Read per request, so a rotated key is used at once. */
    private readonly activeKey: () => Promise<string | undefined>,
  ) {}

  /** Where requests go, or the problem with the configured URL. */
  endpoint(): { ok: true; url: string; host: string } | { ok: false; reason: string } {
    const checked = checkApiBaseUrl(this.settings.baseUrl());
    // The host is named in problems shown and logged; the setting can come from a hostile workspace.
    return checked.ok ? { ok: true, url: checked.url, host: safeOutsideText(checked.host) } : { ok: false, reason: checked.reason };
  }

  /** An SDK client for the active key; the key is read from SecretStorage on every request. */
  forActiveKey(options: { maxRetries?: number; timeout?: number } = {}): Anthropic {
    return this.sdk(async () => {
      const key = await this.activeKey();
      if (!key) {
        throw new NoKeyError();
      }
      return key;
    }, options);
  }

  /**
   * The cheapest live check: GET /v1/models, counting the models the key can see. No retries, so
   * the user gets an answer now rather than after back-off.
   */
  async validateKey(key: string): Promise<CallResult<{ modelCount: number }>> {
    return this.call(async () => {
      const client = this.sdk(key, { maxRetries: 0, timeout: this.checkTimeoutMs });
      let modelCount = 0;
      for await (const model of client.models.list({ limit: 1000 })) {
        void model;
        modelCount++;
      }
      return { modelCount };
    });
  }

  /** Admin API: every API key of the organisation, filtered by status. */
  async listApiKeys(adminKey: string, status?: AdminApiKey['status']): Promise<CallResult<AdminApiKey[]>> {
    return this.call(async () => {
      const client = this.sdk(adminKey, { maxRetries: 2, timeout: this.checkTimeoutMs });
      const keys: AdminApiKey[] = [];
      for await (const key of client.organization.apiKeys.list({ limit: 1000, ...(status ? { status } : {}) })) {
        // The name is shown in prompts; it is outside text (partial_key_hint stays: it is matched, never shown).
        keys.push({ ...key, name: safeOutsideText(key.name) });
      }
      return keys;
    });
  }

  /** Admin API: set an API key's status (active | inactive | archived). */
  async updateApiKeyStatus(adminKey: string, id: string, status: 'active' | 'inactive' | 'archived'): Promise<CallResult<AdminApiKey>> {
    return this.call(async () => {
      const client = this.sdk(adminKey, { maxRetries: 2, timeout: this.checkTimeoutMs });
      const key = await client.organization.apiKeys.update(id, { status });
      return { ...key, name: safeOutsideText(key.name) };
    });
  }

  /** Runs an SDK call and turns any failure into an ApiProblem. */
  async call<T>(run: () => Promise<T>): Promise<CallResult<T>> {
    const endpoint = this.endpoint();
    if (!endpoint.ok) {
      return { ok: false, problem: { kind: 'badBaseUrl', reason: endpoint.reason } };
    }
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return { ok: false, problem: classifyApiFailure(failureFacts(error, endpoint.host)) };
    }
  }

  private sdk(apiKey: string | (() => Promise<string>), options: { maxRetries?: number; timeout?: number }): Anthropic {
    const endpoint = this.endpoint();
    if (!endpoint.ok) {
      throw new Error(`claudeKeys.apiBaseUrl is not usable (${endpoint.reason})`);
    }
    // apiKey is always explicit: the SDK must never fall back to environment variables or profiles.
    return new Anthropic({
      apiKey,
      baseURL: endpoint.url,
      maxRetries: options.maxRetries,
      timeout: options.timeout,
      logLevel: 'off',
      fetch: spendCapAwareFetch(),
    });
  }
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
  if (error instanceof Anthropic.APIUserAbortError) {
    return { kind: 'aborted' };
  }
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return { kind: 'connection', timeout: true, host };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return { kind: 'connection', timeout: false, code: causeCode(error), host };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const headers = error.headers;
    return { kind: 'http', status: error.status, ...outsideFacts(error), header: (name) => headers?.get(name) };
  }
  if (error instanceof Anthropic.APIError) {
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
function outsideFacts(error: InstanceType<typeof Anthropic.APIError>): Pick<Extract<ApiFailureFacts, { kind: 'http' }>, 'errorType' | 'errorCode' | 'message' | 'requestId'> {
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
