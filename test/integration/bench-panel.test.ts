/**
 * The Benchmarks view in a real editor: the contributed view resolves; the page it serves has a
 * strict CSP with a nonce and its script runs under it (it asks for the history); exports write
 * valid JSON and Markdown; messages that fail the checks are refused and logged; a reveal opens
 * the function where the history says it is.
 *
 * The history here is a store of the test's own, holding real reports of the CLI
 * (test/fixtures/bench-panel/); the page is served by a provider of the test's own into a webview
 * panel it creates, because the extension's own provider and store are not reachable from the
 * test host. The extension's own view is checked through its log.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { BenchHistory } from '../../src/extension/bench-history';
import { BENCH_VIEW_ID, BenchPanelProvider, type HandledMessage, type PanelLog } from '../../src/extension/bench-panel';
import { repoRoot } from '../support/repo';
import { loadReport, recordOf } from '../unit/bench-panel-fixtures';
import { MapMemento } from '../support/memento';

const EXTENSION_ID = 'concurrency-lens.concurrency-lens';

/** A log that keeps what it is told, so the test can read it. */
class RecordingLog implements PanelLog {
  readonly lines: Array<{ level: string; text: string }> = [];
  info(text: string): void {
    this.lines.push({ level: 'info', text });
  }
  warn(text: string): void {
    this.lines.push({ level: 'warn', text });
  }
  error(text: string | Error): void {
    this.lines.push({ level: 'error', text: String(text) });
  }
}

/** Resolves with the first handled message that `matches`, bounded by `timeoutMs`. */
function nextHandled(provider: BenchPanelProvider, matches: (handled: HandledMessage) => boolean, what: string, timeoutMs = 20_000): Promise<HandledMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = provider.onDidHandleMessage((handled) => {
      if (!matches(handled)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(handled);
    });
  });
}

/** Every file under `dir` whose name ends with `suffix`. */
function filesEndingWith(dir: string, suffix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesEndingWith(path, suffix) : name.endsWith(suffix) ? [path] : [];
  });
}

/**
 * The extension's log files: its output channel is written under the user data folder's logs,
 * next to the extensions folder in code-server (test/e2e/code-server.ts) and under .vscode-test
 * with @vscode/test-electron.
 */
function extensionLogs(extensionPath: string): string[] {
  const roots = [join(dirname(dirname(extensionPath)), 'user-data', 'logs'), join(extensionPath, '.vscode-test', 'user-data', 'logs')];
  return roots.flatMap((root) => filesEndingWith(root, 'Concurrency Lens.log'));
}

