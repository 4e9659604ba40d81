import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { MessageCountTokensParams, MessageStreamParams, MessageTokensCount } from '@anthropic-ai/sdk/resources/messages/messages';
import type { APIKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { classifyApiFailure, type ApiFailureFacts, type ApiProblem } from '../core/apiProblems';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import { Lazy } from '../core/lazy';
import { safeOutsideText } from '../core/maskAnyForm';
import { COUNT_TOKENS_MAX_RETRIES } from '../core/tokenCount';
import type { ApiUsage, UsageOperation } from '../core/usageRecord';
import { CallNotAdmitted, NO_OBSERVER, type CallEnd, type CallObserver } from './callObserver';
import { loadSdk, type SdkModule } from './lazySdk';
import type { ApiAttempt, AttemptObserver } from './observedFetch';
import type { ReportPages } from './organizationReports';
import type { ClaudeKeysSdk } from './sdk';

/** The Admin API's view of an API key (never the key itself). */
export type AdminApiKey = APIKey;

export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ApiProblem };

export interface ClientSettings {
  /** Raw `claudeKeys.apiBaseUrl`. */
  readonly baseUrl: () => string | undefined;
}

type KeySource = string | (() => Promise<string | undefined>);

export interface SdkCallOptions {
  readonly maxRetries?: number;
  readonly timeout?: number;
  /** Sees the attempts of requests made with this SDK client only (e.g. one prompt's retries). */
  readonly onAttempt?: AttemptObserver;
}

/** What one tracked call knows as it runs: the key the SDK used and the last response's request id. */
interface CallTrace {
  readonly operation: UsageOperation;
  key: string | undefined;
  requestId: string | undefined;
}

/**
 * Every call to the Claude API goes through here, in the extension host, on the official SDK. The
 * SDK owns HTTP, retries and error classes; this module picks the key, the host and the time-out,
 * and turns SDK errors into ApiProblems. The SDK itself loads on the first call (./lazySdk), not at
 * activation. Every call is shown to the `observer` (src/usage: ledger, budget, pacing, rate limits)
 * here, so no command records its own.
 */
export class ClaudeClient {
  /** Time-out of one check or Admin call; short, because a person is waiting for the answer. */
  checkTimeoutMs = 15_000;
  /** Owned per client; Node's module cache makes every later load after the first free. */
  private readonly sdkModule = new Lazy<SdkModule>(loadSdk);
  /** Set once by activate() when the usage feature is built. */
  observer: CallObserver = NO_OBSERVER;
  private readonly attemptListeners = new Set<AttemptObserver>();

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

  /**
   * Every HTTP attempt of every request made through this client (validate, model list, prompts,
   * count tokens, Admin calls, each SDK retry too), whichever key made it. The key state tracker
   * listens here: any answer proves or disproves the key that got it.
   */
  onAttempt(listener: AttemptObserver): { dispose(): void } {
    this.attemptListeners.add(listener);
    return { dispose: () => this.attemptListeners.delete(listener) };
  }

  /** An SDK client for the active key; the key is read from SecretStorage on every request. */
  forActiveKey(options: SdkCallOptions = {}): ClaudeKeysSdk {
    return this.sdk(() => this.activeKey(), options, { operation: 'prompt', key: undefined, requestId: undefined });
  }

  /** The models the active key can see (GET /v1/models, every page). */
  async listModels(): Promise<CallResult<ModelInfo[]>> {
    return this.tracked({ operation: 'models' }, () => this.activeKey(), { maxRetries: 0, timeout: this.checkTimeoutMs }, async (client) => {
      const models: ModelInfo[] = [];
      for await (const model of client.models.list({ limit: 1000 })) {
        models.push(model);
      }
      return models;
    });
  }

