import type { UsagePanelController } from './usage/usagePanel';
import type { UsageService } from './usage/usageService';
import type * as vscode from 'vscode';
import type { ApiBaseUrlWatcher } from './api/baseUrlWatcher';
import type { TimingSpan } from './bundleTiming';
import type { HardcodedKeyDiagnostics } from './detection/hardcodedKeyDiagnostics';
import type { KeyQuickFixes } from './detection/keyQuickFixes';
import type { WorkspaceScan } from './detection/workspaceScan';
import type { GitHistoryScan } from './history/gitHistoryScan';
import type { HistoryTree } from './history/historyTree';
import type { IdentityHover } from './identity/identityHover';
import type { KeyCommands } from './keys/keyCommands';
import type { ModelCatalog } from './prompt/modelCatalog';
import type { PromptCommands } from './prompt/promptCommands';
import type { PromptPanelController } from './prompt/promptPanel';
import type { PromptRunner } from './prompt/promptRunner';
import type { KeyServices } from './keys/keyServices';
import type { StatusBarSnapshot } from './keys/keyStatusBar';
import type { RotationReminder } from './keys/rotationReminder';
import type { TerminalEnvironment } from './keys/terminalEnvironment';
import type { Interaction } from './ui/interaction';
import type { Walkthrough } from './walkthrough/walkthrough';

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
  /** Start-up cost: running dist/extension.js's top level (undefined unbundled), and activate(). */
  /** The bundle's own timer, and the files of dist/ that Node had loaded when activate() returned. */
  readonly activation: { readonly load: TimingSpan | undefined; readonly activate: TimingSpan; readonly loadedBundles: readonly string[] };
  readonly services: KeyServices;
  readonly diagnostics: HardcodedKeyDiagnostics;
  readonly quickFixes: KeyQuickFixes;
  readonly scan: WorkspaceScan;
  readonly history: GitHistoryScan;
  readonly historyTree: HistoryTree;
  readonly identityHover: IdentityHover;
  readonly runner: PromptRunner;
  readonly catalog: ModelCatalog;
  readonly usage: UsageService;
  readonly promptPanel: PromptPanelController;
  readonly usagePanel: UsagePanelController;
  readonly promptCommands: PromptCommands;
  readonly walkthrough: Walkthrough;
  readonly reminder: RotationReminder;
  readonly terminals: TerminalEnvironment;
  readonly baseUrl: ApiBaseUrlWatcher;
  readonly environmentVariableCollection: vscode.GlobalEnvironmentVariableCollection;
  readonly statusBar: () => StatusBarSnapshot;
  readonly refreshStatusBar: () => Promise<StatusBarSnapshot>;
  readonly onStatusBarRefresh: vscode.Event<StatusBarSnapshot>;
  /** Answers for the user; pass undefined to restore the real window UI. */
  readonly setInteraction: (interaction: Interaction | undefined) => void;
  /** The extension's own SecretStorage, to act as "another window" and to check what is stored. */
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  /** Unused by the extension; tests check that nothing lands there either. */
  readonly workspaceState: vscode.Memento;
  readonly injectSecretStorageFault: (fault: SecretStorageFault | undefined) => void;
  readonly logLines: () => readonly string[];
  readonly keyCommands: KeyCommands;
  /** The same key services over the same SecretStorage and globalState: what a second window has. */
  readonly createWindowTwin: (ui: Interaction) => { services: KeyServices; dispose: () => void };
}
