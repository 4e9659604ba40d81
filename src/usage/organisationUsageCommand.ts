import * as vscode from 'vscode';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ClaudeClient } from '../api/claudeClient';
import { Commands, Settings, Urls } from '../constants';
import { formatUsd, parsePriceOverrides } from '../core/pricing';
import { relativeDay, type KeyReconciliation } from '../core/reconcile';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { fetchOrganisationUsage, type OrganisationFigures, type OrganisationUsage } from './adminReports';
import type { UsageLedger } from './usageLedger';

export interface OrganisationUsageOutcome {
  readonly usage: OrganisationUsage;
  /** The leak hints shown, one per stored key with spend this machine did not send. */
  readonly leakHints: readonly string[];
}

/**
 * Claude Keys: Check Organisation Usage. Asks the Admin API for the organisation's usage and cost
 * reports, sets them beside the ledger, and says in plain words when a stored key spent money that
 * this machine did not send. Only on the user's command: nothing here runs by itself.
 */
export class OrganisationUsageCommand {
  /** The last figures fetched, for Show Usage to render. */
  latest: OrganisationUsage | undefined;

  constructor(
    private readonly client: ClaudeClient,
    private readonly store: KeyStore,
    private readonly ledger: UsageLedger,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(Commands.checkOrganisationUsage, () => this.run())];
  }

  async run(now = new Date()): Promise<OrganisationUsageOutcome> {
    const usage = await Promise.resolve(
      this.ui.withProgress(vscode.l10n.t('Fetching the organisation\'s usage and cost reports…'), false, () =>
        fetchOrganisationUsage(
          {
            client: this.client,
            adminKey: () => this.store.getAdminKey(),
            storedKeys: async () => (await this.store.getKeyring()).keys,
            ledger: async () => (await this.ledger.read()).summary,
            priceOverrides: () => parsePriceOverrides(vscode.workspace.getConfiguration(Settings.section).get(Settings.usagePricing)),
          },
          now,
        ),
      ),
    );
    this.latest = usage;
    if (usage.state !== 'ok') {
      this.explainFailure(usage);
      return { usage, leakHints: [] };
    }
    this.logger.info(`organisation usage: ${usage.pages.usage} usage page(s), ${usage.pages.cost} cost page(s), ${usage.keys.length} stored key(s) matched, ${usage.skippedItems} item(s) skipped`);
    const leakHints = usage.keys.filter((k) => k.unexplained.length > 0).map((k) => this.showLeakHint(k, now));
    void this.showSummary(usage);
    return { usage, leakHints };
  }

  private explainFailure(usage: Exclude<OrganisationUsage, OrganisationFigures>): void {
    const setAdminKey = { label: vscode.l10n.t('Set Admin Key'), command: Commands.setAdminKey };
    const consoleUsage = { label: vscode.l10n.t('Open Console Usage'), url: Urls.consoleUsage };
    if (usage.state === 'noAdminKey') {
      void showWithActions(
        this.ui,
        'info',
        vscode.l10n.t(
          "The organisation's usage needs an Admin key (sk-ant-admin01-…). Admin keys exist only for organisations: an individual account has no Admin API, so Claude Keys can show only what this machine recorded.",
        ),
        [setAdminKey, { label: vscode.l10n.t('Open Usage'), command: Commands.showUsage }, consoleUsage],
      );
      return;
    }
    const { problem } = usage;
    if (problem.kind === 'invalidKey' || problem.kind === 'notFound') {
      void showWithActions(
        this.ui,
        'error',
        vscode.l10n.t(
          'The Admin API is unavailable with this Admin key ({0}): the key is wrong, disabled or not an Admin key, or the account is an individual one, which has no Admin API (Admin keys exist only for organisations).',
          problem.kind === 'invalidKey' ? '401' : '404',
        ),
        [setAdminKey, consoleUsage],
      );
      return;
    }
    if (problem.kind === 'permission') {
      void showWithActions(
        this.ui,
        'error',
        vscode.l10n.t(
          "The Admin key has no right to read the organisation's usage and cost reports (403). Ask an organisation admin for an Admin key with that right.",
        ),
        [setAdminKey, consoleUsage],
      );
      return;
    }
    const explanation = explainApiProblem(problem, vscode.l10n.t('Checking organisation usage'));
    void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
  }

  /** "sk-ant-api03-…wxyz spent $4.10 yesterday that Claude Keys did not send…", with its two actions. */
  private showLeakHint(k: KeyReconciliation, now: Date): string {
    const latest = k.unexplained[0];
    const when = whenText(latest.day, now);
    const anyUnpriced = k.unexplained.some((u) => u.usd === null);
    const amount = anyUnpriced ? vscode.l10n.t('{0} tokens (price unknown)', k.unexplainedTokens.toLocaleString('en-US')) : formatUsd(k.unexplainedUsd);
    const spent =
      k.unexplained.length === 1
        ? vscode.l10n.t('{0} spent {1} {2} that Claude Keys did not send.', k.key.hint, amount, when)
        : vscode.l10n.t('{0} spent {1} on {2} days (the latest {3}) that Claude Keys did not send.', k.key.hint, amount, k.unexplained.length, when);
    const message = `${spent} ${vscode.l10n.t('If you did not use this key elsewhere, it may have leaked.')}`;
    const report = vscode.l10n.t('Report Leaked Key');
    const open = vscode.l10n.t('Open Usage');
    this.logger.warn(`organisation usage: ${spent}`);
    void Promise.resolve(this.ui.showMessage('warning', message, {}, report, open)).then((picked) => {
      if (picked === report) {
        // The flagged key by name: it need not be the active one.
        void vscode.commands.executeCommand(Commands.reportLeakedKey, k.key.name);
      } else if (picked === open) {
        void vscode.commands.executeCommand(Commands.showUsage);
      }
    });
    return message;
  }

  private async showSummary(usage: OrganisationFigures): Promise<void> {
    const perKey = usage.keys.map((k) => {
      const org = k.days.reduce((sum, d) => (sum === null || d.orgUsd === null ? null : sum + d.orgUsd), 0 as number | null);
      const local = k.days.reduce((sum, d) => sum + d.localUsd, 0);
      return vscode.l10n.t('{0} ({1}): billed {2}, sent from here {3}', k.key.name, k.key.hint, formatUsd(org), formatUsd(local));
    });
    const message = [
      vscode.l10n.t('The organisation was billed {0} from {1} to {2}.', formatUsd(usage.orgCostUsd), usage.from, usage.to),
      perKey.length > 0 ? perKey.join('; ') + '.' : vscode.l10n.t('None of the keys stored here is one of its keys.'),
      usage.coveredFrom === undefined ? vscode.l10n.t('The ledger holds no calls yet: nothing was compared.') : vscode.l10n.t('Compared from {0}.', usage.coveredFrom),
      vscode.l10n.t("The organisation's figures can be up to about 5 minutes behind: the latest calls may still be coming in."),
    ].join(' ');
    await showWithActions(this.ui, 'info', message, [{ label: vscode.l10n.t('Open Usage'), command: Commands.showUsage }, { label: vscode.l10n.t('Open Console Usage'), url: Urls.consoleUsage }]);
  }
}

function whenText(day: string, now: Date): string {
  const relative = relativeDay(day, now);
  return relative === 'today' ? vscode.l10n.t('today') : relative === 'yesterday' ? vscode.l10n.t('yesterday') : vscode.l10n.t('on {0}', relative);
}
