import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ensureTools } from '../harness/tools';
import { runChild, type ChildResult } from './children';
import type { Manifest } from './tree';
import { lpad, MB, median, ms, pad, ROOT } from './scanBenchBasics';

/** Timing the scan CLI and its peers as child processes: round-robin runs, the table of times. */

/** Five runs: this VM's timings wander by ±20% from run to run; a median of three moved the ratio by 1×. */
export const RUNS = 5;
export const WARMUPS = 1;
/** Node ≤ 22 parses this CA bundle at every start-up (Node 24 defers it); set on these machines for a proxy. */
export const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';

/** A Node binary every tool runs under, so the ratios compare tools, not runtimes. */
export interface Runtime {
  readonly label: string;
  readonly node: string;
  readonly version: string;
}

export interface Tool {
  readonly name: string;
  readonly args: readonly string[];
  /** Exit codes that mean "ran fine" (1 = found something, for the scanners). */
  readonly okCodes: readonly number[];
  readonly timeoutMs: number;
  /** Whether the tool reads the tree (MB/s makes sense). */
  readonly readsTree: boolean;
  /** Run without NODE_EXTRA_CA_CERTS (only the start-up probe that shows its cost). */
  readonly withoutExtraCa?: boolean;
}

export interface Measured {
  readonly tool: Tool;
  readonly times: number[];
  last?: ChildResult;
  failure?: string;
}

export function environment(tool: Tool): NodeJS.ProcessEnv | undefined {
  if (!tool.withoutExtraCa) {
    return undefined;
  }
  const env = { ...process.env };
  delete env[EXTRA_CA];
  return env;
}

export async function measureAll(node: string, tools: readonly Tool[]): Promise<Measured[]> {
  const results: Measured[] = tools.map((tool) => ({ tool, times: [] }));
  // Round-robin (warm-ups first) so drift in the machine's load spreads over every tool alike.
  for (let round = 0; round < WARMUPS + RUNS; round++) {
    for (const m of results) {
      if (m.failure) {
        continue;
      }
      const result = await runChild(node, m.tool.args, { cwd: ROOT, timeoutMs: m.tool.timeoutMs, env: environment(m.tool) });
      if (result.timedOut || result.code === null || !m.tool.okCodes.includes(result.code)) {
        m.failure = result.timedOut ? `timed out after ${m.tool.timeoutMs} ms` : `exit ${result.code ?? result.signal}: ${result.stderr.slice(0, 300)}`;
        continue;
      }
      if (round >= WARMUPS) {
        m.times.push(result.ms);
      }
      m.last = result;
    }
  }
  return results;
}

export function printTable(measured: readonly Measured[], manifest: Manifest): void {
  console.log(`${pad('', 34)}${lpad('median', 10)}${lpad('min', 10)}${lpad('max', 10)}${lpad('MB/s', 9)}`);
  for (const m of measured) {
    if (m.failure || m.times.length === 0) {
      console.log(`${pad(m.tool.name, 34)}FAILED: ${m.failure ?? 'no runs'}`);
      continue;
    }
    const med = median(m.times);
    const rate = m.tool.readsTree ? (manifest.totalBytes / MB / (med / 1000)).toFixed(0) : '';
    console.log(
      `${pad(m.tool.name, 34)}${lpad(ms(med), 10)}${lpad(ms(Math.min(...m.times)), 10)}${lpad(ms(Math.max(...m.times)), 10)}${lpad(rate, 9)}`,
    );
  }
}

/** The machine's own Node, and the project's Node 24 toolchain (scripts/ensure-tools.sh) when it differs. */
export function runtimes(): Runtime[] {
  const list: Runtime[] = [{ label: `machine Node (${process.execPath})`, node: process.execPath, version: process.version }];
  const node24 = ensureTools().node24;
  if (fs.existsSync(node24)) {
    const version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== process.version) {
      list.push({ label: 'project toolchain (scripts/ensure-tools.sh)', node: node24, version });
    }
  }
  return list;
}
