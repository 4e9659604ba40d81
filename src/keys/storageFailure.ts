import * as vscode from 'vscode';
import { Commands, Urls } from '../constants';
import type { Keyring } from '../core/keyring';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { secretStorageProblemMessage } from './keyMessages';
import { isSecretStorageError, type KeyStore } from './keyStore';

/** Explains a SecretStorage failure with Learn More and Show Log; `suffix` says what was kept. */
export function reportStorageFailure(ui: Interaction, logger: Logger, error: unknown, suffix = ''): void {
  if (!isSecretStorageError(error)) {
    logger.error('Unexpected error while using SecretStorage', error);
  }
  const failure = isSecretStorageError(error) ? error.failure : 'unknown';
  void showWithActions(ui, 'error', secretStorageProblemMessage(failure) + (suffix ? ' ' + suffix : ''), [
    { label: vscode.l10n.t('Learn More'), url: Urls.secretStorageHelp },
    { label: vscode.l10n.t('Show Log'), command: Commands.showLog },
  ]);
}

/** The stored keyring, or undefined after explaining why SecretStorage could not be read. */
export async function readKeyringOrExplain(store: KeyStore, ui: Interaction, logger: Logger): Promise<Keyring | undefined> {
  try {
    return await store.getKeyring();
  } catch (error) {
    reportStorageFailure(ui, logger, error);
    return undefined;
  }
}
