import { LIMITS, parseSettings, type HistoryEntry, type ModelOption, type PanelState, type ProblemActionId, type PromptSettings } from '../shared/promptProtocol';
import { codicon, h, show } from './dom';
import { formatCount } from './format';
import { strings } from './strings';
import { TokenCountView } from './tokenCountView';

/** What the form asks of the panel: it validates and shows, the panel talks to the host. */
export interface PromptFormEvents {
  submit(): void;
  stop(): void;
  countTokens(): void;
  /** A field changed; `now` when the change is complete (a choice made), not in the middle of typing. */
  edit(now: boolean): void;
  /** A next step offered by a token count's problem. */
  action(id: ProblemActionId): void;
}

/** A request as the form holds it, checked. */
export interface FormRequest {
  readonly prompt: string;
  readonly settings: PromptSettings;
}

/**
 * The prompt form: model, system prompt, prompt, max tokens, temperature, Send, Stop and Count
 * tokens. It checks what the user typed before anything is sent (the host checks it again) and
 * says what is wrong next to it.
 */
export class PromptForm {
  readonly element: HTMLFormElement;
  readonly tokenCount: TokenCountView;
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
  private models: ModelOption[] = [];

  constructor(private readonly events: PromptFormEvents) {
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
    this.tokenCount = new TokenCountView((id) => events.action(id));
    this.stop = h('button', { id: 'stop', className: 'button secondary', attrs: { type: 'button', title: strings.stopTitle(), disabled: true } }, [codicon('debug-stop'), h('span', { text: strings.stop() })]);
    this.element = h('form', { id: 'promptForm', className: 'prompt-form', attrs: { novalidate: true, 'aria-label': strings.prompt() } }, [
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

    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      events.submit();
    });
    this.send.addEventListener('click', () => events.submit());
    this.stop.addEventListener('click', () => events.stop());
    this.tokenCount.button.addEventListener('click', () => events.countTokens());
    for (const field of [this.prompt, this.system]) {
      field.addEventListener('input', () => {
        // A count is of the text as it was: it no longer applies (max tokens and temperature don't matter to it).
        this.tokenCount.clear();
        this.edited(false);
      });
    }
    for (const field of [this.maxTokens, this.temperature]) {
      field.addEventListener('input', () => this.edited(false));
      field.addEventListener('change', () => this.edited(true));
    }
    this.model.addEventListener('change', () => {
      this.tokenCount.clear();
      this.edited(true);
    });
    this.systemSection.addEventListener('toggle', () => this.updateSystemHint());
  }

  /** The model chosen, '' while none is. */
  get selectedModel(): string {
    return this.model.value;
  }

  /** The first `init`: the settings and prompt to start from (saved ones, or the host's defaults). */
  restore(settings: PromptSettings, prompt: string): void {
    this.system.value = settings.system;
    this.systemSection.open = settings.system !== '';
    this.maxTokens.value = String(settings.maxTokens);
    this.temperature.value = String(settings.temperature);
    this.prompt.value = prompt;
    this.updateSystemHint();
  }

  fillModels(models: readonly ModelOption[], source: 'api' | 'offline', selected: string): void {
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

  /** A prompt from the host (a selection sent to the panel); focused with the caret at its end once the panel shows. */
  fillPrompt(text: string, focus: boolean): void {
    this.prompt.value = text;
    this.tokenCount.clear();
    this.clearFormError();
    if (focus) {
      this.prompt.focus();
      this.prompt.setSelectionRange(text.length, text.length);
    }
  }

  /** Puts a history entry back into the form (a prompt not kept leaves the prompt as it is). */
  useHistoryEntry(entry: HistoryEntry): void {
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
  }

  /** The request to send, or undefined after showing what is wrong (the host checks it again). */
  validate(): FormRequest | undefined {
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
    for (const field of this.fields()) {
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

  /**
   * The form as it is saved: within the protocol's limits, and a number being typed that is not
   * valid (yet) saved as the host's default.
   */
  stateFields(defaults: PromptSettings): Pick<PanelState, 'settings' | 'prompt'> {
    const maxTokens = Number(this.maxTokens.value);
    const temperature = Number(this.temperature.value);
    return {
      settings: {
        model: this.model.value || defaults.model,
        system: this.system.value.slice(0, LIMITS.systemChars),
        maxTokens: Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= LIMITS.maxTokens ? maxTokens : defaults.maxTokens,
        temperature: this.temperature.value.trim() !== '' && temperature >= 0 && temperature <= 1 ? temperature : defaults.temperature,
      },
      prompt: this.prompt.value.slice(0, LIMITS.promptChars),
    };
  }

  /** Send waits for the panel to be ready and idle; Stop needs a stream it can still stop. */
  updateControls(ready: boolean, busy: boolean, canStop: boolean): void {
    this.send.disabled = !ready || busy;
    this.tokenCount.setReady(ready);
    this.stop.disabled = !canStop;
  }

  /** Keeps keyboard focus on something usable when the focused button got disabled. */
  focusUsable(): void {
    const next = [this.stop, this.send, this.prompt].find((el) => !(el instanceof HTMLButtonElement && el.disabled));
    next?.focus();
  }

  focusPrompt(): void {
    this.prompt.focus();
  }

  private edited(now: boolean): void {
    if (!this.formError.hidden) {
      this.clearFormError();
    }
    this.updateSystemHint();
    this.events.edit(now);
  }

  private clearFormError(): void {
    this.formError.hidden = true;
    this.formError.textContent = '';
    for (const field of this.fields()) {
      field.removeAttribute('aria-invalid');
    }
  }

  /** A set system prompt stays visible (as a hint) while its section is closed. */
  private updateSystemHint(): void {
    show(this.systemHint, !this.systemSection.open && this.system.value.trim() !== '');
  }

  private fields(): HTMLElement[] {
    return [this.prompt, this.system, this.model, this.maxTokens, this.temperature];
  }
}

/** The model to select: the wanted one if listed, else the host's default if listed, else the wanted one anyway. */
export function modelFor(wanted: string, models: readonly ModelOption[], fallback: string): string {
  if (models.some((m) => m.id === wanted)) {
    return wanted;
  }
  if (models.some((m) => m.id === fallback)) {
    return fallback;
  }
  return wanted || fallback || (models[0]?.id ?? '');
}
