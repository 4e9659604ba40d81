import { formatUsd } from '../core/pricing';
import { formatTokenCount } from '../core/tokenCount';
import type { HostToWebview, ProblemActionId } from '../shared/promptProtocol';
import { codicon, h } from './dom';
import { isActionId } from './hostMessages';
import { strings } from './strings';

/**
 * A count with no answer after this long is given up, so the button never stays disabled. Longer
 * than a minute: claudeKeys.maxRequestsPerMinute can hold a request for up to 60 s before it is sent.
 */
const COUNT_TIMEOUT_MS = 90_000;

type CountAnswer = Extract<HostToWebview, { type: 'tokenCount' | 'tokenCountError' }>;

/**
 * The panel's Count tokens button and its one-line result ("1,234 input tokens · est. $0.0037 for
 * input"). It counts only when clicked (the text goes to the API), and a result is cleared as soon
 * as the form changes: a count of text no longer there would mislead.
 */
export class TokenCountView {
  readonly button: HTMLButtonElement;
  readonly output: HTMLElement;
  private pendingId: string | undefined;
  private sequence = 0;
  private timer = 0;
  private ready = false;

  constructor(onAction: (id: ProblemActionId) => void) {
    this.button = h('button', { id: 'countTokens', className: 'button secondary', attrs: { type: 'button', title: strings.countTokensTitle(), disabled: true } }, [
      codicon('symbol-numeric'),
      h('span', { text: strings.countTokens() }),
    ]);
    this.output = h('p', { id: 'tokenCount', className: 'token-count', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } });
    this.output.addEventListener('click', (event) => {
      const id = event.target instanceof Element ? event.target.closest('button[data-action]')?.getAttribute('data-action') : undefined;
      if (isActionId(id)) {
        onAction(id);
      }
    });
  }

  get counting(): boolean {
    return this.pendingId !== undefined;
  }

  /** The panel is ready to count (it has its models and settings). */
  setReady(ready: boolean): void {
    this.ready = ready;
    this.updateButton();
  }

  /** A count is being asked for: returns its id, to send with the request. */
  start(): string {
    this.pendingId = `count-${++this.sequence}`;
    this.render(strings.counting(), 'counting');
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.pendingId = undefined;
      this.render(strings.countNoAnswer(), 'error');
      this.updateButton();
    }, COUNT_TIMEOUT_MS);
    this.updateButton();
    return this.pendingId;
  }

  /** The host's answer; one for an older or cleared request is ignored. */
  show(answer: CountAnswer): void {
    if (answer.countId !== this.pendingId) {
      return;
    }
    this.pendingId = undefined;
    window.clearTimeout(this.timer);
    if (answer.type === 'tokenCount') {
      const cost = answer.costUsd === null ? strings.priceUnknown() : strings.estInputCost(formatUsd(answer.costUsd));
      this.render(strings.tokenCount(formatTokenCount(answer.inputTokens), cost), 'done');
      this.output.setAttribute('data-input-tokens', String(answer.inputTokens));
      this.output.setAttribute('data-cost-usd', answer.costUsd === null ? '' : String(answer.costUsd));
      this.output.title = answer.model;
    } else {
      this.render(answer.problem.message, answer.problem.severity);
      this.output.append(
        ...answer.problem.actions.map((action) => h('button', { className: 'button secondary small', text: action.label, attrs: { type: 'button', 'data-action': action.id } })),
      );
    }
    this.updateButton();
  }

  /** The form changed: the shown count no longer applies, and a pending one will be ignored. */
  clear(): void {
    if (this.output.hidden && this.pendingId === undefined) {
      return;
    }
    this.pendingId = undefined;
    window.clearTimeout(this.timer);
    this.output.hidden = true;
    this.output.replaceChildren();
    this.updateButton();
  }

  private render(text: string, state: string): void {
    this.output.replaceChildren(h('span', { className: 'token-count-text', text }));
    this.output.removeAttribute('data-input-tokens');
    this.output.removeAttribute('data-cost-usd');
    this.output.removeAttribute('title');
    this.output.setAttribute('data-state', state);
    this.output.hidden = false;
  }

  private updateButton(): void {
    this.button.disabled = !this.ready || this.counting;
  }
}
