import type * as vscode from 'vscode';
import type { SecretStorageFault } from '../testApi';

/**
 * Wraps the real SecretStorage and fails on demand. Only built in test mode, to reproduce failures
 * (no keyring, decryption errors) that a real VS Code cannot be told to produce.
 */
export class FaultInjectingSecretStorage implements vscode.SecretStorage {
  fault: SecretStorageFault | undefined;
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly inner: vscode.SecretStorage) {
    this.onDidChange = inner.onDidChange;
  }

  get(key: string): Thenable<string | undefined> {
    return this.maybeFail('get') ?? this.inner.get(key);
  }
  store(key: string, value: string): Thenable<void> {
    return this.maybeFail('store') ?? this.inner.store(key, value);
  }
  delete(key: string): Thenable<void> {
    return this.maybeFail('delete') ?? this.inner.delete(key);
  }
  keys(): Thenable<string[]> {
    return this.inner.keys();
  }

  private maybeFail(operation: SecretStorageFault['operation']): Promise<never> | undefined {
    return this.fault?.operation === operation ? Promise.reject(this.fault.error) : undefined;
  }
}
