import * as vscode from 'vscode';
import { explainAdminKeyProblem } from '../api/apiProblemMessages';
import { Commands } from '../constants';
import type { KeyIdentity } from '../core/keyIdentity';
import { maskKey } from '../core/mask';
import type { HardcodedKeyDiagnostics } from '../detection/hardcodedKeyDiagnostics';
import type { KeyIdentities } from './keyIdentities';

/** The hover's sentence about whose key it is. */
export function describeIdentity(identity: KeyIdentity): string {
  return vscode.l10n.t(
    'It is the organisation\'s key "{0}" (workspace {1}), status {2}, created by {3} on {4}.',
    identity.name,
    identity.workspace,
    identity.status,
    identity.createdBy ?? vscode.l10n.t('an unrecorded creator'),
    identity.createdAt,
  );
}

/**
 * On a found API key, with an Admin key stored: whose key it is, whether it is still active, and a
 * link to deactivate it. Without an Admin key nothing is sent (the hover says how to get the answer).
 */
export class IdentityHover implements vscode.HoverProvider {
  constructor(
    private readonly diagnostics: HardcodedKeyDiagnostics,
    private readonly identities: KeyIdentities,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const found = this.diagnostics.findingAt(document, new vscode.Range(position, position));
    if (!found || found.finding.kind !== 'apiKey') {
      return undefined;
    }
    const answer = await this.identities.lookup(found.key);
    const masked = maskKey(found.key);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [Commands.deactivateDetectedKey, Commands.setAdminKey] };
    md.appendMarkdown(`**Claude Keys** · \`${masked}\`\n\n`);
    switch (answer.kind) {
      case 'noAdminKey':
        md.appendText(vscode.l10n.t('Set an Admin key to see which of your organisation\'s keys this is.') + ' ');
        md.appendMarkdown(`[${vscode.l10n.t('Set Admin Key')}](command:${Commands.setAdminKey})`);
        break;
      case 'notInOrganisation':
        md.appendText(vscode.l10n.t('It is not one of your organisation\'s keys (no key hint matches).'));
        break;
      case 'failed':
        md.appendText(explainAdminKeyProblem(answer.problem, vscode.l10n.t('Looking the key up in the organisation')).message);
        break;
      case 'found': {
        md.appendText(describeIdentity(answer.identity));
        if (answer.identity.status === 'active') {
          const args = encodeURIComponent(JSON.stringify([document.uri.toString(), position.line, position.character]));
          md.appendMarkdown(`\n\n[${vscode.l10n.t('Deactivate this key in the organisation')}](command:${Commands.deactivateDetectedKey}?${args})`);
        }
        break;
      }
    }
    const { finding } = found;
    return new vscode.Hover(md, new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn));
  }
}
