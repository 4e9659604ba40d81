import * as vscode from 'vscode';
import { Commands, Settings, Urls, USAGE_PANEL_VIEW_TYPE } from '../constants';
import type { UsageSummary } from '../core/usageAggregate';
import { buildUsageView, CHART_DAYS } from '../core/usageView';
import type { Logger } from '../logging/logger';
import { parseUsageWebviewMessage, type ExportFormat, type OrganisationView, type UsageHostToWebview, type UsageViewModel, type UsageWebviewToHost } from '../shared/usageProtocol';
import type { Interaction } from '../ui/interaction';
import { PanelSlot, webviewOptions, type WebviewPage } from '../ui/webviewPage';
import { budgetSettings } from './budgetGuard';
import { exportLedger } from './ledgerExport';
import type { OrganisationSource } from './organisationUsageCommand';
import type { UsageService } from './usageService';
import { viewSummary } from './viewSummary';

/** The panel's page: Chart.js and its own code, bundled (esbuild.js usageWebview). */
const PAGE: WebviewPage = { script: 'usage.js', style: 'usage.css', title: 'Claude Usage' };

/** New records are shown after this quiet time: a burst of calls is one re-read, not one per call. */
const REFRESH_MS = 1000;

/**
 * The "Claude Usage" webview panel: the ledger's summaries as charts and tables, and its export.
 * Loaded lazily (dist/usagePanel.js) the first time Show Usage runs.
 */
