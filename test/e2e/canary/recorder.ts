import type { BrowserContext, Frame } from 'playwright-core';

/** One thing the workbench showed or passed on, as text, with where it was seen. */
export interface Recorded {
  /** message: a postMessage seen by a frame; ui: text added to the workbench page; console: a console line. */
  readonly kind: 'message' | 'ui' | 'console';
  /** For ui: notification, dialog, diagnostics, quick-input, status-bar, hover, other. For message: the frame. */
  readonly where: string;
  readonly text: string;
}

const BINDING = '__claudeKeysCanaryRecord';

/**
 * Runs in every frame before its own scripts (workbench, webview host frame, the panel's page):
 * - every message posted on a MessagePort, and every window `message` event: host→webview
 *   messages, the webview's messages and setState on their way to the host, resource loads;
 * - in the workbench page, every text and label added to the DOM, tagged by where it appeared.
 *   Text inside an editor's lines is left out: that is the user's own file, shown because they opened
 *   it (the workspace file holds the key on purpose, for Scan Workspace).
 * Plain JavaScript: it runs in the browser, not in Node.
 */
const INIT_SCRIPT = `(() => {
  const record = globalThis[${JSON.stringify(BINDING)}];
  if (typeof record !== 'function') { return; }
  const bytes = (view) => {
    const u8 = new Uint8Array(view.buffer ?? view, view.byteOffset ?? 0, view.byteLength);
    let out = '';
    for (let i = 0; i < u8.length; i += 8192) { out += String.fromCharCode.apply(null, u8.subarray(i, i + 8192)); }
    return out;
  };
  const flatten = (value, out, depth, seen) => {
    if (value === null || value === undefined || depth > 12) { return; }
    const t = typeof value;
    if (t === 'string') { out.push(value); return; }
    if (t !== 'object') { out.push(String(value)); return; }
    if (seen.has(value)) { return; }
    seen.add(value);
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) { out.push(bytes(value)); return; }
    if (typeof Blob !== 'undefined' && value instanceof Blob) { out.push('[blob ' + value.size + ']'); return; }
    if (value instanceof Map) { for (const [k, v] of value) { flatten(k, out, depth + 1, seen); flatten(v, out, depth + 1, seen); } return; }
    if (value instanceof Set || Array.isArray(value)) { for (const v of value) { flatten(v, out, depth + 1, seen); } return; }
    for (const k of Object.keys(value)) { out.push(k); flatten(value[k], out, depth + 1, seen); }
  };
  const capture = (label, data) => {
    const out = [];
    try { flatten(data, out, 0, new Set()); } catch (e) { out.push('[unreadable ' + e + ']'); }
    record(label, out.join('\\n'));
  };
  // VS Code's webview plumbing talks over MessagePorts: the workbench posts host messages to the
  // webview's frame on one, and that frame posts the page's messages and setState back on the other.
  const portPost = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (message, ...rest) {
    capture('message:port:' + String(message?.channel ?? ''), message);
    return portPost.call(this, message, ...rest);
  };
  window.addEventListener('message', (event) => capture('message:window', event.data), true);
  if (window.top !== window) { return; }
  const SKIP = '.view-lines, .native-edit-context, .monaco-editor textarea, .minimap, .sticky-widget, .view-overlays';
  const PLACES = [['.notifications-toasts, .notifications-center', 'notification'], ['.monaco-dialog-box', 'dialog'], ['.markers-panel', 'diagnostics'],
    ['.quick-input-widget', 'quick-input'], ['#workbench\\\\.parts\\\\.statusbar', 'status-bar'], ['.monaco-hover, .hover-widget', 'hover'], ['.monaco-aria-container', 'aria-live']];
  let pending = new Map();
  const add = (node, text) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el || !text || el.closest(SKIP)) { return; }
    if (node.nodeType === 1 && node.querySelector(SKIP)) {
      // A subtree holding editor lines (a whole editor being added): its text without them.
      const copy = node.cloneNode(true);
      copy.querySelectorAll(SKIP).forEach((skipped) => skipped.remove());
      text = copy.textContent;
    }
    const place = (PLACES.find(([selector]) => el.closest(selector)) ?? [null, 'other'])[1];
    pending.set(place, (pending.get(place) ?? '') + text + '\\n');
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'childList') { for (const n of m.addedNodes) { add(n, n.textContent); if (n.nodeType === 1) { for (const a of ['aria-label', 'title']) { add(n, n.getAttribute(a)); } } } }
      else if (m.type === 'characterData') { add(m.target, m.target.data); }
      else if (m.type === 'attributes') { add(m.target, m.target.getAttribute(m.attributeName)); }
    }
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'title', 'value', 'placeholder'] });
  setInterval(() => {
    if (pending.size === 0) { return; }
    const batch = pending;
    pending = new Map();
    for (const [place, text] of batch) { record('ui:' + place, text); }
  }, 200);
})();`;

/** Everything recorded in a browser context; attach before the first page loads. */
export class Recorder {
  readonly items: Recorded[] = [];

  static async attach(context: BrowserContext): Promise<Recorder> {
    const recorder = new Recorder();
    await context.exposeBinding(BINDING, (source: { frame: Frame }, kind: string, text: string) => {
      if (kind.startsWith('message:')) {
        recorder.items.push({ kind: 'message', where: `${frameLabel(source.frame)}/${kind.slice(8)}`, text: String(text) });
      } else {
        recorder.items.push({ kind: 'ui', where: kind.slice(3), text: String(text) });
      }
    });
    await context.addInitScript({ content: INIT_SCRIPT });
    context.on('console', (message) => recorder.items.push({ kind: 'console', where: message.type(), text: message.text() }));
    return recorder;
  }

  /** What the extension host posted to a webview: the workbench hands it on over the webview's port. */
  hostToWebview(): Recorded[] {
    return this.items.filter((r) => r.kind === 'message' && r.where === 'workbench/port:message');
  }

  /** What the webview's page posted and saved (setState): its frame hands it on over the port. */
  webviewToHost(): Recorded[] {
    return this.items.filter((r) => r.kind === 'message' && /^webview-host\/port:(onmessage|do-update-state)$/.test(r.where));
  }

  count(kind: Recorded['kind'], where?: string): number {
    return this.items.filter((r) => r.kind === kind && (where === undefined || r.where === where)).length;
  }

  bytes(): number {
    return this.items.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  }
}

/** workbench, webview-host (VS Code's frame around a webview) or webview-content (the panel's page). */
function frameLabel(frame: Frame): string {
  const parent = frame.parentFrame();
  if (!parent) {
    return 'workbench';
  }
  return parent.parentFrame() ? 'webview-content' : 'webview-host';
}
