import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { fencedBlockCode, splitStable, stableBoundaries, StableSplitter } from '../../src/shared/streamingMarkdown';

/** The panel's options. */
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

const render = (text: string): string => md.render(text);

/**
 * Renders the chunks one by one like the panel does: they share link reference definitions, and a
 * chunk rendered before a definition it may use arrived is rendered again at the end.
 */
function renderChunks(chunks: readonly string[]): string {
  const env: MarkdownIt.Env = {};
  const known = (): number => Object.keys(env.references ?? {}).length;
  const rendered = chunks.map((chunk) => ({ chunk, html: md.render(chunk, env), references: known() }));
  return rendered.map((r) => (r.references < known() && r.chunk.includes('[') ? md.render(r.chunk, env) : r.html)).join('');
}

/**
 * Streams `text` in pieces of `step` characters, cutting off the stable part after each piece the
 * way the panel does, and returns the chunks (the last one is the final tail).
 */
function streamChunks(text: string, step: number | ((i: number) => number)): string[] {
  const chunks: string[] = [];
  let stable = 0;
  let length = 0;
  let i = 0;
  while (length < text.length) {
    length = Math.min(text.length, length + Math.max(1, typeof step === 'number' ? step : step(i++)));
    const received = text.slice(0, length);
    const next = splitStable(received, stable);
    assert.ok(next >= stable, `the stable offset went back from ${stable} to ${next}`);
    if (next > stable) {
      chunks.push(received.slice(stable, next));
      stable = next;
    }
  }
  chunks.push(text.slice(stable));
  return chunks.filter((c) => c !== '');
}

/** Every boundary found in any prefix is a boundary of the whole text. */
function assertPrefixStable(text: string): void {
  const all = new Set(stableBoundaries(text));
  for (let length = 0; length <= text.length; length++) {
    for (const b of stableBoundaries(text.slice(0, length))) {
      assert.ok(all.has(b), `boundary ${b} of the ${length}-character prefix is not a boundary of the whole text ${JSON.stringify(text)}`);
    }
  }
}

/** Feeds `text` to one resumable splitter in pieces: it finds exactly the whole text's boundaries. */
function assertResumable(text: string, step: number): void {
  const splitter = new StableSplitter();
  const found: number[] = [];
  for (let length = 0; length < text.length + step; length += step) {
    found.push(...splitter.advance(text.slice(0, Math.min(length, text.length))));
  }
  assert.deepEqual(found, stableBoundaries(text), `in steps of ${step}`);
}

function assertRendersLikeWhole(text: string): void {
  for (const step of [1, 5, 13]) {
    assertResumable(text, step);
  }
  const whole = render(text);
  for (const step of [1, 2, 3, 7, 64]) {
    const chunks = streamChunks(text, step);
    assert.equal(chunks.join(''), text);
    assert.equal(renderChunks(chunks), whole, `streamed in steps of ${step}: ${JSON.stringify(chunks)}`);
  }
  // Every boundary at once, as when a restored answer is rendered chunk by chunk.
  const cuts = [0, ...stableBoundaries(text), text.length];
  const pieces = cuts.slice(1).map((end, i) => text.slice(cuts[i], end));
  assert.equal(renderChunks(pieces), whole, `cut at every boundary: ${JSON.stringify(pieces)}`);
}

/** Where each boundary falls, shown as `|` in the text (easier to read than offsets). */
function marked(text: string): string {
  const boundaries = stableBoundaries(text);
  let out = '';
  let last = 0;
  for (const b of boundaries) {
    out += text.slice(last, b) + '|';
    last = b;
  }
  return out + text.slice(last);
}

