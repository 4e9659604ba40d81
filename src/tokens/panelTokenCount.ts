import * as vscode from 'vscode';
import type { Logger } from '../logging/logger';
import { problemView } from '../prompt/problemView';
import type { HostToWebview, WebviewToHost } from '../shared/promptProtocol';
import type { TokenCounter } from './tokenCounter';

/**
 * The prompt panel's Count tokens button, host side: counts what the form held and returns what to
 * post back (the count, or the problem with its next steps; a notice when a key was masked first).
 */
export async function panelTokenCount(counter: TokenCounter, message: Extract<WebviewToHost, { type: 'countTokens' }>, logger: Logger): Promise<HostToWebview[]> {
  const { countId } = message;
  let result: Awaited<ReturnType<TokenCounter['count']>>;
  try {
    result = await counter.count({ prompt: message.prompt, system: message.system, model: message.model });
  } catch (error) {
    logger.error('token count failed unexpectedly', error);
    result = { ok: false, problem: { kind: 'unknown' } };
  }
  if (!result.ok) {
    logger.warn(`token count failed: ${result.problem.kind}`);
    return [{ type: 'tokenCountError', countId, problem: problemView(result.problem, vscode.l10n.t('Counting tokens')) }];
  }
  const replies: HostToWebview[] = [{ type: 'tokenCount', countId, model: result.model, inputTokens: result.inputTokens, costUsd: result.costUsd }];
  if (result.masked) {
    replies.push({ type: 'notice', message: vscode.l10n.t('Something key-shaped in the prompt was masked before counting: the count is of its masked form.') });
  }
  return replies;
}
