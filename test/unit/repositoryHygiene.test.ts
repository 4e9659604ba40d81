import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// Any Anthropic credential prefix followed by a long body: what a real key would look like.
const KEY_SHAPED = /sk-ant-(?:api03|admin01|oat01|ort01|sid01)-[A-Za-z0-9_-]{40,}/;

function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

describe('repository hygiene', () => {
  it('no tracked file holds a key-shaped literal (fixtures are generated at run time)', function () {
    const files = trackedFiles();
    if (files.length === 0) {
      this.skip();
    }
    const offenders = files.filter((f) => {
      const full = path.join(ROOT, f);
      return fs.existsSync(full) && fs.statSync(full).isFile() && KEY_SHAPED.test(fs.readFileSync(full, 'utf8'));
    });
    assert.deepEqual(offenders, []);
  });

  it('the built bundle holds no key-shaped literal', () => {
    const bundle = path.join(ROOT, 'dist', 'extension.js');
    assert.ok(fs.existsSync(bundle), 'run npm run build first');
    assert.ok(!KEY_SHAPED.test(fs.readFileSync(bundle, 'utf8')));
  });

  it('.vscodeignore ships only dist, media, package files, README, CHANGELOG and LICENSE', () => {
    const lines = fs
      .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines, ['**', '!dist/*.js', '!dist/*.css', '!dist/*.ttf', '!media/**', '!package.json', '!package.nls.json', '!README.md', '!CHANGELOG.md', '!LICENSE']);
  });

  it('every path package.json declares outside the build exists (l10n, icon)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { l10n?: string; icon?: string };
    for (const declared of [manifest.l10n, manifest.icon]) {
      if (declared !== undefined) {
        assert.ok(fs.existsSync(path.join(ROOT, declared)), `package.json points at ${declared}, which does not exist`);
      }
    }
  });
});
