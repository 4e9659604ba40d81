import { DEFAULT_MESSAGES, HttpError } from './fakeErrors';
import { paginate } from './fakePagination';
import type { Reply } from './fakeWire';

/**
 * GET /v1/models and /v1/models/{id}, and the model lookup the Messages API validates against
 * (ids, aliases and each default model's max output tokens).
 */

export interface FakeModel {
  id: string;
  display_name: string;
  created_at: string;
}

/** What the real /v1/models listed recently, newest first (the API's order). */
const DEFAULT_MODELS: readonly FakeModel[] = [
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-24T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
  { id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
  { id: 'claude-3-haiku-20240307', display_name: 'Claude Haiku 3', created_at: '2024-03-07T00:00:00Z' },
];

/** Maximum output tokens of the default models (max_tokens above it is a 400, as in the API). */
const MAX_OUTPUT_TOKENS: ReadonlyMap<string, number> = new Map([
  ['claude-opus-4-5-20251101', 64_000],
  ['claude-haiku-4-5-20251001', 64_000],
  ['claude-sonnet-4-5-20250929', 64_000],
  ['claude-opus-4-1-20250805', 32_000],
  ['claude-opus-4-20250514', 32_000],
  ['claude-sonnet-4-20250514', 64_000],
  ['claude-3-7-sonnet-20250219', 64_000],
  ['claude-3-5-haiku-20241022', 8_192],
  ['claude-3-haiku-20240307', 4_096],
]);

/** The fake's current model list (the defaults until a test sets its own). */
export class FakeModels {
  private models: FakeModel[] = [...DEFAULT_MODELS];

  set(models: ReadonlyArray<{ id: string; display_name: string; created_at: string }>): void {
    this.models = models.map((m) => ({ id: m.id, display_name: m.display_name, created_at: m.created_at }));
  }

  reset(): void {
    this.models = [...DEFAULT_MODELS];
  }

  /** A model by id or, as the API also does, by alias (the id without its date). */
  find(id: string): FakeModel | undefined {
    return this.models.find((m) => m.id === id) ?? this.models.find((m) => m.id.replace(/-\d{8}$/, '') === id);
  }

  /** The most max_tokens a model takes; undefined for models a test added. */
  maxOutputTokens(id: string): number | undefined {
    return MAX_OUTPUT_TOKENS.get(id);
  }

  reply(method: string, path: string, query: URLSearchParams): Reply {
    if (method !== 'GET') {
      throw new HttpError(404, DEFAULT_MESSAGES.not_found_error);
    }
    if (path === '/v1/models') {
      return { status: 200, body: paginate(this.models, query, () => true, (m) => ({ type: 'model', ...m })) };
    }
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    const model = this.find(id);
    if (!model) {
      throw new HttpError(404, `model: ${id}`);
    }
    return { status: 200, body: { type: 'model', ...model } };
  }
}
