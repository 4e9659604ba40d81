import * as vscode from 'vscode';
import { HISTORY_SCHEME } from '../constants';
import { shapeOf } from '../core/credentials';
import type { HistoryCommit, HistoryKeyGroup, HistoryLocation } from '../core/historyGroups';

/** Tree nodes: a key (masked) → the commits that brought it in → the paths and lines there. */
export type HistoryNode =
  | { readonly type: 'key'; readonly group: HistoryKeyGroup; readonly index: number }
  | { readonly type: 'commit'; readonly group: HistoryKeyGroup; readonly commit: HistoryCommit; readonly id: string }
  | { readonly type: 'location'; readonly commit: HistoryCommit; readonly location: HistoryLocation; readonly id: string };

/** contextValue of key nodes: package.json's view/item/context menus show Rotate / Report on them. */
export const HISTORY_KEY_CONTEXT = 'claudeKeys.historyKey';

/** The read-only document of `path` as it was in `commit` (see historyContent.ts). */
export function historyBlobUri(root: string, commit: string, file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: '/' + file, query: new URLSearchParams({ root, commit }).toString() });
}

/** The results of the last Scan Git History. Labels carry only masked keys. */
export class HistoryTree implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: HistoryKeyGroup[] = [];
  private root = '';

  show(root: string, groups: HistoryKeyGroup[]): void {
    this.root = root;
    this.groups = groups;
    this.changed.fire(undefined);
  }

  clear(): void {
    this.show('', []);
  }

  get keyGroups(): readonly HistoryKeyGroup[] {
    return this.groups;
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    if (!node) {
      return this.groups.map((group, index) => ({ type: 'key', group, index }));
    }
    if (node.type === 'key') {
      return node.group.commits.map((commit) => ({ type: 'commit', group: node.group, commit, id: `${node.index}/${commit.commit}` }));
    }
    if (node.type === 'commit') {
      return node.commit.locations.map((location, i) => ({ type: 'location', commit: node.commit, location, id: `${node.id}/${i}` }));
    }
    return [];
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.type === 'key') {
      const { group } = node;
      const item = new vscode.TreeItem(group.masked, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `key/${node.index}`;
      item.description = group.atHead ? vscode.l10n.t('{0}, still at HEAD', shapeOf(group.kind).label) : vscode.l10n.t('{0}, only in history', shapeOf(group.kind).label);
      item.tooltip = vscode.l10n.t('{0} commits brought in {1}. Anyone with a clone has it: rotate it.', group.commits.length, group.masked);
      item.iconPath = new vscode.ThemeIcon('key');
      item.contextValue = HISTORY_KEY_CONTEXT;
      return item;
    }
    if (node.type === 'commit') {
      const item = new vscode.TreeItem(node.commit.commit.slice(0, 12), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `commit/${node.id}`;
      item.description = node.commit.authorDate;
      item.iconPath = new vscode.ThemeIcon('git-commit');
      return item;
    }
    const { location, commit } = node;
    const item = new vscode.TreeItem(`${location.path}:${location.line}:${location.column}`, vscode.TreeItemCollapsibleState.None);
    item.id = `location/${node.id}`;
    item.iconPath = vscode.ThemeIcon.File;
    const uri = historyBlobUri(this.root, commit.commit, location.path);
    item.resourceUri = vscode.Uri.file(location.path);
    const at = new vscode.Position(location.line - 1, location.column - 1);
    item.command = {
      title: vscode.l10n.t('Open as in this commit'),
      command: 'vscode.open',
      arguments: [uri, { selection: new vscode.Range(at, at), preview: true } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
