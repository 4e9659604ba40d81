import * as vscode from 'vscode';
import { environmentOffersKey, type EnvironmentSource } from './environmentOffer';
import type { ClaudeClient } from '../api/claudeClient';
import { explainApiProblem } from '../api/apiProblemMessages';
import { API_KEY_ENV_VAR, Commands, StateKeys, Urls } from '../constants';
import { checkApiKeyInput } from '../core/keyInput';
import { activeEntry, checkKeyName, keyNames } from '../core/keyring';
import { daysBetween, storageBackendFor, type ApiArea, type KeySource, type ValidationState } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { keyInputProblemMessage, keyNameProblemMessage, storageBackendDescription, validationWord } from './keyMessages';
import { promptForAdminKey, promptForApiKey } from './keyPrompts';
import type { KeyStore } from './keyStore';
import type { KeyValidator, ValidationReport } from './keyValidation';
import { readKeyringOrExplain, reportStorageFailure } from './storageFailure';

/** What a key command did; safe to return to callers (never the key). */
export interface KeyCommandOutcome {
  readonly outcome: 'stored' | 'cleared' | 'cancelled' | 'unchanged' | 'failed' | 'declined' | 'switched';
  readonly masked?: string;
  readonly name?: string;
  readonly validation?: ValidationReport;
}

export interface KeyStatusReport {
  readonly state: 'set' | 'none' | 'unavailable';
  readonly name?: string;
  readonly masked?: string;
  readonly setAt?: string;
  readonly validation?: ValidationState;
  /** With validation `noAccess`: what the 403 refused. */
  readonly noAccessTo?: ApiArea;
  readonly keyCount: number;
  readonly adminKey: boolean;
  readonly storage: string;
}


export class KeyCommands {
  constructor(
    private readonly store: KeyStore,
    private readonly validator: KeyValidator,
    private readonly client: ClaudeClient,
    private readonly ui: Interaction,
    private readonly logger: Logger,
    private readonly environment: EnvironmentSource,
    private readonly state: vscode.Memento,
  ) {}

  async setApiKey(): Promise<KeyCommandOutcome> {
    const key = await promptForApiKey(this.ui, {
      title: vscode.l10n.t('Claude Keys: Set API Key'),
      prompt: vscode.l10n.t('Paste your Claude API key. It is kept in VS Code SecretStorage only.'),
    });
    if (key === undefined) {
      return { outcome: 'cancelled' };
    }
    return this.storeAndValidate(key, 'input');
  }

