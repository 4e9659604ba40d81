import type { HistoryEntry } from '../shared/promptProtocol';
import { h, show } from './dom';
import { formatTime } from './format';
import { strings } from './strings';

/**
 * The prompt history section: past prompts newest first, each a button that puts it back into the
 * form, and Clear. The host keeps the history; this only shows the list it last sent.
 */
export class HistoryList {
  readonly element: HTMLDetailsElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly clear: HTMLButtonElement;
  private entries: HistoryEntry[] = [];

  constructor(onPick: (entry: HistoryEntry) => void, onClear: () => void) {
    this.count = h('span', { className: 'summary-hint' });
    this.clear = h('button', { id: 'clearHistory', className: 'button secondary small', text: strings.clearHistory(), attrs: { type: 'button', title: strings.clearHistoryTitle() } });
    this.list = h('ul', { id: 'history', className: 'history-list', attrs: { 'aria-label': strings.history() } });
    this.empty = h('p', { className: 'hint history-empty', text: strings.historyEmpty() });
    this.element = h('details', { id: 'historySection', className: 'section history-section', attrs: { open: true } }, [
      h('summary', {}, [h('span', { text: strings.history() }), this.count]),
      h('div', { className: 'history-toolbar' }, [this.clear]),
      this.list,
      this.empty,
    ]);
    // One listener for all items: the list is rebuilt whenever the host sends a new history.
    this.list.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-history-id]') : null;
      const entry = this.entries.find((e) => e.id === button?.getAttribute('data-history-id'));
      if (entry) {
        onPick(entry);
      }
    });
    this.clear.addEventListener('click', onClear);
  }

  render(entries: readonly HistoryEntry[]): void {
    const time = (at: string): number => {
      const t = Date.parse(at);
      return Number.isNaN(t) ? -Infinity : t;
    };
    // Newest first (a stable sort keeps the host's order for equal or unknown times).
    this.entries = [...entries].sort((a, b) => time(b.at) - time(a.at) || 0);
    this.list.replaceChildren(
      ...this.entries.map((entry) => {
        const firstLine = entry.prompt.split(/\r?\n|\r/).find((line) => line.trim() !== '')?.trim() ?? '';
        const at = time(entry.at);
        const meta = [entry.model, Number.isFinite(at) ? formatTime(at) : ''].filter(Boolean).join(' · ');
        return h('li', {}, [
          h('button', { className: 'history-item', attrs: { type: 'button', 'data-history-id': entry.id, title: entry.prompt ? entry.prompt.slice(0, 500) : strings.historyItemTitle(entry.model) } }, [
            h('span', { className: firstLine ? 'history-prompt' : 'history-prompt muted', text: firstLine || strings.promptNotKept() }),
            h('span', { className: 'history-meta', text: meta }),
          ]),
        ]);
      }),
    );
    const empty = this.entries.length === 0;
    show(this.empty, empty);
    this.list.hidden = empty;
    this.clear.disabled = empty;
    this.count.textContent = empty ? '' : `(${this.entries.length})`;
  }
}
