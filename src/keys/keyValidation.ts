import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ApiProblem } from '../core/apiProblems';
import { activeEntry } from '../core/keyring';
import type { ValidationState } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { KeyStore } from './keyStore';

export interface ValidationReport {
  readonly state: ValidationState | 'noKey';
  readonly masked?: string;
  readonly modelCount?: number;
  readonly problem?: ApiProblem;
}

/** What a failed check says about the key: only 401/403 mean the key itself cannot be used. */
export function validationStateFor(problem: ApiProblem): ValidationState {
  switch (problem.kind) {
    case 'invalidKey':
    case 'permission':
      return 'invalid';
    case 'network':
    case 'timeout':
      return 'offline';
    default:
      return 'unchecked';
  }
}

/** Live checks of API keys, on demand only: after Set, on the Validate command, during rotation. */
export class KeyValidator {
  constructor(
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
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
    const state = result.ok ? 'valid' : validationStateFor(result.problem);
    // Record only if the key was not replaced while the check ran.
    if ((await this.store.getKeyring()).keys[name] === key) {
      await this.store.updateMetadata(name, {
        validation: {
          state,
          checkedAt: new Date().toISOString(),
          ...(result.ok ? { modelCount: result.value.modelCount } : { problem: result.problem.kind }),
        },
      });
    }
    if (result.ok) {
      this.logger.info(`key ${masked} is valid (${result.value.modelCount} models)`);
      void this.ui.showMessage('info', vscode.l10n.t('Claude API key {0} works: it can see {1} models.', masked, result.value.modelCount), {});
      return { state, masked, modelCount: result.value.modelCount };
    }
    this.logger.warn(`key ${masked} check failed: ${result.problem.kind}`);
    const explanation = explainApiProblem(result.problem, vscode.l10n.t('Checking {0}', masked));
    void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
    return { state, masked, problem: result.problem };
  }

  /** One live check with progress; records nothing. */
  check(key: string): ReturnType<ClaudeClient['validateKey']> {
    return Promise.resolve(this.ui.withProgress(vscode.l10n.t('Checking Claude API key {0}…', maskKey(key)), false, () => this.client.validateKey(key)));
  }
}
