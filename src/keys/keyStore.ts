import * as vscode from 'vscode';
import { SecretKeys, StateKeys } from '../constants';
import {
  activeKey,
  DEFAULT_KEY_NAME,
  EMPTY_KEYRING,
  parseKeyring,
  serializeKeyring,
  unusedName,
  withActive,
  withKey,
  withoutKey,
  type Keyring,
} from '../core/keyring';
import { isKeyMetadata, type KeyMetadata, type KeySource } from '../core/keyStatus';
import { maskSecrets } from '../core/mask';
import { classifySecretStorageError, type SecretStorageFailure } from '../core/secretStorageErrors';
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
 * Whether `error` is a SecretStorageError. By its name, not instanceof: the on-demand bundle
 * (dist/onDemand.js) has its own copy of this class, and the store in dist/extension.js throws.
 */
export function isSecretStorageError(error: unknown): error is SecretStorageError {
  return error instanceof Error && error.name === 'SecretStorageError' && typeof (error as { failure?: unknown }).failure === 'string';
}

/**
 * The one place keys are read or written. Keys live only in SecretStorage (one JSON entry for the
 * named API keys, one for the admin key); dates and check results are not secret and live in
 * globalState, by key name.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a stored key changes in this or any other window. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Serialises read-modify-write of the keyring within this window. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SecretKeys.keyring || e.key === SecretKeys.adminKey) {
        this.changed.fire();
      }
    });
  }

  async getKeyring(): Promise<Keyring> {
    const raw = await this.read(SecretKeys.keyring);
    try {
      return parseKeyring(raw);
    } catch (error) {
      // Unreadable JSON is treated as empty; the next store replaces it. A fixed description only:
      // JSON.parse's message quotes the secret around the error, tail without its sk-ant- prefix.
      const why = error instanceof SyntaxError ? 'not valid JSON' : 'not a keyring object';
      this.logger.warn(`stored keyring could not be parsed: ${why}`);
      return EMPTY_KEYRING;
    }
  }

  /** The active API key, if any. */
  async getApiKey(): Promise<string | undefined> {
    return activeKey(await this.getKeyring());
  }

  /**
   * Stores `key` under `name` (default: the active name, else "default" or the first free name
   * after it, so no inactive key is overwritten) and records when.
   */
  async setApiKey(key: string, source: KeySource, name?: string, makeActive = false): Promise<string> {
    return this.update(async (keyring) => {
      const target = name ?? keyring.active ?? unusedName(keyring, DEFAULT_KEY_NAME);
      const next = withKey(keyring, target, key, makeActive);
      await this.write(next);
      const previous = this.getMetadata(target);
      await this.putMetadata(target, {
        setAt: new Date().toISOString(),
        source,
        ...(source === 'rotation' ? { rotatedAt: new Date().toISOString() } : {}),
        ...(previous?.reminder?.disabled ? { reminder: { disabled: true } } : {}),
      });
      return target;
    });
  }

  /**
   * Removes the named key (default: the active one). Returns the name removed, if any. When it was
   * active, another key becomes active unless `activateAnother` is false (then none is, until a key
   * is stored or picked).
   */
  async removeApiKey(name?: string, activateAnother = true): Promise<string | undefined> {
    return this.update(async (keyring) => {
      const target = name ?? keyring.active;
      if (target === undefined || !Object.hasOwn(keyring.keys, target)) {
        return undefined;
      }
      await this.write(withoutKey(keyring, target, activateAnother));
      await this.putMetadata(target, undefined);
      return target;
    });
  }

  async setActive(name: string): Promise<void> {
    await this.update(async (keyring) => this.write(withActive(keyring, name)));
  }

  async getAdminKey(): Promise<string | undefined> {
    return (await this.read(SecretKeys.adminKey)) || undefined;
  }

  async setAdminKey(key: string): Promise<void> {
    try {
      await this.secrets.store(SecretKeys.adminKey, key);
    } catch (error) {
      throw this.failed('store', error);
    }
  }

  async clearAdminKey(): Promise<void> {
    try {
      await this.secrets.delete(SecretKeys.adminKey);
    } catch (error) {
      throw this.failed('delete', error);
    }
  }

  getMetadata(name: string | undefined): KeyMetadata | undefined {
    if (name === undefined) {
      return undefined;
    }
    const value = this.allMetadata()[name];
    return isKeyMetadata(value) ? value : undefined;
  }

  async updateMetadata(name: string, patch: Partial<KeyMetadata>): Promise<void> {
    const current = this.getMetadata(name);
    if (current) {
      await this.putMetadata(name, { ...current, ...patch });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private allMetadata(): Record<string, unknown> {
    const value = this.state.get<unknown>(StateKeys.keyMetadata);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  }

  private async putMetadata(name: string, metadata: KeyMetadata | undefined): Promise<void> {
    const all = { ...this.allMetadata() };
    if (metadata === undefined) {
      delete all[name];
    } else {
      all[name] = metadata;
    }
    await this.state.update(StateKeys.keyMetadata, all);
    // Dates and check results change what the status bar shows.
    this.changed.fire();
  }

  private update<T>(change: (keyring: Keyring) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => change(await this.getKeyring()));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(secret: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(secret);
    } catch (error) {
      throw this.failed('read', error);
    }
  }

  private async write(keyring: Keyring): Promise<void> {
    try {
      if (Object.keys(keyring.keys).length === 0) {
        await this.secrets.delete(SecretKeys.keyring);
      } else {
        await this.secrets.store(SecretKeys.keyring, serializeKeyring(keyring));
      }
    } catch (error) {
      throw this.failed(Object.keys(keyring.keys).length === 0 ? 'delete' : 'store', error);
    }
  }

  private failed(operation: SecretStorageError['operation'], cause: unknown): SecretStorageError {
    const error = new SecretStorageError(operation, cause);
    this.logger.error(`SecretStorage ${operation} failed (${error.failure})`, cause);
    return error;
  }
}
