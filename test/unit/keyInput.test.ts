import * as assert from 'node:assert/strict';
import { normalizeKeyInput } from '../../src/core/keyInput';
import { fakeKeys } from '../fakes/keys';

/** normalizeKeyInput: what is taken off a pasted value (whitespace, quotes, an assignment). */
describe('core/keyInput', () => {
  describe('normalizeKeyInput', () => {
    it('returns a clean value unchanged', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(key), key);
      assert.equal(normalizeKeyInput('abc'), 'abc');
    });

    it('returns the empty string for empty or whitespace-only input', () => {
      assert.equal(normalizeKeyInput(''), '');
      assert.equal(normalizeKeyInput('   '), '');
      assert.equal(normalizeKeyInput('\n\t\r\n '), '');
    });

    it('removes surrounding spaces, tabs and newlines', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`  ${key}  `), key);
      assert.equal(normalizeKeyInput(`\t${key}\t`), key);
      assert.equal(normalizeKeyInput(`\n${key}\n`), key);
      assert.equal(normalizeKeyInput(`${key}\r\n`), key);
      assert.equal(normalizeKeyInput(`\r\n\r\n${key}\r\n\r\n`), key);
    });

    it('removes a BOM and non-breaking spaces around the value', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`\uFEFF${key}\u00A0`), key);
    });

    for (const q of ['"', "'", '`']) {
      it(`removes surrounding ${q}…${q} quotes`, () => {
        const key = fakeKeys.apiKey();
        assert.equal(normalizeKeyInput(`${q}${key}${q}`), key);
      });

      it(`trims whitespace inside ${q}…${q} quotes and around them`, () => {
        const key = fakeKeys.apiKey();
        assert.equal(normalizeKeyInput(`  ${q} ${key}\n${q}  `), key);
      });
    }

    it('removes only one level of quotes', () => {
      assert.equal(normalizeKeyInput(`"'abc'"`), `'abc'`);
    });

    it('quotes around nothing give the empty string', () => {
      assert.equal(normalizeKeyInput('""'), '');
      assert.equal(normalizeKeyInput("' '"), '');
    });

    it('does not strip mismatched quotes', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`"${key}'`), `"${key}'`);
      assert.equal(normalizeKeyInput(`'${key}"`), `'${key}"`);
      assert.equal(normalizeKeyInput(`\`${key}"`), `\`${key}"`);
    });

    it('does not strip a lone leading or trailing quote', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`"${key}`), `"${key}`);
      assert.equal(normalizeKeyInput(`${key}"`), `${key}"`);
      assert.equal(normalizeKeyInput('"'), '"');
    });

    it('removes an ANTHROPIC_API_KEY= assignment', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`ANTHROPIC_API_KEY=${key}`), key);
    });

    it('removes an assignment with spaces around = and with a colon', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`ANTHROPIC_API_KEY = ${key}`), key);
      assert.equal(normalizeKeyInput(`ANTHROPIC_API_KEY: ${key}`), key);
    });

    it('removes an export ANTHROPIC_API_KEY="…" line, with any quote style', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`export ANTHROPIC_API_KEY="${key}"`), key);
      assert.equal(normalizeKeyInput(`export ANTHROPIC_API_KEY='${key}'`), key);
      assert.equal(normalizeKeyInput(`export   ANTHROPIC_API_KEY=${key}\n`), key);
    });

    it('removes an assignment line surrounded by whitespace and a trailing CRLF', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`  export ANTHROPIC_API_KEY="${key}"\r\n`), key);
    });

    it('keeps mismatched quotes after an assignment', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`ANTHROPIC_API_KEY="${key}'`), `"${key}'`);
    });

    it('an assignment with no value gives the empty string', () => {
      assert.equal(normalizeKeyInput('ANTHROPIC_API_KEY='), '');
      assert.equal(normalizeKeyInput('export ANTHROPIC_API_KEY=""'), '');
    });

    it('does not remove other variable names or a lower-case name', () => {
      const key = fakeKeys.apiKey();
      assert.equal(normalizeKeyInput(`OPENAI_API_KEY=${key}`), `OPENAI_API_KEY=${key}`);
      assert.equal(normalizeKeyInput(`anthropic_api_key=${key}`), `anthropic_api_key=${key}`);
      assert.equal(normalizeKeyInput(`MY_ANTHROPIC_API_KEY=${key}`), `MY_ANTHROPIC_API_KEY=${key}`);
    });

    it('does not touch whitespace inside the key', () => {
      assert.equal(normalizeKeyInput(' ab cd '), 'ab cd');
      assert.equal(normalizeKeyInput('"ab\ncd"'), 'ab\ncd');
    });
  });
});
