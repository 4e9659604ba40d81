import * as vscode from 'vscode';
import { Settings } from '../constants';
import { detectCredentials } from '../core/detector';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import type { Logger } from '../logging/logger';
import type { AnswerMetrics, PromptSettings, StreamStatus } from '../shared/promptProtocol';
import { showWithActions, type Interaction } from '../ui/interaction';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ModelCatalog } from './modelCatalog';
import { configuredPromptSettings } from './promptSettings';
import type { PromptPanelController } from './promptPanel';
import type { PromptResult, PromptRunner } from './promptRunner';

/** Document edits are batched: one edit per interval, not one per token. */
const DOCUMENT_FLUSH_MS = 100;

export interface QuickPromptOutcome {
  readonly outcome: 'cancelled' | 'panel' | PromptResult['outcome'];
  readonly document?: vscode.Uri;
}

/** Command-palette prompts: Quick Prompt (into a Markdown document or the panel) and Send Selection. */
export class PromptCommands {
  constructor(
    private readonly panel: Pick<PromptPanelController, 'show'>,
    private readonly runner: PromptRunner,
    private readonly catalog: ModelCatalog,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async quickPrompt(): Promise<QuickPromptOutcome> {
    const prompt = await this.ui.showInputBox({
      title: vscode.l10n.t('Claude Keys: Quick Prompt'),
      prompt: vscode.l10n.t('Ask Claude. The answer streams into a new Markdown document.'),
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() === '' ? vscode.l10n.t('Type a prompt.') : undefined),
    });
    if (prompt === undefined || prompt.trim() === '') {
      return { outcome: 'cancelled' };
    }
    if (vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.promptQuickPromptTarget, 'document') === 'panel') {
      this.panel.show({ prefill: prompt, send: true });
      return { outcome: 'panel' };
    }
    return this.answerIntoDocument(prompt);
  }

  /** The selection (with an optional instruction) as a prompt, answered in the panel. */
  async sendSelection(): Promise<QuickPromptOutcome> {
    const editor = vscode.window.activeTextEditor;
    const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
    if (!editor || selection === undefined) {
      void this.ui.showMessage('info', vscode.l10n.t('Select some text first.'), {});
      return { outcome: 'cancelled' };
    }
    const keys = detectCredentials(selection, { honourIgnoreMarkers: false });
    if (keys.length > 0) {
      // Keys are masked before anything is sent or shown (PromptRunner, the panel): say so first.
      const send = vscode.l10n.t('Send Masked');
      const answer = await this.ui.showMessage(
        'warning',
        vscode.l10n.t('The selection contains a Claude credential ({0}). It is sent masked, as {0}: Claude never sees the key. Send the selection?', keys[0].masked),
        { modal: true },
        send,
      );
      if (answer !== send) {
        return { outcome: 'cancelled' };
      }
    }
    const instruction = await this.ui.showInputBox({
      title: vscode.l10n.t('Claude Keys: Send Selection as Prompt'),
      prompt: vscode.l10n.t('Optional: what should Claude do with the selection? (Enter to send it as it is)'),
      placeHolder: vscode.l10n.t('e.g. Explain this code'),
      ignoreFocusOut: true,
    });
    if (instruction === undefined) {
      return { outcome: 'cancelled' };
    }
    const fence = selection.includes('```') ? '~~~~' : '```';
    const body = `${fence}${editor.document.languageId}\n${selection}\n${fence}`;
    const prompt = instruction.trim() ? `${instruction.trim()}\n\n${body}` : body;
    this.panel.show({ prefill: prompt, send: true });
    return { outcome: 'panel' };
  }

  private async answerIntoDocument(prompt: string): Promise<QuickPromptOutcome> {
    const settings = await this.settings();
    // The document shows what Claude is sent: the runner masks keys, so the heading does too.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `**${vscode.l10n.t('Prompt')}** (${settings.model}): ${maskSecretsInAnyForm(prompt)}\n\n---\n\n` });
    await vscode.window.showTextDocument(document, { preview: false });
    let buffer = '';
    let writing: Promise<unknown> = Promise.resolve();
    const flush = (): void => {
      const text = buffer;
      buffer = '';
      if (text) {
        // Edits are chained so they land in order, each at the document's end at that moment.
        writing = writing.then(() => append(document, text));
      }
    };
    const timer = setInterval(flush, DOCUMENT_FLUSH_MS);
    let result: PromptResult;
    try {
      result = await Promise.resolve(
        this.ui.withProgress(vscode.l10n.t('Claude is answering…'), true, async (progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => controller.abort());
          try {
            // The notification says what the panel says: retry waits and silence, not just "answering".
            return await this.runner.run({ prompt, settings }, (delta) => (buffer += delta), controller.signal, (status) => progress.report({ message: streamStatusText(status) }));
          } finally {
            subscription.dispose();
          }
        }),
      );
    } finally {
      // A timer left running would keep editing the document forever.
      clearInterval(timer);
      flush();
      await writing;
    }
    await append(document, `\n\n---\n${footer(settings.model, result)}\n`);
    if (result.outcome === 'error' && result.problem) {
      const explanation = explainApiProblem(result.problem, vscode.l10n.t('Quick Prompt'));
      this.logger.warn(`quick prompt failed: ${result.problem.kind}`);
      void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
    }
    return { outcome: result.outcome, document: document.uri };
  }

  private async settings(): Promise<PromptSettings> {
    const { models } = await this.catalog.list();
    return configuredPromptSettings(models.map((m) => m.id));
  }
}

function streamStatusText(status: StreamStatus): string {
  switch (status.kind) {
    case 'streaming':
      return '';
    case 'retrying':
      return vscode.l10n.t('waiting to retry (attempt {0} of {1}, {2} s)', status.attempt, status.of, status.seconds);
    case 'noData':
      return vscode.l10n.t('no data for {0} s…', status.seconds);
  }
}

async function append(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, text);
  await vscode.workspace.applyEdit(edit);
}

function footer(model: string, result: PromptResult): string {
  const m: AnswerMetrics = result.metrics;
  const parts = [model];
  if (m.usage) {
    parts.push(vscode.l10n.t('{0} in / {1} out tokens', m.usage.inputTokens, m.usage.outputTokens));
  }
  if (m.timeToFirstTokenMs !== undefined) {
    parts.push(vscode.l10n.t('first token {0} ms', m.timeToFirstTokenMs));
  }
  parts.push(vscode.l10n.t('total {0} ms', m.totalMs));
  if (result.outcome === 'stopped') {
    parts.push(vscode.l10n.t('stopped'));
  } else if (m.stopReason) {
    parts.push(vscode.l10n.t('stop reason {0}', m.stopReason));
  }
  if (result.outcome === 'error') {
    parts.push(vscode.l10n.t('failed: {0}', result.problem?.kind ?? 'error'));
  }
  if (m.rateLimit?.summary) {
    parts.push(m.rateLimit.summary);
  }
  return `_${parts.join(' · ')}_`;
}
