import * as vscode from 'vscode';
import { PROMPT_PANEL_VIEW_TYPE } from '../constants';
import { Lazy } from '../core/lazy';
import type * as Panel from './promptPanel';

type PanelModule = typeof Panel;
export type PromptPanelController = Panel.PromptPanelController;
export type PromptPanelDeps = ConstructorParameters<PanelModule['PromptPanelController']>;
export type FinishedPrompt = Panel.FinishedPrompt;

/**
 * The prompt panel as activation sees it: the serializer that restores a panel after a reload, and
 * show(). The controller (and the protocol, history and view code it brings) is loaded the first
 * time a panel is shown or restored. Bundled, the require() below reads dist/promptPanel.js
 * (esbuild.js, lazyChunks); unbundled, ./promptPanel itself.
 */
export class LazyPromptPanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly controller: Lazy<PromptPanelController>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly finished = new vscode.EventEmitter<FinishedPrompt>();
  /** Fires when a prompt in the panel ends; subscribable before the panel's code is loaded. */
  readonly onDidFinish = this.finished.event;

  constructor(...deps: PromptPanelDeps) {
    this.controller = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the panel back into activation
      const { PromptPanelController } = require('./promptPanel') as PanelModule;
      const controller = new PromptPanelController(...deps);
      this.subscriptions.push(controller.onDidFinish((e) => this.finished.fire(e)));
      return controller;
    });
    this.subscriptions = [this.finished];
  }

  register(): vscode.Disposable[] {
    return [vscode.window.registerWebviewPanelSerializer(PROMPT_PANEL_VIEW_TYPE, this)];
  }

  /** Opens (or reveals) the panel, loading it first if needed. */
  show(...request: Parameters<PromptPanelController['show']>): vscode.WebviewPanel {
    return this.controller.value.show(...request);
  }

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    return this.controller.value.deserializeWebviewPanel(panel, state);
  }

  /** The controller itself (loading it): for the test API. */
  get loaded(): PromptPanelController {
    return this.controller.value;
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
    if (this.controller.isMade) {
      this.controller.value.dispose();
    }
  }
}
