import { LIMITS, maskedPanelState, parseSettings, type AnswerMetrics, type HistoryEntry, type HostToWebview, type ModelOption, type PanelState, type ProblemView, type PromptSettings, type StreamStatus, type WebviewToHost } from '../shared/promptProtocol';
import { AnswerView, type RenderStats } from './answerView';
import { codicon, h, iconButton, show } from './dom';
import { isActionId, parseHostMessage, restoreState } from './hostMessages';
import { codeOfCopyButton, MarkdownRenderer } from './markdownRenderer';
import { strings } from './strings';
import { TokenCountView } from './tokenCountView';

/** The part of the webview API the panel uses (`acquireVsCodeApi()`), typed by the protocol. */
export interface PanelHost {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

type AnswerStatus = PanelState['answerStatus'];

const TYPING_SAVE_MS = 300;
const STREAMING_SAVE_MS = 1_000;
const PENDING_TIMEOUT_MS = 30_000;
const NOTICE_MS = 8_000;
const DEFAULT_SETTINGS: PromptSettings = { model: '', system: '', maxTokens: 1024, temperature: 1 };

/**
 * The prompt panel's UI: a form (model, system prompt, prompt, max tokens, temperature), the
 * streamed answer, its metrics, errors with their next steps, and the prompt history. Talks to the
 * extension host only through the typed protocol; never sees the key, never calls the API.
 */
export class PromptPanel {
  private readonly loading: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly keyBanner: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly noticeText: HTMLElement;
  private readonly model: HTMLSelectElement;
  private readonly modelsSource: HTMLElement;
  private readonly systemSection: HTMLDetailsElement;
  private readonly systemHint: HTMLElement;
  private readonly system: HTMLTextAreaElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly maxTokens: HTMLInputElement;
  private readonly temperature: HTMLInputElement;
  private readonly formError: HTMLElement;
  private readonly send: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly stoppedBadge: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly answerActions: readonly HTMLButtonElement[];
  private readonly problemBox: HTMLElement;
  private readonly problemMessage: HTMLElement;
  private readonly problemActions: HTMLElement;
  private readonly answerEl: HTMLElement;
  private readonly answer: AnswerView;
  private readonly metricsEl: HTMLElement;
  private readonly historySection: HTMLDetailsElement;
  private readonly historyCount: HTMLElement;
  private readonly historyList: HTMLElement;
  private readonly historyEmpty: HTMLElement;
  private readonly clearHistory: HTMLButtonElement;
  private readonly tokenCount: TokenCountView;

  private readonly restored: PanelState | undefined;
  private initialized = false;
  private models: ModelOption[] = [];
  private defaults: PromptSettings = DEFAULT_SETTINGS;
  private answerStatus: AnswerStatus = 'idle';
  private problemSeverity: ProblemView['severity'] = 'error';
  private requestId: string | undefined;
  private pending = false;
  private stopping = false;
  private metrics: AnswerMetrics | undefined;
  private history: HistoryEntry[] = [];
  private timers = { save: 0, answerSave: 0, pending: 0, notice: 0 };

