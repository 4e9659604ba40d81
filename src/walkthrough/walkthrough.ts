import * as vscode from 'vscode';
import { Commands, ContextKeys, EXTENSION_ID, OPEN_WALKTHROUGH_ON_INSTALL_SETTING, StateKeys, WALKTHROUGH_ID } from '../constants';
import { preCommitHookDocument } from '../core/preCommitHook';
import type { StatusBarSnapshot, StatusBarState } from '../keys/keyStatusBar';
import type { Logger } from '../logging/logger';
import type { FinishedPrompt } from '../prompt/lazyPromptPanel';

/** Why the first-run check did or did not open the walkthrough. */
export type FirstRunOutcome = 'opened' | 'alreadyOffered' | 'turnedOff' | 'hasKey' | 'keyUnknown';

/**
 * The "Get Started with Claude Keys" walkthrough: the context keys its steps tick off on, the
 * commands its buttons run that no other feature owns, and opening it once on first run.
 */
export class Walkthrough implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private firstRun: Promise<FirstRunOutcome> | undefined;
  private readonly context = new Map<string, boolean>();

  constructor(
    private readonly state: vscode.Memento,
    onStatusBarRefresh: vscode.Event<StatusBarSnapshot>,
    onDidFinishPrompt: vscode.Event<FinishedPrompt>,
    private readonly logger: Logger,
  ) {
    this.subscriptions = [
      onStatusBarRefresh(({ state }) => this.keyStateChanged(state)),
      onDidFinishPrompt(({ result }) => {
        if (result.outcome === 'done') {
          this.setContext(ContextKeys.promptAnswered, true);
        }
      }),
    ];
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.openWalkthrough, () => this.open()),
      vscode.commands.registerCommand(Commands.showPreCommitHook, () => this.showPreCommitHook()),
    ];
  }

  /** Settles with what the first-run check decided, once the key's state is first known. */
  firstRunOutcome(): Promise<FirstRunOutcome> | undefined {
    return this.firstRun;
  }

  /**
   * Opens the walkthrough the first time the extension runs for this user, never again: VS Code
   * opens walkthroughs itself only for installs from the Extensions view, not for
   * `--install-extension`, a synced install or a profile. A user who already has a key (an update
   * from a version without the walkthrough) is not interrupted.
   */
  async openOnFirstRun(keyState: StatusBarState): Promise<FirstRunOutcome> {
    if (this.state.get<boolean>(StateKeys.walkthroughOffered)) {
      return 'alreadyOffered';
    }
    if (keyState === 'loading' || keyState === 'unavailable') {
      return 'keyUnknown';
    }
    // Remember before opening: a second window starting at the same time sees it at once.
    await this.state.update(StateKeys.walkthroughOffered, true);
    if (!vscode.workspace.getConfiguration().get<boolean>(OPEN_WALKTHROUGH_ON_INSTALL_SETTING, true)) {
      return 'turnedOff';
    }
    if (keyState !== 'none') {
      return 'hasKey';
    }
    await this.open();
    this.logger.info('opened the Get Started walkthrough (first run)');
    return 'opened';
  }

  async open(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH_ID}`, false);
  }

  /** Shows the README's hook in an untitled editor: nothing is written until the user saves it. */
  async showPreCommitHook(): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument({ language: 'shellscript', content: preCommitHookDocument() });
    return vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  private keyStateChanged(state: StatusBarState): void {
    if (state === 'loading' || state === 'unavailable') {
      return;
    }
    this.setContext(ContextKeys.hasKey, state !== 'none');
    this.setContext(ContextKeys.keyValid, state === 'valid');
    this.firstRun ??= this.openOnFirstRun(state).catch((error: unknown) => {
      this.logger.error('could not open the walkthrough', error);
      return 'keyUnknown' as const;
    });
  }

  private setContext(key: string, value: boolean): void {
    if (this.context.get(key) === value) {
      return;
    }
    this.context.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}
