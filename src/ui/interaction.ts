import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';

export interface MessageOptions {
  readonly modal?: boolean;
  readonly detail?: string;
}

/**
 * The few window calls the features make. Commands talk to this, not to `vscode.window`, so one
 * place decides how the user is asked (and integration tests can answer for the user).
 */
export interface Interaction {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showMessage<T extends string>(severity: Severity, message: string, options: MessageOptions, ...actions: T[]): Thenable<T | undefined>;
  openExternal(url: string): Thenable<boolean>;
  /** Long work with a notification progress; `token` cancels. */
  withProgress<T>(title: string, cancellable: boolean, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>): Thenable<T>;
  /** Where to save a file; undefined when the user cancels. */
  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
}

export class WindowInteraction implements Interaction {
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    return vscode.window.showInputBox(options);
  }

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    return vscode.window.showQuickPick(items, options);
  }

  showMessage<T extends string>(severity: Severity, message: string, options: MessageOptions, ...actions: T[]): Thenable<T | undefined> {
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return show<T>(message, options, ...actions);
  }

  openExternal(url: string): Thenable<boolean> {
    return vscode.env.openExternal(vscode.Uri.parse(url));
  }

  withProgress<T>(title: string, cancellable: boolean, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, task);
  }

  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined> {
    return vscode.window.showSaveDialog(options);
  }
}

/** Delegates to a replaceable target; only extension tests ever replace it. */
export class SwitchableInteraction implements Interaction {
  constructor(public target: Interaction) {}
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    return this.target.showInputBox(options);
  }
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    return this.target.showQuickPick(items, options);
  }
  showMessage<T extends string>(severity: Severity, message: string, options: MessageOptions, ...actions: T[]): Thenable<T | undefined> {
    return this.target.showMessage(severity, message, options, ...actions);
  }
  openExternal(url: string): Thenable<boolean> {
    return this.target.openExternal(url);
  }
  withProgress<T>(title: string, cancellable: boolean, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>): Thenable<T> {
    return this.target.withProgress(title, cancellable, task);
  }
  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined> {
    return this.target.showSaveDialog(options);
  }
}

/** Shows a message and runs the action the user picks: a command or a link. */
export async function showWithActions(
  ui: Interaction,
  severity: Severity,
  message: string,
  actions: ReadonlyArray<{ readonly label: string; readonly command?: string; readonly url?: string }>,
  options: MessageOptions = {},
): Promise<string | undefined> {
  const picked = await ui.showMessage(severity, message, options, ...actions.map((a) => a.label));
  const action = actions.find((a) => a.label === picked);
  if (action?.url) {
    await ui.openExternal(action.url);
  } else if (action?.command) {
    await vscode.commands.executeCommand(action.command);
  }
  return picked;
}
