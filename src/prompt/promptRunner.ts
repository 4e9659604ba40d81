import { isCallNotAdmitted } from '../api/callObserver';
import type { ClaudeClient } from '../api/claudeClient';
import { classifyApiFailure, type ApiProblem } from '../core/apiProblems';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import { parseRateLimits, summarizeRateLimits } from '../core/rateLimits';
import { StreamMasker } from '../core/streamMask';
import type { AnswerMetrics, PromptSettings, RateLimitView, StreamStatus } from '../shared/promptProtocol';
import { StreamWatch } from './streamWatch';

/** Retries the SDK makes for a prompt (429, 529, 5xx, dropped connections). */
const MAX_RETRIES = 2;

export interface PromptRequest {
  readonly prompt: string;
  readonly settings: PromptSettings;
}

export interface PromptResult {
  readonly outcome: 'done' | 'stopped' | 'error';
  readonly text: string;
  readonly metrics: AnswerMetrics;
  readonly problem?: ApiProblem;
}

/**
 * One streamed prompt through the official SDK (which owns HTTP, SSE parsing and retries), with
 * the user's Stop (AbortController) and a watchdog for a stream that stalls. Every prompt goes
 * through here, so this is where keys are masked: in what is sent and in the answer.
 */
export class PromptRunner {
  /** A stream with no event for this long is aborted as a time-out. */
  idleTimeoutMs = 60_000;
  /** After this long without data the panel says "No data for N s…". */
  stallNoticeMs = 10_000;

  constructor(private readonly client: ClaudeClient) {}

  /** `onStatus` hears what a pending answer is doing when it is not simply streaming (retry waits, silence). */
  async run(request: PromptRequest, onText: (delta: string) => void, signal: AbortSignal, onStatus: (status: StreamStatus) => void = () => undefined): Promise<PromptResult> {
    const started = performance.now();
    let firstToken: number | undefined;
    let text = '';
    let stalled = false;
    let headers: () => Headers | undefined = () => undefined;
    // The answer is shown, kept and copied: anything key-shaped in it is masked on the way.
    const masker = new StreamMasker();
    const emit = (safe: string): void => {
      if (safe) {
        text += safe;
        onText(safe);
      }
    };
    const metrics = (extra: Partial<AnswerMetrics> = {}): AnswerMetrics => ({
      timeToFirstTokenMs: firstToken === undefined ? undefined : Math.round(firstToken - started),
      totalMs: Math.round(performance.now() - started),
      rateLimit: rateLimitView(headers()),
      ...extra,
    });
    const endpoint = this.client.endpoint();
    if (!endpoint.ok) {
      return { outcome: 'error', text, metrics: metrics(), problem: { kind: 'badBaseUrl', reason: endpoint.reason } };
    }
    const { settings } = request;
    let watchdog: NodeJS.Timeout | undefined;
    let arm = (): void => undefined;
    const watch = new StreamWatch(onStatus, this.stallNoticeMs, MAX_RETRIES, () => signal.aborted || stalled);
    const onAttempt = (attempt: Parameters<StreamWatch['attempt']>[0]): void => {
      watch.attempt(attempt);
      // The SDK's wait before a retry is not a stall: the watchdog restarts with the next attempt.
      if (watch.waitingToRetry) {
        clearTimeout(watchdog);
      } else if (attempt.phase === 'sent') {
        arm();
      }
    };
    try {
      // Built inside the try: the SDK client can throw (the setting changed since endpoint()).
      const stream = await this.client.streamMessage(
        {
          model: settings.model,
          max_tokens: settings.maxTokens,
          temperature: settings.temperature,
          ...(settings.system.trim() ? { system: maskSecretsInAnyForm(settings.system) } : {}),
          messages: [{ role: 'user', content: maskSecretsInAnyForm(request.prompt) }],
        },
        { signal, maxRetries: MAX_RETRIES, onAttempt },
      );
      headers = () => stream.response?.headers;
      arm = (): void => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          stalled = true;
          stream.abort();
        }, this.idleTimeoutMs);
      };
      arm();
      stream.on('streamEvent', () => {
        arm();
        watch.data();
      });
      stream.on('text', (delta) => {
        if (firstToken === undefined) {
          firstToken = performance.now();
        }
        emit(masker.push(delta));
      });
      const message = await stream.finalMessage();
      emit(masker.end());
      return {
        outcome: 'done',
        text,
        metrics: metrics({
          usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
          stopReason: message.stop_reason ?? undefined,
        }),
      };
    } catch (error) {
      emit(masker.end());
      if (stalled) {
        return { outcome: 'error', text, metrics: metrics(), problem: { kind: 'timeout', host: endpoint.host } };
      }
      if (signal.aborted || isCallNotAdmitted(error)) {
        return { outcome: 'stopped', text, metrics: metrics({ stopReason: 'stopped by you' }) };
      }
      const errorHeaders = (error as { headers?: Headers }).headers;
      return {
        outcome: 'error',
        text,
        metrics: { ...metrics(), rateLimit: rateLimitView(errorHeaders) ?? metrics().rateLimit },
        problem: classifyApiFailure(this.client.failureFacts(error, endpoint.host)),
      };
    } finally {
      clearTimeout(watchdog);
      watch.dispose();
    }
  }
}

function rateLimitView(headers: Headers | undefined): RateLimitView | undefined {
  if (!headers) {
    return undefined;
  }
  const limits = parseRateLimits((name) => headers.get(name));
  if (!limits) {
    return undefined;
  }
  return {
    summary: summarizeRateLimits(limits),
    requestsRemaining: limits.requests.remaining,
    requestsLimit: limits.requests.limit,
    tokensRemaining: limits.tokens.remaining ?? limits.inputTokens.remaining,
    tokensLimit: limits.tokens.limit ?? limits.inputTokens.limit,
    resetsAt: limits.requests.reset ?? limits.tokens.reset,
  };
}
