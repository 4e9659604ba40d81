import type { Chart } from 'chart.js';
import { parseUsageHostMessage, type ChartView, type OrganisationView, type TotalsRow, type UsageViewModel, type UsageWebviewToHost } from '../../shared/usageProtocol';
import { h, show } from '../dom';
import { t } from '../strings';
import { chartSection } from './chartSection';
import { drawChart, themeColours } from './charts';
import { percent, shortDay, spendCell, tokens, usd } from './format';
import { OrganisationSection } from './organisationSection';

export interface UsageHost {
  postMessage(message: UsageWebviewToHost): void;
}

/** Exposed for the e2e test: what was drawn, and how long the first chart took after the view arrived. */
export interface UsageRenderStats {
  charts: number;
  firstChartMs?: number;
  views: number;
  /** The Organisation section's state, once the host said it. */
  organisation?: OrganisationView['state'];
}

/**
 * The Show Usage page: summary figures, four stacked bar charts each with a table of the same
 * numbers beside it (screen readers read the table; the canvas has a short label), and the totals.
 */
export class UsagePage {
  private readonly content = h('div', { className: 'usage-content' });
  private readonly notice = h('p', { className: 'usage-notice', attrs: { role: 'status' } });
  private charts: Array<Chart<'bar'>> = [];
  private view: UsageViewModel | undefined;
  private organisation: OrganisationView | undefined;
  private readonly orgSection: OrganisationSection;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: UsageHost,
    private readonly stats: UsageRenderStats,
  ) {
    this.orgSection = new OrganisationSection((message) => this.host.postMessage(message));
  }

  start(): void {
    const button = (label: string, message: UsageWebviewToHost, id: string): HTMLButtonElement => {
      const b = h('button', { id, className: 'usage-button', text: label, attrs: { type: 'button' } });
      b.addEventListener('click', () => this.host.postMessage(message));
      return b;
    };
    const toolbar = h('div', { className: 'usage-toolbar' }, [
      button(t('Export CSV'), { type: 'export', format: 'csv' }, 'export-csv'),
      button(t('Export JSON'), { type: 'export', format: 'json' }, 'export-json'),
      button(t('Refresh'), { type: 'refresh' }, 'refresh'),
    ]);
    show(this.notice, false);
    this.content.append(h('p', { className: 'usage-loading', text: t('Reading the usage ledger…') }));
    this.root.replaceChildren(h('main', { className: 'usage-page' }, [h('header', { className: 'usage-header' }, [h('h1', { text: t('Claude Usage') }), toolbar]), this.notice, this.content, this.orgSection.element]));
    // VS Code changes the body's theme class when the user switches theme: draw again in its colours
    // (four small charts; Chart.js keeps resolved colours cached, so a plain update misses the bars).
    new MutationObserver(() => {
      if (this.view) {
        this.render(this.view);
      }
      if (this.organisation) {
        this.orgSection.render(this.organisation);
      }
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.host.postMessage({ type: 'ready' });
  }

  handleMessage(raw: unknown): void {
    const message = parseUsageHostMessage(raw);
    if (!message) {
      return;
    }
    if (message.type === 'notice') {
      this.notice.textContent = message.message;
      show(this.notice, true);
      return;
    }
    if (message.type === 'organisation') {
      this.organisation = message.organisation;
      this.orgSection.render(message.organisation);
      this.stats.organisation = message.organisation.state;
      return;
    }
    this.render(message.view);
  }

  private render(view: UsageViewModel): void {
    const started = performance.now();
    this.view = view;
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    const sections: HTMLElement[] = [this.summary(view)];
    const pending: Array<{ canvas: HTMLCanvasElement; chart: ChartView }> = [];
    for (const chart of view.charts) {
      const { section, canvas } = chartSection(chart, view.days);
      pending.push({ canvas, chart });
      sections.push(section);
    }
    sections.push(this.totalsTable(t('By model, last {0} days', view.days.length), t('Model'), view.byModel, 'totals-model'));
    sections.push(this.totalsTable(t('By key, last {0} days', view.days.length), t('Key'), view.byKey, 'totals-key'));
    this.content.replaceChildren(...sections);
    const colours = themeColours();
    for (const { canvas, chart } of pending) {
      this.charts.push(drawChart(canvas, chart, view.days, colours));
      if (this.stats.firstChartMs === undefined) {
        this.stats.firstChartMs = performance.now() - started;
      }
    }
    this.stats.charts = this.charts.length;
    this.stats.views++;
  }

  private summary(view: UsageViewModel): HTMLElement {
    const m = view.month;
    const figure = (label: string, value: string, id: string, extra?: string): HTMLElement =>
      h('div', { className: 'usage-figure', id }, [h('div', { className: 'usage-figure-label', text: label }), h('div', { className: 'usage-figure-value', text: value }), ...(extra ? [h('div', { className: 'usage-figure-extra', text: extra })] : [])]);
    const unknown = m.unpricedRequests > 0 ? t('+ {0} requests with price unknown', m.unpricedRequests) : undefined;
    const budget =
      m.budgetUsd > 0
        ? figure(t('Budget'), t('{0} of {1}', percent(m.used), usd(m.budgetUsd)), 'fig-budget', m.runsOutOn ? t('At this rate it runs out on {0}.', m.runsOutOn) : m.level === 'over' ? t('Over budget: each prompt asks first.') : undefined)
        : figure(t('Budget'), t('None set'), 'fig-budget');
    const figures = h('div', { className: 'usage-figures' }, [
      figure(t('Month so far ({0})', m.month), usd(m.spentUsd), 'fig-month', unknown),
      figure(t('Projected to month end'), usd(m.projectedUsd), 'fig-projection', t('Day {0} of {1}, at the rate so far', Math.ceil(m.daysElapsed), m.daysInMonth)),
      budget,
      figure(t('Cache hit rate, last {0} days', view.days.length), percent(view.cacheHitRate), 'fig-cache'),
      figure(t('Requests, last {0} days', view.days.length), tokens(view.requests), 'fig-requests'),
    ]);
    figures.classList.toggle('over', m.level === 'over');
    const setBudget = h('button', { className: 'usage-link', text: t('Set the monthly budget…'), attrs: { type: 'button' } });
    setBudget.addEventListener('click', () => this.host.postMessage({ type: 'openBudgetSetting' }));
    const skipped = view.skippedLines > 0 ? [h('p', { className: 'usage-note', text: t('{0} ledger lines could not be read (torn or foreign) and were skipped.', view.skippedLines) })] : [];
    const loading = view.loadingBefore ? [h('p', { className: 'usage-note usage-loading-older', id: 'loading-older', attrs: { role: 'status' }, text: t('Days before {0} are still being read from the ledger (first time only)…', shortDay(view.loadingBefore)) })] : [];
    return h('section', { className: 'usage-summary', attrs: { 'aria-label': t('Summary') } }, [figures, setBudget, ...loading, ...skipped]);
  }

  private totalsTable(caption: string, first: string, rows: readonly TotalsRow[], id: string): HTMLElement {
    const head = h('tr', {}, [first, t('Requests'), t('Tokens'), t('Spend'), t('Cache hit rate')].map((label) => h('th', { text: label, attrs: { scope: 'col' } })));
    const body = rows.map((r) =>
      h('tr', {}, [h('th', { text: r.label, attrs: { scope: 'row' } }), h('td', { text: tokens(r.requests) }), h('td', { text: tokens(r.tokens) }), h('td', { text: spendCell(r.costUsd, r.unpricedRequests) }), h('td', { text: percent(r.cacheHitRate) })]),
    );
    return h('section', { className: 'usage-totals', id }, [h('table', { className: 'usage-table' }, [h('caption', { text: caption }), h('thead', {}, [head]), h('tbody', {}, body)])]);
  }
}
