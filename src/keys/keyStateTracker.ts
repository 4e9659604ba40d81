import type * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { keyDigest, type ApiAttempt } from '../api/observedFetch';
import { keyNames } from '../core/keyring';
import { apiAreaOf, sameValidation, validationAfter, type KeyCallOutcome, type ValidationRecord } from '../core/keyStatus';
import type { Logger } from '../logging/logger';
import type { KeyStore } from './keyStore';

/**
 * One truth about each stored key's state: the only writer of its validation record. Fed by every
 * answer any call gets (through ClaudeClient.onAttempt: a prompt that works proves the key, a 401
 * anywhere disproves it) and by explicit checks (Validate, which also knows counts and time-outs).
 * The rules themselves are core/keyStatus validationAfter().
 */
export class KeyStateTracker implements vscode.Disposable {
  /** Serialises read-modify-write of the records within this window. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: KeyStore,
    client: ClaudeClient,
    private readonly logger: Logger,
  ) {
    this.subscription = client.onAttempt((attempt) => this.onAttempt(attempt));
  }

  /**
   * Records an explicit check of `key` under `name` (unless the name now holds another key) and
   * returns the record in force afterwards, or what it would be for a key Claude Keys keeps no record of.
   */
  recordCheck(name: string, key: string, outcome: KeyCallOutcome): Promise<ValidationRecord | undefined> {
    return this.enqueue(async () => {
      const previous = this.store.getMetadata(name)?.validation;
      const next = validationAfter(previous, outcome, new Date());
      if (next && (await this.store.getKeyring()).keys[name] === key) {
        await this.store.updateMetadata(name, { validation: next });
      }
      return next ?? previous;
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private onAttempt(attempt: ApiAttempt): void {
    const outcome = attempt.phase === 'answered' ? outcomeOfStatus(attempt.status, attempt.path) : undefined;
    const digest = attempt.keyDigest;
    if (!outcome || digest === undefined) {
      return;
    }
    void this.enqueue(async () => {
      const keyring = await this.store.getKeyring();
      // Admin keys and keys typed for a one-off check are not in the keyring: nothing to record.
      const name = keyNames(keyring).find((n) => keyDigest(keyring.keys[n]) === digest);
      if (name === undefined) {
        return;
      }
      const previous = this.store.getMetadata(name)?.validation;
      const next = validationAfter(previous, outcome, new Date());
      // Only a change is written: a working key must not rewrite globalState on every prompt.
      if (next && !sameValidation(previous, next)) {
        this.logger.info(`key "${name}" is now ${next.state} (a ${attempt.status} from ${attempt.path})`);
        await this.store.updateMetadata(name, { validation: next });
      }
    }).catch((error: unknown) => this.logger.warn(`could not record a key's state: ${error instanceof Error ? error.message : String(error)}`));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** What an HTTP status says about the key: success proves it, 401 and 403 are about it, the rest says nothing. */
function outcomeOfStatus(status: number | undefined, path: string): KeyCallOutcome | undefined {
  if (status === undefined) {
    return undefined;
  }
  if (status >= 200 && status < 300) {
    return { ok: true };
  }
  if (status === 401 || status === 403) {
    return { ok: false, problem: status === 401 ? 'invalidKey' : 'permission', area: apiAreaOf(path) };
  }
  return undefined;
}
