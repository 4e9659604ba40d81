import {
  LIMITS,
  parsePanelState,
  type AnswerMetrics,
  type HistoryEntry,
  type HostToWebview,
  type ModelOption,
  type PanelState,
  type ProblemActionId,
  type ProblemView,
  type PromptSettings,
  type RateLimitView,
  type StreamStatus,
} from '../shared/promptProtocol';

/**
 * The webview's own check of what the host posts: the host is trusted, but the panel must never
 * throw on odd data (an older or newer host, a bug). Anything unusable becomes `undefined` and is
 * ignored; optional parts that are malformed are dropped, not fatal.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, max = 10_000): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const ACTION_IDS: readonly ProblemActionId[] = ['setApiKey', 'rotateApiKey', 'openConsole', 'openLimits', 'openStatusPage', 'openSettings', 'openBilling', 'retry'];

export function isActionId(value: unknown): value is ProblemActionId {
  return typeof value === 'string' && (ACTION_IDS as readonly string[]).includes(value);
}

function models(value: unknown): ModelOption[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const out: ModelOption[] = [];
  for (const item of value.slice(0, 500)) {
    const id = isRecord(item) ? str(item.id, 200) : undefined;
    if (id) {
      out.push({ id, label: (isRecord(item) && str(item.label, 200)) || id });
    }
  }
  return out;
}

function history(value: unknown): HistoryEntry[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const out: HistoryEntry[] = [];
  for (const item of value.slice(0, 500)) {
    if (!isRecord(item)) {
      continue;
    }
    const id = str(item.id, 200);
    if (id === undefined) {
      continue;
    }
    out.push({
      id,
      at: str(item.at, 100) ?? '',
      model: str(item.model, 200) ?? '',
      prompt: str(item.prompt, LIMITS.promptChars) ?? '',
      system: str(item.system, LIMITS.systemChars) ?? '',
    });
  }
  return out;
}

/** Settings from the host, repaired field by field where possible (the form shows them). */
export function looseSettings(value: unknown, fallback?: PromptSettings): PromptSettings | undefined {
  if (!isRecord(value)) {
    return fallback;
  }
  const maxTokens = num(value.maxTokens);
  const temperature = num(value.temperature);
  const model = str(value.model, 200) ?? fallback?.model;
  if (model === undefined) {
    return fallback;
  }
  return {
    model,
    system: str(value.system, LIMITS.systemChars) ?? fallback?.system ?? '',
    maxTokens: maxTokens !== undefined && Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= LIMITS.maxTokens ? maxTokens : (fallback?.maxTokens ?? 1024),
    temperature: temperature !== undefined && temperature >= 0 && temperature <= 1 ? temperature : (fallback?.temperature ?? 1),
  };
}

function rateLimit(value: unknown): RateLimitView | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const summary = str(value.summary, 1_000);
  return summary === undefined ? undefined : { summary };
}

export function metrics(value: unknown): AnswerMetrics | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const usage = isRecord(value.usage) ? value.usage : undefined;
  const inputTokens = num(usage?.inputTokens);
  const outputTokens = num(usage?.outputTokens);
  return {
    usage: inputTokens !== undefined || outputTokens !== undefined ? { inputTokens: inputTokens ?? NaN, outputTokens: outputTokens ?? NaN } : undefined,
    timeToFirstTokenMs: num(value.timeToFirstTokenMs),
    totalMs: num(value.totalMs) ?? NaN,
    stopReason: str(value.stopReason, 100),
    rateLimit: rateLimit(value.rateLimit),
  };
}

export function problem(value: unknown): ProblemView {
  const record = isRecord(value) ? value : {};
  const actions = Array.isArray(record.actions)
    ? record.actions.flatMap((a: unknown) => (isRecord(a) && isActionId(a.id) ? [{ id: a.id, label: str(a.label, 200) || a.id }] : [])).slice(0, 6)
    : [];
  return {
    message: str(record.message, 5_000) || 'Something went wrong.',
    severity: record.severity === 'warning' ? 'warning' : 'error',
    actions,
  };
}

