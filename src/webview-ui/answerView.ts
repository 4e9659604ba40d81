import { softBoundary, StableSplitter } from '../shared/streamingMarkdown';
import { h } from './dom';
import type { MarkdownEnv, MarkdownRenderer } from './markdownRenderer';

/** What the benchmark reads as `window.__claudeKeysPanel`. */
export interface RenderStats {
  /** Milliseconds spent in each render frame. */
  readonly frames: number[];
  /** Render frames so far. */
  renders: number;
}

/** Consecutive stable pieces share one wrapper element up to about this many characters. */
const CHUNK_CHARS = 4_000;
/** Stable pieces rendered in one go: boundaries are grouped up to this many characters. */
const PIECE_CHARS = 12_000;
/** Work on stable pieces per frame before the rest waits for the next frame. */
const STABLE_BUDGET_MS = 10;
/** A tail without any boundary is cut (approximately) past this size, so re-rendering it stays cheap. */
const TAIL_SOFT_LIMIT = 24_000;
/** A single stable piece past this size (a restored giant paragraph) is cut the same way. */
const PIECE_SOFT_LIMIT = 48_000;
const SOFT_MIN = 8_000;
/** Tail renders costlier than this are spaced out to leave room for the rest of the frame. */
const TAIL_THROTTLE_MS = 4;
/** Frames kept in the stats (a long session must not grow them forever). */
const MAX_FRAMES = 100_000;
/** Text nodes of a streaming code block grow up to this size before a new one starts. */
const TEXT_NODE_CHARS = 8_000;

interface Chunk {
  readonly element: HTMLElement;
  readonly start: number;
  end: number;
  /** Link reference definitions known when its first piece was rendered. */
  readonly references: number;
}

interface LiveFence {
  readonly start: number;
  readonly code: HTMLElement;
  readonly contentStart: number;
  shown: number;
}

/**
 * The answer, rendered incrementally. Deltas only append to a buffer; at most once per animation
 * frame the view
 * 1. collects new boundaries (`StableSplitter`, which resumes where it stopped),
 * 2. renders the newly completed stable text once and appends its DOM (within a time budget, so a
 *    restored long answer fills in over a few frames instead of blocking one),
 * 3. re-renders only the unstable tail; a code block still open at the tail is shown as plain text
 *    that grows by appending, not re-rendered.
 * Total work is O(n) in the length of the answer.
 */
export class AnswerView {
  private readonly stableEl: HTMLElement;
  private readonly tailEl: HTMLElement;
  private readonly placeholder: HTMLElement;
  private text = '';
  private final = false;
  private splitter = new StableSplitter();
  /** Cut points queued for rendering, from `head` on; `queued` is the last one (or `rendered`). */
  private pending: number[] = [];
  private head = 0;
  private queued = 0;
  private rendered = 0;
  private chunks: Chunk[] = [];
  private env: MarkdownEnv = { references: {} };
  private live: LiveFence | undefined;
  private tailShown = { start: -1, end: -1 };
  private tailCost = 0;
  private tailAt = 0;
  private fixesPlanned = false;
  private fixes: Chunk[] = [];
  private frameHandle = 0;
  private stickToBottom = true;

  constructor(
    readonly element: HTMLElement,
    private readonly renderer: MarkdownRenderer,
    private readonly stats: RenderStats,
    placeholderText: string,
  ) {
    this.placeholder = h('p', { className: 'answer-placeholder', text: placeholderText });
    this.stableEl = h('div', { className: 'answer-stable' });
    this.tailEl = h('div', { className: 'answer-tail' });
    element.append(this.placeholder, this.stableEl, this.tailEl);
    element.addEventListener('scroll', () => {
      this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    });
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
    this.chunks = [];
    this.env = { references: {} };
    this.live = undefined;
    this.tailShown = { start: -1, end: -1 };
    this.tailCost = 0;
    this.fixesPlanned = false;
    this.fixes = [];
    this.stickToBottom = true;
    this.stableEl.replaceChildren();
    this.tailEl.replaceChildren();
    this.element.scrollTop = 0;
    this.placeholder.hidden = false;
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
    this.placeholder.hidden = this.text !== '';
    if (!this.frameHandle) {
      this.frameHandle = requestAnimationFrame(() => this.frame());
    }
  }

