import * as vscode from 'vscode';
import { Commands, HISTORY_SCHEME, HISTORY_VIEW_ID } from '../constants';
import { onFirstUse } from '../core/lazy';
import type { KeyStore } from '../keys/keyStore';
import type { LeakedKeyResponse } from '../keys/leakedKey';
import type { RotationFlow } from '../keys/rotation';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { loadOnDemand } from '../loadOnDemand';
import type { GitHistoryScan } from './gitHistoryScan';
import type { HistoryContentProvider } from './historyContent';
import { HistoryTree, type HistoryNode } from './historyTree';

export interface HistoryFeatureDeps {
  readonly store: KeyStore;
  readonly rotation: RotationFlow;
  readonly leak: LeakedKeyResponse;
  readonly ui: Interaction;
  readonly logger: Logger;
  /** Where git starts: the extension's folder, never a repository. */
  readonly launchDir: string;
}

/**
 * Scan Git History: the command, its tree view and the read-only documents of old file versions.
 * The scan and git code (dist/onDemand.js) load the first time one of them is used.
 */
export function createHistoryFeature(deps: HistoryFeatureDeps) {
  const tree = new HistoryTree();
  const content = onFirstUse<HistoryContentProvider>(() => new (loadOnDemand().HistoryContentProvider)(deps.launchDir));
  const scan = onFirstUse<GitHistoryScan>(
    () => new (loadOnDemand().GitHistoryScan)(tree, content, deps.store, deps.rotation, deps.leak, deps.ui, deps.logger, deps.launchDir),
  );
  return {
    tree,
    scan,
    register: (): vscode.Disposable[] => [
      tree,
      vscode.window.registerTreeDataProvider(HISTORY_VIEW_ID, tree),
      vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, { provideTextDocumentContent: (uri) => content.provideTextDocumentContent(uri) }),
      vscode.commands.registerCommand(Commands.scanGitHistory, (folder?: unknown) => scan.run(folder instanceof vscode.Uri ? folder : undefined)),
      vscode.commands.registerCommand(Commands.rotateHistoryKey, (node?: HistoryNode) => scan.rotate(node)),
      vscode.commands.registerCommand(Commands.reportHistoryKey, (node?: HistoryNode) => scan.report(node)),
    ],
  };
}
