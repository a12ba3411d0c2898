/**
 * The Benchmarks view (`concurrencyLens.benchmarks`, a webview view in the Concurrency Lens
 * activity-bar container): shows the benchmark history kept by {@link BenchHistory}, and saves
 * it as Markdown or JSON.
 *
 * The page (src/webview/main.ts, bundled to dist/bench-panel.js) renders; this side owns the data
 * and the file system. Every message from the page is checked by src/webview/protocol.ts before
 * anything acts on it; refused ones are logged and dropped. The page loads only the extension's
 * dist/ and media/ folders, under the CSP written by ./bench-panel-html.ts.
 */
import * as vscode from 'vscode';
import type { BenchHistory, BenchRecord } from './bench-history';
import { exportText } from './bench-panel-export';
import { makeNonce, panelHtml } from './bench-panel-html';
import { checkWebviewMessage, type ExportFormat, type HostMessage, type WebviewMessage } from '../webview/protocol';

/** The view's id, as contributed in package.json. */
export const BENCH_VIEW_ID = 'concurrencyLens.benchmarks';

/** The part of the log the panel writes to. */
export type PanelLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;

/** What happened to one message from the page (for tests and diagnostics). */
export type HandledMessage = { message: WebviewMessage } | { refused: string };

const EXTENSIONS: Record<ExportFormat, { extension: string; filter: Record<string, string[]> }> = {
  markdown: { extension: 'md', filter: { Markdown: ['md'] } },
  json: { extension: 'json', filter: { JSON: ['json'] } },
};

/** Provides the Benchmarks view; one instance for the extension's lifetime. */
export class BenchPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly webviews = new Set<vscode.Webview>();
  private readonly handled = new vscode.EventEmitter<HandledMessage>();
  private readonly historyListener: { dispose(): void };

  /** Fires after each message from a page has been checked (and, when accepted, acted on). */
  readonly onDidHandleMessage = this.handled.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly history: BenchHistory,
    private readonly log: PanelLog,
  ) {
    this.historyListener = history.onDidChange(() => this.broadcast());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const attached = this.attach(view.webview);
    view.onDidDispose(() => {
      attached.dispose();
    });
    this.log.info(`Benchmarks view resolved (${this.history.all().length} runs in the history)`);
  }

  /**
   * Serves the page in `webview`: options, HTML, messages. Separate from
   * {@link resolveWebviewView} so a test can attach a webview it created.
   */
  attach(webview: vscode.Webview): vscode.Disposable {
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'bench-panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'bench-panel.css')).toString(),
    });
    this.webviews.add(webview);
    const listener = webview.onDidReceiveMessage((raw: unknown) => this.handleMessage(raw, webview));
    return {
      dispose: () => {
        listener.dispose();
        this.webviews.delete(webview);
      },
    };
  }

  /** Checks a message from a page and acts on it; never throws (failures are logged and shown). */
  async handleMessage(raw: unknown, from?: vscode.Webview): Promise<void> {
    const checked = checkWebviewMessage(raw);
    if (!checked.ok) {
      this.log.warn(`Benchmarks view: refused a message from the page: ${checked.reason}`);
      this.handled.fire({ refused: checked.reason });
      return;
    }
    const message = checked.message;
    try {
      switch (message.type) {
        case 'ready':
          if (from) await this.post(from, { type: 'history', records: [...this.history.all()] });
          break;
        case 'export':
          await this.exportWithDialog(message.format, message.key, from);
          break;
        case 'reveal':
          await this.reveal(message.id);
          break;
      }
    } catch (error) {
      this.log.error(`Benchmarks view: ${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.handled.fire({ message });
    }
  }

  /** The runs an export covers: one function's, or every run. */
  private recordsFor(key: string | undefined): BenchRecord[] {
    return key === undefined ? [...this.history.all()] : this.history.forFunction(key);
  }

  /**
   * Writes the runs of `key` (every run when absent) to `target` in `format`; returns how many
   * runs were written. Throws when there is nothing to export or the file cannot be written.
   */
  async exportTo(format: ExportFormat, target: vscode.Uri, key?: string): Promise<number> {
    const records = this.recordsFor(key);
    if (records.length === 0) throw new Error(key === undefined ? 'there are no benchmark runs to export' : 'this function has no benchmark runs any more');
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportText(format, records)));
    this.log.info(`Benchmarks view: exported ${records.length} run(s) as ${format} to ${target.fsPath}`);
    return records.length;
  }

  private async exportWithDialog(format: ExportFormat, key: string | undefined, from: vscode.Webview | undefined): Promise<void> {
    const records = this.recordsFor(key);
    const { extension, filter } = EXTENSIONS[format];
    const base = records.length > 0 && key !== undefined ? records[0].name.replace(/[^\w.-]+/g, '_') : 'all';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export benchmarks as ${format === 'json' ? 'JSON' : 'Markdown'}`,
      filters: filter,
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `benchmarks-${base}.${extension}`) } : {}),
    });
    if (!target) return;
    try {
      const count = await this.exportTo(format, target, key);
      if (from) await this.post(from, { type: 'exported', ok: true, message: `Saved ${count} run${count === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}.` });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Benchmarks view: export to ${target.fsPath} failed: ${reason}`);
      void vscode.window.showErrorMessage(`Concurrency Lens: could not export the benchmarks: ${reason}`);
      if (from) await this.post(from, { type: 'exported', ok: false, message: `Not saved: ${reason}` });
    }
  }

  /** Opens the function of run `id` at its line; the location comes from the history, never from the page. */
  private async reveal(id: string): Promise<void> {
    const record = this.history.all().find((r) => r.id === id);
    if (!record) {
      this.log.warn('Benchmarks view: the run to reveal is no longer in the history');
      return;
    }
    const line = Math.max(0, (record.report.line ?? 1) - 1);
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(record.uri, true), { selection: new vscode.Range(position, position) });
  }

  private async post(webview: vscode.Webview, message: HostMessage): Promise<void> {
    // A page that is not listening (hidden, reloading) asks again with 'ready'.
    await webview.postMessage(message);
  }

  private broadcast(): void {
    const records = [...this.history.all()];
    for (const webview of this.webviews) void this.post(webview, { type: 'history', records });
  }

  dispose(): void {
    this.historyListener.dispose();
    this.handled.dispose();
    this.webviews.clear();
  }
}

/**
 * Registers the Benchmarks view. The view keeps its page while hidden only as VS Code decides;
 * a page that reloads asks for the history again and restores its own selection (getState).
 */
export function registerBenchPanel(extensionUri: vscode.Uri, history: BenchHistory, log: vscode.LogOutputChannel): vscode.Disposable {
  const provider = new BenchPanelProvider(extensionUri, history, log);
  return vscode.Disposable.from(provider, vscode.window.registerWebviewViewProvider(BENCH_VIEW_ID, provider));
}
