import * as vscode from 'vscode';
import { Settings, StateKeys } from '../constants';
import { maskSecretsInAnyForm } from '../core/maskAnyForm';
import type { HistoryEntry, PromptSettings } from '../shared/promptProtocol';

const MAX_ENTRIES = 30;

/** Recent prompts in globalState; the prompt text only when `claudeKeys.prompt.keepHistory` is on. */
export class PromptHistory {
  constructor(private readonly state: vscode.Memento) {}

  keepText(): boolean {
    return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.promptKeepHistory, true);
  }

  entries(): HistoryEntry[] {
    const value = this.state.get<unknown>(StateKeys.promptHistory);
    return Array.isArray(value) ? (value.filter(isEntry) as HistoryEntry[]) : [];
  }

  async add(prompt: string, settings: PromptSettings): Promise<HistoryEntry[]> {
    const keep = this.keepText();
    // A key pasted into a prompt must not be kept: mask anything key-shaped.
    const entry: HistoryEntry = {
      id: globalThis.crypto.randomUUID(),
      at: new Date().toISOString(),
      model: settings.model,
      prompt: keep ? maskSecretsInAnyForm(prompt) : '',
      system: keep ? maskSecretsInAnyForm(settings.system) : '',
    };
    const next = [entry, ...this.entries()].slice(0, MAX_ENTRIES);
    await this.state.update(StateKeys.promptHistory, next);
    return next;
  }

  async clear(): Promise<void> {
    await this.state.update(StateKeys.promptHistory, undefined);
  }
}

function isEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.at === 'string' && typeof v.model === 'string' && typeof v.prompt === 'string' && typeof v.system === 'string';
}
