import { fencedBlockCode, StableSplitter, type OpenFence } from '../shared/streamingMarkdown';
import { SoftCuts, StableChunks } from './answerChunks';
import { h } from './dom';
import { LiveCodeBlock } from './liveCodeBlock';
import type { MarkdownRenderer } from './markdownRenderer';

/** What the benchmark reads as `window.__claudeKeysPanel`. */
export interface RenderStats {
  /** Milliseconds spent in each render frame. */
  readonly frames: number[];
  /** Render frames so far. */
  renders: number;
}

/** Stable pieces rendered in one go: boundaries are grouped up to this many characters. */
const PIECE_CHARS = 4_000;
/** Work on stable pieces per frame before the rest waits for the next frame. */
const STABLE_BUDGET_MS = 8;
/**
 * A tail without any boundary (a giant paragraph, list or table) is cut approximately once it is
 * longer than TAIL_SOFT_MIN characters and took more than TAIL_COST_LIMIT_MS to render and lay
 * out, or once it is longer than TAIL_SOFT_MAX: re-rendering it on every frame stays cheap.
 */
const TAIL_SOFT_MIN = 3_000;
const TAIL_COST_LIMIT_MS = 8;
const TAIL_SOFT_MAX = 16_000;
/** A single stable piece past this size (a restored giant paragraph) is cut the same way. */
const PIECE_SOFT_LIMIT = 16_000;
/** Tail renders costlier than this are spaced out to leave room for the rest of the frame. */
const TAIL_THROTTLE_MS = 6;
/** Frames kept in the stats (a long session must not grow them forever). */
const MAX_FRAMES = 100_000;

const WARM_UP = [
  '# Title\n\nText with **bold**, *em*, `code` and https://example.com [a link](https://example.org).\n',
  '- item with `code`\n'.repeat(20),
  '\n1. one\n\n> quote\n\n| a | b |\n|:-|-:|\n',
  '| cell | **bold** |\n'.repeat(20),
  '\n```ts\nconst a = 1;\n```\n',
].join('');

/**
 * The answer, rendered incrementally. Deltas only append to a buffer; at most once per animation
 * frame the view
 * 1. collects new boundaries (`StableSplitter`, which resumes where it stopped),
 * 2. renders the newly completed stable text once and appends its DOM (within a time budget, so a
 *    restored long answer fills in over a few frames instead of blocking one),
 * 3. re-renders only the unstable tail. A code block still open at the tail is shown as plain text
 *    that grows by appending, and becomes the stable rendering as it is when its fence closes.
 * Total work is O(n) in the length of the answer. A tail that grows costly without any boundary (a
 * giant paragraph, list or table) is cut at a line (`SoftCuts`) and the cut hidden with CSS.
 * The stable chunks and their repair once the answer is complete live in `StableChunks`, the
 * growing code block in `LiveCodeBlock`; this class decides what to render when.
 */
export class AnswerView {
  /** Holds the stable chunks and, last, the tail. */
  private readonly contentEl: HTMLElement;
  private tailEl: HTMLElement;
  private text = '';
  private final = false;
  private splitter = new StableSplitter();
  /** Cut points queued for rendering, from `head` on; `queued` is the last one (or `rendered`). */
  private pending: number[] = [];
  private head = 0;
  private queued = 0;
  private rendered = 0;
  private cuts = new SoftCuts();
  private stable: StableChunks;
  private live: LiveCodeBlock | undefined;
  private tailShown = { start: -1, end: -1 };
  /** What rendering and laying out the tail cost last time, and when that was. */
  private tailCost = 0;
  private tailAt = 0;
  private frameHandle = 0;
  private stickToBottom = true;
  /** While the panel lays itself out for the first time, rendering waits (see `holdForLayout`). */
  private held = false;

  constructor(
    readonly element: HTMLElement,
    private readonly renderer: MarkdownRenderer,
    private readonly stats: RenderStats,
    placeholderText: string,
  ) {
    this.stable = new StableChunks(renderer, this.cuts);
    // The placeholder is CSS-generated (::before), so it is never part of the answer's text.
    element.setAttribute('data-placeholder', placeholderText);
    element.classList.add('is-empty');
    this.tailEl = h('div', { className: 'answer-tail' });
    this.contentEl = h('div', { className: 'answer-content' }, [this.tailEl]);
    element.append(this.contentEl);
    element.addEventListener('scroll', () => {
      this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    });
  }

