import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { DIAGNOSTIC_COLLECTION, EXTENSION_ID, SecretKeys, Settings, StateKeys } from '../../src/constants';
import { activeKey, parseKeyring, serializeKeyring, type Keyring } from '../../src/core/keyring';
import type { KeyMetadata } from '../../src/core/keyStatus';
import type { StatusBarSnapshot } from '../../src/keys/keyStatusBar';
import type { ClaudeKeysTestApi } from '../../src/testApi';
import { FakeAnthropicApi } from '../fakes/fakeAnthropicApi';

let fake: FakeAnthropicApi | undefined;

/** One loopback fake of the Claude API for the whole run; the extension is pointed at it. */
export async function fakeApi(): Promise<FakeAnthropicApi> {
  if (!fake) {
    fake = await FakeAnthropicApi.start();
  }
  await vscode.workspace.getConfiguration(Settings.section).update(Settings.apiBaseUrl, fake.url, vscode.ConfigurationTarget.Global);
  return fake;
}

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
  for (const secret of Object.values(SecretKeys)) {
    if ((await api.secrets.get(secret)) !== undefined) {
      await api.secrets.delete(secret);
    }
  }
  for (const key of Object.values(StateKeys)) {
    await api.globalState.update(key, undefined);
  }
  fake?.reset();
  await api.refreshStatusBar();
}

export async function keyring(api: ClaudeKeysTestApi): Promise<Keyring> {
  return parseKeyring(await api.secrets.get(SecretKeys.keyring));
}

/** The active API key as stored in SecretStorage. */
export async function storedKey(api: ClaudeKeysTestApi): Promise<string | undefined> {
  return activeKey(await keyring(api));
}

/** Writes SecretStorage directly, as another window (or an older session) would. */
export async function storeDirectly(api: ClaudeKeysTestApi, keys: Record<string, string>, active?: string): Promise<void> {
  await api.secrets.store(SecretKeys.keyring, serializeKeyring({ active: active ?? Object.keys(keys)[0], keys }));
}

export function metadata(api: ClaudeKeysTestApi, name = 'default'): KeyMetadata | undefined {
  return api.globalState.get<Record<string, KeyMetadata>>(StateKeys.keyMetadata)?.[name];
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
  const settings = vscode.workspace.getConfiguration(Settings.section);
  return JSON.stringify({ state, settings, log: api.logLines(), statusBar: api.statusBar() });
}

/** Fails if `text` holds the key or any 20 characters of it in a row. */
export function assertNoKey(text: string, key: string, where: string): void {
  assert.ok(!text.includes(key), `the key is in ${where}`);
  for (let i = 0; i + 20 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 20)), `${where} holds the key's characters ${i}–${i + 20}`);
  }
}

/** Lets fire-and-forget follow-ups (a message's action) run. */
export function settle(ms = 50): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The diagnostics Claude Keys put on `uri` (other extensions' markers left out). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_COLLECTION);
}

/** Reads until `read` gives a value, every `intervalMs`; throws naming `what` after `timeoutMs`. */
export async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8000, intervalMs = 50): Promise<T> {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > stop) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await settle(intervalMs);
  }
}

/** Waits until Claude Keys has exactly `n` diagnostics on `uri`, and returns them. */
export function diagnosticsCount(uri: vscode.Uri, n: number): Promise<vscode.Diagnostic[]> {
  return until(() => (ourDiagnostics(uri).length === n ? ourDiagnostics(uri) : undefined), `${n} diagnostics`);
}

/** A loopback port nobody listens on (fetch refuses some well-known ports outright, so not 9). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let untitledCount = 0;

/**
 * A new untitled document with this text. Not openTextDocument({ content }): that names documents
 * Untitled-N and reuses a number as soon as its editor closes, while the extension host may still
 * hold the closed document under that name and hand back its old text.
 */
export async function untitledDocument(language: string, content: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `claude-keys-test-${++untitledCount}` });
  const doc = await vscode.workspace.openTextDocument(uri);
  if (content) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), content);
    assert.ok(await vscode.workspace.applyEdit(edit), 'could not fill the untitled document');
  }
  const typed = await vscode.languages.setTextDocumentLanguage(doc, language);
  assert.equal(typed.getText(), content);
  return typed;
}
