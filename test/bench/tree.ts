import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CredentialKind } from '../../src/core/credentials';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { mulberry32 } from './mulberry32';
import { TextGen, type Lang } from './textGen';

/**
 * The benchmark's source tree: ~100 MB in ~1000 files of realistic code, config and prose, with a
 * few generated keys and placeholders. Text comes from a seeded generator (textGen.ts); keys are made at run time
 * by test/fakes/keys.ts (random bodies), so nothing key-shaped is committed. The tree is cached
 * under the system temp directory and rebuilt when its manifest does not match.
 */

export const TREE_DIR = path.join(os.tmpdir(), 'claude-keys-bench-tree');
/** Next to the tree, not in it: every scanner would read it too. */
const manifestPath = (dir: string): string => `${dir}.manifest.json`;
/** Bump when the generator changes: a stale cached tree is then rebuilt. */
const GENERATOR_VERSION = 3;

export interface TreeParams {
  readonly files: number;
  readonly targetBytes: number;
  readonly apiKeys: number;
  readonly seed: number;
}

export const DEFAULT_PARAMS: TreeParams = { files: 1000, targetBytes: 100 * 1024 * 1024, apiKeys: 20, seed: 20240611 };

export interface ExpectedFinding {
  /** Relative to the tree, forward slashes. */
  readonly path: string;
  /** 1-based, UTF-16 column. */
  readonly line: number;
  readonly column: number;
  readonly kind: CredentialKind;
  readonly masked: string;
}

export interface Placeholder {
  readonly path: string;
  /** Whether it has a full API key's length and alphabet (a regex-only scanner reports it). */
  readonly fullLength: boolean;
}

export interface Manifest {
  readonly generator: number;
  readonly params: TreeParams;
  readonly files: readonly { readonly path: string; readonly size: number }[];
  readonly totalBytes: number;
  /** Where the generated credentials are; masked only, the keys themselves are not stored here. */
  readonly expected: readonly ExpectedFinding[];
  readonly placeholders: readonly Placeholder[];
}

/** Assembled at run time: `sk-ant-api03-` and friends are never written down whole. */
const PREFIX = {
  api: ['sk', 'ant', 'api03', ''].join('-'),
};

/** A line holding `value` in the idiom of `lang`. */
function keyLine(lang: Lang, value: string, gen: TextGen): string {
  switch (lang) {
    case 'ts':
      return gen.pick([`const anthropicApiKey = "${value}";`, `  apiKey: process.env.ANTHROPIC_API_KEY ?? '${value}',`]);
    case 'py':
      return gen.pick([`ANTHROPIC_API_KEY = "${value}"`, `    client = anthropic.Anthropic(api_key="${value}")`]);
    case 'go':
      return `\tconst apiKey = "${value}"`;
    case 'json':
      return `  {"id": ${gen.int(1000)}, "anthropicApiKey": "${value}"},`;
    case 'md':
      return `export ANTHROPIC_API_KEY=${value}`;
    case 'env':
      return `ANTHROPIC_API_KEY=${value}`;
  }
}

/** Documentation placeholders: the CLI must stay quiet; the full-length ones fool a regex. */
function placeholders(): { text: string; fullLength: boolean }[] {
  return [
    { text: `export ANTHROPIC_API_KEY=${PREFIX.api}...`, fullLength: false },
    { text: `ANTHROPIC_API_KEY=${PREFIX.api}your-api-key-here`, fullLength: false },
    { text: `  "apiKey": "${PREFIX.api}${'x'.repeat(93)}AA",`, fullLength: true },
    { text: `ANTHROPIC_API_KEY=${PREFIX.api}${'X'.repeat(93)}AA`, fullLength: true },
    { text: `api_key = "${PREFIX.api}${'0123456789'.repeat(10).slice(0, 93)}AA"`, fullLength: true },
    { text: `// e.g. ${PREFIX.api}EXAMPLEKEY${'abcdefgh'.repeat(11).slice(0, 83)}AA`, fullLength: true },
    { text: `Keys look like \`${PREFIX.api}…\` and are secret.`, fullLength: false },
    { text: `ANTHROPIC_API_KEY=${PREFIX.api}<your key>`, fullLength: false },
  ];
}

