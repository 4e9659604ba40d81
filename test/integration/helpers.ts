import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, SecretKeys, StateKeys } from '../../src/constants';
import type { StatusBarSnapshot } from '../../src/keys/keyStatusBar';
import type { ClaudeKeysTestApi } from '../../src/testApi';

export async function activateExtension(): Promise<ClaudeKeysTestApi> {
  const extension = vscode.extensions.getExtension<ClaudeKeysTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api, 'activate() returned no test API: is the extension running in ExtensionMode.Test?');
  return api;
}

export async function resetState(api: ClaudeKeysTestApi): Promise<void> {
  api.injectSecretStorageFault(undefined);
  api.setInteraction(undefined);
  if ((await api.secrets.get(SecretKeys.apiKey)) !== undefined) {
    await api.secrets.delete(SecretKeys.apiKey);
  }
  for (const key of Object.values(StateKeys)) {
    await api.globalState.update(key, undefined);
  }
  await api.refreshStatusBar();
}

/** Resolves with the first status bar refresh that satisfies `predicate` (or the current state). */
export function waitForStatusBar(api: ClaudeKeysTestApi, predicate: (s: StatusBarSnapshot) => boolean, timeoutMs = 5000): Promise<StatusBarSnapshot> {
  const now = api.statusBar();
  if (predicate(now)) {
    return Promise.resolve(now);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`status bar stayed ${JSON.stringify(api.statusBar())}`));
    }, timeoutMs);
    const sub = api.onStatusBarRefresh((s) => {
      if (predicate(s)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(s);
      }
    });
  });
}

/** Everything the extension keeps outside SecretStorage that a key could leak into. */
export function everythingPersisted(api: ClaudeKeysTestApi): string {
  const state = Object.fromEntries(api.globalState.keys().map((k) => [k, api.globalState.get(k)]));
  const settings = vscode.workspace.getConfiguration('claudeKeys');
  return JSON.stringify({ state, settings, log: api.logLines(), statusBar: api.statusBar() });
}
