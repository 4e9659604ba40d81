import DOMPurify, { type Config } from 'dompurify';
import MarkdownIt, { type Env } from 'markdown-it';
import { codicon, h } from './dom';
import { strings } from './strings';

export type MarkdownEnv = Env;

/** markdown-it's HTML is sanitised into a fragment of this document: no raw HTML survives. */
const PURIFY: Config & { RETURN_DOM_FRAGMENT: true } = {
  RETURN_DOM_FRAGMENT: true,
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
};

const ALIGN = /^text-align:(left|right|center)$/;

/**
 * Markdown to sanitised DOM: markdown-it without HTML (`html: false`), links made from bare URLs,
 * no line breaks from single newlines; DOMPurify on the result; code blocks get a copy button.
 */
export class MarkdownRenderer {
  private readonly md = new MarkdownIt({ html: false, linkify: true, breaks: false });

  constructor() {
    // Table alignment as classes: markdown-it writes inline styles, which the CSP blocks.
    this.md.core.ruler.push('claude_keys_align_classes', (state) => {
      for (const token of state.tokens) {
        if ((token.type === 'th_open' || token.type === 'td_open') && token.attrs) {
          const style = String(token.attrGet('style') ?? '');
          token.attrs = token.attrs.filter(([name]) => name !== 'style');
          const align = ALIGN.exec(style);
          if (align) {
            token.attrJoin('class', `align-${align[1]}`);
          }
        }
      }
    });
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node instanceof Element && node.tagName === 'A') {
        node.setAttribute('rel', 'noopener noreferrer');
        node.removeAttribute('target');
      }
    });
  }

  /** The rendering of one self-contained piece of Markdown (`env` carries link references). */
  render(markdown: string, env: MarkdownEnv): DocumentFragment {
    const fragment = DOMPurify.sanitize(this.md.render(markdown, env), PURIFY);
    for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
      pre.replaceWith(codeBlock(pre));
    }
    return fragment;
  }

  /**
   * An empty code block as markdown-it renders the given fence opener (language class included),
   * to be filled with plain text while the fence is still open.
   */
  renderOpenFence(opener: string): { block: HTMLElement; code: HTMLElement } {
    const fragment = this.render(`${opener}\n`, {});
    const code = fragment.querySelector('pre > code');
    const block = fragment.firstElementChild;
    if (code instanceof HTMLElement && block instanceof HTMLElement) {
      return { block, code };
    }
    const fallback = h('code');
    return { block: codeBlock(h('pre', {}, [fallback])), code: fallback };
  }
}

function codeBlock(pre: HTMLElement): HTMLElement {
  const label = strings.copyCode();
  const copy = h('button', { className: 'icon-button copy-code', attrs: { type: 'button', 'aria-label': label, title: label } }, [codicon('copy')]);
  return h('div', { className: 'code-block' }, [copy, pre]);
}

/** The code of the block a copy button belongs to. */
export function codeOfCopyButton(button: Element): string | undefined {
  const code = button.closest('.code-block')?.querySelector('pre > code, pre');
  return code ? (code.textContent ?? '') : undefined;
}
