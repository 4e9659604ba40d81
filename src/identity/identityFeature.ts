import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import type { HardcodedKeyDiagnostics } from '../detection/hardcodedKeyDiagnostics';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { Commands } from '../constants';
import { Lazy, onFirstUse } from '../core/lazy';
import { loadOnDemand } from '../loadOnDemand';
import type { DeactivateDetectedKey } from './deactivateKey';
import { DeactivateQuickFix } from './deactivateQuickFix';
import type { IdentityHover } from './identityHover';
import type { KeyIdentities } from './keyIdentities';

/**
 * Which key is it: the hover on found keys, and the Deactivate command its link and a quick fix run.
 * The lookup, hover text and deactivation (dist/onDemand.js) load on the first hover or command.
 */
export function createIdentityFeature(deps: { diagnostics: HardcodedKeyDiagnostics; store: KeyStore; client: ClaudeClient; ui: Interaction; logger: Logger }) {
  const made = new Lazy<KeyIdentities>(() => new (loadOnDemand().KeyIdentities)(deps.store, deps.client));
  const identities = onFirstUse(() => made.value);
  const hover = onFirstUse<IdentityHover>(() => new (loadOnDemand().IdentityHover)(deps.diagnostics, identities));
  const deactivate = onFirstUse<DeactivateDetectedKey>(
    () => new (loadOnDemand().DeactivateDetectedKey)(deps.diagnostics, identities, deps.store, deps.client, deps.ui, deps.logger),
  );
  const quickFix = new DeactivateQuickFix(deps.diagnostics, deps.store);
  return {
    identities,
    hover,
    deactivate,
    register: (): vscode.Disposable[] => [
      vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], { provideHover: (document, position) => hover.provideHover(document, position) }),
      // A new Admin key may see another organisation (nothing to forget before the first lookup).
      deps.store.onDidChange(() => made.isMade && made.value.forget()),
      vscode.commands.registerCommand(Commands.deactivateDetectedKey, (...args: unknown[]) => deactivate.runCommand(...args)),
      ...quickFix.register(),
    ],
  };
}
