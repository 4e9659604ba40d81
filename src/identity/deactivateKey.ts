import * as vscode from 'vscode';
import { explainAdminKeyProblem } from '../api/apiProblemMessages';
import type { ClaudeClient } from '../api/claudeClient';
import { API_KEY_ENV_VAR, Commands } from '../constants';
import { maskKey } from '../core/mask';
import { parseFindingArgs } from '../detection/detectedKeyCommands';
import { isEditable } from '../detection/documentText';
import type { HardcodedKeyDiagnostics } from '../detection/hardcodedKeyDiagnostics';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { KeyIdentities } from './keyIdentities';

export interface DeactivateOutcome {
  readonly outcome: 'deactivated' | 'declined' | 'noAdminKey' | 'notInOrganisation' | 'notActive' | 'notFound' | 'invalid' | 'failed';
}

/**
 * "Deactivate this key in the organisation", from the hover of a found key or the diagnostic's quick
 * fix: names the key in a modal, sets its status to inactive with the stored Admin key, then offers
 * the existing fix that moves the code to ANTHROPIC_API_KEY (where the document can be edited).
 */
export class DeactivateDetectedKey {
  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly identities: KeyIdentities,
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  /** The command's entry (links and quick fixes pass the finding's document and position). */
  runCommand(...args: unknown[]): Promise<DeactivateOutcome> {
    const parsed = parseFindingArgs(args);
    return parsed ? this.run(parsed.uri, parsed.position) : Promise.resolve({ outcome: 'invalid' });
  }

  async run(uri: vscode.Uri, position: vscode.Position): Promise<DeactivateOutcome> {
    const wanted = uri.toString();
    const document = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === wanted);
    if (!document || position.line >= document.lineCount) {
      return { outcome: 'invalid' };
    }
    const found = this.diagnostics.findingAt(document, new vscode.Range(position, position));
    if (!found || found.finding.kind !== 'apiKey') {
      return { outcome: 'notFound' };
    }
    const masked = maskKey(found.key);
    // Fresh: the status may have changed in the Console since the hover.
    this.identities.forget();
    const answer = await this.identities.lookup(found.key);
    if (answer.kind === 'noAdminKey') {
      void showWithActions(this.ui, 'info', vscode.l10n.t('Deactivating a key needs an Admin key. Set one, then try again.'), [{ label: vscode.l10n.t('Set Admin Key'), command: Commands.setAdminKey }]);
      return { outcome: 'noAdminKey' };
    }
    if (answer.kind === 'failed') {
      const explanation = explainAdminKeyProblem(answer.problem, vscode.l10n.t('Looking the key up in the organisation'));
      void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
      return { outcome: 'failed' };
    }
    if (answer.kind === 'notInOrganisation') {
      void this.ui.showMessage('info', vscode.l10n.t('{0} is not one of your organisation\'s keys, so your Admin key cannot deactivate it.', masked), {});
      return { outcome: 'notInOrganisation' };
    }
    const { identity } = answer;
    if (identity.status !== 'active') {
      void this.ui.showMessage('info', vscode.l10n.t('The key "{0}" ({1}) is already {2}.', identity.name, masked, identity.status), {});
      return { outcome: 'notActive' };
    }
    const deactivate = vscode.l10n.t('Deactivate Key');
    const confirmed = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('Deactivate the key "{0}" ({1}) in the organisation?', identity.name, masked),
      {
        modal: true,
        detail: vscode.l10n.t('Every program that uses it stops working at once. Workspace {0}, created by {1} on {2}. It can be reactivated in the Console.', identity.workspace, identity.createdBy ?? '?', identity.createdAt),
      },
      deactivate,
    );
    if (confirmed !== deactivate) {
      return { outcome: 'declined' };
    }
    const adminKey = await this.store.getAdminKey().catch(() => undefined);
    if (adminKey === undefined) {
      return { outcome: 'noAdminKey' };
    }
    const result = await this.client.updateApiKeyStatus(adminKey, identity.id, 'inactive');
    this.identities.forget();
    if (!result.ok) {
      const explanation = explainAdminKeyProblem(result.problem, vscode.l10n.t('Deactivating {0}', masked));
      void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
      return { outcome: 'failed' };
    }
    this.logger.warn(`deactivated the organisation's key "${identity.name}" (${masked}, ${identity.id})`);
    if (!isEditable(document) || found.finding.encoding) {
      // Nothing to move here: a past commit's file is read-only, and an encoded key is removed by hand.
      void this.ui.showMessage('info', vscode.l10n.t('Deactivated "{0}" ({1}).', identity.name, masked), {});
      return { outcome: 'deactivated' };
    }
    const move = vscode.l10n.t('Move to {0}', API_KEY_ENV_VAR);
    void this.ui
      .showMessage('info', vscode.l10n.t('Deactivated "{0}" ({1}). Now take it out of the code?', identity.name, masked), {}, move)
      .then((picked) => (picked === move ? vscode.commands.executeCommand(Commands.moveDetectedKey, uri.toString(), position.line, position.character) : undefined));
    return { outcome: 'deactivated' };
  }
}