describe('streamingMarkdown', () => {
  describe('splitStable', () => {
    it('returns 0 for empty text, text without boundaries and odd input', () => {
      assert.equal(splitStable('', 0), 0);
      assert.equal(splitStable('just one line', 0), 0);
      assert.equal(splitStable('para\nstill the same para\n', 0), 0);
      assert.equal(splitStable(undefined as unknown as string, 0), 0);
      assert.equal(splitStable('a\n\nb', Number.NaN), 3);
      assert.equal(splitStable('a\n\nb', -5), 3);
      assert.equal(splitStable('a\n\nb', 99), 4);
    });

    it('cuts between paragraphs once the next paragraph has started', () => {
      assert.equal(splitStable('First.\n\n', 0), 0, 'the next line is not known yet');
      assert.equal(splitStable('First.\n\nS', 0), 'First.\n\n'.length);
      assert.equal(marked('One.\n\nTwo.\n\nThree'), 'One.\n\n|Two.\n\n|Three');
      assert.equal(marked('One.\n\n\n\nTwo'), 'One.\n\n\n\n|Two');
    });

    it('continues from an earlier result and never goes back', () => {
      const text = 'a\n\nb\n\nc\n\nd';
      const first = splitStable(text.slice(0, 5), 0);
      assert.equal(first, 3);
      assert.equal(splitStable(text, first), 9);
      assert.equal(splitStable(text, 9), 9);
      assert.equal(splitStable(text, splitStable(text, 0)), splitStable(text, 0), 'idempotent');
    });

    it('does not cut before an indented line (list continuation or indented code)', () => {
      assert.equal(marked('- item\n\n  more of the item\n\nAfter'), '- item\n\n  more of the item\n\n|After');
      assert.equal(marked('    code\n\n    more code\n\nText'), '    code\n\n    more code\n\n|Text');
      assert.equal(marked('Para\n\n   three spaces'), 'Para\n\n   three spaces');
    });

    it('keeps a list together while its items may continue it', () => {
      assert.equal(marked('- a\n- b\n\n- c\n\nAfter'), '- a\n- b\n\n- c\n\n|After');
      assert.equal(marked('1. a\n\n2. b\n\n10) c\n\nEnd'), '1. a\n\n2. b\n\n10) c\n\n|End');
      assert.equal(marked('Intro:\n* a\n\n+ b'), 'Intro:\n* a\n\n+ b');
      // A paragraph before a list does not hold the list.
      assert.equal(marked('Para\n\n- a\n- b'), 'Para\n\n|- a\n- b');
      // Not list markers: no space after the marker, or too many digits.
      assert.equal(marked('- a\n\n-not a list'), '- a\n\n|-not a list');
      assert.equal(marked('- a\n\n1234567890. big'), '- a\n\n|1234567890. big');
      assert.equal(marked('- a\n\n2024 was a year'), '- a\n\n|2024 was a year');
    });

    it('waits when the start of the next line cannot tell a list item from text yet', () => {
      assert.equal(splitStable('- a\n\n-', 0), 0);
      assert.equal(splitStable('- a\n\n12', 0), 0);
      assert.equal(splitStable('- a\n\n12.', 0), 0);
      assert.equal(splitStable('- a\n\n12.x', 0), '- a\n\n'.length);
      assert.equal(splitStable('- a\n\n-x', 0), '- a\n\n'.length);
      assert.equal(splitStable('- a\n\nT', 0), '- a\n\n'.length);
      assert.equal(splitStable('Para\n\n-', 0), 'Para\n\n'.length, 'no list in the region: any column-0 line');
    });

    it('cuts around ATX headings in column 0', () => {
      assert.equal(marked('# Title\nText\n## Section\nMore'), '# Title\n|Text\n|## Section\n|More');
      assert.equal(marked('- a\n# H\n- b'), '- a\n|# H\n|- b');
      assert.equal(marked('#hashtag\n# \n####### seven'), '#hashtag\n|# \n|####### seven');
      assert.equal(marked('  # indented\nText'), '  # indented\nText');
      assert.equal(splitStable('Text\n# Head', 0), 0, 'an incomplete heading line is not a boundary yet');
    });

    it('cuts before and after a fenced block opened in column 0', () => {
      assert.equal(marked('Here:\n```js\nconst a = 1;\n```\nAfter'), 'Here:\n|```js\nconst a = 1;\n```\n|After');
      assert.equal(marked('~~~\ncode\n~~~\n'), '~~~\ncode\n~~~\n|');
      assert.equal(marked('- a\n```\nx\n```\n- b'), '- a\n|```\nx\n```\n|- b');
    });

    it('never cuts inside a fenced block, with blank lines and look-alikes inside', () => {
      const open = 'Intro\n\n```python\n# a comment\n\ndef f():\n\n    return 1\n\n- not a list\n\n~~~\n';
      assert.equal(splitStable(open, 0), 'Intro\n\n'.length, 'the fence is open: everything from it stays open');
      assert.equal(marked(open + '```\n\nDone'), 'Intro\n\n|```python\n# a comment\n\ndef f():\n\n    return 1\n\n- not a list\n\n~~~\n```\n|\n|Done');
    });

    it('closes a fence only with the same character, at least as long, and nothing after it', () => {
      assert.equal(splitStable('~~~\na\n```\n\nb', 0), 0);
      assert.equal(splitStable('````\na\n```\n\nb', 0), 0);
      assert.equal(splitStable('```\na\n``` x\n\nb', 0), 0);
      assert.equal(splitStable('```\na\n    ```\n\nb', 0), 0, 'indented 4: content');
      assert.equal(splitStable('```\na\n   `````  \n\nb', 0), '```\na\n   `````  \n\n'.length);
    });

    it('treats fence openers with info strings like markdown-it does', () => {
      assert.equal(marked('```ts title="a.ts"\nx\n```\n'), '|```ts title="a.ts"\nx\n```\n|'.slice(1));
      // Backticks in the info string of a backtick fence: inline code, not a fence.
      assert.equal(marked('```a`b```\n\nText'), '```a`b```\n\n|Text');
      // Tilde fences may have backticks in the info string.
      assert.equal(splitStable('~~~ a`b\n\nstill code', 0), 0);
      assert.equal(splitStable('``\n\nText', 0), '``\n\n'.length, 'two backticks are not a fence');
    });

    it('does not treat a fence indented 1–3 spaces as a boundary, but still skips its content', () => {
      const text = '1. Install:\n   ```bash\n   npm install\n\n   npm test\n   ```\n2. Run\n\nDone';
      assert.equal(marked(text), '1. Install:\n   ```bash\n   npm install\n\n   npm test\n   ```\n2. Run\n\n|Done');
    });

    it('handles CRLF and lone CR line endings', () => {
      assert.equal(marked('One\r\n\r\nTwo\r\n\r\nThree'), 'One\r\n\r\n|Two\r\n\r\n|Three');
      assert.equal(marked('One\r\rTwo'), 'One\r\r|Two');
      assert.equal(marked('```\r\ncode\r\n\r\nmore\r\n```\r\nEnd'), '|```\r\ncode\r\n\r\nmore\r\n```\r\n|End'.slice(1));
      assert.equal(splitStable('# H\r', 0), 0, 'a trailing CR may be half of a CRLF');
      assert.equal(splitStable('# H\r\n', 0), '# H\r\n'.length);
    });

    it('handles text ending mid-line', () => {
      assert.equal(splitStable('Para one.\n\nPara tw', 0), 'Para one.\n\n'.length);
      assert.equal(splitStable('```js\nconst a', 0), 0);
      assert.equal(splitStable('Text\n```j', 0), 0, 'the opener line is not complete');
      assert.equal(splitStable('```\ncode\n```', 0), 0, 'the closing line is not complete');
    });

    it('finds every boundary of a prefix again in the longer text', () => {
      for (const text of [
        'One.\n\nTwo\n- a\n- b\n\n- c\n\n# H\ntext\n```\nx\n\n```\n~~~\n\n~~~\n> q\n\n> r\n\n    code\n\nend\n',
        '1. a\n\n   b\n\n2) c\r\n\r\n# x\r\n\r\n-\n\n+ y\n\n***\n\nz',
        '```a`b\n\n~~~~\n~~~\n\n~~~~\n\n## h ##\n|a|b|\n|-|-|\n|1|2|\n\nq',
      ]) {
        assertPrefixStable(text);
      }
    });
  });

  describe('rendering chunks separately equals rendering the whole', () => {
    const documents: Record<string, string> = {
      paragraphs: 'First paragraph with **bold** and `code`.\nSecond line of it.\n\nAnother *one* with a link https://example.com and [text](https://example.org).\n\n\nLast.',
      headings: '# Title\nIntro text\n## Part 1\nBody\n\n### Part 2\n\nMore body\nSetext\n===\n\nAnd\n---\n',
      'tight and loose lists': '- one\n- two\n  - nested\n  - nested 2\n- three\n\nText\n\n1. a\n\n2. b\n\n   continued\n\n3. c\n\nAfter\n\n* x\n* y\n\n+ z\n',
      'fenced blocks': 'Code:\n```ts\nconst x = 1;\n\n// blank line above\n```\n\n~~~\n```\nnot a closer\n```\n~~~\n\n````md\n```js\ninner\n```\n````\nText after.\n',
      'fence in a list': '1. Install:\n   ```bash\n   npm install\n\n   npm test\n   ```\n2. Run it\n\n   ```\n   npm start\n   ```\n\nDone.\n',
      'quotes, tables and rules': '> Quote line\ncontinued lazily\n\n> Another quote\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n| 3 | 4 |\n# After table\n\n***\n\n___\nText\n',
      'reference links': '[ref]: https://example.com "Title"\n\nUse [ref] and [the ref][ref].\n\n[later]: https://example.org\n\nThen [later].',
      'indented code': 'Para\n\n    code 1\n\n    code 2\n\nText\n\n\tTabbed code\n',
      CRLF: '# Title\r\n\r\nPara\r\nline\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n\r\n```\r\nEnd\r\n',
      'unclosed fence': 'Before\n\n```py\ndef f():\n\n    pass\n',
      // Found by the property below: a fence inside a list item is closed by the item's end, not by a fence at column 0.
      'fence in a list item, then a fence at column 0': '- alpha\n  ~~~\n\n~~~\n\n***',
      'typical answer':
        "Here's how to read a file in Node.js:\n\n## Using `fs.promises`\n\n```js\nimport { readFile } from 'node:fs/promises';\n\nconst text = await readFile('a.txt', 'utf8');\n```\n\nKey points:\n\n1. **Async**: it does not block.\n2. **Encoding**: pass `'utf8'` to get a string.\n\n> Note: errors reject the promise.\n\n| API | Sync |\n|-----|------|\n| readFile | no |\n| readFileSync | yes |\n\nThat's it!",
    };
    for (const [name, text] of Object.entries(documents)) {
      it(name, () => {
        assertRendersLikeWhole(text);
        assertPrefixStable(text);
      });
    }

    it('splits a typical answer into many chunks', () => {
      const text = documents['typical answer'];
      assert.ok(stableBoundaries(text).length >= 8, marked(text));
    });

    it('holds for random documents built from typical blocks (property)', () => {
      const word = fc.constantFrom('alpha', 'beta', '**bold**', '*em*', '`code`', 'https://example.com', '[link](https://example.org)', 'x_y', '2024', '-', '#', '>', '|');
      const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
      const paragraph = fc.array(words, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
      const heading = fc.tuple(fc.integer({ min: 1, max: 6 }), words).map(([level, text]) => `${'#'.repeat(level)} ${text}`);
      const bullet = fc.constantFrom('-', '*', '+', '1.', '2)');
      const list = fc
        .tuple(bullet, fc.array(fc.tuple(words, fc.boolean(), fc.option(words)), { minLength: 1, maxLength: 4 }))
        .map(([marker, items]) => items.map(([text, loose, cont]) => `${marker} ${text}${cont === null ? '' : `\n${loose ? '\n' : ''}${' '.repeat(marker.length + 1)}${cont}`}${loose ? '\n' : ''}`).join('\n'));
      const codeLine = fc.constantFrom('const a = 1;', '', '# comment', '- item', '    indented', '```not', '~~~', '> q');
      const fence = fc
        .tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'js', 'ts title="x"', 'python'), fc.array(codeLine, { maxLength: 5 }), fc.boolean(), fc.integer({ min: 0, max: 3 }))
        .map(([marker, info, lines, closed, indent]) => {
          const pad = ' '.repeat(indent);
          return `${pad}${marker}${info}\n${lines.map((l) => pad + l).join('\n')}${lines.length ? '\n' : ''}${closed ? pad + marker : ''}`;
        });
      const quote = words.map((w) => `> ${w}\n> ${w}`);
      const table = fc.array(words, { minLength: 1, maxLength: 3 }).map((rows) => `| h | i |\n|---|:-:|\n${rows.map((r) => `| ${r.replace(/\|/g, '')} | x |`).join('\n')}`);
      const indented = words.map((w) => `    ${w}`);
      const block = fc.oneof(paragraph, heading, list, fence, quote, table, indented, fc.constant('***'), fc.constant('[r]: https://example.net'), fc.constant('see [r]'));
      const separator = fc.constantFrom('\n', '\n\n', '\n\n\n', '\n \n');
      const documentArb = fc
        .tuple(fc.array(fc.tuple(block, separator), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean())
        .map(([blocks, crlf, trailingNewline]) => {
          const text = blocks.map(([b, sep]) => b + sep).join('');
          const trimmed = trailingNewline ? text : text.replace(/\n+$/, '');
          return crlf ? trimmed.replace(/\n/g, '\r\n') : trimmed;
        });
      fc.assert(
        fc.property(documentArb, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (text, steps) => {
          const whole = render(text);
          const chunks = streamChunks(text, (i) => steps[i % steps.length]);
          assert.equal(chunks.join(''), text);
          assert.equal(renderChunks(chunks), whole);
          assertResumable(text, steps[0]);
          const all = new Set(stableBoundaries(text));
          for (let length = 0; length <= text.length; length += 5) {
            for (const b of stableBoundaries(text.slice(0, length))) {
              assert.ok(all.has(b));
            }
          }
        }),
        { numRuns: 400 },
      );
    });

    it('is linear: 400 KB of answer split while streaming in 4-character deltas in well under a second', () => {
      const section = documents['typical answer'] + '\n\n';
      let text = '';
      while (text.length < 400_000) {
        text += section;
      }
      const started = Date.now();
      let stable = 0;
      let scanned = 0;
      for (let length = 4; length <= text.length; length += 4) {
        const next = splitStable(text.slice(0, length), stable);
        scanned += length - stable;
        stable = next;
      }
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
      assert.ok(scanned / text.length < 500, `scanned ${scanned} characters in all`);
      assert.ok(text.length - stable < section.length);
    });
  });

  describe('StableSplitter', () => {
    it('resumes where it stopped and reports the open fence as it grows', () => {
      const splitter = new StableSplitter();
      assert.deepEqual(splitter.advance('Intro\n\n``'), [7]);
      assert.equal(splitter.openFence('Intro\n\n``'), undefined, 'not a fence yet');
      assert.deepEqual(splitter.advance('Intro\n\n```ts\nconst'), []);
      assert.equal(splitter.stable, 7);
      const text = 'Intro\n\n```ts\nconst a = 1;\n\n``';
      assert.deepEqual(splitter.advance(text), []);
      assert.deepEqual(splitter.openFence(text), { opener: '```ts', contentStart: 13, contentEnd: text.length - 2 });
      const closed = text + '`\nAfter';
      assert.deepEqual(splitter.advance(closed), [closed.length - 5]);
      assert.equal(splitter.openFence(closed), undefined);
    });

    it('reports no open fence for an indented fence or when the fence does not start the tail', () => {
      const indented = new StableSplitter();
      const a = '- item\n  ```\n  code';
      indented.advance(a);
      assert.equal(indented.openFence(a), undefined);
      const none = new StableSplitter();
      const b = 'Just text\n';
      none.advance(b);
      assert.equal(none.openFence(b), undefined);
    });

    it('copes with a text that got shorter (a reset without a new splitter)', () => {
      const splitter = new StableSplitter();
      splitter.advance('a\n\nb\n\nc');
      assert.deepEqual(splitter.advance('a\n'), []);
      assert.ok(splitter.stable <= 3);
    });
  });

  describe('fencedBlockCode', () => {
    it('finds the code of a closed block, as markdown-it shows it', () => {
      for (const text of ['```ts\nconst a = 1;\n\nb\n```\n', '~~~\nx\n~~~~\n', '````\n```\n````\r\n', '```\n```\n']) {
        const code = fencedBlockCode(text, 0, text.length, false);
        assert.ok(code, text);
        const html = md.render(text);
        assert.equal(html, html.replace(/>[^<]*<\/code>/, `>${md.utils.escapeHtml(text.slice(code.contentStart, code.contentEnd).replace(/\r\n?/g, '\n'))}</code>`), text);
      }
    });

    it('for a final text, also an unclosed block or one closed on its last line without a line ending', () => {
      assert.deepEqual(fencedBlockCode('```\ncode\n``', 0, 11, true), { contentStart: 4, contentEnd: 11 });
      assert.deepEqual(fencedBlockCode('```\ncode\n```', 0, 12, true), { contentStart: 4, contentEnd: 9 });
      assert.equal(fencedBlockCode('```\ncode\n``', 0, 11, false), undefined);
    });

    it('is undefined for anything but exactly one column-0 block', () => {
      assert.equal(fencedBlockCode('```\na\n```\nmore\n', 0, 16, false), undefined);
      assert.equal(fencedBlockCode('text\n```\na\n```\n', 0, 15, false), undefined);
      assert.equal(fencedBlockCode(' ```\na\n ```\n', 0, 13, false), undefined);
      assert.equal(fencedBlockCode('```\na\n```\n', 0, 99, false), undefined);
    });
  });

  describe('StableSplitter.openFence', () => {
    /** The open fence at the tail of `text`, as the panel sees it after one `advance`. */
    const openFence = (text: string): ReturnType<StableSplitter['openFence']> => {
      const splitter = new StableSplitter();
      splitter.advance(text);
      return splitter.openFence(text);
    };

    it('describes a column-0 fence still open at the end', () => {
      const text = 'Intro\n\n```ts\nconst a = 1;\nconst b';
      assert.deepEqual(openFence(text), { opener: '```ts', contentStart: 'Intro\n\n```ts\n'.length, contentEnd: text.length });
      assert.deepEqual(openFence('text\n```\n'), { opener: '```', contentStart: 9, contentEnd: 9 }, 'a fence interrupts a paragraph');
    });

    it('hides a trailing incomplete line that may become the closing fence', () => {
      assert.deepEqual(openFence('```\ncode\n``'), { opener: '```', contentStart: 4, contentEnd: 9 });
      assert.equal(openFence('~~~\ncode\n  ')?.contentEnd, 9);
      assert.equal(openFence('```\ncode\n```')?.contentEnd, 9, 'may still become ```` or content');
      assert.equal(openFence('```\ncode\n``x')?.contentEnd, 12);
      assert.equal(openFence('```\ncode\n```\r')?.contentEnd, 9, 'a closing line waiting for its LF');
    });

    it('handles CRLF openers', () => {
      assert.deepEqual(openFence('```js\r\nx'), { opener: '```js', contentStart: 7, contentEnd: 8 });
    });

    it('is undefined when the fence is closed, indented, incomplete or absent', () => {
      assert.equal(openFence('```\ncode\n```\n'), undefined);
      assert.equal(openFence('  ```\ncode'), undefined);
      assert.equal(openFence('- item\n  ```\n  code'), undefined);
      assert.equal(openFence('```js'), undefined);
      assert.equal(openFence('Just text\n'), undefined);
      assert.equal(openFence(''), undefined);
    });

    it('shows the same code markdown-it shows for an unclosed fence', () => {
      const text = '```py\nprint(1)\n\n  x = 2\n';
      const fence = openFence(text);
      assert.ok(fence);
      const code = text.slice(fence.contentStart, fence.contentEnd);
      assert.equal(render(text), `<pre><code class="language-py">${md.utils.escapeHtml(code)}</code></pre>\n`);
    });
  });
});
