import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskKey } from '../../src/core/mask';
import { fakeKeys } from '../fakes/keys';
import { mulberry32 } from './mulberry32';

/**
 * The repository for the history bench: 5,000 commits, each adding one distinct ~40 KB text blob
 * (about 200 MB in all) to one of 200 files in 10 folders, and a few keys that come in as small
 * files and go again some commits later (one stays). Written by one `git fast-import` in seconds
 * and cached under the temp folder with a manifest; keys are generated at run time (test/fakes/keys).
 */

export const HISTORY_REPO = path.join(os.tmpdir(), 'claude-keys-bench-history');
const manifestPath = `${HISTORY_REPO}.manifest.json`;
/** Bump when the generator changes: a stale cached repository is then rebuilt. */
const GENERATOR_VERSION = 1;

const COMMITS = 5000;
const BLOB_BYTES = 40 * 1024;
const FOLDERS = 10;
const FILES_PER_FOLDER = 20;
/** Keys: [commit that adds it, commit that deletes it (undefined: still at HEAD)]. */
const KEY_SPANS: readonly (readonly [number, number | undefined])[] = [
  [400, 1200],
  [1900, 1901],
  [2600, 4100],
  [4500, undefined],
];

export interface HistoryManifest {
  readonly generator: number;
  readonly commits: number;
  /** Bytes of file content written (distinct blobs). */
  readonly blobBytes: number;
  readonly expected: readonly { readonly path: string; readonly masked: string; readonly presentAtHead: boolean }[];
}

const WORDS = 'const let return function value config client request response error token model message stream index data user file path string number async await import export default module service handler cache retry timeout limit header status result options params'.split(' ');

/** 4,096 source-like lines the blobs are drawn from. */
function linePool(random: () => number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 4096; i++) {
    const words: string[] = [];
    for (let w = 3 + Math.floor(random() * 9); w > 0; w--) {
      words.push(WORDS[Math.floor(random() * WORDS.length)]);
    }
    lines.push(`${'  '.repeat(Math.floor(random() * 4))}${words.join(' ')};`);
  }
  return lines;
}

function blob(commit: number, pool: readonly string[], random: () => number): Buffer {
  const parts = [`// revision ${commit}`];
  let size = parts[0].length + 1;
  while (size < BLOB_BYTES) {
    const line = pool[Math.floor(random() * pool.length)];
    parts.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${parts.join('\n')}\n`, 'latin1');
}

/** Feeds the fast-import stream to git, waiting whenever its input is full. */
async function fastImport(dir: string, write: (out: (chunk: string | Buffer) => Promise<void>) => Promise<void>): Promise<void> {
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const out = (chunk: string | Buffer): Promise<void> =>
    child.stdin.write(chunk) ? Promise.resolve() : new Promise((resolve) => child.stdin.once('drain', () => resolve()));
  await write(out);
  child.stdin.end();
  const status = await closed;
  if (status !== 0) {
    throw new Error(`git fast-import exited with ${status}`);
  }
}

async function generate(): Promise<HistoryManifest> {
  fs.rmSync(HISTORY_REPO, { recursive: true, force: true });
  fs.mkdirSync(HISTORY_REPO, { recursive: true });
  // Not bare: the CLI, like a user, runs in a work tree (its files are never checked out; HEAD is what counts).
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: HISTORY_REPO });
  const random = mulberry32(12);
  const pool = linePool(random);
  const keys = KEY_SPANS.map(([from, to], i) => ({ from, to, value: fakeKeys.apiKey(), path: `config/leaked-${i}.env` }));
  let blobBytes = 0;
  await fastImport(HISTORY_REPO, async (out) => {
    for (let c = 1; c <= COMMITS; c++) {
      const when = 1_600_000_000 + c * 3600;
      const message = `change ${c}\n`;
      const file = `src/folder-${c % FOLDERS}/file-${Math.floor(c / FOLDERS) % FILES_PER_FOLDER}.ts`;
      const content = blob(c, pool, random);
      blobBytes += content.length;
      await out(
        `commit refs/heads/main\nmark :${c}\nauthor Bench <bench@example.invalid> ${when} +0000\ncommitter Bench <bench@example.invalid> ${when} +0000\n` +
          `data ${message.length}\n${message}${c > 1 ? `from :${c - 1}\n` : ''}M 100644 inline ${file}\ndata ${content.length}\n`,
      );
      await out(content);
      let rest = '\n';
      for (const k of keys) {
        if (k.from === c) {
          const text = `# added by mistake\nANTHROPIC_API_KEY=${k.value}\n`;
          blobBytes += text.length;
          rest += `M 100644 inline ${k.path}\ndata ${text.length}\n${text}\n`;
        }
        if (k.to === c) {
          rest += `D ${k.path}\n`;
        }
      }
      await out(rest);
    }
    await out('done\n');
  });
  const manifest: HistoryManifest = {
    generator: GENERATOR_VERSION,
    commits: COMMITS,
    blobBytes,
    expected: keys.map((k) => ({ path: k.path, masked: maskKey(k.value), presentAtHead: k.to === undefined })),
  };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifest;
}

/** The cached repository if its manifest matches this generator and git still sees its commits; else a fresh one. */
export async function ensureHistoryRepo(): Promise<{ manifest: HistoryManifest; cached: boolean; seconds: number }> {
  const started = Date.now();
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as HistoryManifest;
    const count = Number(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: HISTORY_REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    if (manifest.generator === GENERATOR_VERSION && count === manifest.commits) {
      return { manifest, cached: true, seconds: (Date.now() - started) / 1000 };
    }
  } catch {
    // missing or broken: rebuild
  }
  const manifest = await generate();
  return { manifest, cached: false, seconds: (Date.now() - started) / 1000 };
}
