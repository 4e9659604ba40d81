import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as constants from '../../src/constants';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every string constants.ts declares, however deep. */
function declaredStrings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  return typeof value === 'object' && value !== null ? Object.values(value).flatMap(declaredStrings) : [];
}

describe('src/constants', () => {
  it('Settings names exactly the settings package.json contributes', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }> };
    };
    const sections = [manifest.contributes.configuration].flat();
    const contributed = sections.flatMap((s) => Object.keys(s.properties)).sort();
    const { section, ...names } = constants.Settings;
    assert.deepEqual(Object.values(names).map((n) => `${section}.${n}`).sort(), contributed);
  });

  it('no id is spelled out again elsewhere in src', () => {
    // Setting names count fully qualified (a bare "apiKey" is also a credential kind); names with
    // spaces are display text, localised where shown.
    const { Settings, ...rest } = constants;
    const { section, ...names } = Settings;
    const qualified = Object.values(names).map((n) => `${section}.${n}`);
    const ids = [...new Set([...declaredStrings(rest), ...qualified])].filter((v) => !/\s/.test(v));
    const constantsFile = path.join(ROOT, 'src', 'constants.ts');
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src')).filter((f) => f !== constantsFile)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const id of ids) {
        if (["'", '"'].some((q) => text.includes(`${q}${id}${q}`))) {
          offenders.push(`${path.relative(ROOT, file)}: ${id}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
