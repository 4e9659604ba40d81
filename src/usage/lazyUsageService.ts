import type * as vscode from 'vscode';
import { Lazy, onFirstUse } from '../core/lazy';
import type * as Service from './usageService';

type ServiceModule = typeof Service;
export type UsageService = Service.UsageService;

/**
 * The usage service as activation sees it. Its code (ledger, pricing, pacing, budget) is
 * dist/usageService.js (esbuild.js lazyChunks), loaded by its first use: the start-up check that
 * runs after activation, the status bar tooltip or the first API call. `wire` then returns the
 * listeners it needs; they are disposed with it.
 */
export class LazyUsageService implements vscode.Disposable {
  private readonly made: Lazy<{ readonly service: UsageService; readonly owned: readonly vscode.Disposable[] }>;
  /** Stands in for the service until first use (see onFirstUse). */
  readonly service: UsageService;

  constructor(make: (module: ServiceModule) => UsageService, wire: (service: UsageService) => vscode.Disposable[]) {
    this.made = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the ledger back into activation
      const service = make(require('./usageService') as ServiceModule);
      return { service, owned: [service, ...wire(service)] };
    });
    this.service = onFirstUse(() => this.made.value.service);
  }

  dispose(): void {
    if (this.made.isMade) {
      for (const disposable of this.made.value.owned) {
        disposable.dispose();
      }
    }
  }
}
