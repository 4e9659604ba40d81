export interface LayerResult {
  readonly layer: string;
  readonly passed: number;
  readonly failed: number;
  /** Tests that were skipped (this.skip(), it.skip): shown, so a silently skipped test is noticed. */
  readonly skipped?: number;
  /** Set when the layer could not run to the end (time-out, crash). */
  readonly error?: string;
}

/** The plain closing line CI reads: `layer: N passed, N failed` (and `, N skipped` when some were). */
export function summaryLine(result: LayerResult): string {
  return `${result.layer}: ${countsText(result.passed, result.failed, result.skipped ?? 0)}`;
}

export function countsText(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export const SUMMARY_PATTERN = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m;
