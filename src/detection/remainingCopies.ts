import * as vscode from 'vscode';
import { Commands } from '../constants';
import { locate } from '../core/locate';
import type { Logger } from '../logging/logger';
import { type Interaction, type Severity } from '../ui/interaction';
import type { GitStatus } from './gitStatus';
import { isKeyDiagnostic, looksBinary, type HardcodedKeyDiagnostics } from './hardcodedKeyDiagnostics';

/** VS Code's own commands offered as next steps (checked to exist by the integration tests). */
export const LOCAL_HISTORY_DELETE_ALL = 'workbench.action.localHistory.deleteAll';
export const TIMELINE_FOCUS = 'timeline.focus';

/** Where copies of a key may remain after a fix took it out of one file. */
export interface RemainingCopies {
  /** VS Code's Local History may hold earlier saved versions of the file. */
  readonly localHistory: boolean;
  /** The file is tracked by git: the key is in its history. */
  readonly gitHistory: boolean;
  /** Other files in the Problems panel (open files, Scan Workspace) that hold the same key. */
  readonly otherFiles: readonly string[];
}

/** A next step the message offers beyond the generic ones: rotating this key. */
export interface RotateStep {
  readonly label: string;
  readonly run: () => Thenable<unknown>;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * After a fix removed a key from a file: says, in one message, where copies remain (Local History,
 * git history, other files) and offers the next step for each.
 */
export class RemainingCopiesReport {
  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly git: GitStatus,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async find(document: vscode.TextDocument, key: string): Promise<RemainingCopies> {
    const localHistory =
      !document.isUntitled && vscode.workspace.getConfiguration('workbench.localHistory', document.uri).get<boolean>('enabled', true) !== false;
    const gitHistory = (await this.git.isTracked(document.uri)) === true;
    const otherFiles: string[] = [];
    const candidates: vscode.Uri[] = [];
    this.diagnostics.collection.forEach((uri, diagnostics) => {
      if (uri.toString() !== document.uri.toString() && diagnostics.some(isKeyDiagnostic)) {
        candidates.push(uri);
      }
    });
    // Diagnostics show only the masked key: re-read each candidate for the exact key.
    for (const uri of candidates) {
      const text = await readText(uri);
      if (text !== undefined && locate(text, key).length > 0) {
        otherFiles.push(uri.toString());
      }
    }
    return { localHistory, gitHistory, otherFiles };
  }

  /** `done` says what the fix did; `advice` what to do about the key itself. */
  async show(done: string, document: vscode.TextDocument, copies: RemainingCopies, rotate: RotateStep | undefined, advice = ''): Promise<void> {
    const file = vscode.workspace.asRelativePath(document.uri);
    const where: string[] = [];
    const actions: Array<{ label: string; run: () => Thenable<unknown> }> = [];
    if (copies.localHistory) {
      where.push(vscode.l10n.t("VS Code's Local History may keep earlier saved versions of {0} with the key", file));
      actions.push({ label: vscode.l10n.t('Delete Local History…'), run: () => this.deleteLocalHistory(document.uri) });
    }
    if (copies.gitHistory) {
      where.push(vscode.l10n.t('{0} is tracked by git, so the key is in its history and wherever it was pushed: treat it as leaked', file));
      if (rotate) {
        actions.push(rotate);
      }
    }
    if (copies.otherFiles.length > 0) {
      const names = copies.otherFiles.map((u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u)));
      where.push(vscode.l10n.t('{0} other file(s) hold the same key: {1}', names.length, names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '')));
      actions.push({ label: vscode.l10n.t('Show Other Files'), run: () => this.showOtherFiles(copies.otherFiles) });
    } else if (vscode.workspace.workspaceFolders?.length) {
      actions.push({ label: vscode.l10n.t('Scan Workspace'), run: () => vscode.commands.executeCommand(Commands.scanWorkspace) });
    }
    const parts = [done];
    if (advice) {
      parts.push(advice);
    }
    if (where.length > 0) {
      parts.push(vscode.l10n.t('Copies may remain: {0}.', where.join('; ')));
    }
    const severity: Severity = copies.gitHistory || copies.otherFiles.length > 0 ? 'warning' : 'info';
    this.logger.info(`key removed from ${file}; copies: local history ${copies.localHistory}, git ${copies.gitHistory}, other files ${copies.otherFiles.length}`);
    const picked = await this.ui.showMessage(severity, parts.join(' '), {}, ...actions.map((a) => a.label));
    await actions.find((a) => a.label === picked)?.run();
  }

  /** Local History has no per-file delete command: all entries at once, or entry by entry in the Timeline. */
  private async deleteLocalHistory(uri: vscode.Uri): Promise<void> {
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const items: Item[] = [
      {
        label: vscode.l10n.t('Show this file in the Timeline view'),
        detail: vscode.l10n.t('Right-click each Local History entry and choose Delete.'),
        run: async () => {
          await vscode.window.showTextDocument(uri, { preview: false });
          await vscode.commands.executeCommand(TIMELINE_FOCUS);
        },
      },
      {
        label: vscode.l10n.t('Delete all Local History'),
        detail: vscode.l10n.t('Every saved version of every file; VS Code asks to confirm.'),
        run: () => vscode.commands.executeCommand(LOCAL_HISTORY_DELETE_ALL),
      },
    ];
    const picked = await this.ui.showQuickPick(items, { title: vscode.l10n.t('Delete the Local History that holds the key') });
    await picked?.run();
  }

  private async showOtherFiles(uris: readonly string[]): Promise<void> {
    type Item = vscode.QuickPickItem & { uri: string };
    const items: Item[] = uris.map((uri) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), uri }));
    const picked = await this.ui.showQuickPick(items, { title: vscode.l10n.t('Files that hold the same key') });
    if (picked) {
      await vscode.window.showTextDocument(vscode.Uri.parse(picked.uri));
    }
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    return open.getText();
  }
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) {
      return undefined;
    }
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return looksBinary(text) ? undefined : text;
  } catch {
    return undefined;
  }
}
