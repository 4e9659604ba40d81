import * as vscode from 'vscode';
import { GitError } from '../cli/gitBlobs';
import { HistoryCancelled, scanHistory } from '../cli/history';
import { HISTORY_SCANNED_CONTEXT, Urls } from '../constants';
import { groupHistoryHits, type HistoryKeyGroup } from '../core/historyGroups';
import type { KeyStore } from '../keys/keyStore';
import type { LeakedKeyResponse } from '../keys/leakedKey';
import type { RotationFlow } from '../keys/rotation';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { HistoryContentProvider } from './historyContent';
import type { HistoryNode, HistoryTree } from './historyTree';

export interface HistoryScanOutcome {
  readonly outcome: 'done' | 'untrusted' | 'noFolder' | 'cancelled' | 'failed';
  readonly keys?: number;
  readonly findings?: number;
  readonly commits?: number;
  readonly reason?: string;
}

/**
 * `Claude Keys: Scan Git History`: the CLI's --history walker (one git log, one cat-file --batch,
 * the same safe git options) over a local folder of a trusted workspace, with progress and cancel
 * (cancel kills both git processes). Results go to the tree view; nothing is written anywhere.
 */
export class GitHistoryScan {
  constructor(
    private readonly tree: HistoryTree,
    private readonly content: HistoryContentProvider,
    private readonly store: KeyStore,
    private readonly rotation: RotationFlow,
    private readonly leak: LeakedKeyResponse,
    private readonly ui: Interaction,
    private readonly logger: Logger,
    /** Where git starts: the extension's folder, never the repository. */
    private readonly launchDir: string,
  ) {}

  async run(folder?: vscode.Uri): Promise<HistoryScanOutcome> {
    // A repository's history is hostile input too, and git reads the repository's config: trusted only.
    if (!vscode.workspace.isTrusted) {
      void this.ui.showMessage('warning', vscode.l10n.t('Scan Git History runs git, so it works only in a trusted workspace.'), {});
      return { outcome: 'untrusted' };
    }
    const target = await this.pickFolder(folder);
    if (!target) {
      return { outcome: 'noFolder' };
    }
    const controller = new AbortController();
    let result: Awaited<ReturnType<typeof scanHistory>>;
    try {
      result = await Promise.resolve(
        this.ui.withProgress(vscode.l10n.t('Claude Keys: scanning git history for keys'), true, (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          if (token.isCancellationRequested) {
            controller.abort();
          }
          progress.report({ message: vscode.workspace.asRelativePath(target, true) });
          return scanHistory({ all: false, signal: controller.signal, launchDir: this.launchDir }, target.fsPath, { honourIgnoreMarkers: true, fingerprints: false });
        }),
      );
    } catch (error) {
      if (error instanceof HistoryCancelled) {
        this.logger.info('git history scan cancelled');
        void this.ui.showMessage('info', vscode.l10n.t('Git history scan stopped; no results were kept.'), {});
        return { outcome: 'cancelled' };
      }
      const reason = error instanceof GitError ? error.message : String(error);
      this.logger.warn(`git history scan failed: ${reason}`);
      void this.ui.showMessage('error', vscode.l10n.t('Could not scan the git history: {0}', reason), {});
      return { outcome: 'failed', reason };
    }
    const groups = groupHistoryHits(
      result.findings.map((f) => ({
        key: f.finding.key as string,
        kind: f.finding.kind,
        masked: f.finding.masked,
        commit: f.commit,
        authorDate: f.authorDate,
        path: f.path,
        line: f.finding.line,
        column: f.finding.column,
        atHead: f.atHead,
      })),
    );
    this.content.scannedRoots.add(result.root);
    this.tree.show(result.root, groups);
    await vscode.commands.executeCommand('setContext', HISTORY_SCANNED_CONTEXT, true);
    this.logger.info(`git history scan: ${result.commits} commits, ${result.blobs} blobs, ${groups.length} keys in ${result.findings.length} places`);
    const message =
      groups.length === 0
        ? vscode.l10n.t('Scanned {0} commits: no Claude keys in the git history.', result.commits)
        : vscode.l10n.t('Scanned {0} commits: {1} Claude keys in the git history. See "Keys in Git History" in the Explorer.', result.commits, groups.length);
    const missing = result.missing.length > 0 ? ' ' + vscode.l10n.t('{0} blobs are missing (a shallow or partial clone): the scan is incomplete.', result.missing.length) : '';
    void this.ui.showMessage(groups.length > 0 ? 'warning' : 'info', message + missing, {});
    return { outcome: 'done', keys: groups.length, findings: result.findings.length, commits: result.commits };
  }

  /** Rotate on a key node: the rotation flow for that stored key, else what to do instead. */
  async rotate(node: HistoryNode | undefined): Promise<string> {
    const group = this.groupOf(node);
    const name = group && (await this.storedName(group));
    if (!group || name === undefined) {
      return this.notStored(group);
    }
    const outcome = await this.rotation.rotate({ name });
    return outcome.outcome;
  }

  /** Report Leaked Key on a key node: the leaked-key response for that stored key. */
  async report(node: HistoryNode | undefined): Promise<string> {
    const group = this.groupOf(node);
    const name = group && (await this.storedName(group));
    if (!group || name === undefined) {
      return this.notStored(group);
    }
    const outcome = await this.leak.run({ name });
    return outcome.outcome;
  }

  get keyGroups(): readonly HistoryKeyGroup[] {
    return this.tree.keyGroups;
  }

  private groupOf(node: HistoryNode | undefined): HistoryKeyGroup | undefined {
    return node && node.type !== 'location' ? node.group : undefined;
  }

  private async storedName(group: HistoryKeyGroup): Promise<string | undefined> {
    if (group.kind !== 'apiKey') {
      return undefined;
    }
    try {
      const keyring = await this.store.getKeyring();
      return Object.entries(keyring.keys).find(([, k]) => k === group.key)?.[0];
    } catch {
      return undefined;
    }
  }

  private async notStored(group: HistoryKeyGroup | undefined): Promise<'notStored'> {
    if (group) {
      void showWithActions(
        this.ui,
        'info',
        vscode.l10n.t('{0} is not one of your stored API keys, so Claude Keys cannot rotate it. Whoever owns it should disable it in the Console: it stays in every clone of the history.', group.masked),
        [{ label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys }],
      );
    }
    return 'notStored';
  }

  /** The folder given (if in the workspace), the only local folder, or the user's pick. */
  private async pickFolder(folder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    if (folder) {
      return folder.scheme === 'file' && vscode.workspace.getWorkspaceFolder(folder) !== undefined ? folder : undefined;
    }
    const local = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (local.length <= 1) {
      if (local.length === 0) {
        void this.ui.showMessage('info', vscode.l10n.t('Open a local folder with a git repository to scan its history.'), {});
      }
      return local[0]?.uri;
    }
    const picked = await this.ui.showQuickPick(
      local.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
      { placeHolder: vscode.l10n.t('Which folder\'s git history?') },
    );
    return picked?.folder.uri;
  }
}
