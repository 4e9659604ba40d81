import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { softBoundary } from '../../src/shared/softBoundary';

describe('softBoundary', () => {
  const at = (cut: { at: number } | undefined): number | undefined => cut?.at;

  it('prefers the next item of a loose list, then of a tight list, then a paragraph line', () => {
    const loose = '- a\n\n- b\n\n- c\n\n';
    assert.equal(at(softBoundary(loose + '- d', 0, 99, 0)), loose.length);
    const tight = '- a\n- b\n- c\n';
    assert.equal(at(softBoundary(tight + '- d', 0, 99, 0)), tight.length);
    const para = 'line one\nline two\n';
    assert.equal(at(softBoundary(para + 'line three', 0, 99, 0)), para.length);
  });

  it('cuts a single long line after a space followed by a letter', () => {
    const text = 'word '.repeat(20) + 'tail';
    assert.equal(at(softBoundary(text, 0, text.length, 10)), text.length - 4);
    assert.equal(softBoundary('# heading '.repeat(5), 0, 50, 0), undefined);
    assert.equal(at(softBoundary('- list item with words', 0, 99, 0)), '- list item with '.length);
  });

  it('never cuts inside a fence or before a setext underline', () => {
    assert.equal(softBoundary('```\na\nb\nc\n', 0, 99, 0), undefined);
    assert.equal(softBoundary('Title\n===\n--- x', 0, 99, 0), undefined);
    assert.equal(at(softBoundary('Para\n```\nx\n\ny\n```\nmore\n', 0, 99, 0)), 'Para\n```\nx\n\ny\n```\n'.length);
  });

  it('cuts a table between rows and hands over its header', () => {
    const header = '| a | b |\n|:--|--:|\n';
    const text = header + '| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n';
    assert.deepEqual(softBoundary(text, 0, 99, 0), { at: text.length - '| 5 | 6 |\n'.length, tableHeader: header });
    assert.equal(softBoundary(header + '| 1 | 2 |\n', 0, 99, 0), undefined, 'not before the first row');
    // Continuing from an earlier cut inside the table.
    assert.deepEqual(softBoundary('| 7 | 8 |\n| 9 | 0 |\n', 0, 99, 0, header), { at: 10, tableHeader: header });
    // The rest renders like the rows of the whole table.
    const md = new MarkdownIt();
    const cut = softBoundary(text, 0, 99, 0);
    assert.ok(cut?.tableHeader);
    assert.match(md.render(cut.tableHeader + text.slice(cut.at)), /<td style="text-align:left">5<\/td>/);
  });

  it('does not treat what ends a table as a row of it', () => {
    const text = '| a | b |\n|---|---|\n| 1 | 2 |\n- list\n- more\n';
    assert.deepEqual(softBoundary(text, 0, 99, 0), { at: text.length - '- more\n'.length });
  });

  it('respects the minimum length and the end', () => {
    const text = 'a\nb\nc\nd\n';
    assert.equal(at(softBoundary(text, 0, text.length, 5)), 6);
    assert.equal(at(softBoundary(text, 0, 4, 0)), 2);
    assert.equal(softBoundary(text, 0, text.length, 7), undefined);
    assert.equal(softBoundary('', 0, 0, 0), undefined);
  });
});
