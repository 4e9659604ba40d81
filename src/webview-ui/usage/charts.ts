import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import type { ChartView, SeriesView } from '../../shared/usageProtocol';
import { shortDay, tokens, usd } from './format';
import { t } from '../strings';

// Tree-shaken: only the stacked bar chart's parts are registered (and bundled).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** VS Code's chart colours, so light, dark and high-contrast themes each get their own. */
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface ThemeColours {
  readonly series: readonly string[];
  readonly foreground: string;
  readonly grid: string;
  readonly font: string;
}

/** Read when a chart is drawn and again when the theme changes (VS Code swaps the body's class). */
export function themeColours(): ThemeColours {
  const foreground = cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#888'));
  return {
    series: PALETTE.map((name, i) => cssVar(name, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i])),
    foreground,
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

/** A stacked bar chart of one split per day. No animation: the first paint is the final one. */
export function drawChart(canvas: HTMLCanvasElement, view: ChartView, days: readonly string[], colours: ThemeColours): Chart<'bar'> {
  const format = view.unit === 'usd' ? usd : tokens;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: days.map(shortDay),
      datasets: view.series.map((s, i) => ({ label: seriesLabel(s, view.unit), data: [...s.values], backgroundColor: colours.series[i % colours.series.length], borderWidth: 0 })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: colours.foreground,
      font: { family: colours.font },
      scales: {
        x: { stacked: true, ticks: { color: colours.foreground, maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false }, border: { color: colours.grid } },
        y: { stacked: true, beginAtZero: true, ticks: { color: colours.foreground, callback: (value) => format(Number(value)) }, grid: { color: colours.grid }, border: { color: colours.grid } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: colours.foreground, boxWidth: 12 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.raw))}` } },
      },
    },
  };
  return new Chart(canvas, config);
}

/** A spend series with requests but no priced spend at all is labelled as such, not left to read as $0. */
export function seriesLabel(series: SeriesView, unit: ChartView['unit']): string {
  const priced = series.values.some((v) => v !== 0);
  return unit === 'usd' && !priced && series.unpriced.some((n) => n > 0) ? t('{0} (price unknown)', series.label) : series.label;
}