  private frame(): void {
    this.frameHandle = 0;
    const started = performance.now();
    let more = false;
    try {
      more = this.work(started);
    } catch (error) {
      // Never leave the panel broken by a rendering problem: show the text as it is.
      console.error('[Claude Keys] rendering the answer failed', error);
      this.stableEl.replaceChildren(h('pre', { className: 'answer-raw', text: this.text }));
      this.tailEl.replaceChildren();
      this.pending = [];
      this.head = 0;
      this.rendered = this.queued = this.text.length;
      this.splitter = new StableSplitter(this.text.length);
    }
    if (this.stickToBottom && this.text !== '') {
      this.element.scrollTop = this.element.scrollHeight;
    }
    const spent = performance.now() - started;
    if (this.stats.frames.length >= MAX_FRAMES) {
      this.stats.frames.splice(0, MAX_FRAMES / 2);
    }
    this.stats.frames.push(spent);
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
      let k = this.head;
      while (k + 1 < this.pending.length && this.pending[k + 1] - this.rendered <= PIECE_CHARS) {
        k++;
      }
      let end = this.pending[k];
      if (end - this.rendered > PIECE_SOFT_LIMIT) {
        const cut = softBoundary(this.text, this.rendered, end, SOFT_MIN);
        if (cut !== undefined && cut > this.rendered && cut < end) {
          end = cut;
          k = this.head - 1;
        }
      }
      this.renderPiece(this.rendered, end);
      this.rendered = end;
      this.head = k + 1;
    }
    this.pending = [];
    this.head = 0;

    let more = this.renderTail(started);

    if (this.final && !this.fixesPlanned) {
      this.planReferenceFixes();
    }
    while (this.fixes.length > 0) {
      if (performance.now() - started > STABLE_BUDGET_MS) {
        more = true;
        break;
      }
      const chunk = this.fixes.shift();
      if (chunk) {
        chunk.element.replaceChildren(this.renderer.render(this.text.slice(chunk.start, chunk.end), this.env));
      }
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
    // A tail that grew huge without a boundary (a giant paragraph or list): cut it approximately.
    const tailLength = this.text.length - this.queued;
    if (tailLength > TAIL_SOFT_LIMIT && !this.openFence()) {
      const cut = softBoundary(this.text, this.queued, this.text.length, SOFT_MIN);
      if (cut !== undefined && cut > this.queued) {
        this.pending.push(cut);
        this.queued = cut;
      }
    }
  }

  private openFence(): ReturnType<StableSplitter['openFence']> {
    return this.splitter.stable === this.queued ? this.splitter.openFence(this.text) : undefined;
  }

  private renderPiece(start: number, end: number): void {
    if (end <= start) {
      return;
    }
    const references = Object.keys(this.env.references ?? {}).length;
    const fragment = this.renderer.render(this.text.slice(start, end), this.env);
    let chunk = this.chunks.length > 0 ? this.chunks[this.chunks.length - 1] : undefined;
    if (!chunk || chunk.end !== start || chunk.end - chunk.start >= CHUNK_CHARS) {
      chunk = { element: h('div', { className: 'md-chunk' }), start, end, references };
      this.chunks.push(chunk);
      this.stableEl.append(chunk.element);
    }
    chunk.element.append(fragment);
    chunk.end = end;
  }

  private clearTail(): void {
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
    const fence = this.final ? undefined : this.openFence();
    if (fence) {
      this.updateLiveFence(start, fence.opener, fence.contentStart, fence.contentEnd);
      this.tailShown = { start, end };
      return false;
    }
    this.live = undefined;
    const now = performance.now();
    if (!this.final && this.tailCost > TAIL_THROTTLE_MS && (now - this.tailAt < this.tailCost * 3 || now - started + this.tailCost > 30)) {
      return true;
    }
    // The tail sees the stable part's link references but must not add its own (they may be cut off).
    const env: MarkdownEnv = { references: Object.create(this.env.references ?? null) as MarkdownEnv['references'] };
    this.tailEl.replaceChildren(this.renderer.render(this.text.slice(start, end), env));
    this.tailShown = { start, end };
    const after = performance.now();
    this.tailCost = after - now;
    this.tailAt = after;
    return false;
  }

  private updateLiveFence(start: number, opener: string, contentStart: number, contentEnd: number): void {
    let live = this.live;
    if (!live || live.start !== start) {
      const { block, code } = this.renderer.renderOpenFence(opener);
      this.tailEl.replaceChildren(block);
      live = { start, code, contentStart, shown: contentStart };
      this.live = live;
    }
    if (contentEnd < live.shown) {
      live.code.textContent = this.text.slice(contentStart, contentEnd);
      live.shown = contentEnd;
      return;
    }
    if (contentEnd === live.shown) {
      return;
    }
    const added = this.text.slice(live.shown, contentEnd);
    const last = live.code.lastChild;
    if (last instanceof Text && last.length + added.length <= TEXT_NODE_CHARS) {
      last.appendData(added);
    } else {
      live.code.append(added);
    }
    live.shown = contentEnd;
  }

  /** Chunks rendered before a link reference definition they may use arrived get rendered again. */
  private planReferenceFixes(): void {
    if (this.head < this.pending.length) {
      return;
    }
    this.fixesPlanned = true;
    const known = Object.keys(this.env.references ?? {}).length;
    if (known === 0) {
      return;
    }
    this.fixes = this.chunks.filter((chunk) => chunk.references < known && this.text.slice(chunk.start, chunk.end).includes(']'));
  }
}