function count(value: unknown, max: number): number | undefined {
  const n = num(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

/** A status the panel can show, or undefined (the panel then keeps what it shows). */
export function streamStatus(value: unknown): StreamStatus | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  switch (value.kind) {
    case 'streaming':
      return { kind: 'streaming' };
    case 'retrying': {
      const attempt = count(value.attempt, 100);
      const of = count(value.of, 100);
      const seconds = count(value.seconds, 86_400);
      const status = count(value.status, 999);
      if (attempt === undefined || of === undefined || seconds === undefined || attempt > of) {
        return undefined;
      }
      return { kind: 'retrying', attempt, of, seconds, ...(status !== undefined ? { status } : {}) };
    }
    case 'noData': {
      const seconds = count(value.seconds, 86_400);
      return seconds === undefined ? undefined : { kind: 'noData', seconds };
    }
    default:
      return undefined;
  }
}

function keyState(value: unknown): 'set' | 'none' | undefined {
  return value === 'set' || value === 'none' ? value : undefined;
}

function modelsSource(value: unknown): 'api' | 'offline' {
  return value === 'offline' ? 'offline' : 'api';
}

/** A host message the panel can act on, or `undefined` (unknown type, unusable fields). */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return undefined;
  }
  const requestId = str(value.requestId, 200);
  switch (value.type) {
    case 'init': {
      const settings = looseSettings(value.settings);
      if (!settings) {
        return undefined;
      }
      const prefill = str(value.prefill, LIMITS.promptChars);
      return {
        type: 'init',
        models: models(value.models) ?? [],
        modelsSource: modelsSource(value.modelsSource),
        settings,
        history: history(value.history) ?? [],
        keyState: keyState(value.keyState) ?? 'set',
        ...(prefill !== undefined ? { prefill } : {}),
      };
    }
    case 'models': {
      const list = models(value.models);
      return list ? { type: 'models', models: list, modelsSource: modelsSource(value.modelsSource) } : undefined;
    }
    case 'keyState': {
      const state = keyState(value.keyState);
      return state ? { type: 'keyState', keyState: state } : undefined;
    }
    case 'prefill': {
      const prompt = str(value.prompt, LIMITS.promptChars);
      return prompt !== undefined ? { type: 'prefill', prompt } : undefined;
    }
    case 'streamStart':
      return requestId !== undefined ? { type: 'streamStart', requestId, model: str(value.model, 200) ?? '' } : undefined;
    case 'delta': {
      const text = str(value.text, LIMITS.textChars);
      return requestId !== undefined && text !== undefined ? { type: 'delta', requestId, text } : undefined;
    }
    case 'streamStatus': {
      const status = streamStatus(value.status);
      return requestId !== undefined && status ? { type: 'streamStatus', requestId, status } : undefined;
    }
    case 'streamEnd':
      return requestId !== undefined ? { type: 'streamEnd', requestId, stopped: value.stopped === true, metrics: metrics(value.metrics) ?? { totalMs: NaN } } : undefined;
    case 'streamError':
      return requestId !== undefined ? { type: 'streamError', requestId, problem: problem(value.problem), metrics: metrics(value.metrics) ?? { totalMs: NaN } } : undefined;
    case 'history': {
      const list = history(value.history);
      return list ? { type: 'history', history: list } : undefined;
    }
    case 'notice': {
      const message = str(value.message, 5_000);
      return message !== undefined ? { type: 'notice', message } : undefined;
    }
    case 'tokenCount': {
      const countId = str(value.countId, 100);
      const inputTokens = count(value.inputTokens, Number.MAX_SAFE_INTEGER);
      const costUsd = value.costUsd === null ? null : num(value.costUsd);
      if (countId === undefined || inputTokens === undefined || costUsd === undefined || (costUsd !== null && costUsd < 0)) {
        return undefined;
      }
      return { type: 'tokenCount', countId, model: str(value.model, 200) ?? '', inputTokens, costUsd };
    }
    case 'tokenCountError': {
      const countId = str(value.countId, 100);
      return countId !== undefined ? { type: 'tokenCountError', countId, problem: problem(value.problem) } : undefined;
    }
    default:
      return undefined;
  }
}

/** The panel's saved state: strictly valid (`parsePanelState`), or repaired field by field. */
export function restoreState(value: unknown): PanelState | undefined {
  const strict = parsePanelState(value);
  if (strict) {
    return { ...strict, metrics: metrics(strict.metrics) };
  }
  if (!isRecord(value)) {
    return undefined;
  }
  const settings = looseSettings(value.settings, { model: '', system: '', maxTokens: 1024, temperature: 1 });
  const statuses: ReadonlyArray<PanelState['answerStatus']> = ['idle', 'streaming', 'done', 'stopped', 'error'];
  const status = statuses.find((s) => s === value.answerStatus) ?? 'idle';
  return {
    settings: settings ?? { model: '', system: '', maxTokens: 1024, temperature: 1 },
    prompt: str(value.prompt, LIMITS.promptChars) ?? '',
    answer: str(value.answer, LIMITS.textChars) ?? '',
    answerStatus: status,
    metrics: metrics(value.metrics),
  };
}
