/** A point in time: wall clock and this process's CPU time so far. */
export interface TimingMark {
  readonly ms: number;
  readonly cpu: NodeJS.CpuUsage;
}

/** Wall time and CPU time between two marks. CPU time barely moves when the machine is busy. */
export interface TimingSpan {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * Set by esbuild.js's banner and footer: when Node started and finished running dist/extension.js's
 * top level. Undeclared when the code runs unbundled.
 */
declare const CLAUDE_KEYS_BUNDLE_LOAD_START: TimingMark | undefined;
declare const CLAUDE_KEYS_BUNDLE_LOAD_END: TimingMark | undefined;

export function timingMark(): TimingMark {
  return { ms: performance.now(), cpu: process.cpuUsage() };
}

export function timingSpan(from: TimingMark, to: TimingMark = timingMark()): TimingSpan {
  return { ms: to.ms - from.ms, cpuMs: (to.cpu.user - from.cpu.user + to.cpu.system - from.cpu.system) / 1000 };
}

/** How long running the bundle's top level (its modules' set-up) took, or undefined unbundled. */
export function bundleLoadSpan(): TimingSpan | undefined {
  if (typeof CLAUDE_KEYS_BUNDLE_LOAD_START !== 'object' || typeof CLAUDE_KEYS_BUNDLE_LOAD_END !== 'object') {
    return undefined;
  }
  return timingSpan(CLAUDE_KEYS_BUNDLE_LOAD_START, CLAUDE_KEYS_BUNDLE_LOAD_END);
}
