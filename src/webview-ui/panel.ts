import { LIMITS, type AnswerMetrics, type HistoryEntry, type HostToWebview, type PanelState, type PromptSettings, type WebviewToHost } from '../shared/promptProtocol';
import { AnswerSection, type AnswerStatus } from './answerSection';
import type { RenderStats } from './answerView';
import { h } from './dom';
import { HistoryList } from './historyList';
import { parseHostMessage, restoreState } from './hostMessages';
import { PanelNotices } from './panelNotices';
import { safely, type PanelHost } from './panelHost';
import { modelFor, PromptForm } from './promptForm';
import { StateSaver } from './stateSaver';
import { strings } from './strings';

const PENDING_TIMEOUT_MS = 30_000;
const DEFAULT_SETTINGS: PromptSettings = { model: '', system: '', maxTokens: 1024, temperature: 1 };

/**
 * The prompt panel's UI: a form (model, system prompt, prompt, max tokens, temperature), the
 * streamed answer, its metrics, errors with their next steps, and the prompt history. Talks to the
 * extension host only through the typed protocol; never sees the key, never calls the API.
 *
 * This class is the page's controller: it builds the parts (`PromptForm`, `AnswerSection`,
 * `HistoryList`, `PanelNotices`), handles the host's messages and owns the request's life cycle
 * (pending, streaming, stopping); the parts own their DOM.
 */
export class PromptPanel {
  private readonly loading: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly notices: PanelNotices;
  private readonly form: PromptForm;
  private readonly answer: AnswerSection;
  private readonly history: HistoryList;
  private readonly saver: StateSaver;

  private readonly restored: PanelState | undefined;
  private initialized = false;
  private defaults: PromptSettings = DEFAULT_SETTINGS;
  private requestId: string | undefined;
  private pending = false;
  private pendingTimer = 0;
  private stopping = false;