const DIRS = [
  'src',
  'src/api',
  'src/api/handlers',
  'src/core',
  'src/util',
  'src/components/forms/fields',
  'lib',
  'scripts',
  'services/billing',
  'services/billing/internal/store',
  'services/auth/pkg/session',
  'cmd/server',
  'docs',
  'docs/guides',
  'config',
  'config/envs',
  'data/fixtures',
  'data/seed',
  'test/integration',
  'examples/python/app',
  'packages/web/src/hooks',
];

const LANG_WEIGHTS: [Lang, number][] = [
  ['ts', 34],
  ['py', 20],
  ['go', 15],
  ['json', 10],
  ['md', 15],
  ['env', 6],
];

const EXT: Record<Lang, string> = { ts: '.ts', py: '.py', go: '.go', json: '.json', md: '.md', env: '.env' };

function chooseLang(gen: TextGen): Lang {
  let r = gen.int(100);
  for (const [lang, weight] of LANG_WEIGHTS) {
    if (r < weight) {
      return lang;
    }
    r -= weight;
  }
  return 'ts';
}

function fileName(lang: Lang, gen: TextGen, taken: Set<string>, dir: string): string {
  for (let attempt = 0; ; attempt++) {
    let name: string;
    if (lang === 'env') {
      name = gen.pick([`.env`, `.env.${gen.pick(['local', 'staging', 'production', 'test'])}`, `${gen.word()}.env`]);
    } else if (lang === 'py' || lang === 'go') {
      name = `${gen.snake(2)}${EXT[lang]}`;
    } else if (lang === 'md') {
      name = `${gen.pick([gen.word().toUpperCase(), `${gen.word()}-${gen.word()}`])}.md`;
    } else {
      name = `${gen.camel(2)}${EXT[lang]}`;
    }
    if (attempt > 3) {
      name = name.replace(/(\.[a-z]+)?$/, `-${attempt}$1`);
    }
    const full = `${dir}/${name}`;
    if (!taken.has(full)) {
      taken.add(full);
      return full;
    }
  }
}

interface PlannedFile {
  path: string;
  lang: Lang;
  size: number;
  /** Lines to splice in at given fractions of the file: keys and placeholders. */
  inserts: { at: number; text: (gen: TextGen) => string; expect?: { kind: CredentialKind; value: string }; placeholder?: boolean; fullLength?: boolean }[];
}

