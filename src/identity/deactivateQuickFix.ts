import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isKeyDiagnostic, type HardcodedKeyDiagnostics } from '../detection/hardcodedKeyDiagnostics';
import { offersKeyFixes } from '../detection/keyQuickFixes';
import type { KeyStore } from '../keys/keyStore';

/**
 * "Deactivate this key in the organisation" on the hard-coded key diagnostic of an API key, when an
 * Admin key is stored. Offering it sends nothing (SecretStorage is local): the organisation's key
 * list is read only when the user picks it, and DeactivateDetectedKey names the key in a modal before
 * changing anything. It edits no text, so read-only documents (a past commit's file) get it too.
 */
export class DeactivateQuickFix implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly store: KeyStore,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.languages.registerCodeActionsProvider('*', this, { providedCodeActionKinds: DeactivateQuickFix.providedCodeActionKinds })];
  }

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const keyDiagnostics = offersKeyFixes(context) ? context.diagnostics.filter(isKeyDiagnostic) : [];
    // The secret is read only when there is a finding here: not on every light bulb request.
    if (keyDiagnostics.length === 0 || (await this.store.getAdminKey().catch(() => undefined)) === undefined) {
      return [];
    }
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of keyDiagnostics) {
      // Only an API key has a status the Admin API can change.
      if (this.diagnostics.findingAt(document, diagnostic.range)?.finding.kind !== 'apiKey') {
        continue;
      }
      const action = new vscode.CodeAction(vscode.l10n.t('Deactivate this key in the organisation'), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = {
        title: action.title,
        command: Commands.deactivateDetectedKey,
        arguments: [document.uri.toString(), diagnostic.range.start.line, diagnostic.range.start.character],
      };
      actions.push(action);
    }
    return actions;
  }
}
