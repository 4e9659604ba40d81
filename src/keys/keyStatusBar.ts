import * as vscode from 'vscode';
import { Commands, STATUS_BAR_ITEM_ID } from '../constants';
import { activeEntry, keyNames } from '../core/keyring';
import type { ValidationState } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { validationWord } from './keyMessages';
import type { KeyStore } from './keyStore';

export type StatusBarState = 'none' | 'unavailable' | 'loading' | ValidationState;

export interface StatusBarSnapshot {
  readonly state: StatusBarState;
  readonly text: string;
  readonly tooltip: string;
  readonly command: string | undefined;
}

/** One status bar item: no key / key set / valid / valid, no access / invalid / offline; clicking offers the key commands. */
export class KeyStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;
  private state: StatusBarState = 'loading';
  private generation = 0;
  private readonly refreshedEmitter = new vscode.EventEmitter<StatusBarSnapshot>();
  /** More tooltip lines for the active key (src/usage: today's spend, latest rate limits). */
  extraTooltip: (activeKey: string) => readonly string[] = () => [];
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
    let state: StatusBarState;
    let label = '';
    let tooltip: string;
    try {
      const keyring = await this.store.getKeyring();
      const active = activeEntry(keyring);
      if (active === undefined) {
        state = 'none';
        const stored = keyNames(keyring).length;
        tooltip =
          stored > 0
            ? vscode.l10n.t('No Claude API key is active ({0} stored). Click to pick one or set a new one.', stored)
            : vscode.l10n.t('No Claude API key is stored. Click to set one.');
      } else {
        const { name, key } = active;
        const metadata = this.store.getMetadata(name);
        state = metadata?.validation?.state ?? 'unchecked';
        label = keyNames(keyring).length > 1 ? ` (${name})` : '';
        const setAt = metadata?.setAt ? vscode.l10n.t(', set {0}', metadata.setAt.slice(0, 10)) : '';
        tooltip = vscode.l10n.t('Claude API key{0} {1}{2}: {3}. Click for key commands.', label, maskKey(key), setAt, validationWord(state, metadata?.validation?.noAccessTo));
        tooltip = [tooltip, ...this.extraTooltip(key)].join('\n');
      }
    } catch (error) {
      this.logger.warn(`status bar could not read the key: ${error instanceof Error ? error.message : String(error)}`);
      state = 'unavailable';
      tooltip = vscode.l10n.t('SecretStorage is unavailable. Click for details.');
    }
    if (generation === this.generation) {
      this.apply(state, label, tooltip);
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

  private apply(state: StatusBarState, label: string, tooltip: string): void {
    this.state = state;
    this.item.text = statusBarText(state, label);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `${vscode.l10n.t('Claude Keys')}: ${tooltip}` };
    this.refreshedEmitter.fire(this.snapshot());
  }
}

function statusBarText(state: StatusBarState, label: string): string {
  switch (state) {
    case 'none':
      return `$(key) ${vscode.l10n.t('Claude: no key')}`;
    case 'unchecked':
      return `$(key) ${vscode.l10n.t('Claude{0}: key set', label)}`;
    case 'valid':
      return `$(key) ${vscode.l10n.t('Claude{0}: key valid', label)}`;
    case 'noAccess':
      return `$(warning) ${vscode.l10n.t('Claude{0}: key valid, no access', label)}`;
    case 'invalid':
      return `$(error) ${vscode.l10n.t('Claude{0}: key invalid', label)}`;
    case 'offline':
      return `$(cloud-offline) ${vscode.l10n.t('Claude{0}: offline', label)}`;
    case 'unavailable':
      return `$(warning) ${vscode.l10n.t('Claude: key unavailable')}`;
    case 'loading':
      return '$(key) Claude';
  }
}
