/**
 * The benchmark flow in a real editor: the commands run real benchmarks of the fixtures in
 * test/fixtures/bench-editor (sleeps and a counting loop) in separate Python processes, and the
 * tests read what the extension keeps (its exported state: the history, the inline results, the
 * remembered arguments) and what the machine shows (/proc: no process of a run may be left).
 *
 * What cannot be driven from the extension host is left to the end-to-end suite: typing in the
 * input box, pressing the notification's Cancel button (here the flow's `cancel()`, which aborts
 * the same AbortController the button does), the modal confirmation of Clear Benchmark History
 * (here the history's `clear()`, the path the command takes after it). code-server runs with
 * workspace trust disabled, so the untrusted path runs the real flow with trust reported false.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { BenchOutcome } from '../../src/extension/bench-flow';
import { BenchFlow } from '../../src/extension/bench-flow';
import { benchHeadline } from '../../src/extension/bench-headline';
import { BenchHistory } from '../../src/extension/bench-history';
import { Commands } from '../../src/extension/commands';
import type { ConcurrencyLensApi } from '../../src/extension/extension';
import { runView } from '../../src/webview/view-model';
import { commandLine, liveProcesses } from '../support/proc';
import { lineOf } from './support';

const EXTENSION_ID = 'concurrency-lens.concurrency-lens';
const NAPS = 'test/fixtures/bench-editor/naps.py';
const NO_ARGS = 'test/fixtures/bench-editor/no_args.py';
const NAPS_MJS = 'test/fixtures/bench-editor/naps.mjs';
/** Every benchmark here runs the harness in Python: its command line names the script. */
const HARNESS = 'python_harness.py';

/** The repository: above this bundle (out/test/integration/), or above the workspace folder. */
function repoRoot(): string {
  const candidates = [resolve(__dirname, '../../..'), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)];
  for (const start of candidates) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, NAPS))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`the fixtures were not found above ${candidates.join(' or ')}`);
}

const ROOT = repoRoot();

async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(ROOT, relative)));
  return vscode.window.showTextDocument(document);
}

/** Processes (not zombies) whose command line contains every one of `parts`, by pid. */
function processesWith(...parts: string[]): number[] {
  return liveProcesses((pid) => {
    const cmdline = commandLine(pid);
    return parts.every((p) => cmdline.includes(p));
  });
}

/** Processes (not zombies) of process group `pgid`. */
function groupMembers(pgid: number): number[] {
  return liveProcesses((_pid, stat) => stat.pgrp === pgid);
}

/**
 * Resolves with `condition()`'s value once it is truthy, checked every 50 ms for at most
 * `timeoutMs` (the flow and the analysis have no event for these: /proc, the debounced analysis).
 */
async function waitUntil<T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function benchmark(target?: unknown): Thenable<BenchOutcome> {
  return vscode.commands.executeCommand<BenchOutcome>(Commands.benchmarkFunction, target);
}

