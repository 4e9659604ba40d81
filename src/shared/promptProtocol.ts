/**
 * The prompt panel's message protocol, imported by the extension host and the webview. The webview
 * never sees the key: nothing here carries it, and the host validates every incoming message.
 */

import { maskSecretsInAnyForm } from '../core/maskAnyForm';

export interface ModelOption {
  readonly id: string;
  readonly label: string;
}

export interface PromptSettings {
  readonly model: string;
  readonly system: string;
  readonly maxTokens: number;
  readonly temperature: number;
}

export interface HistoryEntry {
  readonly id: string;
  readonly at: string;
  readonly model: string;
  /** Empty when `claudeKeys.prompt.keepHistory` is off. */
  readonly prompt: string;
  readonly system: string;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface RateLimitView {
  /** e.g. "requests 49/50, tokens 38k/40k, resets 12:01:30". */
  readonly summary: string;
  readonly requestsRemaining?: number;
  readonly requestsLimit?: number;
  readonly tokensRemaining?: number;
  readonly tokensLimit?: number;
  readonly resetsAt?: string;
}

export interface AnswerMetrics {
  readonly usage?: Usage;
  readonly timeToFirstTokenMs?: number;
  readonly totalMs: number;
  readonly stopReason?: string;
  readonly rateLimit?: RateLimitView;
}

/** A next step offered with an error; the host maps the id to a command or URL it trusts. */
export type ProblemActionId = 'setApiKey' | 'rotateApiKey' | 'openConsole' | 'openLimits' | 'openStatusPage' | 'openSettings' | 'openBilling' | 'retry';

export interface ProblemView {
  readonly message: string;
  readonly severity: 'warning' | 'error';
  readonly actions: ReadonlyArray<{ readonly id: ProblemActionId; readonly label: string }>;
}

/** What a pending answer is doing when it is not simply streaming; `streaming` says it is again. */
export type StreamStatus =
  | { readonly kind: 'streaming' }
  /** The SDK waits to make attempt `attempt` of `of` after a 429, 529 or 5xx (`status`), `seconds` from now. */
  | { readonly kind: 'retrying'; readonly attempt: number; readonly of: number; readonly seconds: number; readonly status?: number }
  /** Nothing has arrived for `seconds`. */
  | { readonly kind: 'noData'; readonly seconds: number };

/** What the panel restores after a reload (webview state, via WebviewPanelSerializer). */
export interface PanelState {
  readonly settings: PromptSettings;
  readonly prompt: string;
  readonly answer: string;
  readonly answerStatus: 'idle' | 'streaming' | 'done' | 'stopped' | 'error';
  readonly metrics?: AnswerMetrics;
}

export type HostToWebview =
  | {
      readonly type: 'init';
      readonly models: readonly ModelOption[];
      readonly modelsSource: 'api' | 'offline';
      readonly settings: PromptSettings;
      readonly history: readonly HistoryEntry[];
      readonly keyState: 'set' | 'none';
      /** A prompt to fill in, e.g. from "Send Selection as Prompt". */
      readonly prefill?: string;
    }
  | { readonly type: 'models'; readonly models: readonly ModelOption[]; readonly modelsSource: 'api' | 'offline' }
  | { readonly type: 'keyState'; readonly keyState: 'set' | 'none' }
  | { readonly type: 'prefill'; readonly prompt: string }
  | { readonly type: 'streamStart'; readonly requestId: string; readonly model: string }
  | { readonly type: 'delta'; readonly requestId: string; readonly text: string }
  | { readonly type: 'streamStatus'; readonly requestId: string; readonly status: StreamStatus }
  | { readonly type: 'streamEnd'; readonly requestId: string; readonly stopped: boolean; readonly metrics: AnswerMetrics }
  | { readonly type: 'streamError'; readonly requestId: string; readonly problem: ProblemView; readonly metrics: AnswerMetrics }
  | { readonly type: 'history'; readonly history: readonly HistoryEntry[] }
  | { readonly type: 'notice'; readonly message: string }
  /** The answer to `countTokens`: input tokens of the form as it was, and what sending it would cost (null = price unknown). */
  | { readonly type: 'tokenCount'; readonly countId: string; readonly model: string; readonly inputTokens: number; readonly costUsd: number | null }
  | { readonly type: 'tokenCountError'; readonly countId: string; readonly problem: ProblemView };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly prompt: string; readonly settings: PromptSettings }
  | { readonly type: 'stop'; readonly requestId: string }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'insertAtCursor'; readonly text: string }
  | { readonly type: 'openAsDocument'; readonly text: string }
  | { readonly type: 'action'; readonly id: ProblemActionId }
  | { readonly type: 'clearHistory' }
  /** The Count tokens button (only on click: it sends the text to the API). `countId` pairs the answer with it. */
  | { readonly type: 'countTokens'; readonly countId: string; readonly prompt: string; readonly model: string; readonly system: string };

