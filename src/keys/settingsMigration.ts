import * as vscode from 'vscode';
import { checkApiKeyInput } from '../core/keyInput';
import { keyNames } from '../core/keyring';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import type { KeyStore } from './keyStore';
import { reportStorageFailure } from './storageFailure';

type Scope = 'user' | 'workspace';

export interface KeyInSettings {
  /** Full setting id, e.g. `anthropic.apiKey`. */
  readonly setting: string;
  readonly scope: Scope;
  readonly key: string;
}

export interface MigrationOutcome {
  readonly outcome: 'moved' | 'none' | 'declined' | 'failed';
  readonly moved?: ReadonlyArray<{ setting: string; scope: Scope; masked: string; removed: boolean }>;
}

/** Every Claude API key sitting in user or workspace settings, wherever it is nested. */
export function findKeysInSettings(): KeyInSettings[] {
  const root = vscode.workspace.getConfiguration();
  const paths: string[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === 'string') {
      if (checkApiKeyInput(value).ok) {
        paths.push(path.join('.'));
      }
    } else if (typeof value === 'object' && value !== null && path.length < 6) {
      for (const [k, v] of Object.entries(value)) {
        walk(v, [...path, k]);
      }
    }
  };
  walk(JSON.parse(JSON.stringify(root)) as unknown, []);
  const found: KeyInSettings[] = [];
  for (const setting of paths) {
    const inspected = root.inspect<unknown>(setting);
    for (const [scope, value] of [
      ['user', inspected?.globalValue],
      ['workspace', inspected?.workspaceValue],
    ] as const) {
      const checked = typeof value === 'string' ? checkApiKeyInput(value) : undefined;
      if (checked?.ok) {
        found.push({ setting, scope, key: checked.key });
      }
    }
  }
  return found;
}

/** Settings are synced, shared in screenshots and committed in .vscode: offers to move keys out. */
export class SettingsMigration {
  private declinedThisSession = false;

  constructor(
    private readonly store: KeyStore,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async run(automatic: boolean): Promise<MigrationOutcome> {
    if (automatic && this.declinedThisSession) {
      return { outcome: 'declined' };
    }
    const found = findKeysInSettings();
    if (found.length === 0) {
      if (!automatic) {
        void this.ui.showMessage('info', vscode.l10n.t('No Claude API key was found in your user or workspace settings.'), {});
      }
      return { outcome: 'none' };
    }
    const first = found[0];
    const move = vscode.l10n.t('Move to SecretStorage');
    const answer = await this.ui.showMessage(
      'warning',
      found.length === 1
        ? vscode.l10n.t(
            'A Claude API key ({0}) is in your {1} settings as "{2}". Settings are synced, shown in screenshots and committed with .vscode folders. Move it into SecretStorage and remove it from settings?',
            maskKey(first.key),
            scopeWord(first.scope),
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
        await this.keep(item.key);
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
    if (manual.some((m) => m.scope === 'user')) {
      void vscode.commands.executeCommand('workbench.action.openSettingsJson');
    } else if (manual.length) {
      void vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
    }
    return { outcome: 'moved', moved };
  }

  /** Stores the key: as the active key if none is stored, else under a new name; never twice. */
  private async keep(key: string): Promise<void> {
    const keyring = await this.store.getKeyring();
    if (Object.values(keyring.keys).includes(key)) {
      return;
    }
    const names = keyNames(keyring);
    let name: string | undefined;
    if (keyring.active !== undefined) {
      name = 'from-settings';
      for (let i = 2; names.includes(name); i++) {
        name = `from-settings-${i}`;
      }
    }
    await this.store.setApiKey(key, 'settings', name);
    this.logger.info(`key ${maskKey(key)} moved from settings into SecretStorage${name ? ` as "${name}"` : ''}`);
  }

  private async remove(item: KeyInSettings): Promise<boolean> {
    const target = item.scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
    try {
      await vscode.workspace.getConfiguration().update(item.setting, undefined, target);
      // Settings no extension declares are left alone without an error: check it is gone.
      const inspected = vscode.workspace.getConfiguration().inspect<unknown>(item.setting);
      const left = item.scope === 'user' ? inspected?.globalValue : inspected?.workspaceValue;
      return left !== item.key;
    } catch (error) {
      this.logger.warn(`could not remove ${item.setting} from ${item.scope} settings: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}

function scopeWord(scope: Scope): string {
  return scope === 'user' ? vscode.l10n.t('user') : vscode.l10n.t('workspace');
}
