import * as vscode from 'vscode';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ApiAttempt } from '../api/observedFetch';
import type { ApiProblem } from '../core/apiProblems';
import { formatUsd } from '../core/pricing';
import { retryWaitAfter } from '../core/retryWait';
import { COUNT_TOKENS_MAX_RETRIES, countScope, formatTokenCount, MAX_COUNT_CHARS } from '../core/tokenCount';
import type { Logger } from '../logging/logger';
import type { ModelCatalog } from '../prompt/modelCatalog';
import { configuredPromptSettings } from '../prompt/promptSettings';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { TokenCounter, TokenCountResult } from './tokenCounter';

export interface CountTokensOutcome {
  readonly outcome: 'counted' | 'cancelled' | 'noEditor' | 'empty' | 'tooLarge' | 'error';
  readonly source?: 'selection' | 'document';
  readonly model?: string;
  readonly inputTokens?: number;
  readonly costUsd?: number | null;
  readonly problem?: ApiProblem['kind'];
}

/**
 * Claude Keys: Count Tokens. Counts the selection (or the whole document when nothing is selected)
 * as a prompt to the configured default model, behind a cancellable progress, and says how many
 * input tokens that is and what sending it would cost. Sizes are checked before any text is read.
 */
export class CountTokensCommand {
  constructor(
    private readonly counter: TokenCounter,
    private readonly catalog: ModelCatalog,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<CountTokensOutcome> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void this.ui.showMessage('info', vscode.l10n.t('Open a file, or select text in one, to count its tokens.'), {});
      return { outcome: 'noEditor' };
    }
    const { document, selection } = editor;
    // Lengths from offsets: a huge document is refused without being copied into a string.
    const selectionChars = selection.isEmpty ? 0 : document.offsetAt(selection.end) - document.offsetAt(selection.start);
    const documentChars = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
    const scope = countScope(selectionChars, documentChars);
    const inSelection = scope.source === 'selection';
    if (!scope.ok && scope.reason === 'tooLarge') {
      const [chars, max] = [formatTokenCount(scope.chars), formatTokenCount(MAX_COUNT_CHARS)];
      const message = inSelection
        ? vscode.l10n.t('The selection is too large to count: {0} characters, at most {1}. Select a smaller part.', chars, max)
        : vscode.l10n.t('The document is too large to count: {0} characters, at most {1}. Select a part of it.', chars, max);
      void this.ui.showMessage('warning', message, {});
      return { outcome: 'tooLarge', source: scope.source };
    }
    const text = scope.ok ? document.getText(inSelection ? selection : undefined) : '';
    if (text.trim() === '') {
      void this.ui.showMessage('info', inSelection ? vscode.l10n.t('The selection is blank: there is nothing to count.') : vscode.l10n.t('The document is empty: there is nothing to count.'), {});
      return { outcome: 'empty', source: scope.source };
    }
    const result = await this.count(text);
    if (result === undefined || (!result.ok && result.problem.kind === 'aborted')) {
      return { outcome: 'cancelled', source: scope.source };
    }
    if (!result.ok) {
      const explanation = explainApiProblem(result.problem, vscode.l10n.t('Count Tokens'));
      this.logger.warn(`count tokens failed: ${result.problem.kind}`);
      void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
      return { outcome: 'error', source: scope.source, problem: result.problem.kind };
    }
    const cost = result.costUsd === null ? vscode.l10n.t('price unknown') : vscode.l10n.t('est. {0} for input', formatUsd(result.costUsd));
    const masked = result.masked ? ' ' + vscode.l10n.t('(Something key-shaped was masked before counting.)') : '';
    const [tokens, model] = [formatTokenCount(result.inputTokens), result.model];
    const counted = inSelection ? vscode.l10n.t('{0} input tokens in the selection with {1} · {2}', tokens, model, cost) : vscode.l10n.t('{0} input tokens in the document with {1} · {2}', tokens, model, cost);
    void this.ui.showMessage('info', counted + masked, {});
    return { outcome: 'counted', source: scope.source, model: result.model, inputTokens: result.inputTokens, costUsd: result.costUsd };
  }

  /** The model list and the count, behind one cancellable progress; undefined when cancelled first. */
  private count(text: string): Thenable<TokenCountResult | undefined> {
    return this.ui.withProgress(vscode.l10n.t('Counting tokens…'), true, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        // The model Quick Prompt would use: the configured default, matched to what the key can see.
        const { models } = await this.catalog.list();
        if (token.isCancellationRequested) {
          return undefined;
        }
        const { model } = configuredPromptSettings(models.map((m) => m.id));
        progress.report({ message: model });
        // Say what the SDK waits for when it retries a 429, 529 or 5xx, as Quick Prompt does.
        const onAttempt = (attempt: ApiAttempt): void => {
          const wait = token.isCancellationRequested ? undefined : retryWaitAfter(attempt, COUNT_TOKENS_MAX_RETRIES);
          if (wait) {
            const message =
              attempt.status === undefined
                ? vscode.l10n.t('no answer: waiting to retry (attempt {0} of {1}, {2} s)', wait.attempt, wait.of, wait.seconds)
                : vscode.l10n.t('{0}: waiting to retry (attempt {1} of {2}, {3} s)', attempt.status, wait.attempt, wait.of, wait.seconds);
            progress.report({ message });
          }
        };
        return await this.counter.count({ prompt: text, system: '', model }, controller.signal, onAttempt);
      } finally {
        subscription.dispose();
      }
    });
  }
}