  /**
   * Starts a streamed message with the active key, once the observer admits it (pacing, budget).
   * Throws CallNotAdmitted when it does not. The call is recorded when the stream ends, with the
   * usage the SDK assembled (also for a stream stopped half-way: its input was billed).
   */
  async streamMessage<P extends MessageStreamParams>(params: P, options: { signal: AbortSignal; maxRetries?: number; onAttempt?: AttemptObserver }): Promise<MessageStream<unknown>> {
    const call = { operation: 'prompt' as const, model: params.model };
    if (!(await this.admit(call, options.signal))) {
      throw new CallNotAdmitted();
    }
    const startedAt = new Date();
    const trace: CallTrace = { operation: call.operation, key: undefined, requestId: undefined };
    const stream = this.sdk(() => this.activeKey(), { maxRetries: options.maxRetries ?? 2, onAttempt: options.onAttempt }, trace).messages.stream(params, { signal: options.signal });
    const host = this.endpoint();
    const end = (outcome: CallEnd['outcome'], usage: ApiUsage | undefined, error?: unknown): void => {
      const problem = error === undefined ? undefined : classifyApiFailure(this.failureFacts(error, host.ok ? host.host : ''));
      this.observer.finished({ ...call, startedAt, key: trace.key, latencyMs: Date.now() - startedAt.getTime(), outcome, problem, usage, requestId: trace.requestId ?? stream.request_id ?? undefined });
    };
    stream.finalMessage().then(
      (message) => end('ok', message.usage),
      (error: unknown) => end(options.signal.aborted ? 'stopped' : 'error', stream.currentMessage?.usage, error),
    );
    return stream;
  }

  /**
   * Counts the input tokens of a request (POST /v1/messages/count_tokens) with the active key. Free,
   * so the budget never asks; paced like any request. `signal` cancels the wait for a slot and the call;
   * `onAttempt` sees its attempts (the SDK's retry waits).
   */
  async countTokens(params: MessageCountTokensParams, signal?: AbortSignal, onAttempt?: AttemptObserver): Promise<CallResult<MessageTokensCount>> {
    return this.tracked(
      { operation: 'countTokens', model: params.model },
      () => this.activeKey(),
      { maxRetries: COUNT_TOKENS_MAX_RETRIES, timeout: this.checkTimeoutMs, onAttempt },
      async (client) => {
        const count = await client.messages.countTokens(params, { signal });
        // Outside data: a proxy or a broken server could send anything; a SyntaxError is "a malformed response".
        if (!(Number.isSafeInteger(count.input_tokens) && count.input_tokens >= 0)) {
          throw new SyntaxError('count_tokens: input_tokens is not a count');
        }
        return count;
      },
      (count) => ({ input_tokens: count.input_tokens }),
      signal,
    );
  }

  /**
   * The cheapest live check: GET /v1/models, counting the models the key can see. No retries, so
   * the user gets an answer now rather than after back-off. `signal` cancels it (Cancel on the progress).
   */
  async validateKey(key: string, signal?: AbortSignal): Promise<CallResult<{ modelCount: number }>> {
    return this.tracked({ operation: 'validate' }, key, { maxRetries: 0, timeout: this.checkTimeoutMs }, async (client) => {
      let modelCount = 0;
      for await (const model of client.models.list({ limit: 1000 }, { signal })) {
        void model;
        modelCount++;
      }
      return { modelCount };
    });
  }

  /** The cheapest check of an Admin key, as the CLI's --verify: one page of one key, no retries. */
  async probeAdminKey(adminKey: string): Promise<CallResult<void>> {
    return this.tracked({ operation: 'admin' }, adminKey, { maxRetries: 0, timeout: this.checkTimeoutMs }, async (client) => {
      await client.organization.apiKeys.list({ limit: 1 });
    });
  }

