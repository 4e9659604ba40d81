import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ApiProblem } from '../core/apiProblems';
import { activeEntry } from '../core/keyring';
import type { KeyCallOutcome, ValidationState } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { KeyStateTracker } from './keyStateTracker';
import type { KeyStore } from './keyStore';

export interface ValidationReport {
  readonly state: ValidationState | 'noKey';
  readonly masked?: string;
  readonly modelCount?: number;
  readonly problem?: ApiProblem;
}

/** Live checks of API keys, on demand only: after Set, on the Validate command, during rotation. */
export class KeyValidator {
  constructor(
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
    private readonly tracker: KeyStateTracker,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  /** Checks the active key, records the result for its name and tells the user. */
  async validateActive(): Promise<ValidationReport> {
    const keyring = await this.store.getKeyring();
    const active = activeEntry(keyring);
    if (active === undefined) {
      const explanation = explainApiProblem({ kind: 'noKey' }, vscode.l10n.t('Validate API Key'));
      void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
      return { state: 'noKey' };
    }
    const { name, key } = active;
    const masked = maskKey(key);
    const result = await this.check(key);
    // The tracker decides what the outcome means for the key: a 429 or a 5xx changes nothing.
    const outcome = result.ok ? { ok: true as const, modelCount: result.value.modelCount } : { ok: false as const, problem: result.problem.kind, area: 'models' as const };
    const state = (await this.tracker.recordCheck(name, key, outcome))?.state ?? 'unchecked';
    if (result.ok) {
      this.logger.info(`key ${masked} is valid (${result.value.modelCount} models)`);
      void this.ui.showMessage('info', vscode.l10n.t('Claude API key {0} works: it can see {1} models.', masked, result.value.modelCount), {});
      return { state, masked, modelCount: result.value.modelCount };
    }
    if (result.problem.kind === 'aborted') {
      // The user pressed Cancel: nothing went wrong, so nothing to explain.
      this.logger.info(`key ${masked} check cancelled`);
      return { state, masked, problem: result.problem };
    }
    this.logger.warn(`key ${masked} check failed: ${result.problem.kind}`);
    const explanation = explainApiProblem(result.problem, vscode.l10n.t('Checking {0}', masked));
    void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
    return { state, masked, problem: result.problem };
  }

  /** Records the result of a check made elsewhere (rotation's check of the new key) through the one writer. */
  record(name: string, key: string, outcome: KeyCallOutcome): ReturnType<KeyStateTracker['recordCheck']> {
    return this.tracker.recordCheck(name, key, outcome);
  }

  /** One live check with progress, which Cancel aborts (problem `aborted`); records nothing itself. */
  check(key: string): ReturnType<ClaudeClient['validateKey']> {
    return Promise.resolve(
      this.ui.withProgress(vscode.l10n.t('Checking Claude API key {0}…', maskKey(key)), true, async (_progress, token) => {
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        if (token.isCancellationRequested) {
          abort.abort();
        }
        try {
          return await this.client.validateKey(key, abort.signal);
        } finally {
          cancelled.dispose();
        }
      }),
    );
  }
}