  constructor(
    root: HTMLElement,
    private readonly host: PanelHost,
    stats: RenderStats,
  ) {
    this.restored = restoreState(safely(() => host.getState()));

    this.loading = h('p', { className: 'loading', text: strings.loading(), attrs: { role: 'status' } });

    // Key banner and notices.
    const setKey = h('button', { id: 'setKey', className: 'button primary', text: strings.setKey(), attrs: { type: 'button' } });
    this.keyBanner = h('div', { id: 'keyBanner', className: 'banner', attrs: { role: 'region', 'aria-label': strings.noKey(), hidden: true } }, [
      codicon('key'),
      h('span', { className: 'banner-text', text: strings.noKey() }),
      setKey,
    ]);
    this.noticeText = h('span', { className: 'notice-text' });
    const dismiss = iconButton(undefined, 'close', strings.dismiss(), 'notice-dismiss');
    this.notice = h('div', { id: 'notice', className: 'notice', attrs: { role: 'status', hidden: true } }, [codicon('info'), this.noticeText, dismiss]);

    // The form.
    this.model = h('select', { id: 'model', className: 'select' });
    this.modelsSource = h('span', { id: 'modelsSource', className: 'hint', text: strings.modelsOffline(), attrs: { title: strings.modelsOfflineTitle(), hidden: true } });
    this.system = h('textarea', { id: 'system', className: 'textarea', attrs: { rows: 3, spellcheck: 'true', maxlength: LIMITS.systemChars } });
    this.systemHint = h('span', { className: 'summary-hint', text: strings.systemSet(), attrs: { hidden: true } });
    this.systemSection = h('details', { id: 'systemSection', className: 'section system-section' }, [
      h('summary', {}, [h('span', { text: strings.systemSection() }), this.systemHint]),
      h('div', { className: 'field' }, [h('label', { text: strings.systemLabel(), attrs: { for: 'system' } }), this.system]),
    ]);
    this.prompt = h('textarea', { id: 'prompt', className: 'textarea prompt', attrs: { rows: 5, spellcheck: 'true', placeholder: strings.promptPlaceholder(), 'aria-describedby': 'sendHint', maxlength: LIMITS.promptChars } });
    this.maxTokens = h('input', { id: 'maxTokens', className: 'input number', attrs: { type: 'number', min: 1, max: LIMITS.maxTokens, step: 1, inputmode: 'numeric', required: true } });
    this.temperature = h('input', { id: 'temperature', className: 'input number', attrs: { type: 'number', min: 0, max: 1, step: 0.1, inputmode: 'decimal', required: true } });
    this.formError = h('p', { id: 'formError', className: 'validation', attrs: { hidden: true, 'aria-live': 'polite' } });
    this.send = h('button', { id: 'send', className: 'button primary', attrs: { type: 'button', title: strings.sendTitle() } }, [codicon('send'), h('span', { text: strings.send() })]);
    this.tokenCount = new TokenCountView((id) => this.post({ type: 'action', id }));
    this.stop = h('button', { id: 'stop', className: 'button secondary', attrs: { type: 'button', title: strings.stopTitle(), disabled: true } }, [codicon('debug-stop'), h('span', { text: strings.stop() })]);
    const form = h('form', { id: 'promptForm', className: 'prompt-form', attrs: { novalidate: true, 'aria-label': strings.prompt() } }, [
      h('div', { className: 'field' }, [h('label', { text: strings.model(), attrs: { for: 'model' } }), h('div', { className: 'model-row' }, [this.model, this.modelsSource])]),
      this.systemSection,
      h('div', { className: 'field' }, [h('label', { text: strings.prompt(), attrs: { for: 'prompt' } }), this.prompt]),
      h('div', { className: 'settings-row' }, [
        h('div', { className: 'field' }, [h('label', { text: strings.maxTokens(), attrs: { for: 'maxTokens' } }), this.maxTokens]),
        h('div', { className: 'field' }, [h('label', { text: strings.temperature(), attrs: { for: 'temperature' } }), this.temperature]),
      ]),
      this.formError,
      h('div', { className: 'actions' }, [this.send, this.stop, this.tokenCount.button, h('span', { id: 'sendHint', className: 'hint', text: strings.sendHint() })]),
      this.tokenCount.output,
    ]);

    // The answer.
    this.status = h('span', { id: 'status', className: 'status', attrs: { role: 'status', 'data-status': 'idle' } });
    // Marks a stopped (partial) answer, just below it (outside the log, so not part of its text).
    this.stoppedBadge = h('span', { id: 'stoppedBadge', className: 'badge stopped-badge', attrs: { title: strings.stoppedBadgeTitle(), hidden: true } }, [codicon('debug-stop'), h('span', { text: strings.stoppedBadge() })]);
    const copyAnswer = iconButton('copyAnswer', 'copy', strings.copyAnswer());
    const insertAnswer = iconButton('insertAnswer', 'insert', strings.insertAnswer());
    const openAnswer = iconButton('openAnswer', 'go-to-file', strings.openAnswer());
    this.answerActions = [copyAnswer, insertAnswer, openAnswer];
    this.progress = h('div', { className: 'progress', attrs: { 'aria-hidden': 'true', hidden: true } }, [h('div', { className: 'progress-bit' })]);
    this.problemMessage = h('p', { className: 'problem-message' });
    this.problemActions = h('div', { className: 'problem-actions' });
    this.problemBox = h('div', { id: 'error', className: 'problem error', attrs: { role: 'alert', hidden: true } }, [
      h('div', { className: 'problem-body' }, [codicon('error'), this.problemMessage]),
      this.problemActions,
    ]);
    this.answerEl = h('div', { id: 'answer', className: 'answer markdown', attrs: { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'answerHeading', tabindex: 0 } });
    this.answer = new AnswerView(this.answerEl, new MarkdownRenderer(), stats, strings.answerEmpty());
    this.metricsEl = h('dl', { id: 'metrics', className: 'metrics', attrs: { 'aria-label': strings.metricsLabel(), hidden: true } });
    const answerSection = h('section', { className: 'answer-section', attrs: { 'aria-labelledby': 'answerHeading' } }, [
      h('div', { className: 'answer-header' }, [
        h('h2', { id: 'answerHeading', className: 'section-title', text: strings.answer() }),
        this.status,
        h('div', { className: 'answer-actions' }, this.answerActions),
      ]),
      this.progress,
      this.problemBox,
      this.answerEl,
      h('div', { className: 'answer-footer' }, [this.stoppedBadge, this.metricsEl]),
    ]);

    // History.
    this.historyCount = h('span', { className: 'summary-hint' });
    this.clearHistory = h('button', { id: 'clearHistory', className: 'button secondary small', text: strings.clearHistory(), attrs: { type: 'button', title: strings.clearHistoryTitle() } });
    this.historyList = h('ul', { id: 'history', className: 'history-list', attrs: { 'aria-label': strings.history() } });
    this.historyEmpty = h('p', { className: 'hint history-empty', text: strings.historyEmpty() });
    this.historySection = h('details', { id: 'historySection', className: 'section history-section', attrs: { open: true } }, [
      h('summary', {}, [h('span', { text: strings.history() }), this.historyCount]),
      h('div', { className: 'history-toolbar' }, [this.clearHistory]),
      this.historyList,
      this.historyEmpty,
    ]);

    this.panel = h('main', { className: 'panel', attrs: { hidden: true } }, [this.keyBanner, this.notice, form, answerSection, this.historySection]);
    root.replaceChildren(this.loading, this.panel);

    // Events.
    setKey.addEventListener('click', () => this.post({ type: 'action', id: 'setApiKey' }));
    dismiss.addEventListener('click', () => this.hideNotice());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.send.addEventListener('click', () => this.submit());
    this.stop.addEventListener('click', () => this.requestStop());
    this.tokenCount.button.addEventListener('click', () => this.countTokens());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        this.submit();
      }
    });
    for (const field of [this.prompt, this.system]) {
      field.addEventListener('input', () => {
        // A count is of the text as it was: it no longer applies (max tokens and temperature don't matter to it).
        this.tokenCount.clear();
        this.onEdit(false);
      });
    }
    for (const field of [this.maxTokens, this.temperature]) {
      field.addEventListener('input', () => this.onEdit(false));
      field.addEventListener('change', () => this.onEdit(true));
    }
    this.model.addEventListener('change', () => {
      this.tokenCount.clear();
      this.onEdit(true);
    });
    this.systemSection.addEventListener('toggle', () => this.updateSystemHint());
    copyAnswer.addEventListener('click', () => this.handOver('copy'));
    insertAnswer.addEventListener('click', () => this.handOver('insertAtCursor'));
    openAnswer.addEventListener('click', () => this.handOver('openAsDocument'));
    this.problemActions.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
      const id = button?.getAttribute('data-action');
      if (isActionId(id)) {
        this.post({ type: 'action', id });
      }
    });
    this.answerEl.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('.copy-code') : null;
      const code = button ? codeOfCopyButton(button) : undefined;
      if (button && code !== undefined) {
        this.post({ type: 'copy', text: code.slice(0, LIMITS.textChars) });
        flashCopied(button);
      }
    });
    this.historyList.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-history-id]') : null;
      const entry = this.history.find((e) => e.id === button?.getAttribute('data-history-id'));
      if (entry) {
        this.useHistoryEntry(entry);
      }
    });
    this.clearHistory.addEventListener('click', () => this.post({ type: 'clearHistory' }));
    window.addEventListener('pagehide', () => this.saveState());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') {
        this.saveState();
      }
    });
  }

  /** The handshake: the host posts nothing before this. */
  start(): void {
    this.post({ type: 'ready' });
    // While `init` is on its way: compile the Markdown and sanitiser code paths now, in the page's
    // first task, rather than in the first frame of an answer.
    safely(() => this.answer.warmUp());
  }

  /** Every message from the host; unknown or malformed ones are ignored. */
  handleMessage(data: unknown): void {
    const message = parseHostMessage(data);
    if (!message) {
      return;
    }
    try {
      this.dispatch(message);
    } catch (error) {
      console.error('[Claude Keys] the panel could not handle a message', error);
    }
  }

  private dispatch(message: HostToWebview): void {
    switch (message.type) {
      case 'init':
        this.applyInit(message);
        break;
      case 'models':
        this.fillModels(message.models, message.modelsSource, this.model.value || this.defaults.model);
        this.saveSoon();
        break;
      case 'keyState':
        show(this.keyBanner, message.keyState === 'none');
        this.settle();
        break;
      case 'prefill':
        this.fillPrompt(message.prompt);
        break;
      case 'streamStart':
        this.onStreamStart(message.requestId);
        break;
      case 'delta':
        if (message.requestId === this.requestId && this.answerStatus === 'streaming') {
          this.answer.append(message.text);
          this.updateControls();
          this.saveAnswerSoon();
        }
        break;
      case 'streamStatus':
        if (message.requestId === this.requestId && this.answerStatus === 'streaming' && !this.stopping) {
          this.showStreamStatus(message.status);
        }
        break;
      case 'streamEnd':
        if (message.requestId === this.requestId) {
          this.endStream(message.stopped ? 'stopped' : 'done', message.metrics);
        }
        break;
      case 'streamError':
        // A send the host refused before it started a stream has no request id of ours yet.
        if (message.requestId === this.requestId || this.requestId === undefined) {
          this.showProblem(message.problem);
          this.endStream('error', message.metrics);
        }
        break;
      case 'history':
        this.renderHistory(message.history);
        break;
      case 'notice':
        this.settle();
        this.showNotice(message.message);
        break;
      case 'tokenCount':
      case 'tokenCountError':
        this.tokenCount.show(message);
        break;
    }
  }

  private applyInit(message: Extract<HostToWebview, { type: 'init' }>): void {
    const first = !this.initialized;
    this.defaults = message.settings;
    show(this.keyBanner, message.keyState === 'none');
    this.renderHistory(message.history);
    if (first) {
      const saved = this.restored;
      const settings = saved && saved.settings.model !== '' ? saved.settings : message.settings;
      const model = this.modelFor(settings.model, message.models, message.settings.model);
      this.fillModels(message.models, message.modelsSource, model);
      this.system.value = settings.system;
      this.systemSection.open = settings.system !== '';
      this.maxTokens.value = String(settings.maxTokens);
      this.temperature.value = String(settings.temperature);
      this.prompt.value = message.prefill ?? saved?.prompt ?? '';
      if (saved && this.answerStatus === 'idle' && this.answer.value === '' && saved.answer !== '') {
        // A stream cut off by a reload cannot resume here: show what arrived as stopped.
        const status: AnswerStatus = saved.answerStatus === 'streaming' ? 'stopped' : saved.answerStatus;
        this.answer.setText(saved.answer, true);
        this.setStatus(status === 'idle' ? 'done' : status);
        this.renderMetrics(saved.metrics);
      }
      this.initialized = true;
      this.answer.holdForLayout();
      this.loading.remove();
      this.panel.hidden = false;
      this.updateSystemHint();
      // Focus once the panel has been laid out and painted: focusing now would force its first
      // layout into this task.
      requestAnimationFrame(() => window.setTimeout(() => {
        if (!this.panel.contains(document.activeElement)) {
          this.prompt.focus();
        }
      }));
    } else {
      this.fillModels(message.models, message.modelsSource, this.model.value || message.settings.model);
      if (message.prefill !== undefined) {
        this.fillPrompt(message.prefill);
      }
    }
    this.settle();
    this.updateControls();
    this.saveState();
  }

  /** The model to select: the wanted one if listed, else the host's default if listed, else the wanted one anyway. */
  private modelFor(wanted: string, models: readonly ModelOption[], fallback: string): string {
    if (models.some((m) => m.id === wanted)) {
      return wanted;
    }
    if (models.some((m) => m.id === fallback)) {
      return fallback;
    }
    return wanted || fallback || (models[0]?.id ?? '');
  }

  private fillModels(models: readonly ModelOption[], source: 'api' | 'offline', selected: string): void {
    this.models = [...models];
    const options = models.map((m) => h('option', { text: m.label, attrs: { value: m.id } }));
    if (selected && !models.some((m) => m.id === selected)) {
      options.push(h('option', { text: strings.notListed(selected), attrs: { value: selected } }));
    }
    if (options.length === 0) {
      options.push(h('option', { text: strings.noModels(), attrs: { value: '', disabled: true } }));
    }
    this.model.replaceChildren(...options);
    this.model.value = selected && options.some((o) => o.value === selected) ? selected : (models[0]?.id ?? '');
    show(this.modelsSource, source === 'offline');
  }

  private fillPrompt(text: string): void {
    this.prompt.value = text;
    this.tokenCount.clear();
    this.clearFormError();
    if (this.initialized) {
      this.prompt.focus();
      this.prompt.setSelectionRange(text.length, text.length);
    }
    this.saveState();
  }

  // Sending and stopping.

  private get busy(): boolean {
    return this.pending || this.answerStatus === 'streaming';
  }

  private submit(): void {
    if (!this.initialized || this.busy) {
      return;
    }
    const request = this.validate();
    if (!request) {
      return;
    }
    this.hideNotice();
    this.post({ type: 'send', prompt: request.prompt, settings: request.settings });
    this.pending = true;
    window.clearTimeout(this.timers.pending);
    // Should the host drop the request without a word, do not stay stuck.
    this.timers.pending = window.setTimeout(() => this.settle(), PENDING_TIMEOUT_MS);
    this.setStatusText(strings.statusSending(), 'sending');
    this.updateControls();
    this.saveState();
  }

  /** Count tokens: only on click, never while typing (the text goes to the API). */
  private countTokens(): void {
    const request = this.initialized && !this.tokenCount.counting ? this.validate() : undefined;
    if (request) {
      const { model, system } = request.settings;
      this.post({ type: 'countTokens', countId: this.tokenCount.start(), prompt: request.prompt, model, system });
    }
  }

  /** The request to send, or undefined after showing what is wrong (the host checks it again). */
  private validate(): { prompt: string; settings: PromptSettings } | undefined {
    const prompt = this.prompt.value;
    const maxTokens = Number(this.maxTokens.value);
    const temperature = Number(this.temperature.value);
    const problems: Array<[HTMLElement, string]> = [];
    if (prompt.trim() === '') {
      problems.push([this.prompt, strings.errorEmptyPrompt()]);
    } else if (prompt.length > LIMITS.promptChars) {
      problems.push([this.prompt, strings.errorPromptTooLong(formatCount(LIMITS.promptChars))]);
    }
    if (this.system.value.length > LIMITS.systemChars) {
      problems.push([this.system, strings.errorSystemTooLong(formatCount(LIMITS.systemChars))]);
    }
    if (!this.model.value) {
      problems.push([this.model, strings.errorModel()]);
    }
    if (this.maxTokens.value.trim() === '' || !Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > LIMITS.maxTokens) {
      problems.push([this.maxTokens, strings.errorMaxTokens(formatCount(LIMITS.maxTokens))]);
    }
    if (this.temperature.value.trim() === '' || !(temperature >= 0 && temperature <= 1)) {
      problems.push([this.temperature, strings.errorTemperature()]);
    }
    const settings = parseSettings({ model: this.model.value, system: this.system.value, maxTokens, temperature });
    if (problems.length === 0 && !settings) {
      problems.push([this.model, strings.errorModel()]);
    }
    for (const field of [this.prompt, this.system, this.model, this.maxTokens, this.temperature]) {
      field.toggleAttribute('aria-invalid', problems.some(([f]) => f === field));
    }
    if (problems.length > 0 || !settings) {
      this.formError.textContent = problems.map(([, message]) => message).join(' ');
      this.formError.hidden = false;
      if (problems[0]?.[0] === this.system) {
        this.systemSection.open = true;
      }
      problems[0]?.[0].focus();
      return undefined;
    }
    this.clearFormError();
    return { prompt, settings };
  }

  private clearFormError(): void {
    this.formError.hidden = true;
    this.formError.textContent = '';
    for (const field of [this.prompt, this.system, this.model, this.maxTokens, this.temperature]) {
      field.removeAttribute('aria-invalid');
    }
  }

  private requestStop(): void {
    if (this.answerStatus !== 'streaming' || !this.requestId || this.stopping) {
      return;
    }
    this.stopping = true;
    this.post({ type: 'stop', requestId: this.requestId });
    this.setStatusText(strings.statusStopping(), 'stopping');
    this.updateControls();
  }

  /** Whatever answered the pending send (or will not): accept sends again. */
  private settle(): void {
    if (this.pending) {
      this.pending = false;
      window.clearTimeout(this.timers.pending);
      this.setStatus(this.answerStatus);
      this.updateControls();
    }
  }

  private onStreamStart(requestId: string): void {
    this.pending = false;
    window.clearTimeout(this.timers.pending);
    this.requestId = requestId;
    this.stopping = false;
    this.answer.clear();
    this.showProblem(undefined);
    this.renderMetrics(undefined);
    this.setStatus('streaming');
    this.updateControls();
    this.saveState();
  }

  private endStream(status: 'done' | 'stopped' | 'error', metrics: AnswerMetrics): void {
    this.pending = false;
    window.clearTimeout(this.timers.pending);
    this.requestId = undefined;
    this.stopping = false;
    this.answer.finish();
    this.setStatus(status);
    this.renderMetrics(metrics);
    this.updateControls();
    this.saveState();
  }

  // Display.

  private setStatus(status: AnswerStatus): void {
    this.answerStatus = status;
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
  private showStreamStatus(status: StreamStatus): void {
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

  private setStatusText(text: string, state: string): void {
    this.status.textContent = text;
    this.status.setAttribute('data-status', state);
  }

  private updateControls(): void {
    const active = document.activeElement;
    const streaming = this.answerStatus === 'streaming';
    this.send.disabled = !this.initialized || this.busy;
    this.tokenCount.setReady(this.initialized);
    this.stop.disabled = !streaming || !this.requestId || this.stopping;
    const hasAnswer = this.answer.value !== '';
    for (const button of this.answerActions) {
      button.disabled = !hasAnswer;
    }
    show(this.progress, this.busy);
    this.answerEl.setAttribute('aria-busy', String(streaming));
    // Keep keyboard focus on something usable when the focused button gets disabled.
    if (active instanceof HTMLButtonElement && active.disabled) {
      const next = [this.stop, this.send, this.prompt].find((el) => !(el instanceof HTMLButtonElement && el.disabled));
      next?.focus();
    }
  }

  private showProblem(problem: ProblemView | undefined): void {
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

  private renderMetrics(metrics: AnswerMetrics | undefined): void {
    this.metrics = metrics;
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

  private renderHistory(entries: readonly HistoryEntry[]): void {
    const time = (at: string): number => {
      const t = Date.parse(at);
      return Number.isNaN(t) ? -Infinity : t;
    };
    // Newest first (a stable sort keeps the host's order for equal or unknown times).
    this.history = [...entries].sort((a, b) => time(b.at) - time(a.at) || 0);
    this.historyList.replaceChildren(
      ...this.history.map((entry) => {
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
    const empty = this.history.length === 0;
    show(this.historyEmpty, empty);
    this.historyList.hidden = empty;
    this.clearHistory.disabled = empty;
    this.historyCount.textContent = empty ? '' : `(${this.history.length})`;
  }

  private useHistoryEntry(entry: HistoryEntry): void {
    this.tokenCount.clear();
    if (entry.prompt !== '') {
      this.prompt.value = entry.prompt;
    }
    if (entry.prompt !== '' || entry.system !== '') {
      this.system.value = entry.system;
      if (entry.system !== '') {
        this.systemSection.open = true;
      }
    }
    if (entry.model) {
      if (!this.models.some((m) => m.id === entry.model) && !Array.from(this.model.options).some((o) => o.value === entry.model)) {
        this.model.append(h('option', { text: strings.notListed(entry.model), attrs: { value: entry.model } }));
      }
      this.model.value = entry.model;
    }
    this.clearFormError();
    this.updateSystemHint();
    this.prompt.focus();
    this.saveState();
  }

  private updateSystemHint(): void {
    show(this.systemHint, !this.systemSection.open && this.system.value.trim() !== '');
  }

  private showNotice(text: string): void {
    this.noticeText.textContent = text;
    this.notice.hidden = false;
    window.clearTimeout(this.timers.notice);
    this.timers.notice = window.setTimeout(() => {
      if (!this.notice.contains(document.activeElement)) {
        this.hideNotice();
      }
    }, NOTICE_MS);
  }

  private hideNotice(): void {
    window.clearTimeout(this.timers.notice);
    if (this.notice.contains(document.activeElement)) {
      this.prompt.focus();
    }
    this.notice.hidden = true;
  }

  private handOver(type: 'copy' | 'insertAtCursor' | 'openAsDocument'): void {
    const text = this.answer.value;
    if (text === '') {
      return;
    }
    if (text.length > LIMITS.textChars) {
      this.showNotice(strings.errorTooLongToSend());
      return;
    }
    this.post({ type, text });
  }

  private post(message: WebviewToHost): void {
    safely(() => this.host.postMessage(message));
  }

  // State.

  private onEdit(now: boolean): void {
    if (!this.formError.hidden) {
      this.clearFormError();
    }
    this.updateSystemHint();
    if (now) {
      this.saveState();
    } else {
      this.saveSoon();
    }
  }

  private saveSoon(): void {
    window.clearTimeout(this.timers.save);
    this.timers.save = window.setTimeout(() => this.saveState(), TYPING_SAVE_MS);
  }

  /** While streaming the answer is saved at most once a second (it can be long). */
  private saveAnswerSoon(): void {
    if (!this.timers.answerSave) {
      this.timers.answerSave = window.setTimeout(() => this.saveState(), STREAMING_SAVE_MS);
    }
  }

  private saveState(): void {
    window.clearTimeout(this.timers.save);
    window.clearTimeout(this.timers.answerSave);
    this.timers.save = 0;
    this.timers.answerSave = 0;
    if (!this.initialized) {
      return;
    }
    const maxTokens = Number(this.maxTokens.value);
    const temperature = Number(this.temperature.value);
    const state: PanelState = {
      settings: {
        model: this.model.value || this.defaults.model,
        system: this.system.value.slice(0, LIMITS.systemChars),
        maxTokens: Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= LIMITS.maxTokens ? maxTokens : this.defaults.maxTokens,
        temperature: this.temperature.value.trim() !== '' && temperature >= 0 && temperature <= 1 ? temperature : this.defaults.temperature,
      },
      prompt: this.prompt.value.slice(0, LIMITS.promptChars),
      answer: this.answer.value.slice(0, LIMITS.textChars),
      answerStatus: this.answerStatus,
      ...(this.metrics ? { metrics: this.metrics } : {}),
    };
    safely(() => this.host.setState(maskedPanelState(state)));
  }
}

function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    console.error('[Claude Keys]', error);
    return undefined;
  }
}

/**
 * 1234567 as "1,234,567". (Not `toLocaleString`/`Intl`: their first use loads ICU data, tens of
 * milliseconds in the middle of handling a message.)
 */
function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "14:05" today, "2025-11-24 14:05" before (local time). */
function formatTime(at: number): string {
  const date = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  return date.toDateString() === new Date().toDateString() ? time : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
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
