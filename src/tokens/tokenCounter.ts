import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import type { AttemptObserver } from '../api/observedFetch';
import { Settings } from '../constants';
import type { ApiProblem } from '../core/apiProblems';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import { parsePriceOverrides } from '../core/pricing';
import { inputCostUsd } from '../core/tokenCount';

export interface TokenCountRequest {
  readonly prompt: string;
  /** Empty = no system prompt. */
  readonly system: string;
  readonly model: string;
}

export type TokenCountResult =
  | {
      readonly ok: true;
      readonly model: string;
      readonly inputTokens: number;
      /** What sending this input would cost; null = price unknown. */
      readonly costUsd: number | null;
      /** Something key-shaped was masked before counting (the count is of the masked text). */
      readonly masked: boolean;
    }
  | { readonly ok: false; readonly problem: ApiProblem };

/**
 * Counts input tokens as a prompt would send them (POST /v1/messages/count_tokens through the SDK),
 * for the panel's Count tokens button and the Count Tokens command. Keys are masked first, exactly
 * as PromptRunner masks them: the count is of what Send would send, and no key leaves the host.
 */
export class TokenCounter {
  constructor(private readonly client: ClaudeClient) {}

  async count(request: TokenCountRequest, signal?: AbortSignal, onAttempt?: AttemptObserver): Promise<TokenCountResult> {
    const prompt = maskSecretsInAnyForm(request.prompt);
    const system = maskSecretsInAnyForm(request.system);
    const result = await this.client.countTokens(
      {
        model: request.model,
        ...(system.trim() ? { system } : {}),
        messages: [{ role: 'user', content: prompt }],
      },
      signal,
      onAttempt,
    );
    if (!result.ok) {
      return result;
    }
    const inputTokens = result.value.input_tokens;
    const overrides = parsePriceOverrides(vscode.workspace.getConfiguration(Settings.section).get(Settings.usagePricing));
    return { ok: true, model: request.model, inputTokens, costUsd: inputCostUsd(inputTokens, request.model, overrides), masked: prompt !== request.prompt || system !== request.system };
  }
}
