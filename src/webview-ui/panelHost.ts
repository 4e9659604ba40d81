import type { PanelState, WebviewToHost } from '../shared/promptProtocol';

/** The part of the webview API the panel uses (`acquireVsCodeApi()`), typed by the protocol. */
export interface PanelHost {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

/** Runs `run`, logging instead of throwing: one failing call must not leave the page half-updated. */
export function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    console.error('[Claude Keys]', error);
    return undefined;
  }
}