export const LIMITS = {
  promptChars: 400_000,
  systemChars: 100_000,
  textChars: 2_000_000,
  maxTokens: 128_000,
} as const;

const ACTION_IDS: readonly ProblemActionId[] = ['setApiKey', 'rotateApiKey', 'openConsole', 'openLimits', 'openStatusPage', 'openSettings', 'openBilling', 'retry'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** A model id as the API names models; anything else is refused before it reaches a request. */
export function isModelId(value: unknown): value is string {
  return isString(value, 200) && /^[A-Za-z0-9._:@-]+$/.test(value);
}

export function parseSettings(value: unknown): PromptSettings | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const { model, system, maxTokens, temperature } = value;
  if (
    !isModelId(model) ||
    !isString(system, LIMITS.systemChars) ||
    typeof maxTokens !== 'number' ||
    !Number.isInteger(maxTokens) ||
    maxTokens < 1 ||
    maxTokens > LIMITS.maxTokens ||
    typeof temperature !== 'number' ||
    !(temperature >= 0 && temperature <= 1)
  ) {
    return undefined;
  }
  return { model, system, maxTokens, temperature };
}

/**
 * The only way a webview message reaches host code: anything unknown, malformed or too large is
 * undefined (and dropped by the caller).
 */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return undefined;
  }
  switch (value.type) {
    case 'ready':
    case 'clearHistory':
      return { type: value.type };
    case 'send': {
      const settings = parseSettings(value.settings);
      return isString(value.prompt, LIMITS.promptChars) && value.prompt.trim() !== '' && settings ? { type: 'send', prompt: value.prompt, settings } : undefined;
    }
    case 'stop':
      return isString(value.requestId, 100) ? { type: 'stop', requestId: value.requestId } : undefined;
    case 'copy':
    case 'insertAtCursor':
    case 'openAsDocument':
      return isString(value.text, LIMITS.textChars) ? { type: value.type, text: value.text } : undefined;
    case 'action':
      return typeof value.id === 'string' && (ACTION_IDS as readonly string[]).includes(value.id) ? { type: 'action', id: value.id as ProblemActionId } : undefined;
    case 'countTokens': {
      const { countId, prompt, model, system } = value;
      const valid = isString(countId, 100) && countId !== '' && isString(prompt, LIMITS.promptChars) && prompt.trim() !== '' && isModelId(model) && isString(system, LIMITS.systemChars);
      return valid ? { type: 'countTokens', countId, prompt, model, system } : undefined;
    }
    default:
      return undefined;
  }
}

/** Webview state is untrusted too (it comes back through the serializer). */
export function parsePanelState(value: unknown): PanelState | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const settings = parseSettings(value.settings);
  const statuses = ['idle', 'streaming', 'done', 'stopped', 'error'];
  if (!settings || !isString(value.prompt, LIMITS.promptChars) || !isString(value.answer, LIMITS.textChars) || typeof value.answerStatus !== 'string' || !statuses.includes(value.answerStatus)) {
    return undefined;
  }
  return { settings, prompt: value.prompt, answer: value.answer, answerStatus: value.answerStatus as PanelState['answerStatus'], metrics: isRecord(value.metrics) ? (value.metrics as unknown as AnswerMetrics) : undefined };
}

/**
 * The state as the webview may save it: text masked first. A key pasted into the panel's form must
 * not be kept by VS Code (webview state survives reloads).
 */
export function maskedPanelState(state: PanelState): PanelState {
  return {
    ...state,
    settings: { ...state.settings, system: maskSecretsInAnyForm(state.settings.system) },
    prompt: maskSecretsInAnyForm(state.prompt),
    answer: maskSecretsInAnyForm(state.answer),
  };
}
