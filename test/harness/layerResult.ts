export interface LayerResult {
  readonly layer: string;
  readonly passed: number;
  readonly failed: number;
  /** Set when the layer could not run to the end (time-out, crash). */
  readonly error?: string;
}

/** The plain closing line CI reads: `layer: N passed, N failed`. */
export function summaryLine(result: LayerResult): string {
  return `${result.layer}: ${result.passed} passed, ${result.failed} failed`;
}

export const SUMMARY_PATTERN = /^(\d+) passed, (\d+) failed$/m;
