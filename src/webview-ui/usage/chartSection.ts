import type { ChartId, ChartView } from '../../shared/usageProtocol';
import { h } from '../dom';
import { t } from '../strings';
import { seriesLabel } from './charts';
import { shortDay, spendCell, tokens } from './format';

export const TITLES: Record<ChartId, () => string> = {
  spendByModel: () => t('Spend per day by model'),
  spendByKey: () => t('Spend per day by key'),
  tokensByModel: () => t('Tokens per day by model'),
  tokensByKey: () => t('Tokens per day by key'),
  orgCostByDay: () => t('Organisation cost per day (cost report)'),
  orgTokensByKey: () => t('Organisation tokens per day by API key (usage report)'),
};

/** The chart's numbers as a table: one row per day, one column per series. */
function chartTable(chart: ChartView, days: readonly string[]): HTMLTableElement {
  const cell = chart.unit === 'usd' ? (v: number, unpriced: number) => spendCell(v, unpriced) : (v: number) => tokens(v);
  const head = h('tr', {}, [h('th', { text: t('Day'), attrs: { scope: 'col' } }), ...chart.series.map((s) => h('th', { text: seriesLabel(s, chart.unit), attrs: { scope: 'col' } }))]);
  const rows = days.map((day, i) => h('tr', {}, [h('th', { text: shortDay(day), attrs: { scope: 'row' } }), ...chart.series.map((s) => h('td', { text: cell(s.values[i], s.unpriced[i]) }))]));
  const empty = chart.series.length === 0 ? [h('tr', {}, [h('td', { text: t('No requests in these days.') })])] : [];
  return h('table', { className: 'usage-table' }, [h('caption', { text: TITLES[chart.id]() }), h('thead', {}, [head]), h('tbody', {}, [...rows, ...empty])]);
}

/** A chart's section: its title, the canvas (drawn by the caller once in the DOM) and the same numbers as a table for screen readers. */
export function chartSection(chart: ChartView, days: readonly string[]): { section: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': t('{0}, last {1} days. The table beside it has the same numbers.', TITLES[chart.id](), days.length) } });
  const section = h('section', { className: 'usage-chart-section', attrs: { 'aria-labelledby': `title-${chart.id}`, 'data-chart': chart.id } }, [
    h('h2', { id: `title-${chart.id}`, text: TITLES[chart.id]() }),
    h('div', { className: 'usage-chart-row' }, [h('div', { className: 'usage-chart' }, [canvas]), h('div', { className: 'usage-table-wrap', attrs: { tabindex: 0 } }, [chartTable(chart, days)])]),
  ]);
  return { section, canvas };
}
