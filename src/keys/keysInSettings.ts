import * as vscode from 'vscode';
import { checkApiKeyInput } from '../core/keyInput';

export type Scope = 'user' | 'workspace' | 'workspaceFolder';

export interface KeyInSettings {
  /** Full setting id, e.g. `anthropic.apiKey`. */
  readonly setting: string;
  readonly scope: Scope;
  readonly key: string;
  /** The settings file of a workspace or folder scope (the repository's own file). */
  readonly file?: vscode.Uri;
}


/** Paths of every string in a settings object that is a Claude API key, wherever it is nested. */
function keyPaths(config: vscode.WorkspaceConfiguration): string[] {
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
  walk(JSON.parse(JSON.stringify(config)) as unknown, []);
  return paths;
}

function workspaceSettingsFile(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return vscode.workspace.workspaceFile?.scheme === 'file' ? vscode.workspace.workspaceFile : folder && vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
}

/** Every Claude API key sitting in user, workspace or folder settings, wherever it is nested. */
export function findKeysInSettings(): KeyInSettings[] {
  const found: KeyInSettings[] = [];
  const seen = new Set<string>();
  const add = (item: KeyInSettings): void => {
    const id = `${item.scope}\u0000${item.setting}\u0000${item.file?.toString() ?? ''}`;
    if (!seen.has(id)) {
      seen.add(id);
      found.push(item);
    }
  };
  const checked = (value: unknown): string | undefined => {
    const result = typeof value === 'string' ? checkApiKeyInput(value) : undefined;
    return result?.ok ? result.key : undefined;
  };
  const root = vscode.workspace.getConfiguration();
  for (const setting of keyPaths(root)) {
    const inspected = root.inspect<unknown>(setting);
    const user = checked(inspected?.globalValue);
    if (user) {
      add({ setting, scope: 'user', key: user });
    }
    const workspace = checked(inspected?.workspaceValue);
    if (workspace) {
      add({ setting, scope: 'workspace', key: workspace, file: workspaceSettingsFile() });
    }
  }
  // Multi-root: each folder's .vscode/settings.json is read only through a resource-scoped view.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const scoped = vscode.workspace.getConfiguration(undefined, folder.uri);
    for (const setting of keyPaths(scoped)) {
      const key = checked(scoped.inspect<unknown>(setting)?.workspaceFolderValue);
      if (key && vscode.workspace.workspaceFile) {
        add({ setting, scope: 'workspaceFolder', key, file: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json') });
      }
    }
  }
  return found;
}
