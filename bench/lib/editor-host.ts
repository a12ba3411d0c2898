/**
 * The in-editor half of `npm run bench:editor`: a mocha "suite" of one test that the test host
 * (test/host/) runs inside code-server's extension host, where the `vscode` API is real. It times
 * hovers and re-analyses and writes the figures to CL_BENCH_OUT; it asserts nothing about them
 * (this is a benchmark, not a timed test). bench/editor.ts bundles it (vscode external).
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EDIT_LINE, EDIT_TARGET } from './big-python';

/** What the driver reads back; every figure is a list of milliseconds. */
export interface HostFigures {
  /** `vscode.executeHoverProvider` on `fetch_with_retry` once warm: our hover, round trip. */
  hoverRoundTrip: number[];
  /** The same command on a plain-text document no provider serves: the round trip alone. */
  emptyRoundTrip: number[];
  /** The same command on a blank line of the same file: our provider asked, answering nothing (the extension host hop included). */
  nothingRoundTrip: number[];
  /** Our registered provider's `provideHover` called directly, same place: its own answer time in the extension host. */
  providerOnly: number[];
  /** From `workspace.applyEdit` of one line in the 5,000-line file to our changed diagnostics. */
  editToDiagnostics: number[];
  /** For each of those edits, in order: the extension's own analysis run, as its `onDidAnalyze` event reports it. */
  editAnalysis: number[];
  /** From the same `applyEdit` to that event (the debounce, the run, and what comes before it). */
  editToAnalysis: number[];
  /**
   * After each edit that adds a diagnostic: `vscode.executeCodeActionProvider` on it (the fixes are
   * computed then, for that diagnostic only), round trip; at least one quick fix must come back.
   */
  quickFixRoundTrip: number[];
}

const HOVER_RUNS = 50;
/** Edits in the big file; bench/editor.ts reports the first 20 apart (the extension host's JIT still compiling). */
const EDIT_RUNS = 80;
const SOURCE = 'Concurrency Lens';
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) throw new Error('no workspace folder');
  return first.uri;
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

async function hover(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[] | undefined> {
  return vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
}

/** Times `runs` calls of `call`, in order, after it has answered once. */
async function timeCalls(runs: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return times;
}

/** The parts of our extension's API this benchmark reads. */
interface Api {
  analysis?: { hover?: vscode.HoverProvider; onDidAnalyze?: vscode.Event<{ uris: vscode.Uri[]; ms: number }> };
}

function ourApi(): Required<NonNullable<Api['analysis']>> {
  const api = vscode.extensions.getExtension<Api>('concurrency-lens.concurrency-lens')?.exports;
  if (!api?.analysis?.hover || !api.analysis.onDidAnalyze) throw new Error('the extension exports no hover provider or analysis event');
  return { hover: api.analysis.hover, onDidAnalyze: api.analysis.onDidAnalyze };
}

/** Resolves once `quietMs` pass without an analysis run (the workspace's first runs are over). */
async function settled(quietMs: number): Promise<void> {
  let last = performance.now();
  const listener = ourApi().onDidAnalyze(() => (last = performance.now()));
  try {
    while (performance.now() - last < quietMs) await sleep(100);
  } finally {
    listener.dispose();
  }
}

async function measureHover(): Promise<Pick<HostFigures, 'hoverRoundTrip' | 'emptyRoundTrip' | 'nothingRoundTrip' | 'providerOnly'>> {
  const uri = vscode.Uri.joinPath(folder(), 'page_archiver/fetch.py');
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const line = document.getText().split('\n').findIndex((text) => text.includes('def fetch_with_retry('));
  const position = new vscode.Position(line, document.lineAt(line).text.indexOf('fetch_with_retry') + 3);
  // Warm: the first answers wait for the first analysis of the workspace.
  const deadline = Date.now() + 60_000;
  while (!hoverText(await hover(uri, position)).includes('I/O-bound')) {
    if (Date.now() > deadline) throw new Error('no I/O-bound hover on fetch_with_retry after 60 s');
    await sleep(200);
  }
  await settled(2_000); // warm means no run under way: a hover during one waits for its result
  const hoverRoundTrip = await timeCalls(HOVER_RUNS, () => hover(uri, position));
  const blank = new vscode.Position(document.getText().split('\n').findIndex((text) => text.trim() === ''), 0);
  if (hoverText(await hover(uri, blank)) !== '') throw new Error('a hover on a blank line');
  const nothingRoundTrip = await timeCalls(HOVER_RUNS, () => hover(uri, blank));
  const provider = ourApi().hover;
  const token = new vscode.CancellationTokenSource().token;
  const answer = async (): Promise<void> => {
    const found = await provider.provideHover(document, position, token);
    if (!hoverText(found ? [found] : []).includes('I/O-bound')) throw new Error('our provider gave no I/O-bound hover');
  };
  const providerOnly = await timeCalls(HOVER_RUNS * 4, answer);
  const plain = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'nothing to hover\n' });
  await hover(plain.uri, new vscode.Position(0, 3));
  const emptyRoundTrip = await timeCalls(HOVER_RUNS, () => hover(plain.uri, new vscode.Position(0, 3)));
  return { hoverRoundTrip, emptyRoundTrip, nothingRoundTrip, providerOnly };
}

