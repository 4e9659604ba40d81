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

/** What a panel's controller does when its page speaks, hides or closes. */
export interface PanelHooks {
  receive(raw: unknown): void;
  /** The page was discarded (no retainContextWhenHidden): nothing posted now would arrive. */
  hidden(): void;
  disposed(): void;
}

/**
 * Gives `panel` the extension's icon and the page, and wires the hooks; returns the subscriptions
 * (the controller disposes them with the panel).
 */
export function attachPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, page: WebviewPage, hooks: PanelHooks): vscode.Disposable[] {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  panel.webview.html = webviewHtml(panel.webview, extensionUri, page);
  return [
    panel.webview.onDidReceiveMessage((raw: unknown) => hooks.receive(raw)),
    panel.onDidChangeViewState(({ webviewPanel }) => {
      if (!webviewPanel.visible) {
        hooks.hidden();
      }
    }),
    panel.onDidDispose(() => hooks.disposed()),
  ];
}
