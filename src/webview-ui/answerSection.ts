import { LIMITS, type AnswerMetrics, type PanelState, type ProblemView, type StreamStatus, type WebviewToHost } from '../shared/promptProtocol';
import { AnswerView, type RenderStats } from './answerView';
import { codicon, h, iconButton, show } from './dom';
import { formatCount } from './format';
import { isActionId } from './hostMessages';
import { codeOfCopyButton, MarkdownRenderer } from './markdownRenderer';
import { strings } from './strings';

export type AnswerStatus = PanelState['answerStatus'];

/** What the answer section asks of the panel. */
export interface AnswerSectionEvents {
  post(message: WebviewToHost): void;
  /** A short message for the user (the answer is too long to hand over). */
  notice(text: string): void;
}

/**
 * The answer half of the panel: its status line, the streamed answer (`AnswerView`), a problem with
 * its next steps, the metrics below it, and the buttons that hand the answer to the editor. It keeps
 * the answer's status; the panel decides when it changes.
 */
export class AnswerSection {
  readonly element: HTMLElement;
  readonly view: AnswerView;
  private readonly statusEl: HTMLElement;
  private readonly stoppedBadge: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly actions: readonly HTMLButtonElement[];
  private readonly problemBox: HTMLElement;
  private readonly problemMessage: HTMLElement;
  private readonly problemActions: HTMLElement;
  private readonly answerEl: HTMLElement;
  private readonly metricsEl: HTMLElement;
  private currentStatus: AnswerStatus = 'idle';
  private problemSeverity: ProblemView['severity'] = 'error';
  private currentMetrics: AnswerMetrics | undefined;

