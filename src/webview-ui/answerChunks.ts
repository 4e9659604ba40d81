import { softBoundary } from '../shared/streamingMarkdown';
import { h } from './dom';
import type { MarkdownEnv, MarkdownRenderer } from './markdownRenderer';

/** Consecutive stable pieces share one wrapper element up to about this many characters. */
const CHUNK_CHARS = 4_000;
/**
 * When the answer is complete, blocks cut softly and at most this long are rendered whole again
 * (one per frame), so only giant blocks keep their (hidden) cuts.
 */
const REPAIR_LIMIT = 12_000;

interface Chunk {
  readonly element: HTMLElement;
  readonly start: number;
  end: number;
  /** Link reference definitions known when its first piece was rendered. */
  readonly references: number;
  /** A code block kept from the live view: nothing else goes into it, nor is it rendered again. */
  readonly sealed?: boolean;
}

/**
 * The soft cuts made in one answer: offsets where a block without a boundary (a giant paragraph,
 * list or table) was cut at a line. The text from such an offset continues the block before it; in
 * a table, it is rendered under the header remembered for it.
 */
export class SoftCuts {
  private readonly cuts = new Set<number>();
  private readonly tableHeaders = new Map<number, string>();

  has(at: number): boolean {
    return this.cuts.has(at);
  }

  /** The table header the text from `at` is rendered under, if it was cut inside a table. */
  header(at: number): string | undefined {
    return this.tableHeaders.get(at);
  }

  delete(at: number): void {
    this.cuts.delete(at);
  }

  /** A soft cut in (from, to), remembered; undefined when there is no line to cut at. */
  cut(text: string, from: number, to: number, minLength: number): number | undefined {
    const cut = softBoundary(text, from, to, minLength, this.tableHeaders.get(from));
    if (!cut || cut.at <= from || cut.at >= to) {
      return undefined;
    }
    this.cuts.add(cut.at);
    if (cut.tableHeader) {
      this.tableHeaders.set(cut.at, cut.tableHeader);
    }
    return cut.at;
  }
}

/**
 * The stable part of one answer: each completed piece rendered once into a chunk element before the
 * tail, and, once the answer is complete, the few chunks that rendering the whole answer at once
 * would show differently rendered again.
 */
export class StableChunks {
  private chunks: Chunk[] = [];
  private readonly env: MarkdownEnv = { references: {} };
  private fixesPlanned = false;
  private fixes: Array<readonly Chunk[]> = [];

  constructor(
    private readonly renderer: MarkdownRenderer,
    private readonly cuts: SoftCuts,
  ) {}

  /** The env to render the tail with: it sees the stable part's link references but must not add its own (they may be cut off). */
  tailEnv(): MarkdownEnv {
    return { references: Object.create(this.env.references ?? null) as MarkdownEnv['references'] };
  }

  /** Renders the stable piece [start, end) of `text` and puts it before `tail`. */
  render(text: string, start: number, end: number, tail: HTMLElement): void {
    if (end <= start) {
      return;
    }
    const references = this.referenceCount();
    const fragment = this.renderer.render(text.slice(start, end), this.env, this.cuts.header(start));
    let chunk = this.chunks.length > 0 ? this.chunks[this.chunks.length - 1] : undefined;
    const continues = this.cuts.has(start);
    // A block cut softly gets chunks of its own (from the piece before the first cut to the one
    // after the last), so rendering it again whole at the end touches nothing else.
    const ownChunk = continues || this.cuts.has(end) || (chunk !== undefined && this.cuts.has(chunk.start));
    if (!chunk || chunk.sealed || chunk.end !== start || chunk.end - chunk.start >= CHUNK_CHARS || ownChunk) {
      chunk = { element: h('div', { className: continues ? 'md-chunk continued' : 'md-chunk' }), start, end, references };
      this.chunks.push(chunk);
      tail.before(chunk.element);
    }
    chunk.element.append(fragment);
    chunk.end = end;
  }

  /** Keeps `element` (a code block completed in place) as the stable rendering of [start, end). */
  seal(element: HTMLElement, start: number, end: number): void {
    this.chunks.push({ element, start, end, references: this.referenceCount(), sealed: true });
  }

  /** Forgets the chunks (the answer is shown as raw text instead). */
  drop(): void {
    this.chunks = [];
    this.fixes = [];
  }

  get repairsPlanned(): boolean {
    return this.fixesPlanned;
  }

  /**
   * Once the answer is complete: chunks rendered before a link reference definition they may use
   * arrived, and blocks cut softly while streaming that are short enough, are to be rendered again
   * (one group per frame at most), so the result equals rendering the whole answer at once.
   */
  planRepairs(text: string): void {
    this.fixesPlanned = true;
    const known = this.referenceCount();
    const groups: Array<Chunk[]> = [];
    for (const chunk of this.chunks) {
      const last = groups[groups.length - 1];
      if (last && this.cuts.has(chunk.start) && last[last.length - 1].end === chunk.start) {
        last.push(chunk);
      } else {
        groups.push([chunk]);
      }
    }
    this.fixes = groups.filter((group) => {
      const first = group[0];
      const end = group[group.length - 1].end;
      if (group.length > 1) {
        return end - first.start <= REPAIR_LIMIT;
      }
      return known > 0 && first.references < known && !first.sealed && text.slice(first.start, end).includes(']');
    });
  }

  /** Renders planned groups again, at least one, until `overBudget`; true when some are left. */
  repair(text: string, overBudget: () => boolean): boolean {
    let fixed = false;
    while (this.fixes.length > 0) {
      if (fixed && overBudget()) {
        return true;
      }
      const group = this.fixes.shift();
      if (group) {
        this.renderAgain(text, group);
        fixed = true;
      }
    }
    return false;
  }

  private referenceCount(): number {
    return Object.keys(this.env.references ?? {}).length;
  }

  /** Renders a group of chunks again as one piece, into the first one's element. */
  private renderAgain(text: string, group: readonly Chunk[]): void {
    const first = group[0];
    const end = group[group.length - 1].end;
    if (!first.element.isConnected) {
      return;
    }
    first.element.replaceChildren(this.renderer.render(text.slice(first.start, end), this.env, this.cuts.header(first.start)));
    first.end = end;
    for (const chunk of group.slice(1)) {
      chunk.element.remove();
      this.cuts.delete(chunk.start);
    }
    this.chunks = this.chunks.filter((chunk) => !group.includes(chunk) || chunk === first);
  }
}
