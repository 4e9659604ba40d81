import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A panel's page: its script and stylesheet in dist/, and its title. */
export interface WebviewPage {
  readonly script: string;
  readonly style: string;
  readonly title: string;
}

/** Scripts on, and only the extension's dist/ readable by the page. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

/**
 * The HTML of a panel's page under the CSP every panel uses: nothing but the extension's own files,
 * and only the script carrying this load's nonce.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, page.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, page.style));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${page.title}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** What a panel's controller does when its page speaks, and when its panel goes. */
export interface PanelHooks {
  receive(raw: unknown): void;
  /** The panel closed, was replaced or the controller is disposed: drop what belongs to its page. */
  detached(): void;
}

/**
 * The one panel a controller shows, its page's subscriptions, and whether that page has said ready
 * (nothing posted before would arrive). The controller keeps what is its own and clears it in
 * `detached`.
 */
export class PanelSlot implements vscode.Disposable {
  private current: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];
  /** The page loaded last said ready (set by the controller when the page says so). */
  ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly page: WebviewPage,
    private readonly hooks: PanelHooks,
  ) {}

  get panel(): vscode.WebviewPanel | undefined {
    return this.current;
  }

  /** Gives `panel` the extension's icon and the page, in place of the panel held before. */
  attach(panel: vscode.WebviewPanel): void {
    this.detach();
    this.current = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, this.page);
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.hooks.receive(raw)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // The page was discarded (no retainContextWhenHidden): wait for the one that loads on show to say ready.
        if (!webviewPanel.visible) {
          this.ready = false;
        }
      }),
      panel.onDidDispose(() => {
        this.current = undefined;
        this.detach();
      }),
    ];
  }

  /** Closes the panel too: without this it would outlive the extension as a dead page. */
  dispose(): void {
    const panel = this.current;
    this.current = undefined;
    this.detach();
    panel?.dispose();
  }

  private detach(): void {
    this.hooks.detached();
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.subscriptions = [];
    this.ready = false;
  }
}
