import * as vscode from 'vscode';
import { API_KEY_ENV_VAR, Commands, StateKeys, Urls } from '../constants';
import { checkApiKeyInput } from '../core/keyInput';
import { daysBetween, storageBackendFor } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { keyInputProblemMessage, secretStorageProblemMessage, storageBackendDescription } from './keyMessages';
import { SecretStorageError, type KeyStore } from './keyStore';

/** What a key command did; safe to return to callers (never the key). */
export interface KeyCommandOutcome {
  readonly outcome: 'stored' | 'cleared' | 'cancelled' | 'unchanged' | 'failed' | 'shown' | 'declined';
  readonly masked?: string;
}

export interface KeyStatusReport {
  readonly state: 'set' | 'none' | 'unavailable';
  readonly masked?: string;
  readonly setAt?: string;
  readonly storage: string;
}

/** Where and how the process environment is read; injected so it is explicit. */
export interface EnvironmentSource {
  get(name: string): string | undefined;
}

export class KeyCommands {
  constructor(
    private readonly store: KeyStore,
    private readonly ui: Interaction,
    private readonly logger: Logger,
    private readonly environment: EnvironmentSource,
    private readonly state: vscode.Memento,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.setApiKey, () => this.setApiKey()),
      vscode.commands.registerCommand(Commands.clearApiKey, () => this.clearApiKey()),
      vscode.commands.registerCommand(Commands.showKeyStatus, () => this.showKeyStatus()),
      vscode.commands.registerCommand(Commands.importKeyFromEnvironment, () => this.importFromEnvironment(false)),
      vscode.commands.registerCommand(Commands.showKeyMenu, () => this.showKeyMenu()),
    ];
  }

  async setApiKey(): Promise<KeyCommandOutcome> {
    const value = await this.ui.showInputBox({
      title: vscode.l10n.t('Claude Keys: Set API Key'),
      prompt: vscode.l10n.t('Paste your Claude API key. It is kept in VS Code SecretStorage only.'),
      placeHolder: 'sk-ant-api03-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => {
        const checked = checkApiKeyInput(text);
        return checked.ok ? undefined : { message: keyInputProblemMessage(checked), severity: vscode.InputBoxValidationSeverity.Error };
      },
    });
    if (value === undefined) {
      return { outcome: 'cancelled' };
    }
    // The input box already refused bad values; check again so no path stores an unchecked one.
    const checked = checkApiKeyInput(value);
    if (!checked.ok) {
      void this.ui.showMessage('error', keyInputProblemMessage(checked), {});
      return { outcome: 'failed' };
    }
    return this.store_(checked.key, 'input');
  }

  async clearApiKey(): Promise<KeyCommandOutcome> {
    const key = await this.readKey();
    if (key === null) {
      return { outcome: 'failed' };
    }
    if (key === undefined) {
      void this.ui.showMessage('info', vscode.l10n.t('No Claude API key is stored.'), {});
      return { outcome: 'unchanged' };
    }
    const masked = maskKey(key);
    const remove = vscode.l10n.t('Remove Key');
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Remove the Claude API key {0} from VS Code?', masked),
      {
        modal: true,
        detail: vscode.l10n.t('Claude Keys will have no key until you set one. The key keeps working at Anthropic until you disable it in the Console.'),
      },
      remove,
    );
    if (answer !== remove) {
      return { outcome: 'cancelled', masked };
    }
    try {
      await this.store.clearApiKey();
    } catch (error) {
      this.explainStorageFailure(error);
      return { outcome: 'failed', masked };
    }
    this.logger.info(`API key ${masked} removed from SecretStorage`);
    const openConsole = vscode.l10n.t('Open Console');
    void this.ui.showMessage('info', vscode.l10n.t('Claude API key {0} removed from VS Code.', masked), {}, openConsole).then((a) => {
      if (a === openConsole) {
        void this.ui.openExternal(Urls.consoleKeys);
      }
    });
    return { outcome: 'cleared', masked };
  }

  async keyStatus(): Promise<KeyStatusReport> {
    const storage = storageBackendDescription(storageBackendFor(vscode.env.uiKind === vscode.UIKind.Web));
    let key: string | undefined;
    try {
      key = await this.store.getApiKey();
    } catch {
      return { state: 'unavailable', storage };
    }
    if (key === undefined) {
      return { state: 'none', storage };
    }
    return { state: 'set', masked: maskKey(key), setAt: this.store.getMetadata()?.setAt, storage };
  }

  async showKeyStatus(): Promise<KeyStatusReport> {
    const report = await this.keyStatus();
    const setKey = vscode.l10n.t('Set API Key');
    const replaceKey = vscode.l10n.t('Replace Key');
    const clearKey = vscode.l10n.t('Clear Key');
    const openConsole = vscode.l10n.t('Open Console');
    let message: string;
    let detail: string;
    let actions: string[];
    if (report.state === 'set') {
      const setAt = report.setAt;
      const when = setAt
        ? vscode.l10n.t('Set on {0} ({1} days ago).', setAt.slice(0, 10), daysBetween(setAt, new Date()))
        : vscode.l10n.t('Set before Claude Keys recorded dates.');
      message = vscode.l10n.t('Claude API key {0} is stored.', report.masked ?? '');
      detail = [
        vscode.l10n.t('Where: {0}.', report.storage),
        when,
        vscode.l10n.t('Next: rotate it regularly, and at once if it ever appears in code, logs or chat. Manage keys in the Console.'),
      ].join('\n');
      actions = [replaceKey, clearKey, openConsole];
    } else if (report.state === 'none') {
      message = vscode.l10n.t('No Claude API key is stored.');
      detail = [
        vscode.l10n.t('Where it would live: {0}.', report.storage),
        vscode.l10n.t('Next: create a key in the Console, then run "Claude Keys: Set API Key".'),
      ].join('\n');
      actions = [setKey, openConsole];
    } else {
      message = vscode.l10n.t('The Claude API key cannot be read: SecretStorage is unavailable.');
      detail = vscode.l10n.t('See the "Claude Keys" log for the reason. Claude Keys never stores the key anywhere else.');
      actions = [];
    }
    void this.ui.showMessage('info', message, { modal: true, detail }, ...actions).then((a) => {
      if (a === setKey || a === replaceKey) {
        void vscode.commands.executeCommand(Commands.setApiKey);
      } else if (a === clearKey) {
        void vscode.commands.executeCommand(Commands.clearApiKey);
      } else if (a === openConsole) {
        void this.ui.openExternal(Urls.consoleKeys);
      }
    });
    return report;
  }

  /**
   * Offers to copy ANTHROPIC_API_KEY from the extension host's environment into SecretStorage.
   * Automatic offers happen once, and only when no key is stored.
   */
  async importFromEnvironment(automatic: boolean): Promise<KeyCommandOutcome> {
    const raw = this.environment.get(API_KEY_ENV_VAR);
    if (automatic && (raw === undefined || this.state.get<boolean>(StateKeys.environmentImportOffered))) {
      return { outcome: 'unchanged' };
    }
    if (raw === undefined || raw.trim() === '') {
      void this.ui.showMessage('info', vscode.l10n.t('{0} is not set in the environment VS Code was started with.', API_KEY_ENV_VAR), {});
      return { outcome: 'unchanged' };
    }
    const checked = checkApiKeyInput(raw);
    if (!checked.ok) {
      this.logger.warn(`${API_KEY_ENV_VAR} is set but is not a Claude API key (${checked.reason})`);
      if (!automatic) {
        void this.ui.showMessage('warning', vscode.l10n.t('{0} is set, but: {1}', API_KEY_ENV_VAR, keyInputProblemMessage(checked)), {});
      }
      return { outcome: 'unchanged' };
    }
    const stored = await this.readKey();
    if (stored === null) {
      return { outcome: 'failed' };
    }
    const masked = maskKey(checked.key);
    if (stored === checked.key) {
      if (!automatic) {
        void this.ui.showMessage('info', vscode.l10n.t('The key in {0} ({1}) is already the stored key.', API_KEY_ENV_VAR, masked), {});
      }
      return { outcome: 'unchanged', masked };
    }
    if (automatic && stored !== undefined) {
      return { outcome: 'unchanged' };
    }
    if (automatic) {
      await this.state.update(StateKeys.environmentImportOffered, true);
    }
    const importKey = vscode.l10n.t('Import');
    const message =
      stored === undefined
        ? vscode.l10n.t(
            '{0} holds a Claude API key ({1}). Import it into VS Code SecretStorage so Claude Keys can use it? The variable itself is left as it is.',
            API_KEY_ENV_VAR,
            masked,
          )
        : vscode.l10n.t('Replace the stored key {0} with the key from {1} ({2})?', maskKey(stored), API_KEY_ENV_VAR, masked);
    const answer = await this.ui.showMessage('info', message, {}, importKey, vscode.l10n.t('Not Now'));
    if (answer !== importKey) {
      return { outcome: 'declined', masked };
    }
    return this.store_(checked.key, 'environment');
  }

  async showKeyMenu(): Promise<void> {
    const report = await this.keyStatus();
    type Item = vscode.QuickPickItem & { command: string };
    const items: Item[] = [
      {
        label: report.state === 'set' ? `$(key) ${vscode.l10n.t('Replace API Key…')}` : `$(key) ${vscode.l10n.t('Set API Key…')}`,
        command: Commands.setApiKey,
      },
      { label: `$(info) ${vscode.l10n.t('Show Key Status')}`, command: Commands.showKeyStatus },
    ];
    if (report.state === 'set') {
      items.push({ label: `$(trash) ${vscode.l10n.t('Clear API Key…')}`, command: Commands.clearApiKey });
    }
    items.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, command: Commands.showLog });
    const picked = await this.ui.showQuickPick(items, {
      title: report.masked ? vscode.l10n.t('Claude Keys: {0}', report.masked) : vscode.l10n.t('Claude Keys: no key stored'),
      placeHolder: vscode.l10n.t('Choose what to do with your Claude API key'),
    });
    if (picked) {
      await vscode.commands.executeCommand(picked.command);
    }
  }

  /** The stored key, undefined if none, or null when SecretStorage failed (already explained to the user). */
  private async readKey(): Promise<string | undefined | null> {
    try {
      return await this.store.getApiKey();
    } catch (error) {
      this.explainStorageFailure(error);
      return null;
    }
  }

  private async store_(key: string, source: 'input' | 'environment'): Promise<KeyCommandOutcome> {
    const masked = maskKey(key);
    try {
      await this.store.setApiKey(key, source);
    } catch (error) {
      this.explainStorageFailure(error);
      return { outcome: 'failed', masked };
    }
    this.logger.info(`API key ${masked} stored in SecretStorage (from ${source})`);
    void this.ui.showMessage('info', vscode.l10n.t('Claude API key {0} saved in VS Code SecretStorage.', masked), {});
    return { outcome: 'stored', masked };
  }

  private explainStorageFailure(error: unknown): void {
    const failure = error instanceof SecretStorageError ? error.failure : 'unknown';
    if (!(error instanceof SecretStorageError)) {
      this.logger.error('Unexpected error while using SecretStorage', error);
    }
    const learnMore = vscode.l10n.t('Learn More');
    const showLog = vscode.l10n.t('Show Log');
    void this.ui.showMessage('error', secretStorageProblemMessage(failure), {}, learnMore, showLog).then((a) => {
      if (a === learnMore) {
        void this.ui.openExternal(Urls.secretStorageHelp);
      } else if (a === showLog) {
        void vscode.commands.executeCommand(Commands.showLog);
      }
    });
  }
}
