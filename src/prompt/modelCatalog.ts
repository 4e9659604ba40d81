import type { ClaudeClient } from '../api/claudeClient';
import { safeOutsideText } from '../core/maskAnyForm';
import type { ModelOption } from '../shared/promptProtocol';

/**
 * Used when the models API cannot be reached (offline, no key): current aliases the SDK knows and
 * does not mark deprecated.
 */
export const FALLBACK_MODELS: readonly ModelOption[] = [
  { id: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5' },
  { id: 'claude-opus-5-5', label: 'Claude Opus 5.5' },
  { id: 'claude-haiku-5-5', label: 'Claude Haiku 5.5' },
  { id: 'claude-sonnet-4-6', label: 'Claude Sonnet 4.6' },
  { id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5' },
];

export const DEFAULT_MODEL = FALLBACK_MODELS[0].id;

export interface ModelList {
  readonly models: readonly ModelOption[];
  readonly source: 'api' | 'offline';
}

/** The models the active key can use, fetched once per session (until the key changes). */
export class ModelCatalog {
  private cached: Promise<ModelList> | undefined;

  constructor(private readonly client: ClaudeClient) {}

  list(): Promise<ModelList> {
    if (!this.cached) {
      this.cached = this.fetch();
    }
    return this.cached;
  }

  /** The key changed: the next list() asks the API again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetch(): Promise<ModelList> {
    const listed = await this.client.listModels();
    // Outside text: a model whose id would change when masked is not offered; its label is made safe.
    const result = listed.ok
      ? { ok: true as const, value: listed.value.filter((m) => safeOutsideText(m.id) === m.id).map((m) => ({ id: m.id, label: safeOutsideText(m.display_name || m.id) })) }
      : listed;
    if (!result.ok || result.value.length === 0) {
      // Do not cache a failure: the next panel tries again.
      this.cached = undefined;
      return { models: FALLBACK_MODELS, source: 'offline' };
    }
    return { models: result.value, source: 'api' };
  }
}