  async addNamedApiKey(): Promise<KeyCommandOutcome> {
    const existing = await this.readKeyNames();
    if (existing === undefined) {
      return { outcome: 'failed' };
    }
    const name = await this.ui.showInputBox({
      title: vscode.l10n.t('Claude Keys: Add Named Key'),
      prompt: vscode.l10n.t('A name for the key, e.g. "work" or "personal".'),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const problem = checkKeyName(text, existing);
        return problem === undefined ? undefined : { message: keyNameProblemMessage(problem), severity: vscode.InputBoxValidationSeverity.Error };
      },
    });
    if (name === undefined || checkKeyName(name, existing) !== undefined) {
      return { outcome: 'cancelled' };
    }
    const key = await promptForApiKey(this.ui, {
      title: vscode.l10n.t('Claude Keys: Add Named Key "{0}"', name.trim()),
      prompt: vscode.l10n.t('Paste the Claude API key for "{0}". It becomes the active key.', name.trim()),
    });
    if (key === undefined) {
      return { outcome: 'cancelled' };
    }
    return this.storeAndValidate(key, 'input', name.trim(), true);
  }

  async switchApiKey(): Promise<KeyCommandOutcome> {
    const keyring = await readKeyringOrExplain(this.store, this.ui, this.logger);
    if (keyring === undefined) {
      return { outcome: 'failed' };
    }
    type Item = vscode.QuickPickItem & { name?: string };
    const items: Item[] = keyNames(keyring).map((name) => {
      const validation = this.store.getMetadata(name)?.validation;
      return {
        label: `${name === keyring.active ? '$(check) ' : ''}${name}`,
        description: maskKey(keyring.keys[name]),
        detail: validationWord(validation?.state ?? 'unchecked', validation?.noAccessTo),
        name,
      };
    });
    items.push({ label: `$(add) ${vscode.l10n.t('Add a Named Key…')}` });
    const picked = await this.ui.showQuickPick(items, {
      title: vscode.l10n.t('Claude Keys: Switch Active Key'),
      placeHolder: vscode.l10n.t('The active key is used for every request and shown in the status bar'),
    });
    if (!picked) {
      return { outcome: 'cancelled' };
    }
    if (picked.name === undefined) {
      return this.addNamedApiKey();
    }
    try {
      await this.store.setActive(picked.name);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed' };
    }
    const masked = maskKey(keyring.keys[picked.name]);
    this.logger.info(`active key is now "${picked.name}" (${masked})`);
    void this.ui.showMessage('info', vscode.l10n.t('Active Claude key: "{0}" ({1}).', picked.name, masked), {});
    return { outcome: 'switched', name: picked.name, masked };
  }

  async clearApiKey(): Promise<KeyCommandOutcome> {
    const keyring = await readKeyringOrExplain(this.store, this.ui, this.logger);
    if (keyring === undefined) {
      return { outcome: 'failed' };
    }
    const active = activeEntry(keyring);
    if (active === undefined) {
      void this.ui.showMessage('info', vscode.l10n.t('No Claude API key is stored.'), {});
      return { outcome: 'unchanged' };
    }
    const { name, key } = active;
    const masked = maskKey(key);
    const remove = vscode.l10n.t('Remove Key');
    const answer = await this.ui.showMessage(
      'warning',
      keyNames(keyring).length > 1
        ? vscode.l10n.t('Remove the Claude API key "{0}" ({1}) from VS Code?', name, masked)
        : vscode.l10n.t('Remove the Claude API key {0} from VS Code?', masked),
      {
        modal: true,
        detail: vscode.l10n.t('Claude Keys will not use it any more. The key keeps working at Anthropic until you disable it in the Console.'),
      },
      remove,
    );
    if (answer !== remove) {
      return { outcome: 'cancelled', masked };
    }
    try {
      await this.store.removeApiKey(name);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed', masked };
    }
    this.logger.info(`API key ${masked} ("${name}") removed from SecretStorage`);
    void showWithActions(this.ui, 'info', vscode.l10n.t('Claude API key {0} removed from VS Code.', masked), [
      { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys },
    ]);
    return { outcome: 'cleared', masked, name };
  }

  async keyStatus(): Promise<KeyStatusReport> {
    const storage = storageBackendDescription(storageBackendFor(vscode.env.uiKind === vscode.UIKind.Web));
    let keyring;
    let adminKey: string | undefined;
    try {
      keyring = await this.store.getKeyring();
      adminKey = await this.store.getAdminKey();
    } catch {
      return { state: 'unavailable', storage, keyCount: 0, adminKey: false };
    }
    const active = activeEntry(keyring);
    const keyCount = keyNames(keyring).length;
    if (active === undefined) {
      return { state: 'none', storage, keyCount, adminKey: adminKey !== undefined };
    }
    const { name, key } = active;
    const metadata = this.store.getMetadata(name);
    return {
      state: 'set',
      name,
      masked: maskKey(key),
      setAt: metadata?.setAt,
      validation: metadata?.validation?.state ?? 'unchecked',
      ...(metadata?.validation?.noAccessTo ? { noAccessTo: metadata.validation.noAccessTo } : {}),
      keyCount,
      adminKey: adminKey !== undefined,
      storage,
    };
  }

  async showKeyStatus(): Promise<KeyStatusReport> {
    const report = await this.keyStatus();
    const setKey = { label: vscode.l10n.t('Set API Key'), command: Commands.setApiKey };
    const validate = { label: vscode.l10n.t('Validate'), command: Commands.validateApiKey };
    const rotate = { label: vscode.l10n.t('Rotate'), command: Commands.rotateApiKey };
    const openConsole = { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys };
    let message: string;
    let detail: string;
    let actions: Array<{ label: string; command?: string; url?: string }>;
    if (report.state === 'set') {
      const setAt = report.setAt;
      const when = setAt
        ? vscode.l10n.t('Set on {0} ({1} days ago).', setAt.slice(0, 10), daysBetween(setAt, new Date()))
        : vscode.l10n.t('Set before Claude Keys recorded dates.');
      message =
        report.keyCount > 1
          ? vscode.l10n.t('Active Claude API key: "{0}" ({1}).', report.name ?? '', report.masked ?? '')
          : vscode.l10n.t('Claude API key {0} is stored.', report.masked ?? '');
      detail = [
        vscode.l10n.t('Where: {0}.', report.storage),
        when,
        vscode.l10n.t('Last check: {0}.', validationWord(report.validation ?? 'unchecked', report.noAccessTo)),
        report.adminKey ? vscode.l10n.t('An Admin key is stored: rotation can deactivate old keys for you.') : '',
        vscode.l10n.t('Next: rotate it regularly, and at once if it ever appears in code, logs or chat. Manage keys in the Console.'),
      ]
        .filter(Boolean)
        .join('\n');
      actions = [validate, rotate, openConsole];
    } else if (report.state === 'none' && report.keyCount > 0) {
      // After Report Leaked Key without a replacement: keys are stored but none is active.
      message = vscode.l10n.t('No Claude API key is active ({0} stored).', report.keyCount);
      detail = vscode.l10n.t('Next: pick one with "Claude Keys: Switch Active Key", or set a new key.');
      actions = [{ label: vscode.l10n.t('Switch Active Key'), command: Commands.switchApiKey }, setKey];
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
    void showWithActions(this.ui, 'info', message, actions, { modal: true, detail });
    return report;
  }

  /**
   * Offers to copy ANTHROPIC_API_KEY from the extension host's environment into SecretStorage.
   * Automatic offers happen once, and only when no key is stored.
   */
  async importFromEnvironment(automatic: boolean): Promise<KeyCommandOutcome> {
    const raw = this.environment.get(API_KEY_ENV_VAR);
    if (automatic && !environmentOffersKey(this.environment, this.state)) {
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
    let stored: string | undefined;
    try {
      stored = await this.store.getApiKey();
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
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
    return this.storeAndValidate(checked.key, 'environment');
  }

  async setAdminKey(): Promise<KeyCommandOutcome> {
    const key = await promptForAdminKey(this.ui);
    if (key === undefined) {
      return { outcome: 'cancelled' };
    }
    const masked = maskKey(key);
    // Prove it can read the organisation's keys before keeping it.
    const listed = await this.ui.withProgress(vscode.l10n.t('Checking Admin key {0}…', masked), false, () => this.client.listApiKeys(key, 'active'));
    if (!listed.ok) {
      const explanation = explainApiProblem(listed.problem, vscode.l10n.t('Checking Admin key {0}', masked));
      void showWithActions(this.ui, explanation.severity, explanation.message + ' ' + vscode.l10n.t('The Admin key was not stored.'), explanation.actions);
      return { outcome: 'failed', masked };
    }
    try {
      await this.store.setAdminKey(key);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed', masked };
    }
    this.logger.info(`Admin key ${masked} stored (${listed.value.length} active API keys visible)`);
    void this.ui.showMessage(
      'info',
      vscode.l10n.t('Admin key {0} saved in SecretStorage. It sees {1} active API keys; rotation can now deactivate old keys for you.', masked, listed.value.length),
      {},
    );
    return { outcome: 'stored', masked };
  }

  async clearAdminKey(): Promise<KeyCommandOutcome> {
    let key: string | undefined;
    try {
      key = await this.store.getAdminKey();
      if (key !== undefined) {
        await this.store.clearAdminKey();
      }
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed' };
    }
    if (key === undefined) {
      void this.ui.showMessage('info', vscode.l10n.t('No Admin key is stored.'), {});
      return { outcome: 'unchanged' };
    }
    const masked = maskKey(key);
    this.logger.info(`Admin key ${masked} removed`);
    void this.ui.showMessage('info', vscode.l10n.t('Admin key {0} removed from VS Code.', masked), {});
    return { outcome: 'cleared', masked };
  }

  async showKeyMenu(): Promise<void> {
    const report = await this.keyStatus();
    type Item = vscode.QuickPickItem & { command: string };
    const set = report.state === 'set';
    const items: Item[] = [
      { label: `$(key) ${set ? vscode.l10n.t('Replace API Key…') : vscode.l10n.t('Set API Key…')}`, command: Commands.setApiKey },
    ];
    if (set) {
      items.push(
        { label: `$(pass) ${vscode.l10n.t('Validate API Key')}`, command: Commands.validateApiKey },
        { label: `$(sync) ${vscode.l10n.t('Rotate API Key…')}`, command: Commands.rotateApiKey },
      );
    }
    items.push({ label: `$(list-selection) ${vscode.l10n.t('Switch or Add Named Key…')}`, command: Commands.switchApiKey });
    items.push({ label: `$(info) ${vscode.l10n.t('Show Key Status')}`, command: Commands.showKeyStatus });
    if (set) {
      items.push(
        { label: `$(trash) ${vscode.l10n.t('Clear API Key…')}`, command: Commands.clearApiKey },
        { label: `$(flame) ${vscode.l10n.t('Report Leaked Key…')}`, command: Commands.reportLeakedKey },
      );
    }
    items.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, command: Commands.showLog });
    const title = report.masked
      ? report.keyCount > 1
        ? vscode.l10n.t('Claude Keys: "{0}" {1}', report.name ?? '', report.masked)
        : vscode.l10n.t('Claude Keys: {0}', report.masked)
      : vscode.l10n.t('Claude Keys: no key stored');
    const picked = await this.ui.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose what to do with your Claude API key') });
    if (picked) {
      await vscode.commands.executeCommand(picked.command);
    }
  }

  /** Stores the key, confirms it masked, then checks it live (the check's result is reported too). */
  private async storeAndValidate(key: string, source: KeySource, name?: string, makeActive = false): Promise<KeyCommandOutcome> {
    const masked = maskKey(key);
    let storedName: string;
    try {
      storedName = await this.store.setApiKey(key, source, name, makeActive);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed', masked };
    }
    this.logger.info(`API key ${masked} stored in SecretStorage as "${storedName}" (from ${source})`);
    void this.ui.showMessage('info', vscode.l10n.t('Claude API key {0} saved in VS Code SecretStorage.', masked), {});
    const validation = await this.validator.validateActive();
    return { outcome: 'stored', masked, name: storedName, validation };
  }

  private async readKeyNames(): Promise<string[] | undefined> {
    const keyring = await readKeyringOrExplain(this.store, this.ui, this.logger);
    return keyring && keyNames(keyring);
  }
}
