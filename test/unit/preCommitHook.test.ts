import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRE_COMMIT_HOOK_SCRIPT, preCommitHookDocument } from '../../src/core/preCommitHook';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the pre-commit hook Show Pre-commit Hook hands out', () => {
  it('is the README\'s hook, character for character', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Git pre-commit hook'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    assert.equal(block, PRE_COMMIT_HOOK_SCRIPT);
  });

  it('keeps the script runnable: shebang first, the exec line last, the rest comments', () => {
    const lines = preCommitHookDocument().trimEnd().split('\n');
    assert.equal(lines[0], '#!/bin/sh');
    assert.equal(lines[lines.length - 1], 'exec npx --no claude-keys scan --staged');
    assert.ok(lines.slice(1, -1).every((line) => line.startsWith('#')), lines.join('\n'));
    assert.match(preCommitHookDocument(), /chmod \+x \.git\/hooks\/pre-commit/);
  });
});
