import * as vscode from 'vscode';
import { SecretKeys, StateKeys } from '../constants';
import { classifySecretStorageError, type SecretStorageFailure } from '../core/secretStorageErrors';
import { isKeyMetadata, type KeyMetadata } from '../core/keyStatus';
import { maskSecrets } from '../core/mask';
import type { Logger } from '../logging/logger';

/** SecretStorage failed; the message is safe to show (masked, no key material). */
export class SecretStorageError extends Error {
  readonly failure: SecretStorageFailure;
  constructor(
    readonly operation: 'read' | 'store' | 'delete',
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(maskSecrets(`SecretStorage ${operation} failed: ${detail}`));
    this.name = 'SecretStorageError';
    this.failure = classifySecretStorageError(cause);
  }
}

/**
 * The one place the API key is read or written. The key lives only in SecretStorage; the date it was
 * set is not secret and lives in globalState.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the stored key changes in this or any other window. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SecretKeys.apiKey) {
        this.changed.fire();
      }
    });
  }

  async getApiKey(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(SecretKeys.apiKey)) || undefined;
    } catch (error) {
      throw this.failed('read', error);
    }
  }

  async setApiKey(key: string, source: KeyMetadata['source']): Promise<void> {
    try {
      await this.secrets.store(SecretKeys.apiKey, key);
    } catch (error) {
      throw this.failed('store', error);
    }
    const metadata: KeyMetadata = { setAt: new Date().toISOString(), source };
    await this.state.update(StateKeys.apiKeyMetadata, metadata);
  }

  async clearApiKey(): Promise<void> {
    try {
      await this.secrets.delete(SecretKeys.apiKey);
    } catch (error) {
      throw this.failed('delete', error);
    }
    await this.state.update(StateKeys.apiKeyMetadata, undefined);
  }

  getMetadata(): KeyMetadata | undefined {
    const value = this.state.get<unknown>(StateKeys.apiKeyMetadata);
    return isKeyMetadata(value) ? value : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private failed(operation: SecretStorageError['operation'], cause: unknown): SecretStorageError {
    const error = new SecretStorageError(operation, cause);
    this.logger.error(`SecretStorage ${operation} failed (${error.failure})`, cause);
    return error;
  }
}
