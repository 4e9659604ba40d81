import * as vscode from 'vscode';
import { Settings } from '../constants';
import { checkApiBaseUrl, DEFAULT_API_BASE_URL, describeApiBaseUrl } from '../core/apiBaseUrl';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';

/** Warns when `claudeKeys.apiBaseUrl` would send the key unencrypted or is not a URL. */
export class ApiBaseUrlWatcher implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private warnedFor: string | undefined;

  constructor(
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.apiBaseUrl}`)) {
        void this.check();
      }
    });
  }

  static current(): string | undefined {
    return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.apiBaseUrl);
  }

  /** Returns what was said, once per distinct value. */
  async check(): Promise<'ok' | 'insecure' | 'invalid'> {
    const raw = ApiBaseUrlWatcher.current() ?? DEFAULT_API_BASE_URL;
    const checked = checkApiBaseUrl(raw);
    const verdict = !checked.ok ? 'invalid' : checked.insecure ? 'insecure' : 'ok';
    if (verdict === 'ok' || this.warnedFor === raw) {
      return verdict;
    }
    this.warnedFor = raw;
    // The raw value may carry a password or a token: only its safe description is shown or logged.
    const safe = describeApiBaseUrl(raw);
    this.logger.warn(`claudeKeys.apiBaseUrl is ${verdict}: ${safe ?? '(not a URL)'}`);
    const open = vscode.l10n.t('Open Settings');
    const answer = await this.ui.showMessage(
      verdict === 'invalid' ? 'error' : 'warning',
      verdict === 'invalid'
        ? vscode.l10n.t(
            'The setting claudeKeys.apiBaseUrl ({0}) is not an http(s) URL without credentials, so Claude Keys will not call the API. Use {1}.',
            safe === undefined ? vscode.l10n.t('a value that is not a URL') : `"${safe}"`,
            DEFAULT_API_BASE_URL,
          )
        : vscode.l10n.t('The setting claudeKeys.apiBaseUrl sends your Claude API key unencrypted to {0}. Use https, or a proxy on this machine (localhost).', safe ?? ''),
      {},
      open,
    );
    if (answer === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.apiBaseUrl}`);
    }
    return verdict;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
