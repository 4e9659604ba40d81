import * as vscode from 'vscode';
import { explainApiProblem } from '../api/apiProblemMessages';
import { formatUsd } from '../core/pricing';
import { relativeDay, type KeyReconciliation } from '../core/reconcile';
import type { ChartView, OrganisationProblem, OrganisationView, OrgKeyRow, SeriesView } from '../shared/usageProtocol';
import type { OrganisationFigures, OrganisationUsage } from './adminReports';

/** Lines of the per-key chart; the rest is summed into "Other" (as the ledger's charts do). */
const MAX_KEYS = 6;
const DAY_MS = 86_400_000;

/**
 * The words for the Admin API's figures, shared by Check Organisation Usage (notifications) and
 * Show Usage's Organisation section (the view model), so both say the same thing.
 */

/** "sk-ant-api03-…wxyz spent $4.10 yesterday that Claude Keys did not send. If you did not use…". */
export function leakText(k: KeyReconciliation, now: Date): { readonly spent: string; readonly message: string } {
  const latest = k.unexplained[0];
  const relative = relativeDay(latest.day, now);
  const when = relative === 'today' ? vscode.l10n.t('today') : relative === 'yesterday' ? vscode.l10n.t('yesterday') : vscode.l10n.t('on {0}', relative);
  const anyUnpriced = k.unexplained.some((u) => u.usd === null);
  const amount = anyUnpriced ? vscode.l10n.t('{0} tokens (price unknown)', k.unexplainedTokens.toLocaleString('en-US')) : formatUsd(k.unexplainedUsd);
  const spent =
    k.unexplained.length === 1
      ? vscode.l10n.t('{0} spent {1} {2} that Claude Keys did not send.', k.key.hint, amount, when)
      : vscode.l10n.t('{0} spent {1} on {2} days (the latest {3}) that Claude Keys did not send.', k.key.hint, amount, k.unexplained.length, when);
  return { spent, message: `${spent} ${vscode.l10n.t('If you did not use this key elsewhere, it may have leaked.')}` };
}

/** What went wrong fetching, in plain words: Admin API unavailable (401/404), no rights (403), network, other. */
export function organisationProblem(usage: Extract<OrganisationUsage, { state: 'failed' }>): { readonly problem: OrganisationProblem; readonly message: string } {
  const { problem } = usage;
  if (problem.kind === 'invalidKey' || problem.kind === 'notFound') {
    return {
      problem: 'unavailable',
      message: vscode.l10n.t(
        'The Admin API is unavailable with this Admin key ({0}): the key is wrong, disabled or not an Admin key, or the account is an individual one, which has no Admin API (Admin keys exist only for organisations).',
        problem.kind === 'invalidKey' ? '401' : '404',
      ),
    };
  }
  if (problem.kind === 'permission') {
    return { problem: 'forbidden', message: vscode.l10n.t("The Admin key has no right to read the organisation's usage and cost reports (403). Ask an organisation admin for an Admin key with that right.") };
  }
  const explanation = explainApiProblem(problem, vscode.l10n.t('Checking organisation usage'));
  const network = problem.kind === 'network' || problem.kind === 'timeout';
  return { problem: network ? 'network' : 'error', message: explanation.message };
}

/** The report's days, `from` to `to` inclusive (UTC). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && days.length < 366; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function keyRow(k: KeyReconciliation, now: Date): OrgKeyRow {
  let billedUsd: number | null = 0;
  let billedTokens = 0;
  let recordedTokens = 0;
  let recordedUsd = 0;
  for (const d of k.days) {
    billedTokens += d.orgTokens;
    billedUsd = billedUsd === null || d.orgUsd === null ? null : billedUsd + d.orgUsd;
    recordedTokens += d.localTokens;
    recordedUsd += d.localUsd;
  }
  return { label: `${k.key.name} (${k.key.hint})`, name: k.key.name, billedTokens, billedUsd, recordedTokens, recordedUsd, ...(k.unexplained.length > 0 ? { leak: leakText(k, now).message } : {}) };
}

/** Tokens per API key per day: the biggest keys by tokens, the rest as "Other". */
function tokensByKeySeries(figures: OrganisationFigures, days: readonly string[]): SeriesView[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const perKey = new Map<string, number[]>();
  const console = vscode.l10n.t('Console (no API key)');
  for (const { key, day, tokens } of figures.tokensByKey) {
    const i = index.get(day);
    if (i === undefined) {
      continue;
    }
    const label = key ?? console;
    const values = perKey.get(label) ?? days.map(() => 0);
    values[i] += tokens;
    perKey.set(label, values);
  }
  const total = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const ranked = [...perKey.entries()].filter(([, v]) => total(v) > 0).sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]));
  const shown = ranked.length > MAX_KEYS ? ranked.slice(0, MAX_KEYS - 1) : ranked;
  const series: SeriesView[] = shown.map(([label, values]) => ({ label, values, unpriced: days.map(() => 0) }));
  if (ranked.length > shown.length) {
    const other = days.map(() => 0);
    for (const [, values] of ranked.slice(shown.length)) {
      values.forEach((v, i) => (other[i] += v));
    }
    series.push({ label: vscode.l10n.t('Other'), values: other, unpriced: days.map(() => 0) });
  }
  return series;
}

/** Show Usage's Organisation section from the last fetch: masked hints and names only, never a key. */
export function organisationViewOf(usage: OrganisationUsage, now: Date): OrganisationView {
  if (usage.state === 'noAdminKey') {
    return { state: 'noAdminKey' };
  }
  if (usage.state === 'failed') {
    return { state: 'problem', ...organisationProblem(usage), fetchedAt: now.toISOString() };
  }
  const days = daysBetween(usage.from, usage.to);
  const cost = new Map(usage.costByDay.map((d) => [d.day, d.usd]));
  const charts: ChartView[] = [
    { id: 'orgCostByDay', unit: 'usd', series: [{ label: vscode.l10n.t('Organisation'), values: days.map((d) => cost.get(d) ?? 0), unpriced: days.map(() => 0) }] },
    { id: 'orgTokensByKey', unit: 'tokens', series: tokensByKeySeries(usage, days) },
  ];
  return {
    state: 'ok',
    figures: {
      fetchedAt: usage.fetchedAt,
      days,
      charts,
      orgCostUsd: usage.orgCostUsd,
      keys: usage.keys.map((k) => keyRow(k, now)),
      keysNotInOrganisation: usage.keysNotInOrganisation.map((k) => `${k.name} (${k.hint})`),
      coveredFrom: usage.coveredFrom ?? null,
    },
  };
}
