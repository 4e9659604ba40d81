import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { detectInFile } from '../../src/core/byteScan';
import { fakeKeys } from '../fakes/keys';
import { runChild } from './children';
import { EXTRA_CA, runtimes } from './peerRuns';
import { CLI, median, MB, ROOT, verdict } from './scanBenchBasics';
import { buildDocument } from './textGen';
import { TREE_DIR } from './tree';

/**
 * Issue 12's speed goal: searching for encoded keys must not make the plain scan more than 10 %
 * slower. The baseline is the scanner as it was just before encoded keys, rebuilt from git in this
 * run and timed against the current one, pair by pair.
 */

/** The last commit before encoded keys (issue 12): its src/ is rebuilt as the baseline. */
export const BASELINE_REV = '4d9efb4';
const GOAL = 1.1;
/** Pairs of runs, alternating which goes first: this VM's timings wander ±20 % between runs. */
const PAIRS = 61;
/** node_modules takes ~0.3 s a run. */
const REAL_PAIRS = 15;
const WARMUP_PAIRS = 2;

interface Baseline {
  readonly cli: string;
  /** The baseline's byte search (src/cli/bytes.ts then), for the in-memory comparison. */
  readonly detectInBytes: (buffer: Buffer, length: number, honourIgnoreMarkers: boolean) => unknown[];
  readonly dir: string;
}

/** The baseline CLI and byte search, built from BASELINE_REV's src/; a string says why not (a shallow clone, no git). */
async function buildBaseline(): Promise<Baseline | string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-keys-bench-baseline-'));
  const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', BASELINE_REV, 'src'], { maxBuffer: 64 * MB });
  if (archive.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `git archive ${BASELINE_REV} failed: ${archive.stderr.toString().trim() || archive.error?.message || 'no history'}`;
  }
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `tar failed: ${untar.stderr.toString().trim()}`;
  }
  const common: esbuild.BuildOptions = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'error', nodePaths: [path.join(ROOT, 'node_modules')] };
  await esbuild.build({ ...common, entryPoints: [path.join(dir, 'src', 'cli', 'main.ts')], outfile: path.join(dir, 'cli.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(dir, 'src', 'cli', 'bytes.ts')], outfile: path.join(dir, 'bytes.js') });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- built just now, outside the project
  const { detectInBytes } = require(path.join(dir, 'bytes.js')) as Pick<Baseline, 'detectInBytes'>;
  return { cli: path.join(dir, 'cli.js'), detectInBytes, dir };
}

/** What a scan found written plainly, as path:line:column per finding: both must find the same plain keys. */
function findingsOf(stdout: string): string {
  const findings = JSON.parse(stdout) as Array<{ path: string; line: number; column: number; encoding?: string }>;
  return findings
    .filter((f) => f.encoding === undefined)
    .map((f) => `${f.path}:${f.line}:${f.column}`)
    .join('\n');
}

/** The trees timed: the generated one (1,000 files of ~100 KB), and real code in many small files when installed. */
function trees(): Array<{ readonly dir: string; readonly label: string; readonly pairs: number }> {
  const list = [{ dir: TREE_DIR, label: `${path.basename(TREE_DIR)} (generated: 1,000 files, ~100 KB each)`, pairs: PAIRS }];
  const real = path.join(ROOT, 'node_modules');
  if (fs.existsSync(real)) {
    // The walk skips nested node_modules: the top-level packages' own files, ~20,000 of them, mostly under 10 KB.
    list.push({ dir: real, label: 'node_modules (real code: the installed packages, many small files)', pairs: REAL_PAIRS });
  }
  return list;
}

async function timeCliPairs(node: string, baselineCli: string, tree: string, pairs: number): Promise<string[]> {
  const args = (cli: string): string[] => [cli, 'scan', '--format', 'json', '--jobs', '1', tree];
  const times = { before: [] as number[], now: [] as number[] };
  const found = { before: '', now: '' };
  for (let pair = 0; pair < WARMUP_PAIRS + pairs; pair++) {
    for (const which of pair % 2 === 0 ? (['before', 'now'] as const) : (['now', 'before'] as const)) {
      const result = await runChild(node, args(which === 'now' ? CLI : baselineCli), { cwd: ROOT, timeoutMs: 120_000 });
      if (result.code !== 0 && result.code !== 1) {
        return [`    ${which}: exit ${result.code ?? result.signal}: ${result.stderr.slice(0, 300)}`];
      }
      found[which] = findingsOf(result.stdout);
      if (pair >= WARMUP_PAIRS) {
        times[which].push(result.ms);
      }
    }
  }
  const ratio = median(times.now) / median(times.before);
  const same = found.now === found.before;
  return [
    `    before: median ${median(times.before).toFixed(1)} ms (min ${Math.min(...times.before).toFixed(1)}); now: median ${median(times.now).toFixed(1)} ms (min ${Math.min(...times.now).toFixed(1)}); ${pairs} pairs`,
    `    plain scan, now / before: ${ratio.toFixed(3)}×   goal ≤ ${GOAL}×   ${verdict(ratio <= GOAL && same)}` + (same ? ', the same plain findings' : ', PLAIN FINDINGS DIFFER'),
  ];
}

/** The byte search alone on a 10 MB document in memory: the extra native passes with nothing else around them. */
function timeInMemory(baseline: Baseline): string[] {
  const text = buildDocument(10 * MB, [fakeKeys.apiKey(), fakeKeys.apiKey(), fakeKeys.sessionKey(), fakeKeys.apiKey()]);
  const bytes = Buffer.from(text, 'utf8');
  const paths = { before: () => baseline.detectInBytes(bytes, bytes.length, true).length, now: () => detectInFile(bytes, bytes.length, true)?.length ?? 0 };
  const times = { before: [] as number[], now: [] as number[] };
  for (let i = 0; i < 40; i++) {
    for (const which of i % 2 === 0 ? (['before', 'now'] as const) : (['now', 'before'] as const)) {
      const started = performance.now();
      const count = paths[which]();
      if (count !== 4) {
        return [`  in memory: ${which} found ${count} of 4 keys`];
      }
      if (i >= 5) {
        times[which].push(performance.now() - started);
      }
    }
  }
  return [
    `  byte search alone, 10 MB in memory (no reading, no start-up; for information): before ${median(times.before).toFixed(2)} ms, now ${median(times.now).toFixed(2)} ms, ` +
      `${(median(times.now) / median(times.before)).toFixed(2)}× (five more memchr passes, about 0.17 ms per 10 MB each)`,
  ];
}

/** The plain-scan figures against the scanner before encoded keys, under each runtime. */
export async function benchPlainRegression(): Promise<string[]> {
  const baseline = await buildBaseline();
  const lines = [`plain scan against the scanner before encoded keys (${BASELINE_REV}, rebuilt from git in this run), --jobs 1:`];
  if (typeof baseline === 'string') {
    return [...lines, `  not measured: ${baseline}`];
  }
  try {
    for (const runtime of runtimes()) {
      const loadsCaBundle = process.env[EXTRA_CA] !== undefined && Number(runtime.version.slice(1).split('.')[0]) <= 22;
      lines.push(`Node ${runtime.version}${loadsCaBundle ? ` (${EXTRA_CA} set: a fixed start-up cost for both)` : ''}:`);
      for (const tree of trees()) {
        lines.push(`  ${tree.label}:`);
        lines.push(...(await timeCliPairs(runtime.node, baseline.cli, tree.dir, tree.pairs)));
      }
    }
    lines.push(...timeInMemory(baseline));
  } finally {
    fs.rmSync(baseline.dir, { recursive: true, force: true });
  }
  return lines;
}
