import type * as Sdk from './sdk';

export type SdkModule = typeof Sdk;

/**
 * The SDK half of ClaudeClient, loaded on the first API call. Bundled, this require() reads
 * dist/sdk.js (esbuild.js, lazyChunks); unbundled (unit tests), ./sdk itself.
 */
export function loadSdk(): SdkModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the SDK back into activation
  return require('./sdk') as SdkModule;
}
