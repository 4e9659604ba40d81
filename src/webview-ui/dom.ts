/** Small helpers to build the panel's DOM in code: the CSP allows no inline markup, scripts or styles. */

export interface ElementOptions {
  readonly id?: string;
  readonly className?: string;
  readonly text?: string;
  /** Attributes set with setAttribute (never `style`: the CSP blocks inline styles). */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: ReadonlyArray<Node | string> = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.id) {
    element.id = options.id;
  }
  if (options.className) {
    element.className = options.className;
  }
  if (options.text !== undefined) {
    element.textContent = options.text;
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === undefined || value === false) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

/** A codicon glyph, hidden from assistive technology (its button carries the label). */
export function codicon(name: string): HTMLSpanElement {
  return h('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A button with an icon only: the label is its accessible name and its tooltip. */
export function iconButton(id: string | undefined, icon: string, label: string, className = ''): HTMLButtonElement {
  return h('button', { id, className: `icon-button ${className}`.trim(), attrs: { type: 'button', 'aria-label': label, title: label } }, [codicon(icon)]);
}

export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}