function ourDiagnostics(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE).length;
}

/** Resolves once our diagnostics of `uri` number `count` (checked on each change event). */
function diagnosticsReach(uri: vscode.Uri, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`diagnostics of ${uri.fsPath} did not reach ${count} within 30 s`));
    }, 30_000);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString()) || ourDiagnostics(uri) !== count) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

/**
 * Alternately inserts and deletes one line (a blocking sleep in async code) in the big file; each
 * edit adds or removes one diagnostic, so "our diagnostics changed" is a count to wait for.
 */
async function measureEdits(): Promise<Pick<HostFigures, 'editToDiagnostics' | 'editAnalysis' | 'editToAnalysis' | 'quickFixRoundTrip'>> {
  const uri = vscode.Uri.joinPath(folder(), 'big_module.py');
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const deadline = Date.now() + 60_000;
  while (ourDiagnostics(uri) === 0) {
    if (Date.now() > deadline) throw new Error('no diagnostics on big_module.py after 60 s');
    await sleep(200);
  }
  await sleep(1_000); // Let the workspace's first runs settle.
  const baseline = ourDiagnostics(uri);
  const line = document.getText().split('\n').indexOf(EDIT_TARGET) + 1;
  const times: number[] = [];
  const quickFixes: number[] = [];
  const analyses: number[] = [];
  const untilAnalysis: number[] = [];
  let lastRun: number | undefined;
  let lastRunAt = 0;
  const listener = ourApi().onDidAnalyze(({ uris, ms }) => {
    if (!uris.some((u) => u.toString() === uri.toString())) return;
    lastRun = ms;
    lastRunAt = performance.now();
  });
  for (let i = 0; i < EDIT_RUNS; i++) {
    lastRun = undefined;
    const insert = i % 2 === 0;
    const edit = new vscode.WorkspaceEdit();
    if (insert) edit.insert(uri, new vscode.Position(line, 0), EDIT_LINE);
    else edit.delete(uri, new vscode.Range(line, 0, line + 1, 0));
    const reached = diagnosticsReach(uri, insert ? baseline + 1 : baseline);
    const start = performance.now();
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('applyEdit failed');
    await reached;
    times.push(performance.now() - start);
    if (lastRun === undefined) throw new Error('the diagnostics changed without an analysis run of big_module.py');
    analyses.push(lastRun);
    untilAnalysis.push(lastRunAt - start);
    if (insert) quickFixes.push(await timeQuickFix(uri, line));
  }
  listener.dispose();
  return { editToDiagnostics: times, editAnalysis: analyses, editToAnalysis: untilAnalysis, quickFixRoundTrip: quickFixes };
}

/** The quick-fix menu's request on the diagnostic the inserted line added (on line `line`, 0-based). */
async function timeQuickFix(uri: vscode.Uri, line: number): Promise<number> {
  const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === SOURCE && d.range.start.line === line);
  if (!diagnostic) throw new Error(`no diagnostic on the inserted line ${line + 1}`);
  const start = performance.now();
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const elapsed = performance.now() - start;
  if (!actions.some((a) => a.isPreferred && /asyncio\.sleep/.test(a.title))) throw new Error(`no asyncio.sleep quick fix offered on line ${line + 1} (got: ${actions.map((a) => a.title).join(' | ') || 'none'})`);
  return elapsed;
}

describe('Concurrency Lens editor benchmark', () => {
  it('times hovers and re-analyses', async function () {
    this.timeout(240_000);
    const out = process.env.CL_BENCH_OUT;
    if (!out) throw new Error('CL_BENCH_OUT is not set');
    const figures: HostFigures = { ...(await measureHover()), ...(await measureEdits()) };
    writeFileSync(out, JSON.stringify(figures));
  });
});
