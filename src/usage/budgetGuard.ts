import * as vscode from 'vscode';
import { Commands, Settings, StateKeys } from '../constants';
import { budgetState, dueWarnings, type BudgetSettings, type BudgetState, type BudgetWarningsGiven } from '../core/budget';
import { formatUsd } from '../core/pricing';
import { monthToDate } from '../core/usageAggregate';
import { monthOf } from '../core/usageRecord';
import type { Interaction } from '../ui/interaction';
import type { UsageLedger } from './usageLedger';

export function budgetSettings(): BudgetSettings {
  const config = vscode.workspace.getConfiguration(Settings.section);
  return {
    monthlyUsd: config.get<number>(Settings.usageMonthlyBudgetUsd, 0),
    warnPercent: config.get<number>(Settings.usageBudgetWarningPercent, 80),
  };
}

/**
 * The monthly budget: quiet warnings (at the warning level, and when the month is on course to run
 * over), and above 100 % a question before each prompt. It never blocks on its own: the user decides.
 */
export class BudgetGuard {
  constructor(
    private readonly ledger: UsageLedger,
    private readonly state: vscode.Memento,
    private readonly ui: Interaction,
    private readonly settings: () => BudgetSettings = budgetSettings,
  ) {}

  /** This month against the budget, from the ledger (incremental: only new lines are read). */
  async current(now = new Date()): Promise<BudgetState> {
    const month = monthToDate(await this.ledger.readMonth(monthOf(now)), now);
    return budgetState(month.costUsd, this.settings(), now);
  }

  /** Before a billable request: true to send. Above the budget, asks (modal). */
  async admit(now = new Date()): Promise<boolean> {
    const settings = this.settings();
    if (!(settings.monthlyUsd > 0)) {
      return true;
    }
    const state = await this.current(now);
    if (state.level !== 'over') {
      return true;
    }
    const send = vscode.l10n.t('Send Anyway');
    const open = vscode.l10n.t('Open Usage');
    const picked = await this.ui.showMessage(
      'warning',
      vscode.l10n.t('This month Claude Keys has spent {0} of your {1} budget. Send this request anyway?', formatUsd(state.spentUsd), formatUsd(state.budgetUsd)),
      { modal: true, detail: vscode.l10n.t('The budget is claudeKeys.usage.monthlyBudgetUsd; spend is estimated from the local usage ledger.') },
      send,
      open,
    );
    if (picked === open) {
      void vscode.commands.executeCommand(Commands.showUsage);
    }
    return picked === send;
  }

  /** After a request was recorded: the quiet warnings that are due, each once a month. */
  async afterRecord(now = new Date()): Promise<void> {
    if (!(this.settings().monthlyUsd > 0)) {
      return;
    }
    const state = await this.current(now);
    const month = monthOf(now);
    const given = this.state.get<BudgetWarningsGiven>(StateKeys.budgetWarnings);
    const due = dueWarnings(state, given, month);
    if (!due.crossed && !due.projection) {
      return;
    }
    const before = given?.month === month ? given : { month, crossedWarnLevel: false, projectedOver: false };
    await this.state.update(StateKeys.budgetWarnings, { month, crossedWarnLevel: before.crossedWarnLevel || due.crossed, projectedOver: before.projectedOver || due.projection });
    const open = vscode.l10n.t('Open Usage');
    const messages: string[] = [];
    if (due.crossed) {
      messages.push(vscode.l10n.t('Claude Keys has spent {0} this month, {1}% of your {2} budget.', formatUsd(state.spentUsd), Math.floor(state.used * 100), formatUsd(state.budgetUsd)));
    }
    if (due.projection) {
      messages.push(vscode.l10n.t('At this rate the month comes to {0} and the {1} budget runs out around {2}.', formatUsd(state.projectedUsd), formatUsd(state.budgetUsd), state.runsOutOn ?? '?'));
    }
    // Quiet: a notification, not a dialog; nobody waits for it.
    void Promise.resolve(this.ui.showMessage('info', messages.join(' '), {}, open)).then((picked) => {
      if (picked === open) {
        void vscode.commands.executeCommand(Commands.showUsage);
      }
    });
  }
}
