import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');

interface BrowserGlobals {
  postMessage(data: unknown, origin: string): void;
  requestAnimationFrame(callback: () => void): number;
  document: { getElementById(id: string): { textContent: string | null } | null };
  __claudeKeysPanel?: { frames: number[]; renders: number };
}

/** The answer's last words: the render goal only counts if they reached the page. */
const END_MARKER = 'This is the last sentence of the benchmark answer.';

/** ~100k tokens (~400k characters) of realistic Markdown: prose, lists and fenced code. */
function longAnswer(targetChars = 400_000): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < targetChars; i++) {
    const block =
      i % 5 === 4
        ? '```ts\n' + Array.from({ length: 12 }, (_, j) => `const value${j} = compute(${i}, ${j}); // step ${j}`).join('\n') + '\n```\n\n'
        : i % 5 === 3
          ? Array.from({ length: 6 }, (_, j) => `- item ${j} of section ${i}, with **bold** and \`code\``).join('\n') + '\n\n'
          : `## Section ${i}\n\nThis paragraph explains part ${i} of the answer with *emphasis*, a [link](https://example.com/${i}) and enough words to look like a real reply from the model. `.repeat(2) + '\n\n';
    parts.push(block);
    length += block.length;
  }
  parts.push(`${END_MARKER}\n`);
  return parts.join('');
}

/**
 * Render cost of a long streamed answer in the real webview bundle in Chromium: the page gets the
 * host's messages (init, streamStart, a delta every 16 ms like the host's batching, streamEnd) and
 * we read the panel's own per-frame timings plus Chromium's long-task entries.
 */
export async function benchRender(): Promise<string[]> {
  const answer = longAnswer();
  const server = http.createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0];
    if (name === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(`<!DOCTYPE html><html><head><link rel="stylesheet" href="/webview.css"></head><body><div id="app"></div>
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
</script><script src="/webview.js"></script></body></html>`);
      return;
    }
    const file = path.join(DIST, path.basename(name));
    if (!fs.existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : 'application/octet-stream');
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(async (text: string) => {
      // This runs in the page: reach its DOM globals without pulling DOM types into the Node build.
      const window = globalThis as unknown as BrowserGlobals;
      const { requestAnimationFrame, document } = window;
      const longTasks: number[] = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false } as never);
      const post = (data: unknown): void => window.postMessage(data, '*');
      post({ type: 'init', models: [{ id: 'm', label: 'M' }], modelsSource: 'api', settings: { model: 'm', system: '', maxTokens: 128000, temperature: 1 }, history: [], keyState: 'set' });
      post({ type: 'streamStart', requestId: 'r', model: 'm' });
      const chunk = 2000;
      const frameGaps: number[] = [];
      let last = performance.now();
      let stopGaps = false;
      const watch = (): void => {
        const now = performance.now();
        frameGaps.push(now - last);
        last = now;
        if (!stopGaps) {
          requestAnimationFrame(watch);
        }
      };
      requestAnimationFrame(watch);
      const started = performance.now();
      for (let at = 0; at < text.length; at += chunk) {
        post({ type: 'delta', requestId: 'r', text: text.slice(at, at + chunk) });
        await new Promise((r) => setTimeout(r, 16));
      }
      post({ type: 'streamEnd', requestId: 'r', stopped: false, metrics: { totalMs: 1, usage: { inputTokens: 1, outputTokens: 100000 }, stopReason: 'end_turn' } });
      await new Promise((r) => setTimeout(r, 500));
      stopGaps = true;
      const stats = window.__claudeKeysPanel;
      const shown = document.getElementById('answer')?.textContent ?? '';
      return {
        frames: stats?.frames ?? [],
        renders: stats?.renders ?? 0,
        longTasks,
        frameGaps: frameGaps.slice(1),
        seconds: (performance.now() - started) / 1000,
        rendered: shown.length,
        tail: shown.slice(-200),
      };
    }, answer);
    const frames = [...result.frames].sort((a, b) => a - b);
    const gaps = [...result.frameGaps].sort((a, b) => a - b);
    const pct = (values: number[], p: number): number => values[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
    const maxFrame = frames.at(-1) ?? 0;
    // No frames, or an answer that never finished rendering, is a failed run, not a fast one.
    const complete = result.renders > 0 && frames.length > 0 && result.tail.includes(END_MARKER);
    return [
      `render of a ~100k-token answer (${(answer.length / 1000).toFixed(0)}k characters, ${Math.ceil(answer.length / 2000)} batches every 16 ms) in the real webview bundle, Chromium:`,
      `  render frames: ${result.renders}; time per frame median ${pct(frames, 0.5).toFixed(2)} ms, p95 ${pct(frames, 0.95).toFixed(2)} ms, max ${maxFrame.toFixed(2)} ms`,
      `  animation-frame gaps: median ${pct(gaps, 0.5).toFixed(1)} ms, p99 ${pct(gaps, 0.99).toFixed(1)} ms, max ${(gaps.at(-1) ?? 0).toFixed(1)} ms; long tasks (>50 ms): ${result.longTasks.length}${result.longTasks.length ? ` (max ${Math.max(...result.longTasks).toFixed(0)} ms)` : ''}`,
      `  answer text rendered: ${result.rendered} characters in ${result.seconds.toFixed(1)} s; last sentence on the page: ${complete ? 'yes' : 'NO'}`,
      `  goal: no frame over 50 ms: ${complete && maxFrame <= 50 && result.longTasks.length === 0 ? 'PASS' : 'MISS'}`,
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
