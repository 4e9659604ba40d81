import * as vscode from 'vscode';
import { Commands } from '../constants';
import { Lazy } from '../core/lazy';
import type * as Panel from './usagePanel';

type PanelModule = typeof Panel;
export type UsagePanelController = Panel.UsagePanelController;
type UsagePanelDeps = ConstructorParameters<PanelModule['UsagePanelController']>;

/**
 * Show Usage as activation sees it: the command. The panel's controller (view model, export, HTML)
 * is loaded the first time it runs. Bundled, the require() below reads dist/usagePanel.js
 * (esbuild.js, lazyChunks); unbundled, ./usagePanel itself.
 */
export class LazyUsagePanel implements vscode.Disposable {
  private readonly controller: Lazy<UsagePanelController>;

  constructor(...deps: UsagePanelDeps) {
    this.controller = new Lazy(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would put the panel back into activation
      const { UsagePanelController } = require('./usagePanel') as PanelModule;
      return new UsagePanelController(...deps);
    });
  }

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand(Commands.showUsage, () => void this.show())];
  }

  show(): vscode.WebviewPanel {
    return this.controller.value.show();
  }

  /** The controller itself (loading it): for the test API. */
  get loaded(): UsagePanelController {
    return this.controller.value;
  }

  dispose(): void {
    if (this.controller.isMade) {
      this.controller.value.dispose();
    }
  }
}