export class UsagePanelController implements vscode.Disposable {
  private readonly page: PanelSlot;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];
  /** Test hook: sees every message posted to the webview. */
  tap: ((message: UsageHostToWebview) => void) | undefined;
  /** The last view posted (tests, and the e2e screenshots' check of what is drawn). */
  lastView: UsageViewModel | undefined;
  /** The last Organisation section posted. */
  lastOrganisation: OrganisationView | undefined;
  /** Settles when the Admin API fetch under way (if any) is posted (tests wait on it). */
  organisationIdle: Promise<void> = Promise.resolve();
  private organisationFetch: Promise<void> | undefined;
  /** Opening the panel is the user's ask for the organisation's figures: one fetch per open, not per reload of the page. */
  private organisationDue = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly usage: UsageService,
    private readonly ui: Interaction,
    private readonly logger: Logger,
    private readonly organisation: OrganisationSource,
  ) {
    this.page = new PanelSlot(extensionUri, PAGE, {
      receive: (raw) => void this.receive(raw),
      detached: () => {
        clearTimeout(this.refreshTimer);
        this.refreshTimer = undefined;
      },
    });
    this.subscriptions = [
      usage.onDidChange(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.usageMonthlyBudgetUsd}`) || e.affectsConfiguration(`${Settings.section}.${Settings.usageBudgetWarningPercent}`)) {
          this.scheduleRefresh(0);
        }
      }),
    ];
  }

  show(): vscode.WebviewPanel {
    const open = this.page.panel;
    if (open) {
      open.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(USAGE_PANEL_VIEW_TYPE, vscode.l10n.t('Claude Usage'), vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    // Opening the panel is the user's ask for the organisation's figures (see organisationDue).
    this.organisationDue = true;
    this.page.attach(panel);
    return panel;
  }

  /** Handles a message as if the webview had sent it (validated like any other). */
  async receive(raw: unknown): Promise<void> {
    const message = parseUsageWebviewMessage(raw);
    if (!message) {
      this.logger.warn(`usage panel: dropped an invalid message (${typeof raw === 'object' && raw !== null ? 'object' : typeof raw})`);
      return;
    }
    await this.handle(message);
  }

  /** Writes the ledger to a file the user picks; returns where, or undefined when cancelled. */
  async export(format: ExportFormat): Promise<vscode.Uri | undefined> {
    const day = new Date().toISOString().slice(0, 10);
    const target = await this.ui.showSaveDialog({
      title: vscode.l10n.t('Export Usage Ledger'),
      saveLabel: vscode.l10n.t('Export'),
      defaultUri: vscode.Uri.file(`claude-usage-${day}.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) {
      return undefined;
    }
    try {
      await this.usage.idle;
      const { records } = await exportLedger(this.usage.ledger.folder, format, target.fsPath);
      this.post({ type: 'notice', message: vscode.l10n.t('Exported {0} records to {1}.', records, target.fsPath) });
      return target;
    } catch (error) {
      const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
      this.logger.warn(`usage export failed (${reason})`);
      void this.ui.showMessage('error', vscode.l10n.t('The usage ledger could not be exported: {0}', reason), {});
      return undefined;
    }
  }

  get isOpen(): boolean {
    return this.page.panel !== undefined;
  }

  dispose(): void {
    this.page.dispose();
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }

  private async handle(message: UsageWebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.page.ready = true;
        // The section's state first (no Admin key, or fetching), so the page never waits on the network.
        const fetch = await this.postOrganisationState();
        await this.postView();
        if (fetch) {
          void this.fetchOrganisation();
        }
        return;
      }
      case 'refresh':
        await this.postView();
        return;
      case 'refreshOrganisation':
        if (await this.organisation.hasAdminKey()) {
          await this.fetchOrganisation();
        } else {
          this.postOrganisation({ state: 'noAdminKey' });
        }
        return;
      case 'setAdminKey':
        await vscode.commands.executeCommand(Commands.setAdminKey);
        // Setting the key from this section is the ask for its figures.
        if (await this.organisation.hasAdminKey()) {
          await this.fetchOrganisation();
        }
        return;
      case 'openConsoleUsage':
        await vscode.env.openExternal(vscode.Uri.parse(Urls.consoleUsage));
        return;
      case 'reportLeakedKey':
        // Only a key the last figures flagged: a page cannot pick any stored key by name.
        if (this.organisation.flagged(message.keyName)) {
          await vscode.commands.executeCommand(Commands.reportLeakedKey, message.keyName);
        } else {
          this.logger.warn('usage panel: Report Leaked Key asked for a key the organisation figures did not flag; ignored');
        }
        return;
      case 'export':
        await this.export(message.format);
        return;
      case 'openBudgetSetting':
        await vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.usageMonthlyBudgetUsd}`);
        return;
    }
  }

  /** Posts what the section shows without a fetch; true when a fetch is due (an Admin key is stored and the panel was just opened). */
  private async postOrganisationState(): Promise<boolean> {
    if (!(await this.organisation.hasAdminKey())) {
      this.organisationDue = false;
      this.postOrganisation({ state: 'noAdminKey' });
      return false;
    }
    const due = this.organisationDue || this.organisation.latestView === undefined;
    this.organisationDue = false;
    // When due, the fetch posts "fetching" itself as it starts.
    if (!due && this.organisation.latestView) {
      this.postOrganisation(this.organisation.latestView);
    }
    return due;
  }

  /** Calls the Admin API (never on a timer: on opening the panel and the Refresh button) and posts the section. */
  private fetchOrganisation(): Promise<void> {
    if (this.organisationFetch) {
      return this.organisationFetch;
    }
    const previous = this.organisation.latestView;
    this.postOrganisation({ state: 'fetching', ...(previous?.state === 'ok' ? { previous: previous.figures } : {}) });
    const fetch = (async () => {
      let view: OrganisationView;
      try {
        view = await this.organisation.fetchView();
      } catch (error) {
        this.logger.error('usage panel: the organisation figures could not be fetched', error);
        view = { state: 'problem', problem: 'error', message: vscode.l10n.t("The organisation's figures could not be fetched. See the log (Claude Keys: Show Log)."), fetchedAt: new Date().toISOString() };
      }
      this.postOrganisation(view);
    })().finally(() => (this.organisationFetch = undefined));
    this.organisationFetch = fetch;
    this.organisationIdle = fetch;
    return fetch;
  }

  private postOrganisation(organisation: OrganisationView): void {
    this.lastOrganisation = organisation;
    this.post({ type: 'organisation', organisation });
  }

  private scheduleRefresh(delay = REFRESH_MS): void {
    if (!this.page.panel || !this.page.ready || this.refreshTimer) {
      return;
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.postView();
    }, delay);
  }

  /**
   * Reads the ledger (cached per file: only new lines are read) and posts the view; when an earlier
   * month has never been summarised, the current month's view goes first (see viewSummary).
   */
  private async postView(): Promise<void> {
    try {
      const now = new Date();
      const budget = budgetSettings();
      const postBuilt = (summary: UsageSummary, loadingBefore?: string): void => {
        const view = buildUsageView(summary, now, budget, CHART_DAYS, loadingBefore);
        this.lastView = view;
        this.post({ type: 'view', view });
      };
      postBuilt(await viewSummary(this.usage.ledger, now, postBuilt));
    } catch (error) {
      this.logger.error('usage panel: the ledger could not be read', error);
      this.post({ type: 'notice', message: vscode.l10n.t('The usage ledger could not be read.') });
    }
  }

  private post(message: UsageHostToWebview): void {
    this.tap?.(message);
    void this.page.panel?.webview.postMessage(message);
  }
}