  constructor(
    stats: RenderStats,
    private readonly events: AnswerSectionEvents,
  ) {
    this.statusEl = h('span', { id: 'status', className: 'status', attrs: { role: 'status', 'data-status': 'idle' } });
    // Marks a stopped (partial) answer, just below it (outside the log, so not part of its text).
    this.stoppedBadge = h('span', { id: 'stoppedBadge', className: 'badge stopped-badge', attrs: { title: strings.stoppedBadgeTitle(), hidden: true } }, [codicon('debug-stop'), h('span', { text: strings.stoppedBadge() })]);
    const copyAnswer = iconButton('copyAnswer', 'copy', strings.copyAnswer());
    const insertAnswer = iconButton('insertAnswer', 'insert', strings.insertAnswer());
    const openAnswer = iconButton('openAnswer', 'go-to-file', strings.openAnswer());
    this.actions = [copyAnswer, insertAnswer, openAnswer];
    this.progress = h('div', { className: 'progress', attrs: { 'aria-hidden': 'true', hidden: true } }, [h('div', { className: 'progress-bit' })]);
    this.problemMessage = h('p', { className: 'problem-message' });
    this.problemActions = h('div', { className: 'problem-actions' });
    this.problemBox = h('div', { id: 'error', className: 'problem error', attrs: { role: 'alert', hidden: true } }, [
      h('div', { className: 'problem-body' }, [codicon('error'), this.problemMessage]),
      this.problemActions,
    ]);
    this.answerEl = h('div', { id: 'answer', className: 'answer markdown', attrs: { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'answerHeading', tabindex: 0 } });
    this.view = new AnswerView(this.answerEl, new MarkdownRenderer(), stats, strings.answerEmpty());
    this.metricsEl = h('dl', { id: 'metrics', className: 'metrics', attrs: { 'aria-label': strings.metricsLabel(), hidden: true } });
    this.element = h('section', { className: 'answer-section', attrs: { 'aria-labelledby': 'answerHeading' } }, [
      h('div', { className: 'answer-header' }, [
        h('h2', { id: 'answerHeading', className: 'section-title', text: strings.answer() }),
        this.statusEl,
        h('div', { className: 'answer-actions' }, this.actions),
      ]),
      this.progress,
      this.problemBox,
      this.answerEl,
      h('div', { className: 'answer-footer' }, [this.stoppedBadge, this.metricsEl]),
    ]);

    copyAnswer.addEventListener('click', () => this.handOver('copy'));
    insertAnswer.addEventListener('click', () => this.handOver('insertAtCursor'));
    openAnswer.addEventListener('click', () => this.handOver('openAsDocument'));
    this.problemActions.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
      const id = button?.getAttribute('data-action');
      if (isActionId(id)) {
        events.post({ type: 'action', id });
      }
    });
    // The code blocks' copy buttons are rendered markup without listeners: one delegate serves all.
    this.answerEl.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('.copy-code') : null;
      const code = button ? codeOfCopyButton(button) : undefined;
      if (button && code !== undefined) {
        events.post({ type: 'copy', text: code.slice(0, LIMITS.textChars) });
        flashCopied(button);
      }
    });
  }

  get status(): AnswerStatus {
    return this.currentStatus;
  }

  /** The metrics shown (and saved with the answer). */
  get metrics(): AnswerMetrics | undefined {
    return this.currentMetrics;
  }

  setStatus(status: AnswerStatus): void {
    this.currentStatus = status;
    const text: Record<AnswerStatus, string> = {
      idle: '',
      streaming: strings.statusStreaming(),
      done: strings.statusDone(),
      stopped: strings.statusStopped(),
      error: this.problemSeverity === 'warning' ? strings.statusWarning() : strings.statusError(),
    };
    this.setStatusText(text[status], status);
    show(this.stoppedBadge, status === 'stopped');
    this.answerEl.classList.toggle('stopped', status === 'stopped');
  }

  /** Streaming, or what the answer waits for: a retry the SDK will make, or silence on the connection. */
  showStreamStatus(status: StreamStatus): void {
    switch (status.kind) {
      case 'streaming':
        this.setStatusText(strings.statusStreaming(), 'streaming');
        return;
      case 'retrying':
        this.setStatusText(
          status.status === undefined
            ? strings.statusRetrying(status.attempt, status.of, status.seconds)
            : strings.statusRetryingAfter(status.status, status.attempt, status.of, status.seconds),
          'retrying',
        );
        return;
      case 'noData':
        this.setStatusText(strings.statusNoData(status.seconds), 'noData');
        return;
    }
  }

  /** The status line alone (sending, stopping), leaving the answer's status as it is. */
  setStatusText(text: string, state: string): void {
    this.statusEl.textContent = text;
    this.statusEl.setAttribute('data-status', state);
  }

  /** Hand-over buttons need an answer; the progress bar shows while the panel is busy. */
  updateControls(busy: boolean): void {
    const hasAnswer = this.view.value !== '';
    for (const button of this.actions) {
      button.disabled = !hasAnswer;
    }
    show(this.progress, busy);
    this.answerEl.setAttribute('aria-busy', String(this.currentStatus === 'streaming'));
  }

  showProblem(problem: ProblemView | undefined): void {
    if (!problem) {
      this.problemBox.hidden = true;
      this.problemMessage.textContent = '';
      this.problemActions.replaceChildren();
      return;
    }
    this.problemSeverity = problem.severity;
    this.problemBox.className = `problem ${problem.severity}`;
    const icon = this.problemBox.querySelector('.codicon');
    if (icon) {
      icon.className = `codicon codicon-${problem.severity === 'warning' ? 'warning' : 'error'}`;
    }
    this.problemMessage.textContent = problem.message;
    this.problemActions.replaceChildren(
      ...problem.actions.map((action, i) =>
        h('button', { className: `button ${i === 0 ? 'primary' : 'secondary'}`, text: action.label, attrs: { type: 'button', 'data-action': action.id } }),
      ),
    );
    this.problemBox.hidden = false;
  }

  renderMetrics(metrics: AnswerMetrics | undefined): void {
    this.currentMetrics = metrics;
    if (!metrics) {
      this.metricsEl.hidden = true;
      this.metricsEl.replaceChildren();
      return;
    }
    const count = (n: number | undefined): [string, string] => (n !== undefined && Number.isFinite(n) ? [formatCount(n), String(n)] : ['—', '']);
    const ms = (n: number | undefined): [string, string] => (n !== undefined && Number.isFinite(n) ? [strings.ms(formatCount(n)), String(Math.round(n))] : ['—', '']);
    const total = (n: number | undefined): [string, string] =>
      n !== undefined && Number.isFinite(n) ? [n >= 10_000 ? strings.seconds((n / 1000).toFixed(1)) : strings.ms(formatCount(n)), String(Math.round(n))] : ['—', ''];
    const items: Array<[string, string, [string, string]]> = [
      ['inputTokens', strings.inputTokens(), count(metrics.usage?.inputTokens)],
      ['outputTokens', strings.outputTokens(), count(metrics.usage?.outputTokens)],
      ['ttft', strings.ttft(), ms(metrics.timeToFirstTokenMs)],
      ['total', strings.total(), total(metrics.totalMs)],
      ['stopReason', strings.stopReason(), metrics.stopReason ? [metrics.stopReason, metrics.stopReason] : ['—', '']],
    ];
    if (metrics.rateLimit?.summary) {
      items.push(['rateLimit', strings.rateLimit(), [metrics.rateLimit.summary, metrics.rateLimit.summary]]);
    }
    this.metricsEl.replaceChildren(
      ...items.map(([key, label, [text, value]]) =>
        h('div', { className: `metric metric-${key}` }, [h('dt', { text: label }), h('dd', { text, attrs: { 'data-metric': key, 'data-value': value } })]),
      ),
    );
    this.metricsEl.hidden = false;
  }

  /** Copy, insert or open the answer: the host does it; an answer past the protocol's limit is refused here. */
  private handOver(type: 'copy' | 'insertAtCursor' | 'openAsDocument'): void {
    const text = this.view.value;
    if (text === '') {
      return;
    }
    if (text.length > LIMITS.textChars) {
      this.events.notice(strings.errorTooLongToSend());
      return;
    }
    this.events.post({ type, text });
  }
}

/** A short "copied" tick on a copy button. */
function flashCopied(button: Element): void {
  const icon = button.querySelector('.codicon');
  if (!icon) {
    return;
  }
  icon.classList.replace('codicon-copy', 'codicon-check');
  window.setTimeout(() => icon.classList.replace('codicon-check', 'codicon-copy'), 1_500);
}
