import type Anthropic from '@anthropic-ai/sdk';
import type { APIKey } from '@anthropic-ai/sdk/resources/organization/api-keys';
import { classifyApiFailure, type ApiFailureFacts, type ApiProblem } from '../core/apiProblems';
import { checkApiBaseUrl } from '../core/apiBaseUrl';
import { Lazy } from '../core/lazy';
import { safeOutsideText } from '../core/maskAnyForm';
import { loadSdk, type SdkModule } from './lazySdk';

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
 * and turns SDK errors into ApiProblems. The SDK itself loads on the first call (./lazySdk), not at
 * activation.
 */
export class ClaudeClient {
  /** Time-out of one check or Admin call; short, because a person is waiting for the answer. */
  checkTimeoutMs = 15_000;
  /** Owned per client; Node's module cache makes every later load after the first free. */
  private readonly sdkModule = new Lazy<SdkModule>(loadSdk);

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
    return this.sdk(() => this.activeKey(), options);
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

  /** The cheapest check of an Admin key, as the CLI's --verify: one page of one key, no retries. */
  async probeAdminKey(adminKey: string): Promise<CallResult<void>> {
    return this.call(async () => {
      const client = this.sdk(adminKey, { maxRetries: 0, timeout: this.checkTimeoutMs });
      await client.organization.apiKeys.list({ limit: 1 });
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
      return { ok: false, problem: classifyApiFailure(this.failureFacts(error, endpoint.host)) };
    }
  }

  /** What an error thrown by an SDK call means, in plain facts for core/apiProblems. */
  failureFacts(error: unknown, host: string): ApiFailureFacts {
    return this.sdkModule.value.failureFacts(error, host);
  }

  private sdk(apiKey: string | (() => Promise<string | undefined>), options: { maxRetries?: number; timeout?: number }): Anthropic {
    const endpoint = this.endpoint();
    if (!endpoint.ok) {
      throw new Error(`claudeKeys.apiBaseUrl is not usable (${endpoint.reason})`);
    }
    return this.sdkModule.value.createSdk({ apiKey, baseURL: endpoint.url, maxRetries: options.maxRetries, timeout: options.timeout });
  }
}