/** Resolves once some log of the extension contains `text`; checked every 100 ms, for at most `timeoutMs`. */
async function waitForLog(extensionPath: string, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logs = extensionLogs(extensionPath);
    if (logs.some((file) => readFileSync(file, 'utf8').includes(text))) return;
    if (Date.now() > deadline) throw new Error(`"${text}" not in the extension's log after ${timeoutMs} ms (logs: ${logs.join(', ') || 'none found'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Benchmarks view', () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const root = repoRoot();
  const scratch = mkdtempSync(join(tmpdir(), 'concurrency-lens-bench-panel-'));
  let history: BenchHistory;
  let log: RecordingLog;
  let provider: BenchPanelProvider;
  let panel: vscode.WebviewPanel | undefined;
  let attached: vscode.Disposable | undefined;

  before(async () => {
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    history = new BenchHistory(new MapMemento());
    // Two runs of one function (the second after "a change": larger input), one of another.
    await history.add(recordOf('cpu_busy', { id: 'cpu-1', at: 1_000 }));
    await history.add(recordOf('io_nap', { id: 'io-1', at: 2_000 }));
    await history.add(
      recordOf('cpu_busy_larger', { id: 'cpu-2', at: 3_000, uri: vscode.Uri.file(join(root, 'test/fixtures/bench/cpu_work.py')).toString() }),
    );
    log = new RecordingLog();
    provider = new BenchPanelProvider(extension.extensionUri, history, log);
  });

  after(() => {
    attached?.dispose();
    panel?.dispose();
    provider.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the contributed view resolves when it is focused', async () => {
    assert.ok(extension);
    await vscode.commands.executeCommand(`${BENCH_VIEW_ID}.focus`);
    await waitForLog(extension.extensionPath, 'Benchmarks view resolved');
  });

  it('serves a page with a strict CSP and a nonce, whose script runs under it and asks for the history', async () => {
    assert.ok(extension);
    panel = vscode.window.createWebviewPanel('concurrencyLens.benchmarksTest', 'Benchmarks (test)', vscode.ViewColumn.One, {});
    const ready = nextHandled(provider, (h) => 'message' in h && h.message.type === 'ready', "the page's 'ready'");
    attached = provider.attach(panel.webview);
    const html = panel.webview.html;

    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
    assert.ok(csp, 'the page has a CSP');
    assert.match(csp, /(^|; )default-src 'none'(;|$)/);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{20,})'/.exec(csp)?.[1];
    assert.ok(nonce, `a script nonce in ${csp}`);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    assert.ok(csp.includes(`style-src ${panel.webview.cspSource}`));
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(extension.extensionUri, 'dist', 'bench-panel.js')).toString();
    assert.ok(html.includes(`<script nonce="${nonce}" src="${scriptUri}"></script>`), 'the only script carries the nonce');
    assert.equal(html.match(/<script\b/g)?.length, 1);
    assert.deepEqual(
      panel.webview.options.localResourceRoots?.map((u) => u.toString()),
      ['dist', 'media'].map((folder) => vscode.Uri.joinPath(extension.extensionUri, folder).toString()),
    );
    assert.equal(panel.webview.options.enableScripts, true);

    // The bundled script loaded under that CSP, ran, and spoke the protocol.
    await ready;
    const second = vscode.window.createWebviewPanel('concurrencyLens.benchmarksTest', 'Benchmarks (test 2)', vscode.ViewColumn.Two, {});
    const attachedSecond = provider.attach(second.webview);
    assert.ok(!second.webview.html.includes(nonce), 'each page has its own nonce');
    attachedSecond.dispose();
    second.dispose();
  });

  it('exports the runs of a function as JSON (the CLI reports) and as Markdown', async () => {
    const key = recordOf('cpu_busy').key;
    const jsonFile = vscode.Uri.file(join(scratch, 'busy.json'));
    assert.equal(await provider.exportTo('json', jsonFile, key), 2);
    const reports = JSON.parse(readFileSync(jsonFile.fsPath, 'utf8')) as unknown;
    assert.deepEqual(reports, [loadReport('cpu_busy'), loadReport('cpu_busy_larger')]);

    const markdownFile = vscode.Uri.file(join(scratch, 'all.md'));
    assert.equal(await provider.exportTo('markdown', markdownFile), 3);
    const markdown = readFileSync(markdownFile.fsPath, 'utf8');
    assert.equal(markdown.match(/^## /gm)?.length, 3);
    for (const strategy of ['sequential', 'threads', 'processes', 'async']) assert.match(markdown, new RegExp(`^\\| ${strategy} (\\(|\\|)`, 'm'));
    assert.match(markdown, /^\| Strategy \| Median wall per batch \|/m);
    assert.ok(log.lines.some((l) => l.level === 'info' && l.text.includes('exported 3 run(s) as markdown')));

    await assert.rejects(provider.exportTo('json', vscode.Uri.file(join(scratch, 'none.json')), 'missing.py::f'), /no benchmark runs/);
    // A folder where the file should go: the write fails, and says so.
    await assert.rejects(provider.exportTo('json', vscode.Uri.file(scratch)));
  });

  it('refuses and logs messages that fail the checks, and acts on none of them', async () => {
    const hostile: unknown[] = [
      null,
      'ready',
      [{ type: 'ready' }],
      { type: 'runShell', command: 'rm -rf /' },
      { type: 'export', format: 'json', path: join(scratch, 'chosen-by-page.json') },
      { type: 'export', format: 'exe' },
      { type: 'reveal', id: 'x'.repeat(1_000_000) },
      { type: 'reveal', id: 42 },
      { type: 'ready', extra: true },
    ];
    const before = log.lines.length;
    for (const message of hostile) {
      const handled = nextHandled(provider, () => true, 'the check of a message');
      await provider.handleMessage(message);
      const outcome = await handled;
      assert.ok('refused' in outcome, `refused: ${JSON.stringify(message)?.slice(0, 60)}`);
    }
    const warnings = log.lines.slice(before).filter((l) => l.level === 'warn');
    assert.equal(warnings.length, hostile.length);
    for (const w of warnings) {
      assert.match(w.text, /^Benchmarks view: refused a message from the page: /);
      assert.ok(w.text.length < 300, 'a huge message does not flood the log');
    }
    assert.ok(warnings.some((w) => /unknown message type 'runShell'/.test(w.text)));
    assert.ok(warnings.some((w) => /unexpected field\(s\) path/.test(w.text)));
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('chosen-by-page')), [], 'nothing written where the page asked');
  });

  it('reveals a run’s function at the line the history holds', async () => {
    await provider.handleMessage({ type: 'reveal', id: 'cpu-2' });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.fsPath, join(root, 'test/fixtures/bench/cpu_work.py'));
    assert.equal(editor.selection.active.line, (loadReport('cpu_busy_larger').line ?? 0) - 1);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /def busy\(/);
  });
});
