// The prompt panel's webview: bundled by esbuild into dist/webview.js (and the CSS into dist/webview.css).
import '@vscode/codicons/dist/codicon.css';
import './panel.css';
import type { PanelState } from '../shared/promptProtocol';
import type { RenderStats } from './answerView';
import { PromptPanel } from './panel';

declare global {
  interface Window {
    /** Render timings for the long-answer benchmark. */
    __claudeKeysPanel?: RenderStats;
  }
}

function main(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const vscode = acquireVsCodeApi<PanelState>();
  const stats: RenderStats = { frames: [], renders: 0 };
  window.__claudeKeysPanel = stats;
  const panel = new PromptPanel(root, { postMessage: (m) => vscode.postMessage(m), getState: () => vscode.getState(), setState: (s) => vscode.setState(s) }, stats);
  window.addEventListener('message', (event: MessageEvent<unknown>) => panel.handleMessage(event.data));
  panel.start();
}

main();
