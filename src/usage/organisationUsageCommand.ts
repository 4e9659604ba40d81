import * as vscode from 'vscode';
import { explainApiProblem } from '../api/apiProblemMessages';
import type { ClaudeClient } from '../api/claudeClient';
import { Commands, Settings, Urls } from '../constants';
import { reportWindow } from '../core/adminReports';
import { formatUsd, parsePriceOverrides } from '../core/pricing';
import { coverageStart, type KeyReconciliation } from '../core/reconcile';
import { chartedMonths } from '../core/usageAggregate';
import type { OrganisationView } from '../shared/usageProtocol';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import { showWithActions, type Interaction } from '../ui/interaction';
import { fetchOrganisationUsage, type OrganisationFigures, type OrganisationUsage } from './adminReports';
import { leakText, organisationProblem, organisationViewOf } from './organisationView';
import type { UsageLedger } from './usageLedger';
import { viewSummary } from './viewSummary';

export interface OrganisationUsageOutcome {
  readonly usage: OrganisationUsage;
  /** The leak hints shown, one per stored key with spend this machine did not send. */
  readonly leakHints: readonly string[];
}

/** What Show Usage's Organisation section asks of the Admin API side (the panel is loaded lazily). */
export interface OrganisationSource {
  hasAdminKey(): Promise<boolean>;
  /** Calls the Admin API: only on the user's action (opening the panel, its Refresh button). */
  fetchView(now?: Date): Promise<OrganisationView>;
  /** The last fetch's view, if any, without a call. */
  readonly latestView: OrganisationView | undefined;
  /** Whether the last fetch flagged this stored key (a webview may only report a flagged key). */
  flagged(keyName: string): boolean;
}

/**
 * Claude Keys: Check Organisation Usage. Asks the Admin API for the organisation's usage and cost
 * reports, sets them beside the ledger, and says in plain words when a stored key spent money that
 * this machine did not send. Only on the user's command (or opening Show Usage, which shows the same
 * figures): nothing here runs by itself.
 */
export class OrganisationUsageCommand implements OrganisationSource {
  /** The last figures fetched, for Show Usage to render. */
  latest: OrganisationUsage | undefined;
  latestView: OrganisationView | undefined;

  constructor(
    private readonly client: ClaudeClient,
    private readonly store: KeyStore,
    private readonly ledger: UsageLedger,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  async hasAdminKey(): Promise<boolean> {
    try {
      return (await this.store.getAdminKey()) !== undefined;
    } catch {
      return false;
    }
  }

  flagged(keyName: string): boolean {
    return this.latest?.state === 'ok' && this.latest.keys.some((k) => k.key.name === keyName && k.unexplained.length > 0);
  }

  /** Both reports and the reconciliation, without a notification: what the command and Show Usage share. */
  async fetch(now = new Date()): Promise<OrganisationUsage> {
    const usage = await fetchOrganisationUsage(
      {
        client: this.client,
        adminKey: () => this.store.getAdminKey(),
        storedKeys: async () => (await this.store.getKeyring()).keys,
        // Only the months the 30-day report reaches into: a year of ledger is not read for it.
        ledger: () => viewSummary(this.ledger, now),
        coveredFrom: async (summary) => {
          const months = await this.ledger.months();
          return months.length > 0 && months[0] < chartedMonths(now)[0] ? reportWindow(now).startingAt.slice(0, 10) : coverageStart(summary);
        },
        priceOverrides: () => parsePriceOverrides(vscode.workspace.getConfiguration(Settings.section).get(Settings.usagePricing)),
      },
      now,
    );
    this.latest = usage;
    this.latestView = organisationViewOf(usage, now);
    if (usage.state === 'ok') {
      this.logger.info(`organisation usage: ${usage.pages.usage} usage page(s), ${usage.pages.cost} cost page(s), ${usage.keys.length} stored key(s) matched, ${usage.skippedItems} item(s) skipped`);
    }
    return usage;
  }

  async fetchView(now = new Date()): Promise<OrganisationView> {
    await this.fetch(now);
    return this.latestView ?? { state: 'noAdminKey' };
  }

  async run(now = new Date()): Promise<OrganisationUsageOutcome> {
    const usage = await Promise.resolve(this.ui.withProgress(vscode.l10n.t("Fetching the organisation's usage and cost reports…"), false, () => this.fetch(now)));
    if (usage.state !== 'ok') {
      this.explainFailure(usage);
      return { usage, leakHints: [] };
    }
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
    const { problem, message } = organisationProblem(usage);
    if (problem === 'unavailable' || problem === 'forbidden') {
      void showWithActions(this.ui, 'error', message, [setAdminKey, consoleUsage]);
      return;
    }
    const explanation = explainApiProblem(usage.problem, vscode.l10n.t('Checking organisation usage'));
    void showWithActions(this.ui, explanation.severity, explanation.message, explanation.actions);
  }

  /** "sk-ant-api03-…wxyz spent $4.10 yesterday that Claude Keys did not send…", with its two actions. */
  private showLeakHint(k: KeyReconciliation, now: Date): string {
    const { spent, message } = leakText(k, now);
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
