import * as vscode from 'vscode';
import { Commands, STATUS_BAR_ITEM_ID } from '../constants';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import type { KeyStore } from './keyStore';

export interface StatusBarSnapshot {
  readonly state: 'none' | 'set' | 'unavailable' | 'loading';
  readonly text: string;
  readonly tooltip: string;
  readonly command: string | undefined;
}

/** One status bar item: "no key" / "key set"; clicking offers the key commands. */
export class KeyStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;
  private state: StatusBarSnapshot['state'] = 'loading';
  private generation = 0;
  private readonly refreshedEmitter = new vscode.EventEmitter<StatusBarSnapshot>();
  /** Fires after every refresh; tests wait on it instead of sleeping. */
  readonly onDidRefresh = this.refreshedEmitter.event;

  constructor(
    private readonly store: KeyStore,
    private readonly logger: Logger,
  ) {
    this.item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Claude Keys');
    this.item.command = Commands.showKeyMenu;
    this.item.text = '$(key) Claude';
    this.item.show();
    this.subscription = store.onDidChange(() => void this.refresh());
  }

  async refresh(): Promise<StatusBarSnapshot> {
    // Later refreshes win when SecretStorage answers out of order.
    const generation = ++this.generation;
    let state: StatusBarSnapshot['state'];
    let tooltip: string;
    try {
      const key = await this.store.getApiKey();
      if (key === undefined) {
        state = 'none';
        tooltip = vscode.l10n.t('No Claude API key is stored. Click to set one.');
      } else {
        state = 'set';
        const setAt = this.store.getMetadata()?.setAt;
        tooltip = setAt
          ? vscode.l10n.t('Claude API key {0}, set {1}. Click for key commands.', maskKey(key), setAt.slice(0, 10))
          : vscode.l10n.t('Claude API key {0}. Click for key commands.', maskKey(key));
      }
    } catch (error) {
      this.logger.warn(`status bar could not read the key: ${error instanceof Error ? error.message : String(error)}`);
      state = 'unavailable';
      tooltip = vscode.l10n.t('SecretStorage is unavailable. Click for details.');
    }
    if (generation === this.generation) {
      this.apply(state, tooltip);
    }
    return this.snapshot();
  }

  snapshot(): StatusBarSnapshot {
    const tooltip = typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
    const command = typeof this.item.command === 'string' ? this.item.command : this.item.command?.command;
    return { state: this.state, text: this.item.text, tooltip, command };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
    this.refreshedEmitter.dispose();
  }

  private apply(state: StatusBarSnapshot['state'], tooltip: string): void {
    this.state = state;
    this.item.text =
      state === 'set'
        ? `$(key) ${vscode.l10n.t('Claude: key set')}`
        : state === 'none'
          ? `$(key) ${vscode.l10n.t('Claude: no key')}`
          : `$(warning) ${vscode.l10n.t('Claude: key unavailable')}`;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `${vscode.l10n.t('Claude Keys')}: ${tooltip}` };
    this.refreshedEmitter.fire(this.snapshot());
  }
}
