/**
 * The Benchmarks view's page: the one place its HTML and Content-Security-Policy are written.
 * Nothing from the user's data is interpolated here; the records reach the page as messages and
 * the page's script renders them as text nodes.
 *
 * Pure (no `vscode`): the panel passes the webview's resource URIs and CSP source as strings.
 */
import { randomBytes } from 'node:crypto';

export interface PanelPage {
  /** `webview.cspSource`: where the stylesheet (and nothing else) may come from. */
  cspSource: string;
  /** A fresh nonce per page: the only script that runs carries it. */
  nonce: string;
  /** `webview.asWebviewUri` of dist/bench-panel.js. */
  scriptUri: string;
  /** `webview.asWebviewUri` of media/bench-panel.css. */
  styleUri: string;
}

/** 128 random bits, base64: unguessable, and new for every page. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The policy: nothing by default; styles and images from the extension; scripts only with the nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `img-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
const attribute = (value: string): string => value.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c]);

/** The page: the CSP, the stylesheet, an empty main the script fills, the script with its nonce. */
export function panelHtml(page: PanelPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(page.cspSource, page.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attribute(page.styleUri)}">
  <title>Benchmarks</title>
</head>
<body>
  <main id="app" data-testid="bench-panel" aria-busy="true"><p>Loading benchmarks…</p></main>
  <div id="status" role="status" aria-live="polite" data-testid="status"></div>
  <script nonce="${attribute(page.nonce)}" src="${attribute(page.scriptUri)}"></script>
</body>
</html>`;
}
