import * as vscode from 'vscode';
import { Settings, StateKeys } from '../constants';
import { parseSettings, type PromptSettings } from '../shared/promptProtocol';
import { DEFAULT_MODEL } from './modelCatalog';

/** The last settings used, or defaults from configuration and the models on offer. */
export function promptSettings(state: vscode.Memento, available: readonly string[]): PromptSettings {
  const saved = parseSettings(state.get<unknown>(StateKeys.promptSettings));
  if (saved) {
    return saved;
  }
  const config = vscode.workspace.getConfiguration(Settings.section);
  const preferred = config.get<string>(Settings.promptDefaultModel, DEFAULT_MODEL);
  // An alias such as claude-sonnet-5-5 matches a dated id such as claude-sonnet-5-5-20260901.
  const model = available.find((id) => id === preferred || id.startsWith(`${preferred}-`)) ?? available[0] ?? preferred;
  return { model, system: '', maxTokens: config.get<number>(Settings.promptMaxTokens, 1024), temperature: 1 };
}
