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

  /**
   * The rendering of one self-contained piece of Markdown (`env` carries link references). With
   * `tableHeader`, the piece continues a table cut between two rows: it is rendered under that
   * header, and the repeated header is left out.
   */
  render(markdown: string, env: MarkdownEnv, tableHeader?: string): DocumentFragment {
    const fragment = DOMPurify.sanitize(this.md.render(tableHeader ? tableHeader + markdown : markdown, env), PURIFY);
    if (tableHeader) {
      const table = fragment.querySelector('table');
      table?.querySelector('thead')?.remove();
      table?.classList.add('table-continued');
    }
    for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
      const block = codeBlock();
      pre.before(block);
      block.append(pre);
      const code = pre.querySelector('code');
      const text = code?.textContent ?? '';
      if (code && text.length > CODE_PART_CHARS * 2) {
        // Long code in block-level parts: the browser then lays out only the part that changes.
        code.replaceChildren();
        appendCode(code, text);
      }
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
    const fallbackBlock = codeBlock();
    fallbackBlock.append(h('pre', {}, [fallback]));
    return { block: fallbackBlock, code: fallback };
  }
}

const CODE_PART_CHARS = 8_000;

/**
 * Appends text to a code element as block-level parts of about 8,000 characters, each ending at a
 * line end (a part is a `display: block` span, so the lines look the same as one text node, but
 * appending re-lays out only the last part, not the whole block).
 */
export function appendCode(code: HTMLElement, text: string): void {
  let rest = text;
  let part = code.lastElementChild instanceof HTMLElement && code.lastElementChild.classList.contains('code-part') ? code.lastElementChild : undefined;
  while (rest !== '') {
    if (!part) {
      part = h('span', { className: 'code-part' });
      code.append(part);
    }
    const node = part.firstChild instanceof Text ? part.firstChild : part.appendChild(document.createTextNode(''));
    const room = CODE_PART_CHARS - node.length;
    let take = rest.length;
    if (rest.length > room) {
      // End this part at a line end: before the room runs out if possible, else at the next one.
      const before = rest.lastIndexOf('\n', Math.max(0, room - 1));
      const after = rest.indexOf('\n', Math.max(0, room));
      take = before >= 0 ? before + 1 : after >= 0 ? after + 1 : rest.length;
    }
    node.appendData(rest.slice(0, take));
    rest = rest.slice(take);
    if (rest !== '') {
      part = undefined;
    }
  }
}

/** The wrapper of a code block, with its copy button; the `pre` goes in after the button. */
function codeBlock(): HTMLElement {
  const label = strings.copyCode();
  const copy = h('button', { className: 'icon-button copy-code', attrs: { type: 'button', 'aria-label': label, title: label } }, [codicon('copy')]);
  return h('div', { className: 'code-block' }, [copy]);
}

/** The code of the block a copy button belongs to. */
export function codeOfCopyButton(button: Element): string | undefined {
  const code = button.closest('.code-block')?.querySelector('pre > code, pre');
  return code ? (code.textContent ?? '') : undefined;
}
