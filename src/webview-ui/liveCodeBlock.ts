import type { OpenFence } from '../shared/streamingMarkdown';
import { appendCode, type MarkdownRenderer } from './markdownRenderer';

/** Code text as markdown-it shows it: line endings normalised, NUL replaced. */
function normalizeCode(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
}

/**
 * A code block still streaming at the answer's tail, shown as plain text that only grows by
 * appending: a long block costs O(new text) per frame instead of a full render, and is laid out once.
 */
export class LiveCodeBlock {
  private constructor(
    /** Where the block's fence opens in the answer. */
    readonly start: number,
    private readonly code: HTMLElement,
    /** The end of the code shown so far. */
    private shown: number,
  ) {}

  /** Renders the fence's opening into `tail`, replacing what the tail showed. */
  static open(renderer: MarkdownRenderer, tail: HTMLElement, start: number, fence: OpenFence): LiveCodeBlock {
    const { block, code } = renderer.renderOpenFence(fence.opener);
    tail.replaceChildren(block);
    return new LiveCodeBlock(start, code, fence.contentStart);
  }

  /** Shows the block's code as far as it has arrived. */
  grow(text: string, fence: OpenFence): void {
    // A CR at the very end may be the first half of a CRLF: wait for the next character.
    let end = fence.contentEnd;
    if (end === text.length && text.charCodeAt(end - 1) === 13) {
      end--;
    }
    if (end < this.shown) {
      this.code.replaceChildren();
      this.shown = fence.contentStart;
    }
    if (end > this.shown) {
      appendCode(this.code, normalizeCode(text.slice(this.shown, end)));
      this.shown = end;
    }
  }

  /**
   * The fence closed with its code ending at `contentEnd`: shows the rest of the code. False, and
   * nothing changed, when more than that is shown already (the block must be rendered anew).
   */
  complete(text: string, contentEnd: number): boolean {
    if (contentEnd < this.shown) {
      return false;
    }
    appendCode(this.code, normalizeCode(text.slice(this.shown, contentEnd)));
    return true;
  }
}
