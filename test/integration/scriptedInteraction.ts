import * as vscode from 'vscode';
import type { Interaction, MessageOptions, Severity } from '../../src/ui/interaction';

export interface RecordedMessage {
  readonly severity: Severity;
  readonly message: string;
  readonly options: MessageOptions;
  readonly actions: readonly string[];
}

export interface RecordedInputBox {
  readonly options: vscode.InputBoxOptions;
  /** What validateInput said for each value typed, in order ('' when it accepted the value). */
  readonly validation: string[];
}

/**
 * Plays the user. The real command code builds the real InputBoxOptions; this runs their
 * validateInput on each "typed" value exactly as VS Code does, and submits only an accepted value.
 */
export class ScriptedInteraction implements Interaction {
  readonly messages: RecordedMessage[] = [];
  readonly inputBoxes: RecordedInputBox[] = [];
  readonly quickPicks: string[][] = [];
  readonly openedUrls: string[] = [];
  readonly progressTitles: string[] = [];
  /** Whether each withProgress offered a Cancel button, in order. */
  readonly progressCancellable: boolean[] = [];
  /** Cancels the next withProgress task as soon as it starts (the user clicks Cancel). */
  cancelProgress = false;
  /** Cancels the next withProgress task this many ms after it starts (Cancel while it waits). */
  cancelProgressAfterMs: number | undefined;
  /** Cancels a withProgress task when it reports a message this returns true for (Cancel mid-way). */
  cancelProgressOn: (message: string) => boolean = () => false;
  /** Every progress message reported, in order. */
  readonly progressReports: string[] = [];
  /** One entry per input box still to come: the values typed into it, in order. */
  private typing: string[][] = [];
  answerMessage: (message: RecordedMessage) => string | undefined = () => undefined;
  /** Where the user saves a file (undefined = Cancel); every save dialog's options are kept. */
  saveTo: (options: vscode.SaveDialogOptions) => vscode.Uri | undefined = () => undefined;
  readonly saveDialogs: vscode.SaveDialogOptions[] = [];
  pickLabel: (labels: string[]) => string | undefined = () => undefined;

  /** The user types these values one after the other into the next input box, then presses Enter. */
  type(...values: string[]): this {
    this.typing.push(values);
    return this;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const record: RecordedInputBox = { options, validation: [] };
    this.inputBoxes.push(record);
    const values = this.typing.shift() ?? [];
    let accepted = true;
    for (const value of values) {
      const result = await options.validateInput?.(value);
      const message = result === undefined || result === null ? '' : typeof result === 'string' ? result : result.message;
      record.validation.push(message);
      accepted = message === '';
    }
    // Enter on an invalid value does nothing in VS Code; the user gives up with Escape.
    return values.length > 0 && accepted ? values[values.length - 1] : undefined;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[]): Promise<T | undefined> {
    const labels = items.map((i) => i.label);
    this.quickPicks.push(labels);
    const label = this.pickLabel(labels);
    return items.find((i) => i.label === label);
  }

  async showMessage<T extends string>(severity: Severity, message: string, options: MessageOptions, ...actions: T[]): Promise<T | undefined> {
    const record = { severity, message, options, actions };
    this.messages.push(record);
    return this.answerMessage(record) as T | undefined;
  }

  async openExternal(url: string): Promise<boolean> {
    this.openedUrls.push(url);
    return true;
  }

  async withProgress<T>(
    title: string,
    cancellable: boolean,
    task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>,
  ): Promise<T> {
    this.progressTitles.push(title);
    this.progressCancellable.push(cancellable);
    const source = new vscode.CancellationTokenSource();
    if (this.cancelProgress) {
      source.cancel();
    }
    // Only a Cancel button the notification shows can be clicked.
    const later = cancellable && this.cancelProgressAfterMs !== undefined ? setTimeout(() => source.cancel(), this.cancelProgressAfterMs) : undefined;
    this.cancelProgressAfterMs = undefined;
    const report = ({ message }: { message?: string }): void => {
      this.progressReports.push(message ?? '');
      if (this.cancelProgressOn(message ?? '')) {
        source.cancel();
      }
    };
    try {
      return await task({ report }, source.token);
    } finally {
      clearTimeout(later);
      source.dispose();
    }
  }

  async showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.saveDialogs.push(options);
    return this.saveTo(options);
  }

  /** Everything the user was shown, as one string, to prove a secret never appeared. */
  everythingShown(): string {
    return JSON.stringify({
      messages: this.messages,
      inputs: this.inputBoxes.map((b) => ({ ...b, options: { ...b.options, validateInput: undefined } })),
      picks: this.quickPicks,
      progress: this.progressTitles,
    });
  }
}
