import * as path from 'node:path';

/** What the scan bench's sections (runBench, scanPeers, detectorBench) share: paths, goals, number formats. */

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const MB = 1024 * 1024;

export const GOALS = { secretlintOverCli: 12, cliOverFloor: 1.5, detectorMs: 15 };

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const ms = (value: number): string => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
export const pad = (text: string, width: number): string => text.padEnd(width);
export const lpad = (text: string, width: number): string => text.padStart(width);
export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
