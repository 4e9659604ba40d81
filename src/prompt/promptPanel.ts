import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { PROMPT_PANEL_VIEW_TYPE } from '../constants';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import {
  parsePanelState,
  parseWebviewMessage,
  type HostToWebview,
  type PromptSettings,
  type WebviewToHost,
} from '../shared/promptProtocol';
import { panelTokenCount } from '../tokens/panelTokenCount';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { Interaction } from '../ui/interaction';
import { PanelSlot, webviewOptions, type WebviewPage } from '../ui/webviewPage';
import type { ModelCatalog } from './modelCatalog';
import { forgetSavedSystemPrompt, panelPromptSettings, savePanelChoices } from './promptSettings';
import type { PromptHistory } from './promptHistory';
import type { PromptResult, PromptRunner } from './promptRunner';
import { problemView, resolveProblemAction } from './problemView';

/** The panel's page (esbuild.js webview). */
const PAGE: WebviewPage = { script: 'webview.js', style: 'webview.css', title: 'Claude Prompt' };

/** Deltas are posted in batches: one message per ~frame instead of one per token. */
const FLUSH_MS = 16;

export interface FinishedPrompt {
  readonly requestId: string;
  readonly result: PromptResult;
}

/** The "Claude Prompt" webview panel: one per window, restored after reloads by a serializer. */
export class PromptPanelController implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly page: PanelSlot;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly running = new Map<string, AbortController>();
  private pending: { prefill?: string; send?: boolean } | undefined;
  private lastRequest: { prompt: string; settings: PromptSettings } | undefined;
  private lastEditor: vscode.TextEditor | undefined;
  private readonly finishedEmitter = new vscode.EventEmitter<FinishedPrompt>();
  /** Fires when a prompt ends (done, stopped or failed). */
  readonly onDidFinish = this.finishedEmitter.event;
  /** Test hook: sees every message posted to the webview. */
  tap: ((message: HostToWebview) => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runner: PromptRunner,
    private readonly catalog: ModelCatalog,
    private readonly history: PromptHistory,
    private readonly store: KeyStore,
    private readonly state: vscode.Memento,
    private readonly ui: Interaction,
    private readonly logger: Logger,
    private readonly counter: TokenCounter,
  ) {
    this.page = new PanelSlot(extensionUri, PAGE, {
      receive: (raw) => void this.receive(raw),
      detached: () => this.abortAll(),
    });
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) {
          this.lastEditor = editor;
        }
      }),
      // The catalog itself is invalidated by LazyPromptPanel, which exists before this controller.
      store.onDidChange(() => void this.postKeyState()),
    );
    this.lastEditor = vscode.window.activeTextEditor;
  }

  /**
   * Opens (or reveals) the panel; optionally fills in a prompt and sends it. The prompt is masked
   * first: the webview never receives a key, and what it shows is exactly what is sent.
   */
  show(request: { prefill?: string; send?: boolean } = {}): vscode.WebviewPanel {
    const options = request.prefill === undefined ? request : { ...request, prefill: maskSecretsInAnyForm(request.prefill) };
    const open = this.page.panel;
    if (open) {
      open.reveal(vscode.ViewColumn.Beside);
      if (options.prefill !== undefined) {
        if (this.page.ready) {
          void this.prefill(options.prefill, options.send === true);
        } else {
          this.pending = options;
        }
      }
      return open;
    }
    const panel = vscode.window.createWebviewPanel(PROMPT_PANEL_VIEW_TYPE, vscode.l10n.t('Claude Prompt'), vscode.ViewColumn.Beside, webviewOptions(this.extensionUri));
    this.pending = options;
    this.page.attach(panel);
    return panel;
  }

  /** Restores a panel after a reload; its state came back from the webview and is validated first. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parsePanelState(state);
    this.logger.info(`prompt panel restored${restored ? '' : ' (no usable state)'}`);
    panel.webview.options = webviewOptions(this.extensionUri);
    this.page.attach(panel);
  }

  /** Handles a message as if the webview had sent it (validated like any other). */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.logger.warn(`prompt panel: dropped an invalid message (${describe(raw)})`);
      return;
    }
    await this.handle(message);
  }

  get isOpen(): boolean {
    return this.page.panel !== undefined;
  }

  dispose(): void {
    this.page.dispose();
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.finishedEmitter.dispose();
  }

  /** The panel went: the prompts it started stop with it. */
  private abortAll(): void {
    for (const controller of this.running.values()) {
      controller.abort();
    }
    this.running.clear();
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.onReady();
        return;
      case 'send':
        await this.send(message.prompt, message.settings);
        return;
      case 'stop':
        this.running.get(message.requestId)?.abort();
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        this.post({ type: 'notice', message: vscode.l10n.t('Copied.') });
        return;
      case 'insertAtCursor':
        await this.insertAtCursor(message.text);
        return;
      case 'openAsDocument': {
        const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: message.text });
        await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
        return;
      }
      case 'action':
        await this.runAction(message.id);
        return;
      case 'clearHistory':
        await this.history.clear();
        await forgetSavedSystemPrompt(this.state);
        this.post({ type: 'history', history: [] });
        return;
      case 'countTokens':
        for (const reply of await panelTokenCount(this.counter, message, this.logger)) {
          this.post(reply);
        }
        return;
    }
  }

  private async onReady(): Promise<void> {
    this.page.ready = true;
    const [models, keyState] = await Promise.all([this.catalog.list(), this.keyState()]);
    const pending = this.pending;
    this.pending = undefined;
    this.post({
      type: 'init',
      models: models.models,
      modelsSource: models.source,
      settings: this.settings(models.models.map((m) => m.id)),
      history: this.history.entries(),
      keyState,
      ...(pending?.prefill !== undefined ? { prefill: pending.prefill } : {}),
    });
    if (pending?.prefill !== undefined && pending.send) {
      await this.send(pending.prefill, this.settings(models.models.map((m) => m.id)));
    }
  }

  private async prefill(prompt: string, send: boolean): Promise<void> {
    this.post({ type: 'prefill', prompt });
    if (send) {
      const models = await this.catalog.list();
      await this.send(prompt, this.settings(models.models.map((m) => m.id)));
    }
  }

  /** Streams one answer into the panel. A second send while one runs is ignored. */
  private async send(prompt: string, settings: PromptSettings): Promise<void> {
    if (this.running.size > 0) {
      return;
    }
    const requestId = randomUUID();
    const controller = new AbortController();
    this.running.set(requestId, controller);
    let buffer = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      if (buffer) {
        this.post({ type: 'delta', requestId, text: buffer });
        buffer = '';
      }
    };
    let result: PromptResult;
    // Whatever happens, the request ends here: a leftover `running` entry would ignore every later Send.
    try {
      this.lastRequest = { prompt, settings };
      await savePanelChoices(this.state, settings);
      this.post({ type: 'history', history: await this.history.add(prompt, settings) });
      this.post({ type: 'streamStart', requestId, model: settings.model });
      this.noteMasking(prompt, settings);
      let first = true;
      result = await this.runner.run(
        { prompt, settings },
        (delta) => {
          buffer += delta;
          if (first) {
            first = false;
            flush();
          } else if (!timer) {
            timer = setTimeout(flush, FLUSH_MS);
          }
        },
        controller.signal,
        (status) => this.post({ type: 'streamStatus', requestId, status }),
      );
    } catch (error) {
      this.logger.error('prompt failed unexpectedly', error);
      result = { outcome: 'error', text: '', metrics: { totalMs: 0 }, problem: { kind: 'unknown' } };
    } finally {
      clearTimeout(timer);
      flush();
      this.running.delete(requestId);
    }
    if (result.outcome === 'error' && result.problem) {
      this.logger.warn(`prompt failed: ${result.problem.kind}`);
      this.post({ type: 'streamError', requestId, problem: problemView(result.problem, vscode.l10n.t('Sending the prompt')), metrics: result.metrics });
    } else {
      this.post({ type: 'streamEnd', requestId, stopped: result.outcome === 'stopped', metrics: result.metrics });
    }
    this.finishedEmitter.fire({ requestId, result });
  }

  /** The runner masks keys in what it sends; the panel shows the masked prompt and says so. */
  private noteMasking(prompt: string, settings: PromptSettings): void {
    const masked = maskSecretsInAnyForm(prompt);
    const promptChanged = masked !== prompt;
    if (!promptChanged && maskSecretsInAnyForm(settings.system) === settings.system) {
      return;
    }
    if (promptChanged) {
      this.post({ type: 'prefill', prompt: masked });
    }
    this.post({ type: 'notice', message: vscode.l10n.t('Something key-shaped in the prompt was masked before sending: Claude sees only its masked form.') });
  }

  private async runAction(id: Parameters<typeof resolveProblemAction>[0]): Promise<void> {
    if (id === 'retry') {
      if (this.lastRequest) {
        await this.send(this.lastRequest.prompt, this.lastRequest.settings);
      }
      return;
    }
    const action = resolveProblemAction(id);
    if (action.url) {
      await this.ui.openExternal(action.url);
    } else if (action.command) {
      await vscode.commands.executeCommand(action.command);
    }
  }

  private async insertAtCursor(text: string): Promise<void> {
    const editor = this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : vscode.window.visibleTextEditors[0];
    if (!editor) {
      void this.ui.showMessage('info', vscode.l10n.t('Open a file to insert the answer into, or use "Open as Document".'), {});
      return;
    }
    await editor.edit((edit) => {
      for (const selection of editor.selections) {
        edit.replace(selection, text);
      }
    });
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }

  private settings(available: readonly string[]): PromptSettings {
    return panelPromptSettings(this.state, available);
  }

  private async keyState(): Promise<'set' | 'none'> {
    try {
      return (await this.store.getApiKey()) ? 'set' : 'none';
    } catch {
      return 'none';
    }
  }

  private async postKeyState(): Promise<void> {
    if (!this.page.panel || !this.page.ready) {
      return;
    }
    this.post({ type: 'keyState', keyState: await this.keyState() });
    const models = await this.catalog.list();
    this.post({ type: 'models', models: models.models, modelsSource: models.source });
  }

  private post(message: HostToWebview): void {
    this.tap?.(message);
    void this.page.panel?.webview.postMessage(message);
  }
}

/** A dropped message is logged by shape only: it may hold anything. */
function describe(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string') {
    return `type "${String((raw as { type: string }).type).slice(0, 40)}"`;
  }
  return typeof raw;
}
