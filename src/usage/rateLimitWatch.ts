import * as vscode from 'vscode';
import { maskKey } from '../core/mask';
import { lowRateLimits, parseRateLimits, summarizeRateLimits, type LowRateLimit, type RateLimits } from '../core/rateLimits';
import type { Interaction } from '../ui/interaction';

/**
 * Token counting has rate limits of its own, apart from messages: a count's headers describe those,
 * never the key's message limits.
 */
export type RateLimitFamily = 'messages' | 'countTokens';

export interface KeyRateLimits {
  readonly limits: RateLimits;
  readonly at: Date;
}

/**
 * The latest rate-limit headers per key (by masked hint: the key itself is not kept) and family, and
 * a quiet note, once per window and reset, when a window falls under 10 % of its limit.
 */
export class RateLimitWatch implements vscode.Disposable {
  private readonly latest = new Map<string, KeyRateLimits>();
  private readonly said = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ui: Interaction) {}

  /** A 429's own explanation says more than "almost reached": the note is for answers that worked. */
  observe(key: string | undefined, headers: Headers, status: number, family: RateLimitFamily = 'messages', now = new Date()): void {
    const limits = parseRateLimits((name) => headers.get(name));
    if (!limits || !key) {
      return;
    }
    const hint = maskKey(key);
    this.latest.set(`${family} ${hint}`, { limits, at: now });
    this.changed.fire();
    for (const low of status < 300 ? lowRateLimits(limits) : []) {
      const id = `${family} ${hint} ${low.kind} ${low.reset ?? ''}`;
      if (!this.said.has(id)) {
        this.said.add(id);
        void this.ui.showMessage('warning', lowMessage(family, hint, low), {});
      }
    }
  }

  forKey(key: string, family: RateLimitFamily = 'messages'): KeyRateLimits | undefined {
    return this.latest.get(`${family} ${maskKey(key)}`);
  }

  /** "requests 49/50 · tokens 38k/40k · resets 12:01:30 UTC" for a key's messages, if any response was seen. */
  summary(key: string): string | undefined {
    const entry = this.forKey(key);
    return entry ? summarizeRateLimits(entry.limits) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const KIND_WORDS: Record<LowRateLimit['kind'], string> = {
  requests: 'requests',
  tokens: 'tokens',
  inputTokens: 'input tokens',
  outputTokens: 'output tokens',
};

function lowMessage(family: RateLimitFamily, hint: string, low: LowRateLimit): string {
  const resets = low.reset ? vscode.l10n.t(' It resets at {0} UTC.', new Date(low.reset).toISOString().slice(11, 19)) : '';
  return family === 'countTokens'
    ? vscode.l10n.t('Token counting rate limit almost reached for {0}: {1} of {2} {3} left this minute.{4}', hint, low.remaining, low.limit, KIND_WORDS[low.kind], resets)
    : vscode.l10n.t('Rate limit almost reached for {0}: {1} of {2} {3} left this minute.{4}', hint, low.remaining, low.limit, KIND_WORDS[low.kind], resets);
}
