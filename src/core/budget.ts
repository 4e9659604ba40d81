import { projectMonth, type MonthProjection } from './usageAggregate';

export interface BudgetSettings {
  /** USD per UTC month; 0 = no budget. */
  readonly monthlyUsd: number;
  /** Percent of the budget at which to warn (default 80). */
  readonly warnPercent: number;
}

export interface BudgetState extends MonthProjection {
  readonly budgetUsd: number;
  /** Spent as a share of the budget (1 = all of it). */
  readonly used: number;
  /** 'off' without a budget; 'over' at or above 100 %. */
  readonly level: 'off' | 'under' | 'warn' | 'over';
  /** The projection says the budget runs out before the month ends. */
  readonly runsOutEarly: boolean;
  /** When, at the current rate (ISO day), if before month end. */
  readonly runsOutOn?: string;
}

/** Where the month stands against the budget. */
export function budgetState(spentUsd: number, settings: BudgetSettings, now: Date): BudgetState {
  const projection = projectMonth(spentUsd, now);
  const budgetUsd = settings.monthlyUsd > 0 && Number.isFinite(settings.monthlyUsd) ? settings.monthlyUsd : 0;
  if (budgetUsd === 0) {
    return { ...projection, budgetUsd, used: 0, level: 'off', runsOutEarly: false };
  }
  const used = spentUsd / budgetUsd;
  const warnAt = Math.min(100, Math.max(1, settings.warnPercent || 80)) / 100;
  const level = used >= 1 ? 'over' : used >= warnAt ? 'warn' : 'under';
  const runsOutEarly = used < 1 && projection.projectedUsd > budgetUsd;
  let runsOutOn: string | undefined;
  if (runsOutEarly && spentUsd > 0) {
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const perDay = spentUsd / projection.daysElapsed;
    runsOutOn = new Date(start + (budgetUsd / perDay) * 86_400_000).toISOString().slice(0, 10);
  }
  return { ...projection, budgetUsd, used, level, runsOutEarly, runsOutOn };
}

/** Warnings already given this month, so each is said once. */
export interface BudgetWarningsGiven {
  readonly month: string;
  readonly crossedWarnLevel: boolean;
  readonly projectedOver: boolean;
}

/** Which quiet warnings are due now, given what was already said this month. */
export function dueWarnings(state: BudgetState, given: BudgetWarningsGiven | undefined, month: string): { crossed: boolean; projection: boolean } {
  const said = given?.month === month ? given : { month, crossedWarnLevel: false, projectedOver: false };
  return {
    crossed: (state.level === 'warn' || state.level === 'over') && !said.crossedWarnLevel,
    projection: state.runsOutEarly && !said.projectedOver,
  };
}
