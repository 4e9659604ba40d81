import type { Chart } from 'chart.js';
import type { OrganisationFiguresView, OrganisationView, OrgKeyRow, UsageWebviewToHost } from '../../shared/usageProtocol';
import { h } from '../dom';
import { t } from '../strings';
import { chartSection } from './chartSection';
import { drawChart, themeColours } from './charts';
import { shortDay, tokens, usd } from './format';

type Post = (message: UsageWebviewToHost) => void;

/** "Dec 2, 14:05 UTC" for the fetch time. */
function fetchedAt(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? iso : `${shortDay(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/**
 * Show Usage's Organisation section: the Admin API's figures of the last fetch beside the local
 * ledger (cost and tokens per day, per API key), the reconciliation per stored key with the leak
 * flag, and each state in plain words. The page never calls anything: its buttons ask the host.
 */
export class OrganisationSection {
  readonly element = h('section', { id: 'organisation', className: 'usage-organisation', attrs: { 'aria-labelledby': 'organisation-title' } });
  private charts: Array<Chart<'bar'>> = [];

  constructor(private readonly post: Post) {}

  render(view: OrganisationView): void {
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    const title = h('h2', { id: 'organisation-title', text: t('Organisation (Admin API)') });
    const parts: HTMLElement[] = [h('div', { className: 'usage-org-header' }, [title, ...(view.state === 'noAdminKey' ? [] : [this.button(t('Refresh organisation figures'), { type: 'refreshOrganisation' }, 'org-refresh', view.state === 'fetching')])])];
    switch (view.state) {
      case 'noAdminKey':
        parts.push(
          h('p', {
            className: 'usage-note',
            id: 'org-state',
            text: t("The organisation's own figures (its usage and cost reports, and a check of each stored key's bill against this ledger) need an Admin key (sk-ant-admin01-…). Admin keys exist only for organisations: an individual account has no Admin API."),
          }),
          h('div', { className: 'usage-org-actions' }, [this.button(t('Set Admin Key'), { type: 'setAdminKey' }, 'org-set-admin-key')]),
        );
        break;
      case 'fetching':
        parts.push(h('p', { className: 'usage-note', id: 'org-state', attrs: { role: 'status' }, text: t("Fetching the organisation's usage and cost reports…") }));
        if (view.previous) {
          parts.push(...this.figures(view.previous, true));
        }
        break;
      case 'problem': {
        const actions =
          view.problem === 'unavailable' || view.problem === 'forbidden'
            ? [this.button(t('Set Admin Key'), { type: 'setAdminKey' }, 'org-set-admin-key'), this.button(t('Open Console Usage'), { type: 'openConsoleUsage' }, 'org-console')]
            : [this.button(t('Try Again'), { type: 'refreshOrganisation' }, 'org-retry')];
        parts.push(
          h('p', { className: `usage-org-problem usage-org-${view.problem}`, id: 'org-state', attrs: { role: 'alert' }, text: view.message }),
          h('p', { className: 'usage-note', text: t('Tried at {0}.', fetchedAt(view.fetchedAt)) }),
          h('div', { className: 'usage-org-actions' }, actions),
        );
        break;
      }
      case 'ok':
        parts.push(...this.figures(view.figures, false));
        break;
    }
    this.element.replaceChildren(...parts);
    this.element.dataset.state = view.state;
    const colours = themeColours();
    for (const canvas of this.element.querySelectorAll<HTMLCanvasElement>('canvas[data-org-chart]')) {
      const figures = view.state === 'ok' ? view.figures : view.state === 'fetching' ? view.previous : undefined;
      const chart = figures?.charts.find((c) => c.id === canvas.dataset.orgChart);
      if (figures && chart) {
        this.charts.push(drawChart(canvas, chart, figures.days, colours));
      }
    }
  }

  private button(label: string, message: UsageWebviewToHost, id: string, disabled = false): HTMLButtonElement {
    const b = h('button', { id, className: 'usage-button', text: label, attrs: { type: 'button', disabled } });
    b.addEventListener('click', () => this.post(message));
    return b;
  }

  private figures(f: OrganisationFiguresView, stale: boolean): HTMLElement[] {
    const out: HTMLElement[] = [
      h('p', { className: 'usage-note', id: 'org-fetched', text: t('Fetched at {0}{1}.', fetchedAt(f.fetchedAt), stale ? t(' (refreshing)') : '') }),
      h('p', { className: 'usage-note', text: t("The organisation's figures can be up to about 5 minutes behind: the latest calls may still be coming in.") }),
      h('div', { className: 'usage-figures' }, [
        h('div', { className: 'usage-figure', id: 'fig-org-cost' }, [
          h('div', { className: 'usage-figure-label', text: t('Billed to the organisation, {0} to {1}', shortDay(f.days[0] ?? ''), shortDay(f.days.at(-1) ?? '')) }),
          h('div', { className: 'usage-figure-value', text: usd(f.orgCostUsd) }),
        ]),
      ]),
    ];
    f.keys.filter((k) => k.leak).forEach((leaky, i) => out.push(this.leakFlag(leaky, i)));
    for (const chart of f.charts) {
      const { section, canvas } = chartSection(chart, f.days);
      canvas.dataset.orgChart = chart.id;
      out.push(section);
    }
    out.push(this.reconciliation(f));
    return out;
  }

  private leakFlag(k: OrgKeyRow, index: number): HTMLElement {
    return h('div', { className: 'usage-org-leak', attrs: { role: 'alert', 'data-key': k.name } }, [
      h('p', { text: k.leak ?? '' }),
      h('div', { className: 'usage-org-actions' }, [this.button(t('Report Leaked Key'), { type: 'reportLeakedKey', keyName: k.name }, `org-report-${index}`), this.button(t('Open Console Usage'), { type: 'openConsoleUsage' }, `org-console-${index}`)]),
    ]);
  }

  /** Per stored key: billed by the organisation against recorded here, and whether it adds up. */
  private reconciliation(f: OrganisationFiguresView): HTMLElement {
    const head = h('tr', {}, [t('Key'), t('Billed tokens'), t('Billed'), t('Recorded here (tokens)'), t('Recorded here'), t('Check')].map((label) => h('th', { text: label, attrs: { scope: 'col' } })));
    const rows = f.keys.map((k) =>
      h('tr', { className: k.leak ? 'usage-org-flagged' : '' }, [
        h('th', { text: k.label, attrs: { scope: 'row' } }),
        h('td', { text: tokens(k.billedTokens) }),
        h('td', { text: k.billedUsd === null ? t('price unknown') : usd(k.billedUsd) }),
        h('td', { text: tokens(k.recordedTokens) }),
        h('td', { text: usd(k.recordedUsd) }),
        h('td', { text: k.leak ? t('Spend not sent from here') : t('Adds up') }),
      ]),
    );
    const empty = f.keys.length === 0 ? [h('tr', {}, [h('td', { text: t('None of the keys stored here is one of its keys.'), attrs: { colspan: 6 } })])] : [];
    const notes = [
      f.coveredFrom === null ? t('The ledger holds no calls yet: nothing was compared.') : t('Compared from {0}.', shortDay(f.coveredFrom)),
      ...(f.keysNotInOrganisation.length > 0 ? [t('Not keys of this organisation: {0}.', f.keysNotInOrganisation.join(', '))] : []),
    ];
    return h('section', { className: 'usage-totals', id: 'org-reconciliation' }, [
      h('table', { className: 'usage-table' }, [h('caption', { text: t('Billed by the organisation against recorded here, per stored key') }), h('thead', {}, [head]), h('tbody', {}, [...rows, ...empty])]),
      ...notes.map((text) => h('p', { className: 'usage-note', text })),
    ]);
  }
}
