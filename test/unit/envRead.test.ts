import * as assert from 'node:assert/strict';
import { envReadFor, pythonImportLine, quotedSpan, shellEnvRead } from '../../src/core/envRead';
import { commentSyntaxFor, ignoreCommentLine } from '../../src/core/commentSyntax';
import { fakeKeys } from '../fakes/keys';

describe('core/envRead', () => {
  it('has the idiomatic read for every language the quick fix names', () => {
    const expected: Record<string, string> = {
      javascript: 'process.env.ANTHROPIC_API_KEY',
      typescript: 'process.env.ANTHROPIC_API_KEY',
      typescriptreact: 'process.env.ANTHROPIC_API_KEY',
      python: 'os.environ["ANTHROPIC_API_KEY"]',
      go: 'os.Getenv("ANTHROPIC_API_KEY")',
      java: 'System.getenv("ANTHROPIC_API_KEY")',
      csharp: 'Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY")',
      ruby: 'ENV["ANTHROPIC_API_KEY"]',
      php: "getenv('ANTHROPIC_API_KEY')",
      rust: 'std::env::var("ANTHROPIC_API_KEY")',
      shellscript: '"$ANTHROPIC_API_KEY"',
    };
    for (const [language, expression] of Object.entries(expected)) {
      assert.equal(envReadFor(language)?.expression, expression, language);
    }
    assert.equal(envReadFor('json'), undefined);
    assert.equal(envReadFor('toString'), undefined, 'prototype names are not languages');
  });

  it('python needs `import os` unless it is already imported', () => {
    const requires = envReadFor('python')?.requires;
    assert.ok(requires);
    assert.equal(requires.line, 'import os');
    for (const present of ['import os\n', 'import sys, os\n', 'from os import environ\n', '  import os.path\n']) {
      assert.ok(requires.present.test(present), present);
    }
    for (const absent of ['import osmosis\n', '# import os\nx = 1', 'import sys\n']) {
      assert.ok(!requires.present.test(absent), absent);
    }
  });

  describe('pythonImportLine', () => {
    it('goes after a shebang, an encoding line, a docstring and __future__ imports', () => {
      assert.equal(pythonImportLine('x = 1\n'), 0);
      assert.equal(pythonImportLine('#!/usr/bin/env python3\nx = 1\n'), 1);
      assert.equal(pythonImportLine('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nx = 1\n'), 2);
      assert.equal(pythonImportLine('"""One line."""\nx = 1\n'), 1);
      assert.equal(pythonImportLine('"""\nMany\nlines.\n"""\nx = 1\n'), 4);
      assert.equal(pythonImportLine("'''Doc.'''\nfrom __future__ import annotations\nx = 1\n"), 2);
      assert.equal(pythonImportLine('"""Unterminated\n'), 2);
      assert.equal(pythonImportLine(''), 0);
    });
  });

  describe('quotedSpan', () => {
    const key = fakeKeys.apiKey();
    const span = (text: string): string | undefined => {
      const start = text.indexOf(key);
      const s = quotedSpan(text, start, start + key.length);
      return s && text.slice(s.start, s.end);
    };
    it('takes the quotes directly around the key, of any kind', () => {
      assert.equal(span(`a = "${key}";`), `"${key}"`);
      assert.equal(span(`a = '${key}';`), `'${key}'`);
      assert.equal(span(`a = \`${key}\`;`), `\`${key}\``);
    });
    it('takes a Python string prefix but not a letter of an identifier', () => {
      assert.equal(span(`a = r"${key}"`), `r"${key}"`);
      assert.equal(span(`a = rb'${key}'`), `rb'${key}'`);
      assert.equal(span(`a = f"${key}"`), `f"${key}"`);
      assert.equal(span(`buf"${key}"`), `"${key}"`);
    });
    it('is undefined when the key is not directly quoted', () => {
      assert.equal(span(`KEY=${key}`), undefined);
      assert.equal(span(`"Bearer ${key}"`), undefined);
      assert.equal(span(`"${key}'`), undefined);
    });
  });

  describe('shellEnvRead', () => {
    const key = fakeKeys.apiKey();
    const edited = (text: string): string => {
      const start = text.indexOf(key);
      const r = shellEnvRead(text, start, start + key.length);
      return text.slice(0, r.start) + r.replacement + text.slice(r.end);
    };
    it('quotes a bare key\'s read', () => {
      assert.equal(edited(`KEY=${key}\n`), 'KEY="$ANTHROPIC_API_KEY"\n');
      assert.equal(edited(`export KEY=${key}`), 'export KEY="$ANTHROPIC_API_KEY"');
    });
    it('inside double quotes: the bare variable, braced when a name character follows', () => {
      assert.equal(edited(`curl -H "x-api-key: ${key}" https://api.anthropic.com`), 'curl -H "x-api-key: $ANTHROPIC_API_KEY" https://api.anthropic.com');
      assert.equal(edited(`echo "k=${key}_suffix"`), 'echo "k=${ANTHROPIC_API_KEY}_suffix"');
      assert.equal(edited(`echo "a \\" b ${key}"`), 'echo "a \\" b $ANTHROPIC_API_KEY"');
    });
    it('inside single quotes, where nothing expands: closes them around "$ANTHROPIC_API_KEY"', () => {
      assert.equal(edited(`curl -H 'x-api-key: ${key}' https://x`), `curl -H 'x-api-key: '"$ANTHROPIC_API_KEY" https://x`);
      assert.equal(edited(`echo 'k=${key}; done'`), `echo 'k='"$ANTHROPIC_API_KEY"'; done'`);
      assert.equal(edited(`echo "it's" 'x ${key}'`), `echo "it's" 'x '"$ANTHROPIC_API_KEY"`);
    });
    it('reads only the key\'s line', () => {
      assert.equal(edited(`echo "unclosed\nKEY=${key}`), 'echo "unclosed\nKEY="$ANTHROPIC_API_KEY"');
    });
  });
});

describe('core/commentSyntax', () => {
  it('knows the line comment of common languages and of .env / Dockerfile files opened as plain text', () => {
    assert.equal(commentSyntaxFor('python')?.start, '#');
    assert.equal(commentSyntaxFor('typescript')?.start, '//');
    assert.equal(commentSyntaxFor('sql')?.start, '--');
    assert.deepEqual(commentSyntaxFor('markdown'), { start: '<!--', end: '-->' });
    assert.equal(commentSyntaxFor('plaintext', '/w/app/.env')?.start, '#');
    assert.equal(commentSyntaxFor('plaintext', '/w/app/.env.local')?.start, '#');
    assert.equal(commentSyntaxFor('plaintext', '/w/Dockerfile')?.start, '#');
    assert.equal(commentSyntaxFor('plaintext', '/w/notes.txt'), undefined);
    assert.equal(commentSyntaxFor('json'), undefined, 'plain JSON has no comments');
    assert.equal(commentSyntaxFor('constructor'), undefined);
  });

  it('builds the marker line with the indent and closing delimiter', () => {
    assert.equal(ignoreCommentLine({ start: '#' }, '  ', 'claude-keys:ignore-next-line'), '  # claude-keys:ignore-next-line');
    assert.equal(ignoreCommentLine({ start: '<!--', end: '-->' }, '', 'm'), '<!-- m -->');
  });
});