  constructor(
    root: HTMLElement,
    private readonly host: PanelHost,
    stats: RenderStats,
  ) {
    this.restored = restoreState(safely(() => host.getState()));
    this.saver = new StateSaver(host, () => this.snapshot());

    this.loading = h('p', { className: 'loading', text: strings.loading(), attrs: { role: 'status' } });
    this.notices = new PanelNotices(
      () => this.post({ type: 'action', id: 'setApiKey' }),
      () => this.form.focusPrompt(),
    );
    this.form = new PromptForm({
      submit: () => this.submit(),
      stop: () => this.requestStop(),
      countTokens: () => this.countTokens(),
      edit: (now) => (now ? this.saver.now() : this.saver.soon()),
      action: (id) => this.post({ type: 'action', id }),
    });
    this.answer = new AnswerSection(stats, {
      post: (message) => this.post(message),
      notice: (text) => this.notices.showNotice(text),
    });
    this.history = new HistoryList(
      (entry) => this.useHistoryEntry(entry),
      () => this.post({ type: 'clearHistory' }),
    );

    this.panel = h('main', { className: 'panel', attrs: { hidden: true } }, [this.notices.keyBanner, this.notices.notice, this.form.element, this.answer.element, this.history.element]);
    root.replaceChildren(this.loading, this.panel);

    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        this.submit();
      }
    });
    window.addEventListener('pagehide', () => this.saver.now());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') {
        this.saver.now();
      }
    });
  }

  /** The handshake: the host posts nothing before this. */
  start(): void {
    this.post({ type: 'ready' });
    // While `init` is on its way: compile the Markdown and sanitiser code paths now, in the page's
    // first task, rather than in the first frame of an answer.
    safely(() => this.answer.view.warmUp());
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
        this.form.fillModels(message.models, message.modelsSource, this.form.selectedModel || this.defaults.model);
        this.saver.soon();
        break;
      case 'keyState':
        this.notices.showKeyBanner(message.keyState === 'none');
        this.settle();
        break;
      case 'prefill':
        this.fillPrompt(message.prompt);
        break;
      case 'streamStart':
        this.onStreamStart(message.requestId);
        break;
      case 'delta':
        if (message.requestId === this.requestId && this.answer.status === 'streaming') {
          this.answer.view.append(message.text);
          this.updateControls();
          this.saver.answerSoon();
        }
        break;
      case 'streamStatus':
        if (message.requestId === this.requestId && this.answer.status === 'streaming' && !this.stopping) {
          this.answer.showStreamStatus(message.status);
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
          this.answer.showProblem(message.problem);
          this.endStream('error', message.metrics);
        }
        break;
      case 'history':
        this.history.render(message.history);
        break;
      case 'notice':
        this.settle();
        this.notices.showNotice(message.message);
        break;
      case 'tokenCount':
      case 'tokenCountError':
        this.form.tokenCount.show(message);
        break;
    }
  }

  private applyInit(message: Extract<HostToWebview, { type: 'init' }>): void {
    const first = !this.initialized;
    this.defaults = message.settings;
    this.notices.showKeyBanner(message.keyState === 'none');
    this.history.render(message.history);
    if (first) {
      const saved = this.restored;
      const settings = saved && saved.settings.model !== '' ? saved.settings : message.settings;
      this.form.fillModels(message.models, message.modelsSource, modelFor(settings.model, message.models, message.settings.model));
      this.form.restore(settings, message.prefill ?? saved?.prompt ?? '');
      const view = this.answer.view;
      if (saved && this.answer.status === 'idle' && view.value === '' && saved.answer !== '') {
        // A stream cut off by a reload cannot resume here: show what arrived as stopped.
        const status: AnswerStatus = saved.answerStatus === 'streaming' ? 'stopped' : saved.answerStatus;
        view.setText(saved.answer, true);
        this.answer.setStatus(status === 'idle' ? 'done' : status);
        this.answer.renderMetrics(saved.metrics);
      }
      this.initialized = true;
      view.holdForLayout();
      this.loading.remove();
      this.panel.hidden = false;
      // Focus once the panel has been laid out and painted: focusing now would force its first
      // layout into this task.
      requestAnimationFrame(() => window.setTimeout(() => {
        if (!this.panel.contains(document.activeElement)) {
          this.form.focusPrompt();
        }
      }));
    } else {
      this.form.fillModels(message.models, message.modelsSource, this.form.selectedModel || message.settings.model);
      if (message.prefill !== undefined) {
        this.fillPrompt(message.prefill);
      }
    }
    this.settle();
    this.updateControls();
    this.saver.now();
  }

  private fillPrompt(text: string): void {
    this.form.fillPrompt(text, this.initialized);
    this.saver.now();
  }

  private useHistoryEntry(entry: HistoryEntry): void {
    this.form.useHistoryEntry(entry);
    this.saver.now();
  }

  // Sending and stopping.

  private get busy(): boolean {
    return this.pending || this.answer.status === 'streaming';
  }

  private submit(): void {
    if (!this.initialized || this.busy) {
      return;
    }
    const request = this.form.validate();
    if (!request) {
      return;
    }
    this.notices.hideNotice();
    this.post({ type: 'send', prompt: request.prompt, settings: request.settings });
    this.pending = true;
    window.clearTimeout(this.pendingTimer);
    // Should the host drop the request without a word, do not stay stuck.
    this.pendingTimer = window.setTimeout(() => this.settle(), PENDING_TIMEOUT_MS);
    this.answer.setStatusText(strings.statusSending(), 'sending');
    this.updateControls();
    this.saver.now();
  }

  /** Count tokens: only on click, never while typing (the text goes to the API). */
  private countTokens(): void {
    const request = this.initialized && !this.form.tokenCount.counting ? this.form.validate() : undefined;
    if (request) {
      const { model, system } = request.settings;
      this.post({ type: 'countTokens', countId: this.form.tokenCount.start(), prompt: request.prompt, model, system });
    }
  }

  private requestStop(): void {
    if (this.answer.status !== 'streaming' || !this.requestId || this.stopping) {
      return;
    }
    this.stopping = true;
    this.post({ type: 'stop', requestId: this.requestId });
    this.answer.setStatusText(strings.statusStopping(), 'stopping');
    this.updateControls();
  }

  /** Whatever answered the pending send (or will not): accept sends again. */
  private settle(): void {
    if (this.pending) {
      this.pending = false;
      window.clearTimeout(this.pendingTimer);
      this.answer.setStatus(this.answer.status);
      this.updateControls();
    }
  }

  private onStreamStart(requestId: string): void {
    this.pending = false;
    window.clearTimeout(this.pendingTimer);
    this.requestId = requestId;
    this.stopping = false;
    this.answer.view.clear();
    this.answer.showProblem(undefined);
    this.answer.renderMetrics(undefined);
    this.answer.setStatus('streaming');
    this.updateControls();
    this.saver.now();
  }

  private endStream(status: 'done' | 'stopped' | 'error', metrics: AnswerMetrics): void {
    this.pending = false;
    window.clearTimeout(this.pendingTimer);
    this.requestId = undefined;
    this.stopping = false;
    this.answer.view.finish();
    this.answer.setStatus(status);
    this.answer.renderMetrics(metrics);
    this.updateControls();
    this.saver.now();
  }

  private updateControls(): void {
    const active = document.activeElement;
    const streaming = this.answer.status === 'streaming';
    this.form.updateControls(this.initialized, this.busy, streaming && Boolean(this.requestId) && !this.stopping);
    this.answer.updateControls(this.busy);
    if (active instanceof HTMLButtonElement && active.disabled) {
      this.form.focusUsable();
    }
  }

  /** What `vscode.setState` keeps: nothing before the first `init` (the form is not filled yet). */
  private snapshot(): PanelState | undefined {
    if (!this.initialized) {
      return undefined;
    }
    const metrics = this.answer.metrics;
    return {
      ...this.form.stateFields(this.defaults),
      answer: this.answer.view.value.slice(0, LIMITS.textChars),
      answerStatus: this.answer.status,
      ...(metrics ? { metrics } : {}),
    };
  }

  private post(message: WebviewToHost): void {
    safely(() => this.host.postMessage(message));
  }
}