/** Builds the tree into `dir` (emptied first) and returns its manifest. */
export function generateTree(dir: string, params: TreeParams): Manifest {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(manifestPath(dir), { force: true });
  fs.mkdirSync(dir, { recursive: true });
  const gen = new TextGen(mulberry32(params.seed));

  // Plan file names, languages and sizes.
  const taken = new Set<string>();
  const planned: PlannedFile[] = [];
  for (let i = 0; i < params.files; i++) {
    const lang = chooseLang(gen);
    planned.push({ path: fileName(lang, gen, taken, gen.pick(DIRS)), lang, size: 0, inserts: [] });
  }
  const envSizes = planned.filter((f) => f.lang === 'env').map(() => 300 + gen.int(2500));
  const weights = planned.map((f) => (f.lang === 'env' ? 0 : Math.exp(gauss(gen) * 0.9)));
  const envTotal = envSizes.reduce((a, b) => a + b, 0);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  let envIndex = 0;
  planned.forEach((f, i) => {
    f.size = f.lang === 'env' ? envSizes[envIndex++] : Math.max(512, Math.round((weights[i] / weightTotal) * (params.targetBytes - envTotal)));
  });

  // Sparse credentials: API keys in distinct files of every kind, one of each other kind, placeholders elsewhere.
  const order = planned.map((_, i) => i).sort(() => gen.next() - 0.5);
  let cursor = 0;
  const nextFile = (): PlannedFile => planned[order[cursor++ % order.length]];
  for (let k = 0; k < params.apiKeys; k++) {
    const value = fakeKeys.apiKey();
    const file = nextFile();
    file.inserts.push({ at: gen.next(), text: (g) => keyLine(file.lang, value, g), expect: { kind: 'apiKey', value } });
  }
  const others = ['adminKey', 'oauthAccessToken', 'oauthRefreshToken', 'sessionKey'] as const;
  for (const kind of others) {
    const value = fakeKeys[kind]();
    const file = nextFile();
    const variable = { adminKey: 'ANTHROPIC_ADMIN_KEY', oauthAccessToken: 'CLAUDE_CODE_OAUTH_TOKEN', oauthRefreshToken: 'CLAUDE_REFRESH_TOKEN', sessionKey: 'CLAUDE_SESSION_KEY' }[kind];
    file.inserts.push({ at: gen.next(), text: () => (file.lang === 'json' ? `  {"${variable}": "${value}"},` : `${variable}="${value}"`), expect: { kind, value } });
  }
  for (const p of placeholders()) {
    for (let copy = 0; copy < 2; copy++) {
      nextFile().inserts.push({ at: gen.next(), text: () => p.text, placeholder: true, fullLength: p.fullLength });
    }
  }
  // Prose that mentions the prefix without a key: these files are decoded and searched in full.
  for (let m = 0; m < 10; m++) {
    nextFile().inserts.push({ at: gen.next(), text: () => `// Claude API keys start with ${['sk', 'ant', ''].join('-')} followed by the key kind.` });
  }

  const expected: ExpectedFinding[] = [];
  const placeholderList: Placeholder[] = [];
  const files: { path: string; size: number }[] = [];
  let totalBytes = 0;
  for (const file of planned) {
    const lines: string[] = [];
    let bytes = 0;
    if (file.lang === 'json') {
      lines.push('[');
    }
    while (bytes < file.size) {
      const line = gen.line(file.lang);
      lines.push(line);
      bytes += line.length + 1;
    }
    if (file.lang === 'json') {
      lines.push('  {"id": 0}', ']');
    }
    // Splice inserts (keys, placeholders) at their fractions; each is one physical line.
    const joined = lines.join('\n').split('\n');
    for (const insert of file.inserts) {
      joined.splice(Math.min(joined.length - 1, 1 + Math.floor(insert.at * (joined.length - 2))), 0, insert.text(gen));
    }
    const content = `${joined.join('\n')}\n`;
    // Positions from the final text (a later insert can shift an earlier one).
    for (const insert of file.inserts) {
      if (insert.expect) {
        const at = content.indexOf(insert.expect.value);
        const lineStart = content.lastIndexOf('\n', at) + 1;
        expected.push({
          path: file.path,
          line: content.slice(0, at).split('\n').length,
          column: at - lineStart + 1,
          kind: insert.expect.kind,
          masked: maskKey(insert.expect.value),
        });
      } else if (insert.placeholder) {
        placeholderList.push({ path: file.path, fullLength: insert.fullLength === true });
      }
    }
    const full = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    const size = Buffer.byteLength(content);
    files.push({ path: file.path, size });
    totalBytes += size;
  }
  const manifest: Manifest = { generator: GENERATOR_VERSION, params, files, totalBytes, expected, placeholders: placeholderList };
  fs.writeFileSync(manifestPath(dir), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

function gauss(gen: TextGen): number {
  const u = Math.max(gen.next(), 1e-9);
  const v = gen.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The cached tree if its manifest matches `params` and every file is there with its size; else a fresh one. */
export function ensureTree(params: TreeParams = DEFAULT_PARAMS, dir = TREE_DIR): { manifest: Manifest; cached: boolean; seconds: number } {
  const started = Date.now();
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as Manifest;
    const intact =
      manifest.generator === GENERATOR_VERSION &&
      JSON.stringify(manifest.params) === JSON.stringify(params) &&
      manifest.files.every((f) => fs.statSync(path.join(dir, ...f.path.split('/')), { throwIfNoEntry: false })?.size === f.size);
    if (intact) {
      return { manifest, cached: true, seconds: (Date.now() - started) / 1000 };
    }
  } catch {
    // missing or unreadable manifest: rebuild
  }
  const manifest = generateTree(dir, params);
  return { manifest, cached: false, seconds: (Date.now() - started) / 1000 };
}
