import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import type { HardcodedKeyDiagnostics } from '../detection/hardcodedKeyDiagnostics';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { DeactivateDetectedKey } from './deactivateKey';
import { DeactivateQuickFix } from './deactivateQuickFix';
import { IdentityHover } from './identityHover';
import { KeyIdentities } from './keyIdentities';

/** Which key is it: the hover on found keys, and the Deactivate command its link and a quick fix run. */
export function createIdentityFeature(deps: { diagnostics: HardcodedKeyDiagnostics; store: KeyStore; client: ClaudeClient; ui: Interaction; logger: Logger }) {
  const identities = new KeyIdentities(deps.store, deps.client);
  const hover = new IdentityHover(deps.diagnostics, identities);
  const deactivate = new DeactivateDetectedKey(deps.diagnostics, identities, deps.store, deps.client, deps.ui, deps.logger);
  const quickFix = new DeactivateQuickFix(deps.diagnostics, deps.store);
  return {
    identities,
    hover,
    deactivate,
    register: (): vscode.Disposable[] => [
      vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], hover),
      // A new Admin key may see another organisation.
      deps.store.onDidChange(() => identities.forget()),
      ...deactivate.register(),
      ...quickFix.register(),
    ],
  };
}