  /** Admin API: every API key of the organisation, filtered by status. */
  async listApiKeys(adminKey: string, status?: AdminApiKey['status']): Promise<CallResult<AdminApiKey[]>> {
    return this.tracked({ operation: 'admin' }, adminKey, { maxRetries: 2, timeout: this.checkTimeoutMs }, async (client) => {
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
    return this.tracked({ operation: 'admin' }, adminKey, { maxRetries: 2, timeout: this.checkTimeoutMs }, async (client) => {
      const key = await client.organization.apiKeys.update(id, { status });
      return { ...key, name: safeOutsideText(key.name) };
    });
  }

  /**
   * Admin API: the organisation's usage report (`usage`, GET /v1/organizations/usage_report/messages) or
   * cost report (`cost`, GET /v1/organizations/cost_report), every page, as outside data to parse.
   */
  async organizationReport(adminKey: string, report: 'usageReport' | 'costReport', query: Record<string, unknown>): Promise<CallResult<ReportPages>> {
    return this.tracked({ operation: 'admin' }, adminKey, { maxRetries: 2, timeout: this.checkTimeoutMs }, (client) => {
      const sdk = this.sdkModule.value;
      return sdk.reportPages(client, report === 'usageReport' ? sdk.USAGE_REPORT_PATH : sdk.COST_REPORT_PATH, query);
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
      return { ok: false, problem: classifyApiFailure(this.failureFacts(error, endpoint.host)) };
    }
  }

  /**
   * One call, observed: admitted first (pacing, budget), then run on an SDK client for `key`, then
   * reported with its outcome, request id and latency. A call not admitted is not sent (`aborted`).
   */
  private async tracked<T>(
    call: { operation: UsageOperation; model?: string },
    key: KeySource,
    options: SdkCallOptions,
    run: (client: ClaudeKeysSdk) => Promise<T>,
    usageOf?: (value: T) => ApiUsage | undefined,
    signal?: AbortSignal,
  ): Promise<CallResult<T>> {
    const endpoint = this.endpoint();
    if (!endpoint.ok) {
      return { ok: false, problem: { kind: 'badBaseUrl', reason: endpoint.reason } };
    }
    if (!(await this.admit(call, signal))) {
      return { ok: false, problem: { kind: 'aborted' } };
    }
    const startedAt = new Date();
    const trace: CallTrace = { operation: call.operation, key: typeof key === 'string' ? key : undefined, requestId: undefined };
    const result = await this.call(() => run(this.sdk(key, options, trace)));
    this.observer.finished({
      ...call,
      startedAt,
      key: trace.key,
      latencyMs: Date.now() - startedAt.getTime(),
      outcome: result.ok ? 'ok' : result.problem.kind === 'aborted' ? 'stopped' : 'error',
      problem: result.ok ? undefined : result.problem,
      usage: result.ok ? usageOf?.(result.value) : undefined,
      requestId: trace.requestId,
    });
    return result;
  }

  private async admit(call: { operation: UsageOperation; model?: string }, signal?: AbortSignal): Promise<boolean> {
    try {
      return await this.observer.admit(call, signal);
    } catch {
      // The wait for a pacing slot was cancelled.
      return false;
    }
  }

  /** What an error thrown by an SDK call means, in plain facts for core/apiProblems. */
  failureFacts(error: unknown, host: string): ApiFailureFacts {
    return this.sdkModule.value.failureFacts(error, host);
  }

  private sdk(apiKey: KeySource, options: SdkCallOptions, trace: CallTrace): ClaudeKeysSdk {
    const endpoint = this.endpoint();
    if (!endpoint.ok) {
      throw new Error(`claudeKeys.apiBaseUrl is not usable (${endpoint.reason})`);
    }
    // The key the SDK reads per request is noted (in memory only) so the call is recorded under its name.
    const key =
      typeof apiKey === 'string'
        ? apiKey
        : async () => {
            trace.key = await apiKey();
            return trace.key;
          };
    // One observer of every attempt: the key state (listeners), and each answer's headers for the usage service.
    const observe = (attempt: ApiAttempt): void => {
      if (attempt.phase === 'answered' && attempt.headers && attempt.status !== undefined) {
        trace.requestId = attempt.headers.get('request-id') ?? trace.requestId;
        this.observer.response(trace.key, attempt.headers, attempt.status, trace.operation);
      }
      for (const listener of this.attemptListeners) {
        listener(attempt);
      }
      options.onAttempt?.(attempt);
    };
    return this.sdkModule.value.createSdk({ apiKey: key, baseURL: endpoint.url, maxRetries: options.maxRetries, timeout: options.timeout, observe });
  }
}
