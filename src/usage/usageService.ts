import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallEnd, CallObserver, CallStart } from '../api/callObserver';
import { Settings, USAGE_LEDGER_FOLDER } from '../constants';
import { Pacer, PacingCancelled } from '../core/pacer';
import { formatUsd, parsePriceOverrides } from '../core/pricing';
import { chartedMonths, todayTotals, type UsageSummary } from '../core/usageAggregate';
import { monthOf, type UsageOperation, type UsageRecord } from '../core/usageRecord';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import { BudgetGuard } from './budgetGuard';
import { RateLimitWatch } from './rateLimitWatch';
import { recordOf } from './recordOf';
import { SummaryStore } from './summaryStore';
import { UsageLedger } from './usageLedger';

/** Operations that cost money; only these ask about the budget. */
const BILLABLE: ReadonlySet<CallStart['operation']> = new Set(['prompt']);

/** Start-up's summary building waits this long: the window opening has the CPU first. */
const SUMMARY_DELAY_MS = 15_000;

/**
 * The usage feature in the host: ClaudeClient's observer. Each finished call becomes one ledger line
 * (queued, off the request's path), each response updates the rate-limit state, and each call waits
 * for a pacing slot and, over budget, for the user's yes.
 */
export class UsageService implements CallObserver, vscode.Disposable {
  readonly ledger: UsageLedger;
  readonly rateLimits: RateLimitWatch;
  readonly budget: BudgetGuard;
  private readonly pacer = new Pacer(0);
  private summaryTimer: NodeJS.Timeout | undefined;
  private readonly stopSummaries = new AbortController();
  private today: { day: string; costUsd: number; unpriced: number } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when today's spend or a key's rate limits changed (the status bar tooltip). */
  readonly onDidChange = this.changed.event;
  /** Settles when every record queued so far is on disk (tests wait on it). */
  idle: Promise<void> = Promise.resolve();

  constructor(
    globalStorage: vscode.Uri,
    private readonly store: KeyStore,
    state: vscode.Memento,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {
    const folder = path.join(globalStorage.fsPath, USAGE_LEDGER_FOLDER);
    this.ledger = new UsageLedger(folder, new SummaryStore(path.join(folder, 'summaries')));
    this.rateLimits = new RateLimitWatch(ui);
    this.budget = new BudgetGuard(this.ledger, state, ui);
    this.rateLimits.onDidChange(() => this.changed.fire());
  }

  async admit(call: CallStart, signal?: AbortSignal): Promise<boolean> {
    this.pacer.perMinute = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.maxRequestsPerMinute, 0);
    // Cancelled by the caller (Stop) or by the progress notification's Cancel: either frees the slot.
    const cancel = new AbortController();
    signal?.addEventListener('abort', () => cancel.abort(), { once: true });
    const ticket = this.pacer.acquire(cancel.signal);
    if (ticket.waitMs > 0) {
      try {
        await this.waitWithProgress(ticket.waitMs, ticket.ready, cancel);
      } catch (error) {
        if (error instanceof PacingCancelled) {
          return false;
        }
        throw error;
      }
    }
    return BILLABLE.has(call.operation) ? this.budget.admit() : true;
  }

  response(key: string | undefined, headers: Headers, status: number, operation: UsageOperation): void {
    this.rateLimits.observe(key, headers, status, operation === 'countTokens' ? 'countTokens' : 'messages');
  }

  finished(call: CallEnd): void {
    // Off the request's path: the caller has its answer before the line is written.
    const write = this.write(call).catch((error: unknown) => this.logger.warn(`usage ledger: a record was not written (${error instanceof Error ? error.message : String(error)})`));
    this.idle = Promise.all([this.idle, write]).then(() => undefined);
  }

  /** "Today: $0.0123" for the status bar tooltip, plus the active key's latest rate limits. */
  tooltipLines(activeKey: string | undefined, now = new Date()): string[] {
    const lines: string[] = [];
    if (this.today?.day === now.toISOString().slice(0, 10)) {
      const unknown = this.today.unpriced > 0 ? vscode.l10n.t(' (+{0} requests with price unknown)', this.today.unpriced) : '';
      lines.push(vscode.l10n.t('Today: {0}{1}', formatUsd(this.today.costUsd), unknown));
    }
    const limits = activeKey ? this.rateLimits.summary(activeKey) : undefined;
    if (limits) {
      lines.push(vscode.l10n.t('Rate limits: {0}', limits));
    }
    return lines;
  }

