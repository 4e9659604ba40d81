import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { KeyCommands } from './keyCommands';
import type { KeyValidator } from './keyValidation';

/**
 * The key commands' registrations, apart from their code: activation registers them, and
 * KeyCommands (in the on-demand bundle) is loaded when one first runs. Validate needs only the
 * validator, so the first check does not wait for that bundle.
 */
export function registerKeyCommands(keys: KeyCommands, validator: KeyValidator): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.setApiKey, () => keys.setApiKey()),
    vscode.commands.registerCommand(Commands.clearApiKey, () => keys.clearApiKey()),
    vscode.commands.registerCommand(Commands.showKeyStatus, () => keys.showKeyStatus()),
    vscode.commands.registerCommand(Commands.importKeyFromEnvironment, () => keys.importFromEnvironment(false)),
    vscode.commands.registerCommand(Commands.showKeyMenu, () => keys.showKeyMenu()),
    vscode.commands.registerCommand(Commands.validateApiKey, () => validator.validateActive()),
    vscode.commands.registerCommand(Commands.switchApiKey, () => keys.switchApiKey()),
    vscode.commands.registerCommand(Commands.addNamedApiKey, () => keys.addNamedApiKey()),
    vscode.commands.registerCommand(Commands.setAdminKey, () => keys.setAdminKey()),
    vscode.commands.registerCommand(Commands.clearAdminKey, () => keys.clearAdminKey()),
  ];
}
