import type * as vscode from 'vscode';
import { API_KEY_ENV_VAR, StateKeys } from '../constants';

/** Where and how the process environment is read; injected so it is explicit. */
export interface EnvironmentSource {
  get(name: string): string | undefined;
}

/**
 * Whether the start-up import of ANTHROPIC_API_KEY has anything to offer: the variable is set and it
 * was not offered before. Activation asks this before loading the command code that does the rest.
 */
export function environmentOffersKey(environment: EnvironmentSource, state: vscode.Memento): boolean {
  return environment.get(API_KEY_ENV_VAR) !== undefined && !state.get<boolean>(StateKeys.environmentImportOffered);
}