  /** Start-up: delete months past the retention and read today's spend. */
  async start(now = new Date()): Promise<void> {
    const retention = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.usageRetentionMonths, 13);
    const pruned = await this.ledger.prune(now, retention);
    if (pruned.length > 0) {
      this.logger.info(`usage ledger: deleted ${pruned.length} month(s) older than ${retention} months`);
    }
    this.noteToday(await this.ledger.readMonth(monthOf(now)), now);
    clearTimeout(this.summaryTimer);
    if (this.stopSummaries.signal.aborted) {
      return;
    }
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = undefined;
      void this.buildSummaries(now).catch((error: unknown) => {
        if (!this.stopSummaries.signal.aborted) {
          this.logger.warn(`usage ledger: summaries not built (${error instanceof Error ? error.message : String(error)})`);
        }
      });
    }, SUMMARY_DELAY_MS);
  }

  /**
   * Builds the saved summaries Show Usage's first open would otherwise read line by line: the
   * earlier month its 30 days reach into (start-up has just read the current one). One file at a
   * time, read in chunks so the host stays responsive, stopped by dispose; a few seconds after
   * start-up, never during activation. Returns the months it read.
   */
  async buildSummaries(now = new Date()): Promise<string[]> {
    const built: string[] = [];
    for (const month of chartedMonths(now).slice(0, -1)) {
      if (this.stopSummaries.signal.aborted) {
        break;
      }
      if (!(await this.ledger.isSummarised(month))) {
        await this.ledger.readMonth(month, this.stopSummaries.signal);
        built.push(month);
      }
    }
    if (built.length > 0) {
      this.logger.info(`usage ledger: summarised ${built.join(', ')} for Show Usage`);
    }
    return built;
  }

  register(): vscode.Disposable[] {
    return [
      // Other windows append to the same ledger: coming back to this one picks up their spend.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) {
          void this.refreshToday().catch((error: unknown) => this.logger.warn(`usage ledger: could not be read (${error instanceof Error ? error.message : String(error)})`));
        }
      }),
    ];
  }

  /** Re-reads this month's file (only what was appended since) for today's spend. */
  async refreshToday(now = new Date()): Promise<void> {
    const summary = await this.ledger.readMonth(monthOf(now));
    const totals = todayTotals(summary, now);
    if (this.today?.day !== now.toISOString().slice(0, 10) || this.today.costUsd !== totals.costUsd || this.today.unpriced !== totals.unpricedRequests) {
      this.noteToday(summary, now);
    }
  }

  dispose(): void {
    clearTimeout(this.summaryTimer);
    this.stopSummaries.abort();
    this.rateLimits.dispose();
    this.changed.dispose();
  }

  private async write(call: CallEnd): Promise<void> {
    const record = recordOf(call, await this.keyName(call.key), parsePriceOverrides(vscode.workspace.getConfiguration(Settings.section).get(Settings.usagePricing)));
    await this.ledger.append(record);
    this.addToday(record);
    await this.budget.afterRecord();
  }

  private async keyName(key: string | undefined): Promise<string | undefined> {
    if (!key) {
      return undefined;
    }
    try {
      const keyring = await this.store.getKeyring();
      const named = Object.entries(keyring.keys).find(([, stored]) => stored === key)?.[0];
      return named ?? ((await this.store.getAdminKey()) === key ? 'admin' : undefined);
    } catch {
      return undefined;
    }
  }

  private noteToday(summary: UsageSummary, now: Date): void {
    const totals = todayTotals(summary, now);
    this.today = { day: now.toISOString().slice(0, 10), costUsd: totals.costUsd, unpriced: totals.unpricedRequests };
    this.changed.fire();
  }

  private addToday(record: UsageRecord): void {
    const day = record.time.slice(0, 10);
    if (this.today?.day !== day) {
      this.today = { day, costUsd: 0, unpriced: 0 };
    }
    if (record.costUsd === null) {
      this.today.unpriced++;
    } else {
      this.today.costUsd += record.costUsd;
    }
    this.changed.fire();
  }

  private waitWithProgress(waitMs: number, ready: Promise<void>, cancel: AbortController): Thenable<void> {
    return this.ui.withProgress(vscode.l10n.t('Waiting for a request slot (claudeKeys.maxRequestsPerMinute)'), true, async (progress, token) => {
      const until = Date.now() + waitMs;
      const tick = (): void => progress.report({ message: vscode.l10n.t('{0} s', Math.max(0, Math.ceil((until - Date.now()) / 1000))) });
      tick();
      const timer = setInterval(tick, 1000);
      const subscription = token.onCancellationRequested(() => cancel.abort());
      if (token.isCancellationRequested) {
        cancel.abort();
      }
      try {
        await ready;
      } finally {
        clearInterval(timer);
        subscription.dispose();
      }
    });
  }
}
