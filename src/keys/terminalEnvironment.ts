import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Settings, StateKeys } from '../constants';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import type { KeyStore } from './keyStore';

/**
 * Opt-in (`claudeKeys.injectIntoTerminals`): new integrated terminals get the active key as
 * ANTHROPIC_API_KEY, only in a trusted workspace (a hostile repository's tasks and scripts run in
 * those terminals). Not persistent: VS Code does not store the collection itself; see the README
 * for what desktop VS Code's terminal revival writes.
 */
export class TerminalEnvironment implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly store: KeyStore,
    private readonly ui: Interaction,
    private readonly state: vscode.Memento,
    private readonly logger: Logger,
  ) {
    collection.persistent = false;
    this.subscriptions.push(
      store.onDidChange(() => void this.apply()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.apply(true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.injectIntoTerminals}`)) {
          void this.apply(true);
        }
      }),
    );
  }

  /** The setting is on and the workspace is trusted. */
  enabled(): boolean {
    return vscode.workspace.isTrusted && vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.injectIntoTerminals, false);
  }

  /** Puts the active key into (or takes it out of) new terminals' environment. */
  async apply(settingChanged = false): Promise<'injected' | 'removed'> {
    let key: string | undefined;
    if (this.enabled()) {
      try {
        key = await this.store.getApiKey();
      } catch {
        key = undefined;
      }
    }
    if (key === undefined) {
      if (this.collection.get(API_KEY_ENV_VAR) !== undefined) {
        this.collection.delete(API_KEY_ENV_VAR);
        this.logger.info(`${API_KEY_ENV_VAR} removed from new terminals`);
      }
      return 'removed';
    }
    this.collection.description = vscode.l10n.t('Claude Keys puts your active Claude API key into {0}.', API_KEY_ENV_VAR);
    this.collection.replace(API_KEY_ENV_VAR, key);
    if (settingChanged) {
      this.logger.info(`${API_KEY_ENV_VAR} set for new terminals`);
    }
    if (!this.state.get<boolean>(StateKeys.terminalWarningShown)) {
      // Mark first (synchronously visible to a concurrent apply), then warn: exactly one warning.
      const marked = this.state.update(StateKeys.terminalWarningShown, true);
      void this.ui.showMessage(
        'warning',
        vscode.l10n.t(
          'New terminals now get your Claude API key as {0}. Every program you run in them can read it. Terminals that are already open are not changed.',
          API_KEY_ENV_VAR,
        ),
        {},
      );
      await marked;
    }
    return 'injected';
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
