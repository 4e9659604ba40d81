import * as assert from 'node:assert/strict';
import { locate } from '../../src/core/locate';
import { fakeKeys } from '../fakes/keys';

describe('core/locate', () => {
  describe('locate', () => {
    it('finds a single occurrence on the first line', () => {
      assert.deepEqual(locate('hello world', 'world'), [{ line: 1, column: 7 }]);
    });

    it('column 1 is the first character', () => {
      assert.deepEqual(locate('world', 'world'), [{ line: 1, column: 1 }]);
    });

    it('finds a generated key in a .env-style file', () => {
      const key = fakeKeys.apiKey();
      const text = `# settings\nDEBUG=1\nANTHROPIC_API_KEY=${key}\n`;
      assert.deepEqual(locate(text, key), [{ line: 3, column: 'ANTHROPIC_API_KEY='.length + 1 }]);
    });

    it('finds several occurrences on one line, left to right', () => {
      assert.deepEqual(locate('key=abc; other=abc; abc', 'abc'), [
        { line: 1, column: 5 },
        { line: 1, column: 16 },
        { line: 1, column: 21 },
      ]);
    });

    it('finds occurrences across lines with 1-based line and column', () => {
      const text = ['first abc', 'no match here', '', '  abc and abc', 'abc'].join('\n');
      assert.deepEqual(locate(text, 'abc'), [
        { line: 1, column: 7 },
        { line: 4, column: 3 },
        { line: 4, column: 11 },
        { line: 5, column: 1 },
      ]);
    });

    it('counts empty lines and a leading newline', () => {
      assert.deepEqual(locate('\n\n\nxyz', 'xyz'), [{ line: 4, column: 1 }]);
    });

    it('finds a match at the very end of the text', () => {
      assert.deepEqual(locate('line one\nend', 'end'), [{ line: 2, column: 1 }]);
    });

    it('CRLF text: lines are counted at each \\n and the \\r does not shift the next line', () => {
      const key = fakeKeys.apiKey();
      const text = `a=1\r\nKEY=${key}\r\n\r\n  ${key}\r\n`;
      assert.deepEqual(locate(text, key), [
        { line: 2, column: 5 },
        { line: 4, column: 3 },
      ]);
    });

    it('CRLF text: a match at the end of a line is not affected by the trailing \\r', () => {
      assert.deepEqual(locate('x abc\r\ny', 'abc'), [{ line: 1, column: 3 }]);
    });

    it('overlapping occurrences are not reported: after a match the search resumes after it', () => {
      // By design: "aa" in "aaaa" is found at columns 1 and 3, not 1, 2 and 3.
      assert.deepEqual(locate('aaaa', 'aa'), [
        { line: 1, column: 1 },
        { line: 1, column: 3 },
      ]);
      assert.deepEqual(locate('aaa', 'aa'), [{ line: 1, column: 1 }]);
      assert.deepEqual(locate('ababab', 'abab'), [{ line: 1, column: 1 }]);
    });

    it('the empty needle finds nothing', () => {
      assert.deepEqual(locate('some text', ''), []);
      assert.deepEqual(locate('', ''), []);
    });

    it('an absent needle finds nothing', () => {
      assert.deepEqual(locate('some text\nmore text', 'missing'), []);
      assert.deepEqual(locate('', 'x'), []);
    });

    it('a needle longer than the text finds nothing', () => {
      const key = fakeKeys.apiKey();
      assert.deepEqual(locate(key.slice(0, 20), key), []);
    });

    it('is case-sensitive', () => {
      assert.deepEqual(locate('ABC abc', 'abc'), [{ line: 1, column: 5 }]);
    });

    it('columns count UTF-16 code units: an emoji before the needle counts as 2', () => {
      assert.equal('😀'.length, 2);
      assert.deepEqual(locate('😀abc', 'abc'), [{ line: 1, column: 3 }]);
      assert.deepEqual(locate('😀😀 abc', 'abc'), [{ line: 1, column: 6 }]);
    });

    it('columns count UTF-16 code units: accented and CJK characters count as 1 each', () => {
      assert.deepEqual(locate('café abc', 'abc'), [{ line: 1, column: 6 }]);
      assert.deepEqual(locate('日本語 abc', 'abc'), [{ line: 1, column: 5 }]);
      // A decomposed "e" + combining acute accent is two code units.
      assert.deepEqual(locate('cafe\u0301 abc', 'abc'), [{ line: 1, column: 7 }]);
    });

    it('multi-byte text on earlier lines does not shift later columns', () => {
      assert.deepEqual(locate('😀😀😀\nabc', 'abc'), [{ line: 2, column: 1 }]);
      assert.deepEqual(locate('日本\n😀 abc', 'abc'), [{ line: 2, column: 4 }]);
    });

    it('a needle containing a newline is reported where it starts, and later lines stay right', () => {
      const text = 'x\nab\ncd ab\ncd\nab';
      assert.deepEqual(locate(text, 'ab\ncd'), [
        { line: 2, column: 1 },
        { line: 3, column: 4 },
      ]);
      assert.deepEqual(locate(text, 'ab'), [
        { line: 2, column: 1 },
        { line: 3, column: 4 },
        { line: 5, column: 1 },
      ]);
    });

    it('a needle starting with a newline is reported on the line where the newline is', () => {
      assert.deepEqual(locate('x\ny\n', '\ny'), [{ line: 1, column: 2 }]);
    });

    it('finds many occurrences in a long text with the right lines', () => {
      const lines = Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? `line ${i} TOKEN` : `line ${i}`));
      const expected = lines.flatMap((l, i) => (l.endsWith('TOKEN') ? [{ line: i + 1, column: l.indexOf('TOKEN') + 1 }] : []));
      assert.deepEqual(locate(lines.join('\n'), 'TOKEN'), expected);
    });

    it('a lone \\r ends a line, as in a VS Code document', () => {
      assert.deepEqual(locate('a=1\rabc', 'abc'), [{ line: 2, column: 1 }]);
    });
  });
});
