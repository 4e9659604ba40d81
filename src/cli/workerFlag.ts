/**
 * Appended to a scan worker's process.argv, so the bundle's entry can tell a worker from the CLI
 * without loading node:worker_threads on every run. parallel.ts double-checks with isMainThread.
 */
export const WORKER_FLAG = '--claude-keys-scan-worker';
