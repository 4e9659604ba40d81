import type * as OnDemand from './onDemand';

export type OnDemandModule = typeof OnDemand;

/**
 * The command code activation does not load. Bundled, this require() reads dist/onDemand.js (Node
 * caches it after the first call); unbundled (tests), ./onDemand itself.
 */
export function loadOnDemand(): OnDemandModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the commands back into activation
  return require('./onDemand') as OnDemandModule;
}
