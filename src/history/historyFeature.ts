import * as vscode from 'vscode';
import { HISTORY_SCHEME, HISTORY_VIEW_ID } from '../constants';
import type { KeyStore } from '../keys/keyStore';
import type { LeakedKeyResponse } from '../keys/leakedKey';
import type { RotationFlow } from '../keys/rotation';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { GitHistoryScan } from './gitHistoryScan';
import { HistoryContentProvider } from './historyContent';
import { HistoryTree } from './historyTree';

export interface HistoryFeatureDeps {
  readonly store: KeyStore;
  readonly rotation: RotationFlow;
  readonly leak: LeakedKeyResponse;
  readonly ui: Interaction;
  readonly logger: Logger;
  /** Where git starts: the extension's folder, never a repository. */
  readonly launchDir: string;
}

/** Scan Git History: the command, its tree view and the read-only documents of old file versions. */
export function createHistoryFeature(deps: HistoryFeatureDeps) {
  const tree = new HistoryTree();
  const content = new HistoryContentProvider(deps.launchDir);
  const scan = new GitHistoryScan(tree, content, deps.store, deps.rotation, deps.leak, deps.ui, deps.logger, deps.launchDir);
  return {
    tree,
    scan,
    register: (): vscode.Disposable[] => [
      tree,
      vscode.window.registerTreeDataProvider(HISTORY_VIEW_ID, tree),
      vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, content),
      ...scan.register(),
    ],
  };
}