  /**
   * Renders a small sample off-screen so that the first real frame does not pay for compiling the
   * Markdown and sanitiser code paths. Call it when the panel is idle.
   */
  warmUp(): void {
    this.renderer.render(WARM_UP, {});
  }

  /**
   * The panel was just shown: let the browser lay it out in a frame of its own before the first
   * render, rather than both in one long frame (an answer may start streaming at once).
   */
  holdForLayout(): void {
    this.held = true;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        this.held = false;
      }),
    );
  }

  /** The Markdown received so far. */
  get value(): string {
    return this.text;
  }

  /** Empties the answer. */
  clear(): void {
    if (this.frameHandle) {
      cancelAnimationFrame(this.frameHandle);
      this.frameHandle = 0;
    }
    this.text = '';
    this.final = false;
    this.splitter = new StableSplitter();
    this.pending = [];
    this.head = 0;
    this.queued = 0;
    this.rendered = 0;
    this.cuts = new SoftCuts();
    this.stable = new StableChunks(this.renderer, this.cuts);
    this.live = undefined;
    this.tailShown = { start: -1, end: -1 };
    this.tailCost = 0;
    this.tailAt = 0;
    this.stickToBottom = true;
    this.tailEl.replaceChildren();
    this.tailEl.className = 'answer-tail';
    this.contentEl.replaceChildren(this.tailEl);
    this.element.scrollTop = 0;
    this.element.classList.add('is-empty');
  }

  /** Appends streamed text; it is rendered on the next animation frame. */
  append(delta: string): void {
    if (typeof delta !== 'string' || delta === '' || this.final) {
      return;
    }
    this.text += delta;
    this.schedule();
  }

  /** Replaces the whole answer (a restored one is `final`: nothing more will be appended). */
  setText(text: string, final: boolean): void {
    this.clear();
    this.text = typeof text === 'string' ? text : '';
    this.final = final;
    this.schedule();
  }

  /** No more text will come: render the tail as the last stable piece. */
  finish(): void {
    if (!this.final) {
      this.final = true;
      this.schedule();
    }
  }

  private schedule(): void {
    this.element.classList.toggle('is-empty', this.text === '');
    if (!this.frameHandle) {
      this.frameHandle = requestAnimationFrame(() => this.frame());
    }
  }

  private frame(): void {
    this.frameHandle = 0;
    if (this.held) {
      this.schedule();
      return;
    }
    const started = performance.now();
    let more = false;
    try {
      more = this.work(started);
    } catch (error) {
      // Never leave the panel broken by a rendering problem: show the text as it is.
      console.error('[Claude Keys] rendering the answer failed', error);
      this.tailEl.replaceChildren();
      this.contentEl.replaceChildren(h('pre', { className: 'answer-raw', text: this.text }), this.tailEl);
      this.stable.drop();
      this.pending = [];
      this.head = 0;
      this.rendered = this.queued = this.text.length;
      this.splitter = new StableSplitter(this.text.length);
      this.live = undefined;
    }
    if (this.stickToBottom && this.text !== '') {
      // Reading scrollHeight lays the answer out now; a changed tail pays for that, so count it.
      const before = performance.now();
      this.element.scrollTop = this.element.scrollHeight;
      if (this.tailAt >= started) {
        this.tailCost += performance.now() - before;
      }
    }
    if (this.stats.frames.length >= MAX_FRAMES) {
      this.stats.frames.splice(0, MAX_FRAMES / 2);
    }
    this.stats.frames.push(performance.now() - started);
    this.stats.renders++;
    if (more) {
      this.schedule();
    }
  }

  /** One frame of work; true when more is left for the next frame. */
  private work(started: number): boolean {
    this.collectBoundaries();

    // Stable pieces, each rendered once, within the frame budget (at least one per frame).
    let first = true;
    while (this.head < this.pending.length) {
      if (!first && performance.now() - started > STABLE_BUDGET_MS) {
        this.clearTail();
        return true;
      }
      first = false;
      if (this.live && this.live.start === this.rendered && this.promoteLiveFence(this.pending[this.head])) {
        this.rendered = this.pending[this.head];
        this.head++;
        continue;
      }
      let k = this.head;
      while (k + 1 < this.pending.length && this.pending[k + 1] - this.rendered <= PIECE_CHARS && !this.cuts.has(this.pending[k])) {
        k++;
      }
      let end = this.pending[k];
      if (end - this.rendered > PIECE_SOFT_LIMIT) {
        const cut = this.cuts.cut(this.text, this.rendered, end, PIECE_SOFT_LIMIT / 2);
        if (cut !== undefined) {
          end = cut;
          k = this.head - 1;
        }
      }
      this.stable.render(this.text, this.rendered, end, this.tailEl);
      this.rendered = end;
      this.head = k + 1;
    }
    this.pending = [];
    this.head = 0;

    let more = this.renderTail(started);

    // Once complete, chunks that rendering the whole answer at once would show differently are
    // rendered again (link references that came later, short blocks cut softly), within the budget.
    if (this.final && !this.stable.repairsPlanned) {
      this.stable.planRepairs(this.text);
    }
    if (this.stable.repair(this.text, () => performance.now() - started > STABLE_BUDGET_MS)) {
      more = true;
    }
    return more;
  }

  private collectBoundaries(): void {
    for (const boundary of this.splitter.advance(this.text)) {
      if (boundary > this.queued) {
        this.pending.push(boundary);
        this.queued = boundary;
      }
    }
    if (this.final) {
      if (this.queued < this.text.length) {
        this.pending.push(this.text.length);
        this.queued = this.text.length;
      }
      return;
    }
    // A tail that grew costly without a boundary (a giant paragraph, list or table): cut it.
    const tailLength = this.text.length - this.queued;
    const costly = tailLength > TAIL_SOFT_MIN && this.tailCost > TAIL_COST_LIMIT_MS && this.tailShown.start === this.queued;
    if ((costly || tailLength > TAIL_SOFT_MAX) && !this.openFence()) {
      const cut = this.cuts.cut(this.text, this.queued, this.text.length, tailLength / 2);
      if (cut !== undefined) {
        this.pending.push(cut);
        this.queued = cut;
        this.tailCost = 0;
      }
    }
  }

  private openFence(): OpenFence | undefined {
    return this.splitter.stable === this.queued ? this.splitter.openFence(this.text) : undefined;
  }

  /**
   * When the stable piece [rendered, end) is exactly the code block shown live in the tail, keeps
   * that DOM as the stable rendering (completing its text) instead of rendering it again: a long
   * code block is then laid out once, not once more when it closes.
   */
  private promoteLiveFence(end: number): boolean {
    const live = this.live;
    const code = live ? fencedBlockCode(this.text, live.start, end, this.final && end === this.text.length) : undefined;
    if (!live || !code || !live.complete(this.text, code.contentEnd)) {
      return false;
    }
    const element = this.tailEl;
    element.append('\n');
    element.className = 'md-chunk md-chunk-code';
    element.classList.toggle('continued', this.cuts.has(live.start));
    this.stable.seal(element, live.start, end);
    this.tailEl = h('div', { className: 'answer-tail' });
    element.after(this.tailEl);
    this.live = undefined;
    this.tailShown = { start: -1, end: -1 };
    return true;
  }

  private clearTail(): void {
    this.tailEl.classList.remove('continued');
    if (this.tailShown.start !== -1) {
      this.tailEl.replaceChildren();
      this.tailShown = { start: -1, end: -1 };
      this.live = undefined;
    }
  }

  /** Re-renders the unstable tail; true when it had to wait for a later frame. */
  private renderTail(started: number): boolean {
    const start = this.rendered;
    const end = this.text.length;
    if (start >= end) {
      this.clearTail();
      return false;
    }
    if (this.tailShown.start === start && this.tailShown.end === end) {
      return false;
    }
    this.tailEl.classList.toggle('continued', this.cuts.has(start));
    const fence = this.final ? undefined : this.openFence();
    if (fence) {
      this.updateLiveFence(start, fence);
      this.tailShown = { start, end };
      return false;
    }
    this.live = undefined;
    const now = performance.now();
    // A costly tail is re-rendered less often (it catches up on a later frame, never stalls).
    if (!this.final && this.tailCost > TAIL_THROTTLE_MS && (now - this.tailAt < this.tailCost * 2 || now - started > STABLE_BUDGET_MS)) {
      return true;
    }
    this.tailEl.replaceChildren(this.renderer.render(this.text.slice(start, end), this.stable.tailEnv(), this.cuts.header(start)));
    this.tailShown = { start, end };
    this.tailAt = performance.now();
    this.tailCost = this.tailAt - now;
    return false;
  }

  private updateLiveFence(start: number, fence: OpenFence): void {
    if (!this.live || this.live.start !== start) {
      this.live = LiveCodeBlock.open(this.renderer, this.tailEl, start, fence);
    }
    this.live.grow(this.text, fence);
  }
}
