import * as vscode from 'vscode';
import { Commands, Urls } from '../constants';
import { activeEntry } from '../core/keyring';
import { locate } from '../core/locate';
import { excludeGlob } from '../detection/workspaceScan';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { KeyStore } from './keyStore';
import type { RotationFlow, RotationOutcome } from './rotation';
import { readKeyringOrExplain, reportStorageFailure } from './storageFailure';

export interface LeakLocation {
  readonly uri: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export interface LeakOutcome {
  readonly outcome: 'handled' | 'cancelled' | 'noKey' | 'failed';
  readonly masked?: string;
  readonly locations?: readonly LeakLocation[];
  readonly rotation?: RotationOutcome;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * "My key leaked": stop using it at once, get it disabled, find where it is, replace it. The key
 * itself is held only in memory for the search and the rotation's Admin API match.
 */
export class LeakedKeyResponse {
  constructor(
    private readonly store: KeyStore,
    private readonly rotation: RotationFlow,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  /** `name`: a stored key other than the active one (Scan Git History's Report Leaked Key). */
  async run(options: { name?: string } = {}): Promise<LeakOutcome> {
    const keyring = await readKeyringOrExplain(this.store, this.ui, this.logger);
    if (keyring === undefined) {
      return { outcome: 'failed' };
    }
    const named = options.name === undefined ? undefined : keyring.keys[options.name];
    const active = options.name === undefined ? activeEntry(keyring) : named === undefined ? undefined : { name: options.name, key: named };
    if (active === undefined) {
      void showWithActions(this.ui, 'info', vscode.l10n.t('No Claude API key is stored. If a key leaked, disable it in the Console now.'), [
        { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys },
      ]);
      return { outcome: 'noKey' };
    }
    const { name, key } = active;
    const masked = maskKey(key);
    const others = Object.keys(keyring.keys).length > 1;
    const start = vscode.l10n.t('Remove and Replace It');
    const steps = vscode.l10n.t(
      'Claude Keys will:\n1. remove it from VS Code now,\n2. open the Console so you can disable it (anyone who has it can use it until then),\n3. search this workspace for copies of it,\n4. help you set a new key.',
    );
    const answer = await this.ui.showMessage(
      'warning',
      others ? vscode.l10n.t('Treat the key "{0}" ({1}) as leaked?', name, masked) : vscode.l10n.t('Treat the key {0} as leaked?', masked),
      {
        modal: true,
        detail: others
          ? steps + '\n' + vscode.l10n.t('The new key takes the name "{0}" and becomes active. Until then no key is active: your other keys stay stored but unused.', name)
          : steps,
      },
      start,
    );
    if (answer !== start) {
      return { outcome: 'cancelled', masked };
    }

    try {
      // No other named key becomes active behind the user's back: the replacement will.
      await this.store.removeApiKey(name, false);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error);
      return { outcome: 'failed', masked };
    }
    this.logger.warn(`key ${masked} ("${name}") reported leaked and removed from SecretStorage`);
    await this.ui.openExternal(Urls.consoleKeys);

    const locations = await this.findInWorkspace(key);
    if (locations.length > 0) {
      for (const l of locations) {
        this.logger.warn(`leaked key ${masked} found at ${l.uri}:${l.line}:${l.column}`);
      }
      void this.offerLocations(masked, locations);
    } else {
      void this.ui.showMessage('info', vscode.l10n.t('The leaked key {0} was not found in this workspace\'s files.', masked), {});
    }

    const rotation = await this.rotation.rotate({ name, oldKey: key, afterLeak: true });
    if (rotation.outcome !== 'rotated' && others) {
      void showWithActions(
        this.ui,
        'warning',
        vscode.l10n.t('No Claude API key is active: "{0}" was removed and not replaced. Pick one of your other keys or set a new one.', name),
        [
          { label: vscode.l10n.t('Switch Active Key'), command: Commands.switchApiKey },
          { label: vscode.l10n.t('Set API Key'), command: Commands.setApiKey },
        ],
      );
    }
    return { outcome: 'handled', masked, locations, rotation };
  }

  /** Plain text search (through workspace.fs, so remote workspaces work); skips binaries and huge files. */
  async findInWorkspace(key: string): Promise<LeakLocation[]> {
    if (!vscode.workspace.workspaceFolders?.length) {
      return [];
    }
    return Promise.resolve(
      this.ui.withProgress(vscode.l10n.t('Searching the workspace for the leaked key…'), true, async (progress, token) => {
        const files = await vscode.workspace.findFiles('**/*', excludeGlob(), undefined, token);
        const found: LeakLocation[] = [];
        let done = 0;
        for (const uri of files) {
          if (token.isCancellationRequested) {
            break;
          }
          done++;
          if (done % 50 === 0) {
            progress.report({ message: vscode.l10n.t('{0} of {1} files', done, files.length) });
          }
          let bytes: Uint8Array;
          try {
            const stat = await vscode.workspace.fs.stat(uri);
            if (stat.size > MAX_FILE_BYTES) {
              continue;
            }
            bytes = await vscode.workspace.fs.readFile(uri);
          } catch {
            continue;
          }
          if (bytes.subarray(0, 8192).includes(0)) {
            continue;
          }
          found.push(...locate(new TextDecoder().decode(bytes), key).map((p) => ({ uri: uri.toString(), ...p })));
        }
        return found;
      }),
    );
  }

  private async offerLocations(masked: string, locations: readonly LeakLocation[]): Promise<void> {
    type Item = vscode.QuickPickItem & { location: LeakLocation };
    const items: Item[] = locations.map((location) => ({
      label: vscode.workspace.asRelativePath(vscode.Uri.parse(location.uri)),
      description: vscode.l10n.t('line {0}', location.line),
      location,
    }));
    const show = vscode.l10n.t('Show Where');
    const answer = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('The leaked key {0} appears in {1} place(s) in this workspace. Remove it from the files (and from git history if it was committed).', masked, locations.length),
      {},
      show,
    );
    if (answer !== show) {
      return;
    }
    const picked = await this.ui.showQuickPick(items, { title: vscode.l10n.t('Where the leaked key appears') });
    if (picked) {
      const position = new vscode.Position(picked.location.line - 1, picked.location.column - 1);
      await vscode.window.showTextDocument(vscode.Uri.parse(picked.location.uri), { selection: new vscode.Range(position, position) });
    }
  }
}
