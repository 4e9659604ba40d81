import * as vscode from 'vscode';
import { keyNames } from '../core/keyring';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { findKeysInSettings, type KeyInSettings, type Scope } from './keysInSettings';
import type { KeyStore } from './keyStore';
import { reportStorageFailure } from './storageFailure';

export interface MigrationOutcome {
  readonly outcome: 'moved' | 'none' | 'declined' | 'failed' | 'reported';
  readonly moved?: ReadonlyArray<{ setting: string; scope: Scope; masked: string; removed: boolean }>;
  /** Keys found in a workspace's own settings: reported as leaked there, stored only if the user chose to. */
  readonly reported?: ReadonlyArray<{ setting: string; scope: Scope; masked: string; adopted: boolean }>;
}

/**
 * Settings are synced, shared in screenshots and committed in .vscode: offers to move the user's keys
 * out. A key in a workspace's own settings came with the repository, not from the user: it is
 * reported as leaked there and stored only after an explicit choice that names where it came from.
 */
export class SettingsMigration {
  private declinedThisSession = false;
  private readonly reportedThisSession = new Set<string>();

  constructor(
    private readonly store: KeyStore,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async run(automatic: boolean): Promise<MigrationOutcome> {
    const found = findKeysInSettings();
    if (found.length === 0) {
      if (!automatic) {
        void this.ui.showMessage('info', vscode.l10n.t('No Claude API key was found in your user or workspace settings.'), {});
      }
      return { outcome: 'none' };
    }
    const own = found.filter((f) => f.scope === 'user');
    const planted = found.filter((f) => f.scope !== 'user');
    const reported: Array<{ setting: string; scope: Scope; masked: string; adopted: boolean }> = [];
    for (const item of planted) {
      const id = `${item.file?.toString()}#${item.setting}`;
      if (automatic && this.reportedThisSession.has(id)) {
        continue;
      }
      this.reportedThisSession.add(id);
      reported.push({ setting: item.setting, scope: item.scope, masked: maskKey(item.key), adopted: await this.reportPlanted(item) });
    }
    if (own.length === 0) {
      return { outcome: reported.length ? 'reported' : 'declined', reported };
    }
    const outcome = await this.moveOwn(own, automatic);
    return { ...outcome, reported };
  }

  private async moveOwn(found: KeyInSettings[], automatic: boolean): Promise<MigrationOutcome> {
    if (automatic && this.declinedThisSession) {
      return { outcome: 'declined' };
    }
    const first = found[0];
    const move = vscode.l10n.t('Move to SecretStorage');
    const answer = await this.ui.showMessage(
      'warning',
      found.length === 1
        ? vscode.l10n.t(
            'A Claude API key ({0}) is in your {1} settings as "{2}". Settings are synced, shown in screenshots and committed with .vscode folders. Move it into SecretStorage and remove it from settings?',
            maskKey(first.key),
            vscode.l10n.t('user'),
            first.setting,
          )
        : vscode.l10n.t('{0} Claude API keys are in your settings. Settings are synced and shared; move them into SecretStorage and remove them from settings?', found.length),
      {},
      move,
      vscode.l10n.t('Not Now'),
    );
    if (answer !== move) {
      this.declinedThisSession = true;
      return { outcome: 'declined' };
    }
    const moved: Array<{ setting: string; scope: Scope; masked: string; removed: boolean }> = [];
    try {
      for (const item of found) {
        await this.keep(item.key, 'from-settings');
        moved.push({ setting: item.setting, scope: item.scope, masked: maskKey(item.key), removed: await this.remove(item) });
      }
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The keys were left in settings.'));
      return { outcome: 'failed', moved };
    }
    const manual = moved.filter((m) => !m.removed);
    void this.ui.showMessage(
      manual.length ? 'warning' : 'info',
      manual.length
        ? vscode.l10n.t('Stored in SecretStorage. Delete these settings by hand (VS Code cannot remove settings no extension declares): {0}.', manual.map((m) => m.setting).join(', '))
        : vscode.l10n.t('Moved {0} key(s) from settings into SecretStorage.', moved.length),
      {},
    );
    if (manual.length) {
      void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    }
    return { outcome: 'moved', moved };
  }

  /**
   * Reports a key that a workspace's settings file holds. Storing it takes two explicit steps, both
   * naming the file, and is not offered at all in Restricted Mode. Returns whether it was stored.
   */
  private async reportPlanted(item: KeyInSettings): Promise<boolean> {
    const masked = maskKey(item.key);
    const where = item.file ? vscode.workspace.asRelativePath(item.file, true) : vscode.l10n.t('this workspace\'s settings');
    this.logger.warn(`a Claude API key ${masked} is in the workspace settings file ${where} as "${item.setting}"; reported, not stored`);
    const open = vscode.l10n.t('Open Settings File');
    const use = vscode.l10n.t('Use This Key…');
    const actions = vscode.workspace.isTrusted ? [open, use] : [open];
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t(
        'This workspace\'s settings file {0} holds a Claude API key ({1}) as "{2}". It came with the workspace, so anyone with a copy has it: treat it as leaked and remove it from the file. Claude Keys did not store it.',
        where,
        masked,
        item.setting,
      ),
      {},
      ...actions,
    );
    if (answer === open && item.file) {
      await vscode.commands.executeCommand('vscode.open', item.file);
      return false;
    }
    if (answer !== use || !vscode.workspace.isTrusted) {
      return false;
    }
    const store = vscode.l10n.t('Store Key from {0}', where);
    const confirmed = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Store {0} from {1} in SecretStorage as one of your keys?', masked, where),
      {
        modal: true,
        detail: vscode.l10n.t('This key was not set by you in Claude Keys: it was in the settings file {0} of this workspace. Store it only if you put it there yourself. It is then removed from that file.', where),
      },
      store,
    );
    if (confirmed !== store) {
      return false;
    }
    try {
      await this.keep(item.key, 'from-workspace-settings');
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The key was left in settings.'));
      return false;
    }
    const removed = await this.remove(item);
    void this.ui.showMessage(
      removed ? 'info' : 'warning',
      removed
        ? vscode.l10n.t('Stored {0} from {1} in SecretStorage and removed it from that file.', masked, where)
        : vscode.l10n.t('Stored {0} from {1} in SecretStorage. Delete "{2}" from that file by hand (VS Code cannot remove settings no extension declares).', masked, where, item.setting),
      {},
    );
    return true;
  }

  /** Stores the key: as the active key if none is stored, else under a new name; never twice. */
  private async keep(key: string, baseName: string): Promise<void> {
    const keyring = await this.store.getKeyring();
    if (Object.values(keyring.keys).includes(key)) {
      return;
    }
    const names = keyNames(keyring);
    let name: string | undefined;
    if (keyring.active !== undefined) {
      name = baseName;
      for (let i = 2; names.includes(name); i++) {
        name = `${baseName}-${i}`;
      }
    }
    await this.store.setApiKey(key, 'settings', name);
    this.logger.info(`key ${maskKey(key)} moved from settings into SecretStorage${name ? ` as "${name}"` : ''}`);
  }

  private async remove(item: KeyInSettings): Promise<boolean> {
    const target =
      item.scope === 'user' ? vscode.ConfigurationTarget.Global : item.scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.WorkspaceFolder;
    const scoped = (): vscode.WorkspaceConfiguration =>
      item.scope === 'workspaceFolder' && item.file ? vscode.workspace.getConfiguration(undefined, item.file) : vscode.workspace.getConfiguration();
    try {
      await scoped().update(item.setting, undefined, target);
      // Settings no extension declares are left alone without an error: check it is gone.
      const inspected = scoped().inspect<unknown>(item.setting);
      const left = item.scope === 'user' ? inspected?.globalValue : item.scope === 'workspace' ? inspected?.workspaceValue : inspected?.workspaceFolderValue;
      return left !== item.key;
    } catch (error) {
      this.logger.warn(`could not remove ${item.setting} from ${item.scope} settings: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}
