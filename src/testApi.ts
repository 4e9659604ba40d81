import type * as vscode from 'vscode';
import type { KeyCommands } from './keys/keyCommands';
import type { StatusBarSnapshot } from './keys/keyStatusBar';
import type { Interaction } from './ui/interaction';

/** What a fault-injecting SecretStorage should do next. */
export interface SecretStorageFault {
  readonly operation: 'get' | 'store' | 'delete';
  readonly error: Error;
}

/**
 * Handles for the extension's own integration tests. Returned from activate() only when VS Code runs
 * the extension in test mode: another extension must never be able to swap the UI or read state.
 */
export interface ClaudeKeysTestApi {
  readonly statusBar: () => StatusBarSnapshot;
  readonly refreshStatusBar: () => Promise<StatusBarSnapshot>;
  readonly onStatusBarRefresh: vscode.Event<StatusBarSnapshot>;
  /** Answers for the user; pass undefined to restore the real window UI. */
  readonly setInteraction: (interaction: Interaction | undefined) => void;
  /** The extension's own SecretStorage, to act as "another window" and to check what is stored. */
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly injectSecretStorageFault: (fault: SecretStorageFault | undefined) => void;
  readonly logLines: () => readonly string[];
  readonly keyCommands: KeyCommands;
}
