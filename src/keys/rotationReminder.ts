import * as vscode from 'vscode';
import { Commands, Settings } from '../constants';
import { activeEntry } from '../core/keyring';
import { daysBetween } from '../core/keyStatus';
import { maskKey } from '../core/mask';
import { isRotationReminderDue } from '../core/rotationReminder';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import type { KeyStore } from './keyStore';

const SNOOZE_DAYS = 7;

/**
 * Reminds, at most once a day per window, that the active key is older than
 * `claudeKeys.rotationReminderDays`. Checked at start-up and when the window gains focus: no timers.
 */
export class RotationReminder implements vscode.Disposable {
  private lastShown: Date | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: KeyStore,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {
    this.subscription = vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) {
        void this.check();
      }
    });
  }

  /** Shows the reminder if due; returns whether it did. */
  async check(now: Date = new Date()): Promise<'shown' | 'notDue'> {
    const maxAgeDays = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.rotationReminderDays, 90);
    let keyring;
    try {
      keyring = await this.store.getKeyring();
    } catch {
      return 'notDue';
    }
    const active = activeEntry(keyring);
    const metadata = this.store.getMetadata(active?.name);
    if (active === undefined || !isRotationReminderDue({ setAt: metadata?.setAt, maxAgeDays, state: metadata?.reminder, lastShownInWindow: this.lastShown, now })) {
      return 'notDue';
    }
    const { name, key } = active;
    this.lastShown = now;
    const age = daysBetween(metadata?.setAt ?? now.toISOString(), now);
    const rotate = vscode.l10n.t('Rotate Now');
    const snooze = vscode.l10n.t('Snooze {0} Days', SNOOZE_DAYS);
    const never = vscode.l10n.t("Don't Remind Me");
    this.logger.info(`rotation reminder: key ${maskKey(key)} is ${age} days old`);
    void this.ui
      .showMessage(
        'info',
        vscode.l10n.t('Your Claude API key {0} is {1} days old. Rotating keys regularly limits the damage if one leaks.', maskKey(key), age),
        {},
        rotate,
        snooze,
        never,
      )
      .then(async (answer) => {
        if (answer === rotate) {
          await vscode.commands.executeCommand(Commands.rotateApiKey);
        } else if (answer === snooze) {
          await this.store.updateMetadata(name, { reminder: { snoozedUntil: new Date(now.getTime() + SNOOZE_DAYS * 86_400_000).toISOString() } });
        } else if (answer === never) {
          await this.store.updateMetadata(name, { reminder: { disabled: true } });
        }
      });
    return 'shown';
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
