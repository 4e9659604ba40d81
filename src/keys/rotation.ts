import * as vscode from 'vscode';
import type { ClaudeClient } from '../api/claudeClient';
import { explainApiProblem } from '../api/apiProblemMessages';
import { Commands, Urls } from '../constants';
import { maskKey } from '../core/mask';
import { matchesPartialKeyHint } from '../core/partialKeyHint';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import type { KeyValidator } from './keyValidation';
import { promptForApiKey } from './keyPrompts';
import type { KeyStore } from './keyStore';
import { readKeyringOrExplain, reportStorageFailure } from './storageFailure';

export interface RotationOutcome {
  readonly outcome: 'rotated' | 'cancelled' | 'failed' | 'noKey';
  readonly masked?: string;
  readonly oldMasked?: string;
  /** What happened to the old key at Anthropic. */
  readonly oldKey?: 'deactivated' | 'deactivationFailed' | 'notFound' | 'userMustDisable' | 'kept';
}

/**
 * Rotate: get a new key from the Console, prove it works, and only then replace the old one. Anything
 * that fails before the replacement leaves the old key stored and working.
 */
export class RotationFlow {
  constructor(
    private readonly store: KeyStore,
    private readonly client: ClaudeClient,
    private readonly validator: KeyValidator,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async rotate(options: { name?: string; oldKey?: string; afterLeak?: boolean } = {}): Promise<RotationOutcome> {
    const keyring = await readKeyringOrExplain(this.store, this.ui, this.logger);
    if (keyring === undefined) {
      return { outcome: 'failed' };
    }
    const name = options.name ?? keyring.active;
    const oldKey = options.oldKey ?? (name === undefined ? undefined : keyring.keys[name]);
    if (oldKey === undefined) {
      await showWithActions(this.ui, 'info', vscode.l10n.t('There is no Claude API key to rotate. Set one first.'), [
        { label: vscode.l10n.t('Set API Key'), command: Commands.setApiKey },
      ]);
      return { outcome: 'noKey' };
    }
    const oldMasked = maskKey(oldKey);

    const openConsole = vscode.l10n.t('Open Console and Continue');
    const proceed = vscode.l10n.t('I Have a New Key');
    const start = await this.ui.showMessage(
      'info',
      options.afterLeak ? vscode.l10n.t('Replace the leaked key {0}', oldMasked) : vscode.l10n.t('Rotate the Claude API key {0}', oldMasked),
      {
        modal: true,
        detail: vscode.l10n.t(
          '1. Create a new key in the Console (Settings → API keys → Create Key).\n2. Paste it here. Claude Keys checks it with a live call before it replaces the old key.\n3. Then disable the old key, which Claude Keys can do for you if you set an Admin key.',
        ),
      },
      openConsole,
      proceed,
    );
    if (start === openConsole) {
      await this.ui.openExternal(Urls.consoleKeys);
    } else if (start !== proceed) {
      return { outcome: 'cancelled', oldMasked };
    }

    const newKey = await promptForApiKey(this.ui, {
      title: vscode.l10n.t('Claude Keys: Rotate API Key'),
      prompt: vscode.l10n.t('Paste the NEW key. The old key {0} stays until the new one is proven to work.', oldMasked),
      reject: (key) => (key === oldKey ? vscode.l10n.t('This is the key you are replacing. Create a new key in the Console and paste that.') : undefined),
    });
    if (newKey === undefined) {
      return { outcome: 'cancelled', oldMasked };
    }
    const masked = maskKey(newKey);

    const checked = await this.validator.check(newKey);
    if (!checked.ok) {
      this.logger.warn(`rotation: new key ${masked} failed its check (${checked.problem.kind}); ${oldMasked} kept`);
      const explanation = explainApiProblem(checked.problem, vscode.l10n.t('Checking the new key {0}', masked));
      const keep = options.afterLeak ? '' : ' ' + vscode.l10n.t('Nothing was changed: {0} is still your key.', oldMasked);
      void showWithActions(this.ui, explanation.severity, explanation.message + keep, explanation.actions);
      return { outcome: 'failed', masked, oldMasked, oldKey: 'kept' };
    }

    // The replacement of the active key (or of a leaked one, after which none is active) is active.
    const makeActive = options.afterLeak === true || name === undefined || name === keyring.active;
    let storedName: string;
    try {
      storedName = await this.store.setApiKey(newKey, 'rotation', name, makeActive);
    } catch (error) {
      reportStorageFailure(this.ui, this.logger, error, vscode.l10n.t('The old key {0} is unchanged.', oldMasked));
      return { outcome: 'failed', masked, oldMasked, oldKey: 'kept' };
    }
    await this.validator.record(storedName, newKey, { ok: true, modelCount: checked.value.modelCount });
    this.logger.info(`rotation: ${oldMasked} replaced by ${masked} (key "${storedName}")`);

    const done = makeActive
      ? vscode.l10n.t('Rotated: {0} is now your key.', masked)
      : vscode.l10n.t('Rotated: {0} is stored as "{1}"; your active key is unchanged.', masked, storedName);
    const oldKeyOutcome = await this.retireOldKey(oldKey, done);
    return { outcome: 'rotated', masked, oldMasked, oldKey: oldKeyOutcome };
  }

  /** With an Admin key, offers to mark the old key inactive; otherwise says exactly what to do. */
  /** `done` says what the rotation did ("Rotated: … is now your key."). */
  private async retireOldKey(oldKey: string, done: string): Promise<NonNullable<RotationOutcome['oldKey']>> {
    const oldMasked = maskKey(oldKey);
    const consoleAction = { label: vscode.l10n.t('Open Console'), url: Urls.consoleKeys };
    const manual = vscode.l10n.t(
      'In the Console, open Settings → API keys, find the key ending in {0}, and choose Disable (or Delete) so it stops working.',
      oldKey.slice(-4),
    );
    let adminKey: string | undefined;
    try {
      adminKey = await this.store.getAdminKey();
    } catch {
      adminKey = undefined;
    }
    if (!adminKey) {
      void showWithActions(
        this.ui,
        'info',
        done + ' ' + vscode.l10n.t('The old key {0} still works at Anthropic until you disable it.', oldMasked) + ' ' + manual,
        [consoleAction, { label: vscode.l10n.t('Set Admin Key'), command: Commands.setAdminKey }],
      );
      return 'userMustDisable';
    }

    const listed = await this.client.listApiKeys(adminKey, 'active');
    if (!listed.ok) {
      const explanation = explainApiProblem(listed.problem, vscode.l10n.t('Finding the old key with the Admin key'));
      void showWithActions(this.ui, 'warning', done + ' ' + explanation.message + ' ' + manual, [consoleAction]);
      return 'deactivationFailed';
    }
    const matches = listed.value.filter((k) => matchesPartialKeyHint(oldKey, k.partial_key_hint));
    if (matches.length !== 1) {
      void showWithActions(
        this.ui,
        'warning',
        done + ' ' + vscode.l10n.t('The Admin API lists no single active key matching {0}.', oldMasked) + ' ' + manual,
        [consoleAction],
      );
      return 'notFound';
    }
    const target = matches[0];
    const deactivate = vscode.l10n.t('Deactivate Old Key');
    const answer = await this.ui.showMessage(
      'info',
      // Not partial_key_hint: it shows more of the key than the masked form.
      done + ' ' + vscode.l10n.t('Deactivate the old key "{0}" ({1}) now?', target.name, oldMasked),
      {},
      deactivate,
      vscode.l10n.t('Not Now'),
    );
    if (answer !== deactivate) {
      void showWithActions(this.ui, 'info', manual, [consoleAction]);
      return 'userMustDisable';
    }
    const updated = await this.client.updateApiKeyStatus(adminKey, target.id, 'inactive');
    if (!updated.ok) {
      const explanation = explainApiProblem(updated.problem, vscode.l10n.t('Deactivating the old key'));
      this.logger.warn(`rotation: deactivating ${oldMasked} failed (${updated.problem.kind})`);
      void showWithActions(this.ui, 'warning', vscode.l10n.t('The rotation is done, but the old key is still active.') + ' ' + explanation.message + ' ' + manual, [consoleAction]);
      return 'deactivationFailed';
    }
    this.logger.info(`rotation: old key ${oldMasked} (${target.id}) marked inactive`);
    void this.ui.showMessage('info', vscode.l10n.t('The old key {0} is now inactive at Anthropic.', oldMasked), {});
    return 'deactivated';
  }
}
