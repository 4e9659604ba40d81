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

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { image?: string; svg?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}

describe('the Get Started walkthrough in package.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; description: string; steps: WalkthroughStep[] }[] };
  };
  const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (value: string): string => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `<missing ${key}>`);
  const [walkthrough] = manifest.contributes.walkthroughs;
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

  it('is the one walkthrough, under WALKTHROUGH_ID, with five steps in order', () => {
    assert.equal(manifest.contributes.walkthroughs.length, 1);
    assert.equal(walkthrough.id, constants.WALKTHROUGH_ID);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['setKey', 'validateKey', 'scanWorkspace', 'firstPrompt', 'preCommitHook'],
    );
  });

  it('every string is localised and resolves in package.nls.json', () => {
    const strings = [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((s) => [s.title, s.description, s.media.altText ?? ''])];
    for (const value of strings) {
      assert.match(value, /^%[\w.]+%$/, `not localised: ${value}`);
      assert.ok(!text(value).startsWith('<missing'), text(value));
    }
  });

  it('each step has one button, and it runs a command the extension contributes', () => {
    for (const step of walkthrough.steps) {
      const buttons = text(step.description)
        .split('\n')
        .filter((line) => /^\[[^\]]+\]\([^)]+\)$/.test(line));
      assert.equal(buttons.length, 1, `${step.id}: ${text(step.description)}`);
      const command = /\(command:([\w.]+)\)$/.exec(buttons[0])?.[1];
      assert.ok(command && contributed.has(command), `${step.id}: ${buttons[0]}`);
    }
  });

  it('each step ticks itself off on a declared command id or context key', () => {
    const commands = new Set<string>(Object.values(constants.Commands));
    const contextKeys = new Set<string>(Object.values(constants.ContextKeys));
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} has no completionEvents`);
      for (const event of step.completionEvents) {
        const [, kind, argument] = /^(onCommand|onContext):(.+)$/.exec(event) ?? [];
        assert.ok(kind, `${step.id}: unsupported ${event}`);
        assert.ok(kind === 'onCommand' ? commands.has(argument) && contributed.has(argument) : contextKeys.has(argument), `${step.id}: ${event} is not declared in src/constants.ts`);
      }
    }
    // And every context key the extension sets is watched by some step.
    const watched = walkthrough.steps.flatMap((s) => s.completionEvents ?? []);
    for (const key of contextKeys) {
      assert.ok(watched.includes(`onContext:${key}`), `${key} is set but no step watches it`);
    }
  });

  it('each step has a picture from media/ that ships, is small, and has alt text', () => {
    for (const step of walkthrough.steps) {
      const file = step.media.image ?? step.media.svg;
      assert.ok(file?.startsWith('media/'), `${step.id}: ${file}`);
      const full = path.join(ROOT, file ?? '');
      assert.ok(fs.existsSync(full), `${file} is missing`);
      assert.ok(fs.statSync(full).size < 100 * 1024, `${file} is over 100 KB`);
      assert.ok(step.media.altText, `${step.id} has no altText`);
    }
  });
});
