import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { Commands } from '../constants';
import { Lazy, onFirstUse } from '../core/lazy';
import type { KeyStore } from '../keys/keyStore';
import type { ModelCatalog } from './modelCatalog';
import type * as Prompting from './prompting';
import type { PromptCommands } from './promptCommands';
import type { PromptRunner } from './promptRunner';

/** The prompt code, loaded on first use. Bundled, the require() reads dist/prompting.js; unbundled, ./prompting. */
export function loadPrompting(): typeof Prompting {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the prompt code back into activation
  return require('./prompting') as typeof Prompting;
}

/** The palette's prompt commands, registered at activation apart from their code (PromptCommands, loaded when one runs). */
export function registerPromptCommands(panel: { show(): unknown }, commands: PromptCommands): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.openPromptPanel, () => void panel.show()),
    vscode.commands.registerCommand(Commands.quickPrompt, () => commands.quickPrompt()),
    vscode.commands.registerCommand(Commands.sendSelectionAsPrompt, () => commands.sendSelection()),
  ];
}

/** The runner and the model list as activation sees them: made (dist/prompting.js) on first use. */
export function lazyPromptServices(client: ClaudeClient, store: KeyStore): { runner: PromptRunner; catalog: ModelCatalog; subscriptions: vscode.Disposable[] } {
  const catalog = new Lazy<ModelCatalog>(() => new (loadPrompting().ModelCatalog)(client));
  return {
    runner: onFirstUse<PromptRunner>(() => new (loadPrompting().PromptRunner)(client)),
    catalog: onFirstUse(() => catalog.value),
    // Another key may see other models; there is nothing to forget before the first list.
    subscriptions: [store.onDidChange(() => catalog.isMade && catalog.value.invalidate())],
  };
}