function done(outcome: BenchOutcome): Extract<BenchOutcome, { status: 'done' }> {
  if (outcome.status !== 'done') assert.fail(`the run did not finish: ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('benchmarks in the editor', () => {
  let api: ConcurrencyLensApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concurrencyLens');

  before(async function () {
    this.timeout(60_000);
    const extension = vscode.extensions.getExtension<ConcurrencyLensApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    // Fewer calls per batch: the same strategies and verdicts, sooner (read through the settings reader).
    await config().update('bench.tasks', 4, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('bench.tasks', undefined, vscode.ConfigurationTarget.Global);
    await config().update('bench.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers ▶ Benchmark as a CodeLens and a hover link with the function as argument, none for a nested function', async function () {
    this.timeout(30_000);
    const editor = await open(NO_ARGS);
    const document = editor.document;
    const found = await waitUntil(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return lenses.some((l) => l.command?.command === Commands.benchmarkFunction) ? lenses : undefined;
    }, 'the benchmark lenses');
    const bench = found.filter((l) => l.command?.command === Commands.benchmarkFunction);
    assert.deepEqual(
      bench.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]),
      ['short_sleep', 'count_squares'].map((name) => [lineOf(document, `def ${name}`), '▶ Benchmark', [{ uri: document.uri.toString(), name }]]),
    );
    const innerLine = lineOf(document, 'def inner');
    assert.ok(found.some((l) => l.range.start.line === innerLine && l.command?.command === Commands.explainClassification), 'outer.inner has its verdict lens');

    const line = lineOf(document, 'def short_sleep');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 6));
    const markdown = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
    assert.ok(markdown, 'a Markdown hover');
    const link = /\[Benchmark this function\]\(command:concurrencyLens\.benchmarkFunction\?([^)]+)\)/.exec(markdown.value);
    assert.ok(link, markdown.value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ uri: document.uri.toString(), name: 'short_sleep' }]);
    const trusted = markdown.isTrusted;
    assert.ok(typeof trusted === 'object' && trusted.enabledCommands.includes(Commands.benchmarkFunction), 'the hover trusts the benchmark command');
  });

  it('benchmarks a function given with its arguments: a record with a real report, the headline at its line, the arguments remembered', async function () {
    this.timeout(120_000);
    const editor = await open(NAPS);
    const document = editor.document;
    const before = api.benchmarks.history.all().length;
    const outcome = done(await benchmark({ uri: document.uri.toString(), name: 'nap', args: 'seconds=0.01' }));
    const record = outcome.record;
    assert.equal(api.benchmarks.history.all().length, before + 1);
    assert.equal(api.benchmarks.history.latest(record.key), record);
    assert.equal(record.key, `${document.uri.fsPath}::nap`, 'outside the workspace folder: keyed by its absolute path');
    assert.deepEqual([record.name, record.args, record.uri], ['nap', 'seconds=0.01', document.uri.toString()]);
    const report = record.report;
    assert.equal(report.version, 1);
    assert.equal(report.function, 'nap');
    assert.equal(report.tasks, 4, 'the tasks setting reached the run');
    assert.deepEqual(report.results.map((r) => r.strategy), ['sequential', 'threads', 'processes', 'async']);
    for (const r of report.results) assert.ok(r.runs >= 5 && r.wallSeconds.median > 0, `${r.strategy}: ${r.runs} samples`);
    assert.equal(report.verdict, 'io', `CPU/wall ${report.cpuRatio}`);
    assert.equal(report.static, 'io');
    assert.equal(report.agreement, 'agrees');
    const threads = report.results.find((r) => r.strategy === 'threads');
    assert.ok(threads && threads.speedup > 1.3, `sleeps overlap in threads: ${threads?.speedup}×`);
    assert.match(record.advice, /threads|asyncio/);

    const shown = api.benchmarks.decorations.shown(document.uri);
    assert.deepEqual(shown.map((r) => [r.name, r.line, r.text]), [['nap', lineOf(document, 'def nap'), benchHeadline(report)]]);
    assert.match(shown[0].text, /^⏱ .*threads \d+(\.\d)?×.* — I\/O-bound/);
    assert.equal(api.benchmarks.flow.lastArguments(document.uri, 'nap'), 'seconds=0.01');
  });

  it('moves the headline with an edit above the function and removes it on an edit inside', async function () {
    this.timeout(30_000);
    const editor = await open(NAPS);
    const document = editor.document;
    const defLine = lineOf(document, 'def nap');
    assert.equal(api.benchmarks.decorations.shown(document.uri)[0]?.line, defLine, 'the previous test left the headline');
    try {
      await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), '# a comment\n# and another\n'));
      await waitUntil(() => api.benchmarks.decorations.shown(document.uri)[0]?.line === defLine + 2, 'the headline two lines down');
      const body = lineOf(document, 'time.sleep(seconds)');
      await editor.edit((edit) => edit.insert(new vscode.Position(body, document.lineAt(body).text.length), '  # changed'));
      await waitUntil(() => api.benchmarks.decorations.shown(document.uri).length === 0, 'the headline removed');
      assert.ok(api.benchmarks.history.latest(`${document.uri.fsPath}::nap`), 'the run stays in the history');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.isDirty, false);
  });

  it('benchmarks the function at the cursor from the palette, without an input box when it has no parameters', async function () {
    this.timeout(120_000);
    const editor = await open(NO_ARGS);
    const line = lineOf(editor.document, 'time.sleep(0.005)');
    editor.selection = new vscode.Selection(line, 4, line, 4);
    const outcome = done(await benchmark());
    assert.equal(outcome.record.name, 'short_sleep');
    assert.equal(outcome.record.args, '');
    assert.equal(outcome.record.report.verdict, 'io');
  });

  it('runs the CodeLens command as the lens gives it', async function () {
    this.timeout(120_000);
    const editor = await open(NO_ARGS);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lens = lenses.find((l) => l.command?.command === Commands.benchmarkFunction && l.range.start.line === lineOf(editor.document, 'def count_squares'));
    assert.ok(lens?.command?.arguments);
    const outcome = done(await vscode.commands.executeCommand<BenchOutcome>(lens.command.command, ...(lens.command.arguments as unknown[])));
    assert.equal(outcome.record.name, 'count_squares');
    assert.equal(outcome.record.report.static, 'cpu');
    assert.ok(outcome.record.report.cpuRatio > 0.2, `a counting loop computes: CPU/wall ${outcome.record.report.cpuRatio}`);
  });

  it('benchmarks every function of a file a benchmark can call, leaving out the nested one', async function () {
    this.timeout(180_000);
    const editor = await open(NO_ARGS);
    const document = editor.document;
    const outcomes = await vscode.commands.executeCommand<BenchOutcome[]>(Commands.benchmarkFile, document.uri.toString());
    assert.deepEqual(outcomes.map((o) => (o.status === 'done' ? o.record.name : o.status)), ['short_sleep', 'count_squares']);
    const shown = api.benchmarks.decorations.shown(document.uri);
    assert.deepEqual(shown.map((r) => r.name).sort(), ['count_squares', 'short_sleep']);
    for (const r of shown) assert.equal(r.text, benchHeadline(api.benchmarks.history.latest(r.key)!.report));
  });

  it('removes every headline when the history is cleared', async function () {
    const naps = vscode.Uri.file(join(ROOT, NAPS));
    const noArgs = vscode.Uri.file(join(ROOT, NO_ARGS));
    assert.ok(api.benchmarks.decorations.shown(noArgs).length > 0);
    await api.benchmarks.history.clear();
    assert.equal(api.benchmarks.history.all().length, 0);
    assert.deepEqual([...api.benchmarks.decorations.shown(noArgs), ...api.benchmarks.decorations.shown(naps)], []);
  });

  it('stops a run at the time limit from the settings, leaving no process behind', async function () {
    this.timeout(60_000);
    await config().update('bench.timeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    const editor = await open(NAPS);
    const running = benchmark({ uri: editor.document.uri.toString(), name: 'long_nap', args: 'seconds=60' });
    const [pid] = await waitUntil(() => {
      const found = processesWith(HARNESS, '"long_nap"');
      return found.length > 0 ? found : undefined;
    }, 'the harness of long_nap');
    const outcome = await running;
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.status === 'failed' && outcome.kind, 'timeout');
    assert.match(outcome.status === 'failed' ? outcome.message : '', /time limit of 5 s/);
    assert.deepEqual(groupMembers(pid), [], 'no process of the run\'s group is left');
    assert.deepEqual(processesWith(HARNESS, '"long_nap"'), []);
    await config().update('bench.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('cancels a run: the harness and its pool processes are gone, nothing is recorded', async function () {
    this.timeout(60_000);
    const editor = await open(NAPS);
    const before = api.benchmarks.history.all().length;
    const running = benchmark({ uri: editor.document.uri.toString(), name: 'long_nap', args: 'seconds=60' });
    const [pid] = await waitUntil(() => {
      const found = processesWith(HARNESS, '"long_nap"');
      return found.length > 0 ? found : undefined;
    }, 'the harness of long_nap');
    assert.equal(api.benchmarks.flow.cancel(), true);
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled', JSON.stringify(outcome));
    assert.deepEqual(groupMembers(pid), [], 'no process of the run\'s group is left');
    assert.deepEqual(processesWith(HARNESS, '"long_nap"'), []);
    assert.equal(api.benchmarks.history.all().length, before);
    assert.equal(api.benchmarks.flow.cancel(), false, 'nothing runs any more');
  });

  it('reports arguments that do not evaluate as such, records nothing, and remembers them for the fix', async function () {
    this.timeout(60_000);
    const editor = await open(NAPS);
    const before = api.benchmarks.history.all().length;
    const outcome = await benchmark({ uri: editor.document.uri.toString(), name: 'nap', args: 'seconds=no_such_name' });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.status === 'failed' && outcome.kind, 'args');
    assert.match(outcome.status === 'failed' ? outcome.message : '', /NameError/);
    assert.equal(api.benchmarks.history.all().length, before);
    assert.equal(api.benchmarks.flow.lastArguments(editor.document.uri, 'nap'), 'seconds=no_such_name');
  });

  it('benchmarks a JavaScript function with the node on the PATH (not the editor\'s runtime)', async function () {
    this.timeout(120_000);
    const editor = await open(NAPS_MJS);
    const outcome = done(await benchmark({ uri: editor.document.uri.toString(), name: 'nap', args: '5' }));
    const report = outcome.record.report;
    assert.equal(report.language, 'javascript');
    assert.deepEqual(report.results.map((r) => r.strategy).sort(), ['async', 'processes', 'sequential', 'workers']);
    assert.equal(report.verdict, 'io');
    assert.equal(report.environment.implementation, 'Node.js');
    assert.doesNotMatch(String(report.environment.executable), /code-server|electron/i);
  });

  it('starts Python from the concurrencyLens.bench.pythonPath setting, and says so when it is not there', async function () {
    this.timeout(60_000);
    const missing = join(ROOT, 'no-such-python');
    await config().update('bench.pythonPath', missing, vscode.ConfigurationTarget.Global);
    try {
      const editor = await open(NAPS);
      const outcome = await benchmark({ uri: editor.document.uri.toString(), name: 'nap', args: '' });
      assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.status === 'failed' && outcome.kind, 'spawn');
      assert.ok(outcome.status === 'failed' && outcome.message.includes(missing), outcome.status === 'failed' ? outcome.message : '');
    } finally {
      await config().update('bench.pythonPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('runs the dask strategy on a local cluster when the settings ask for it (Debian\'s python3), the view showing its row; nothing is left', async function () {
    this.timeout(240_000);
    const python = '/usr/bin/python3';
    const hasDask = spawnSync(python, ['-c', 'import dask.distributed'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
    if (!hasDask) {
      if (process.env.CI === 'true') assert.fail(`${python} cannot import dask.distributed, and CI=true: scripts/setup-python.sh should have installed python3-distributed`);
      this.skip();
    }
    await config().update('bench.pythonPath', python, vscode.ConfigurationTarget.Global);
    await config().update('bench.strategies', ['processes', 'dask'], vscode.ConfigurationTarget.Global);
    await config().update('bench.workers', 2, vscode.ConfigurationTarget.Global);
    try {
      const editor = await open(NO_ARGS);
      const running = benchmark({ uri: editor.document.uri.toString(), name: 'count_squares' });
      const [pid] = await waitUntil(() => {
        const found = processesWith(HARNESS, '"count_squares"', '"dask"');
        return found.length > 0 ? found : undefined;
      }, 'the harness of count_squares with dask', 60_000);
      const { record } = done(await running);
      const { report } = record;
      assert.deepEqual(report.results.map((r) => r.strategy), ['sequential', 'processes', 'dask']);
      assert.equal(report.environment.executable, python);
      const dask = report.results[2];
      assert.equal(dask.method, 'local cluster, 2 processes');
      assert.ok((dask.startupSeconds ?? 0) > 0 && dask.overheadSeconds !== undefined, JSON.stringify(dask));
      const view = runView(record);
      assert.equal(view.rows.find((r) => r.strategy === 'dask')?.method, 'local cluster, 2 processes');
      assert.equal(new Map(view.settings.map((s) => [s.label, s.value])).get('Dask'), 'local cluster, 2 processes');
      assert.ok(view.costs.join('\n').startsWith(`dask: a batch of ${report.tasks} empty tasks takes `), view.costs.join('\n'));
      assert.deepEqual(groupMembers(pid), [], 'no process of the run\'s group (the cluster\'s workers included) is left');
    } finally {
      await config().update('bench.pythonPath', undefined, vscode.ConfigurationTarget.Global);
      await config().update('bench.strategies', undefined, vscode.ConfigurationTarget.Global);
      await config().update('bench.workers', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('reveals the Benchmarks view', async () => {
    await vscode.commands.executeCommand(Commands.showBenchmarkPanel);
  });

  it('refuses arguments that a link or a script may send wrongly, and a nested function', async () => {
    const noArgs = vscode.Uri.file(join(ROOT, NO_ARGS)).toString();
    for (const [target, reason] of [
      ['fetch.py', /uri, name/],
      [{ uri: 'untitled:Untitled-1', name: 'f' }, /files on disk/],
      [{ uri: noArgs, name: 'no_such_function' }, /No function named no_such_function/],
      [{ uri: noArgs, name: 'outer.inner' }, /nested in another function/],
      [{ uri: noArgs, name: 'short_sleep', args: 'f(1))' }, /unbalanced/],
    ] as const) {
      const outcome = await benchmark(target);
      assert.equal(outcome.status, 'refused', JSON.stringify(target));
      assert.match(outcome.status === 'refused' ? outcome.reason : '', reason);
    }
  });

  it('runs nothing in an untrusted workspace (the real flow, trust reported false)', async () => {
    const memento = new Map<string, unknown>();
    const history = new BenchHistory({ get: <T>(key: string) => memento.get(key) as T | undefined, update: (key, value) => Promise.resolve(void memento.set(key, value)) });
    const untrusted = new BenchFlow({
      // Everything past the trust check would throw: nothing may reach it.
      service: undefined as never,
      settings: undefined as never,
      state: undefined as never,
      decorations: undefined as never,
      output: undefined as never,
      log: undefined as never,
      history,
      harnessDir: '/nonexistent',
      isTrusted: () => false,
    });
    const uri = vscode.Uri.file(join(ROOT, NAPS)).toString();
    const outcome = await untrusted.benchmarkFunction({ uri, name: 'nap', args: 'seconds=0.01' });
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.reason : '', /only in a trusted workspace/);
    const all = await untrusted.benchmarkFile(uri);
    assert.deepEqual(all.map((o) => o.status), ['refused']);
    assert.deepEqual(processesWith(HARNESS, '"nap"'), []);
    assert.equal(history.all().length, 0);
  });
});
