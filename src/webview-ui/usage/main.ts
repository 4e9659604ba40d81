// The Show Usage webview: bundled by esbuild into dist/usage.js (CSS into dist/usage.css), Chart.js included.
import './usage.css';
import { UsagePage, type UsageRenderStats } from './usageView';

declare global {
  interface Window {
    /** What was drawn, for the e2e test. */
    __claudeKeysUsage?: UsageRenderStats;
  }
}

function main(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const vscode = acquireVsCodeApi();
  const stats: UsageRenderStats = { charts: 0, views: 0 };
  window.__claudeKeysUsage = stats;
  const page = new UsagePage(root, { postMessage: (m) => vscode.postMessage(m) }, stats);
  window.addEventListener('message', (event: MessageEvent<unknown>) => page.handleMessage(event.data));
  page.start();
}

main();
