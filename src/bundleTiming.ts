/**
 * Set by esbuild.js's banner and footer: when Node started and finished running dist/extension.js
 * (performance.now()). Undeclared when the code runs unbundled.
 */
declare const CLAUDE_KEYS_BUNDLE_LOAD_START: number | undefined;
declare const CLAUDE_KEYS_BUNDLE_LOAD_END: number | undefined;

/** How long running the bundle's top level took (its modules' set-up), or undefined unbundled. */
export function bundleLoadMs(): number | undefined {
  if (typeof CLAUDE_KEYS_BUNDLE_LOAD_START !== 'number' || typeof CLAUDE_KEYS_BUNDLE_LOAD_END !== 'number') {
    return undefined;
  }
  return CLAUDE_KEYS_BUNDLE_LOAD_END - CLAUDE_KEYS_BUNDLE_LOAD_START;
}
