import * as vscode from 'vscode';
import { Settings, StateKeys } from '../constants';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import { parseSettings, type PromptSettings } from '../shared/promptProtocol';
import { DEFAULT_MODEL } from './modelCatalog';

/**
 * Which settings a prompt uses:
 * - Quick Prompt: the configuration (`claudeKeys.prompt.defaultModel`, `.maxTokens`), no system prompt.
 * - A new panel: the choices last sent from a panel, except for a setting changed since then (the
 *   configuration each choice was made under is saved with it). An open panel keeps its own form.
 */

interface Configured {
  readonly model: string;
  readonly maxTokens: number;
}

/** What is kept in globalState: the panel's choices and the configuration they were made under. */
interface SavedChoices extends PromptSettings {
  readonly basis: Configured;
}

function configured(): Configured {
  const config = vscode.workspace.getConfiguration(Settings.section);
  return { model: config.get<string>(Settings.promptDefaultModel, DEFAULT_MODEL), maxTokens: config.get<number>(Settings.promptMaxTokens, 1024) };
}

function keepText(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.promptKeepHistory, true);
}

/** An alias such as claude-sonnet-5-5 matches a dated id such as claude-sonnet-5-5-20260901. */
function resolveModel(preferred: string, available: readonly string[]): string {
  return available.find((id) => id === preferred || id.startsWith(`${preferred}-`)) ?? available[0] ?? preferred;
}

/** Quick Prompt's settings: the configuration only, so the panel's choices never leak into it. */
export function configuredPromptSettings(available: readonly string[]): PromptSettings {
  const now = configured();
  return { model: resolveModel(now.model, available), system: '', maxTokens: now.maxTokens, temperature: 1 };
}

/** A new panel's settings: the last choices, unless the configuration changed since they were made. */
export function panelPromptSettings(state: vscode.Memento, available: readonly string[]): PromptSettings {
  const defaults = configuredPromptSettings(available);
  const saved = parseSaved(state.get<unknown>(StateKeys.promptSettings));
  if (!saved) {
    return defaults;
  }
  const now = configured();
  return {
    model: saved.basis.model === now.model ? saved.model : defaults.model,
    maxTokens: saved.basis.maxTokens === now.maxTokens ? saved.maxTokens : defaults.maxTokens,
    temperature: saved.temperature,
    system: keepText() ? saved.system : '',
  };
}

/** Remembers a panel's choices. The system prompt is prompt text: kept masked, and only with history on. */
export async function savePanelChoices(state: vscode.Memento, settings: PromptSettings): Promise<void> {
  const saved: SavedChoices = {
    model: settings.model,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
    system: keepText() ? maskSecretsInAnyForm(settings.system) : '',
    basis: configured(),
  };
  await state.update(StateKeys.promptSettings, saved);
}

/** Clear History: the saved system prompt is prompt text too; the other choices stay. */
export async function forgetSavedSystemPrompt(state: vscode.Memento): Promise<void> {
  const saved = parseSaved(state.get<unknown>(StateKeys.promptSettings));
  if (saved && saved.system !== '') {
    await state.update(StateKeys.promptSettings, { ...saved, system: '' });
  }
}

function parseSaved(value: unknown): SavedChoices | undefined {
  const settings = parseSettings(value);
  const basis = (value as { basis?: unknown } | undefined)?.basis;
  if (!settings || typeof basis !== 'object' || basis === null) {
    return undefined;
  }
  const { model, maxTokens } = basis as Record<string, unknown>;
  if (typeof model !== 'string' || typeof maxTokens !== 'number') {
    return undefined;
  }
  // Masked again on the way out: nothing key-shaped reaches a panel from here.
  return { ...settings, system: maskSecretsInAnyForm(settings.system), basis: { model, maxTokens } };
}
