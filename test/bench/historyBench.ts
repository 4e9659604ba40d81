import * as path from 'node:path';
import { runChild } from './children';
import { ensureHistoryRepo, HISTORY_REPO } from './historyRepo';

/**
 * `claude-keys scan --history` on a generated 5,000-commit, ~200 MB repository against the floor:
 * `git cat-file --batch-all-objects --batch` piped into a bare indexOf in Node (historyFloor.ts), and
 * the same in pack order (--unordered), timed round-robin in the same run. Goal: ≤ 1.5× the floor.
 * Prints PASS/MISS; asserts nothing.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FLOOR = path.join(__dirname, 'historyFloor.js');
const MB = 1024 * 1024;
const GOAL = 1.5;
const RUNS = 5;
const WARMUPS = 1;

interface HistoryJson {
  path: string;
  masked: string;
  presentAtHead: boolean;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const ms = (value: number): string => `${value.toFixed(0)} ms`;

export async function benchHistory(): Promise<string[]> {
  const lines: string[] = [];
  const repo = await ensureHistoryRepo();
  const { manifest } = repo;
  lines.push(
    `history: ${HISTORY_REPO}: ${manifest.commits} commits, ${(manifest.blobBytes / MB).toFixed(1)} MB of distinct blob content, ` +
      `${manifest.expected.length} keys (${manifest.expected.filter((e) => !e.presentAtHead).length} removed later); ` +
      `${repo.cached ? 'cached' : `generated with git fast-import in ${repo.seconds.toFixed(1)} s`}`,
  );
  const tools = [
    { name: 'floor: cat-file --batch-all-objects | indexOf', args: [FLOOR, HISTORY_REPO], ok: [0] },
    { name: 'stricter floor: the same, --unordered', args: [FLOOR, HISTORY_REPO, '--unordered'], ok: [0] },
    { name: 'claude-keys scan --history', args: [CLI, 'scan', '--history', '--format', 'json'], ok: [1] },
  ];
  const times = tools.map(() => [] as number[]);
  const outputs = tools.map(() => '');
  for (let round = 0; round < WARMUPS + RUNS; round++) {
    for (let t = 0; t < tools.length; t++) {
      const result = await runChild(process.execPath, tools[t].args, { cwd: HISTORY_REPO, timeoutMs: 300_000 });
      if (result.timedOut || result.code === null || !tools[t].ok.includes(result.code)) {
        lines.push(`  ${tools[t].name}: FAILED (${result.timedOut ? 'timed out' : `exit ${result.code}`}): ${result.stderr.slice(0, 300)}`);
        return lines;
      }
      if (round >= WARMUPS) {
        times[t].push(result.ms);
      }
      outputs[t] = result.stdout;
    }
  }
  lines.push(`wall time, median of ${RUNS} after ${WARMUPS} warm-up (Node ${process.version}):`);
  for (let t = 0; t < tools.length; t++) {
    const med = median(times[t]);
    lines.push(
      `  ${tools[t].name.padEnd(50)}${ms(med).padStart(9)}  (min ${ms(Math.min(...times[t]))}, max ${ms(Math.max(...times[t]))}), ${(manifest.blobBytes / MB / (med / 1000)).toFixed(0)} MB/s of blob content`,
    );
  }
  const cli = median(times[2]);
  const ratio = cli / median(times[0]);
  const strict = cli / median(times[1]);
  lines.push(`  claude-keys --history / floor:            ${ratio.toFixed(2)}×  goal ≤ ${GOAL}×   ${ratio <= GOAL ? 'PASS' : 'MISS'}`);
  lines.push(
    `  claude-keys --history / stricter floor:   ${strict.toFixed(2)}×  (object-id order rebuilds delta bases again and again; pack order does not)   ${strict <= GOAL ? 'PASS' : 'MISS'}`,
  );

  const floor = JSON.parse(outputs[0]) as { bytes: number; hits: number };
  const found = JSON.parse(outputs[2]) as HistoryJson[];
  const want = manifest.expected.map((e) => `${e.path} ${e.masked} ${e.presentAtHead}`);
  const got = found.map((f) => `${f.path} ${f.masked} ${f.presentAtHead}`);
  const matched = want.filter((w) => got.includes(w)).length;
  lines.push(`  floor read ${(floor.bytes / MB).toFixed(1)} MB (every object: blobs, trees, commits), ${floor.hits} prefix hits`);
  lines.push(
    `  claude-keys: ${matched}/${want.length} keys at the right path with the right still-at-HEAD flag, ${got.length - matched} unexpected   ${matched === want.length && got.length === want.length ? 'PASS' : 'MISS'}`,
  );
  return lines;
}
