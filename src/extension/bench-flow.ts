/**
 * The benchmark flow in the editor, started only by the user (a command, a CodeLens, the hover's
 * link) and only in a trusted workspace: find the function, ask for its arguments, run it in a
 * separate process under every strategy (`src/bench/runner.ts`) behind a progress notification
 * whose Cancel kills the run's whole process tree, then keep the report in the history, show
 * its headline at the function's line and reveal the Benchmarks view.
 *
 * One run at a time: two at once would slow each other down and measure nothing true.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBenchText, toBenchJson } from '../bench/report';
import { BenchError, runBenchmark, type BenchErrorKind, type BenchLanguage, type HarnessEvent } from '../bench/runner';
import type { FileResult, FunctionResult } from '../core';
import { listParameters, type Signature } from '../core/parameters';
import { takesArguments } from '../core/parameters-guess';
import type { AnalysisService } from './analysis-service';
import { ArgumentMemory } from './bench-arguments';
import type { BenchDecorations } from './bench-decorations';
import { ACTION_LABELS, failureNotice, failureReport, type FailureAction, type FailureNotice } from './bench-errors';
import { benchHeadline } from './bench-headline';
import type { BenchHistory, BenchRecord } from './bench-history';
import { nodeInterpreter, pythonInterpreter } from './bench-interpreter';
import { askArguments } from './bench-prompt';
import { runStrategies } from './bench-strategies';
import type { ProjectEnvironment } from '../core';
import { checkBenchTarget, checkFileTarget, functionKey, isBenchmarkable, type BenchTarget } from './bench-target';
import { FOCUS_BENCHMARKS_VIEW } from './commands';
import { functionAtLine, functionNamed } from './lookup';
import { adviceFor } from './markdown';
import type { SettingsReader } from './settings';

/** What became of one request to benchmark a function. */
export type BenchOutcome =
  | { status: 'done'; record: BenchRecord }
  | { status: 'failed'; kind: BenchErrorKind; message: string }
  | { status: 'cancelled' }
  /** Not run: untrusted workspace, bad arguments, no function there, another run under way. */
  | { status: 'refused'; reason: string }
  /** The user pressed Escape in the input box or a question. */
  | { status: 'skipped' };

/** What the flow needs from the rest of the extension. */
export interface BenchFlowOptions {
  service: AnalysisService;
  settings: SettingsReader;
  history: BenchHistory;
  /** Where the last arguments per function are kept (the workspace state). */
  state: vscode.Memento;
  decorations: BenchDecorations;
  /** "Concurrency Lens Benchmarks": the functions' own output and each run's report. */
  output: vscode.OutputChannel;
  log: vscode.LogOutputChannel;
  /** dist/harness in the installed extension. */
  harnessDir: string;
  /** Workspace trust (default: `vscode.workspace.isTrusted`, read at every request). */
  isTrusted?: () => boolean;
}

/** A function ready to run: found in the analysis, its arguments known. */
interface Prepared {
  document: vscode.TextDocument;
  file: FileResult;
  /** The file's project environment in the analysis the run was chosen from (for the advice recorded with it). */
  environment: ProjectEnvironment;
  fn: FunctionResult;
  key: string;
  args: string;
}

/** How a harness phase reads on the progress notification. */
function phaseMessage(event: HarnessEvent): string | undefined {
  if (event.event !== 'phase') return undefined;
  const strategy = typeof event.strategy === 'string' ? event.strategy : '';
  switch (event.phase) {
    case 'load':
      return 'loading the module';
    case 'first-call':
      return 'first call';
    case 'start':
      return strategy === 'dask' ? 'starting the Dask cluster' : `starting the ${strategy} pool`;
    case 'warm-up':
      return `warming up ${strategy}`;
    case 'calibrate':
      return `calibrating ${strategy}`;
    case 'sample':
      return `timing ${strategy}`;
    case 'shutdown':
      return 'stopping the pools';
    default:
      return undefined;
  }
}

/** The benchmark commands' implementation. */
export class BenchFlow {
  private readonly memory: ArgumentMemory;
  private running: { controller: AbortController; name: string } | undefined;

  constructor(private readonly options: BenchFlowOptions) {
    this.memory = new ArgumentMemory(options.state);
  }

  /** `concurrencyLens.benchmarkFunction`: the given function, or the one at the cursor. */
  async benchmarkFunction(raw?: unknown): Promise<BenchOutcome> {
    const checked = checkBenchTarget(raw);
    if (!checked.ok) return this.refuse(`Cannot benchmark: ${checked.problem}.`, 'error');
    const gate = this.gate();
    if (gate) return gate;
    const prepared = await this.prepareOne(checked.value);
    if ('status' in prepared) return prepared;
    const controller = new AbortController();
    this.running = { controller, name: prepared.fn.name };
    let outcome: BenchOutcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Benchmarking ${prepared.fn.name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return this.execute(prepared, (message) => progress.report({ message }), controller.signal);
        },
      );
    } finally {
      this.running = undefined;
    }
    this.announce(outcome, prepared);
    if (outcome.status === 'done') await this.revealPanel();
    return outcome;
  }

  /** `concurrencyLens.benchmarkFile`: every function of the file that waits or computes and can be called from outside, one after another. */
  async benchmarkFile(raw?: unknown): Promise<BenchOutcome[]> {
    const checked = checkFileTarget(raw);
    if (!checked.ok) return [this.refuse(`Cannot benchmark: ${checked.problem}.`, 'error')];
    const gate = this.gate();
    if (gate) return [gate];
    const found = await this.documentAndResults(checked.value?.uri);
    if ('status' in found) return [found];
    const { document, file, environment } = found;
    const base = path.basename(document.uri.fsPath);
    const candidates: Array<{ fn: FunctionResult; signature: Signature | undefined }> = [];
    const unreachable: string[] = [];
    for (const fn of file.functions) {
      if (fn.kind === 'neither') continue;
      const signature = await this.signature(document, fn);
      const instanceMethod = file.language !== 'python' && signature?.binding === 'instance';
      if (!isBenchmarkable(file.functions, fn) || signature?.container === 'function' || instanceMethod) unreachable.push(fn.name);
      else candidates.push({ fn, signature });
    }
    if (candidates.length === 0) {
      const why = unreachable.length > 0 ? ` (${unreachable.join(', ')}: nested, anonymous or instance methods, which a benchmark cannot call)` : '';
      return [this.refuse(`No function in ${base} waits or computes and can be called from outside it${why}.`, 'info')];
    }
    if (!(await this.savedOrAccepted(document))) return [{ status: 'skipped' }];
    const prepared: Prepared[] = [];
    const outcomes: BenchOutcome[] = [];
    for (const [i, { fn, signature }] of candidates.entries()) {
      const args = await this.argumentsFor(document, file, fn, signature, undefined, { index: i + 1, total: candidates.length });
      if (args === undefined) outcomes.push({ status: 'skipped' });
      else prepared.push({ document, file, environment, fn, key: this.keyOf(document, fn), args });
    }
    if (prepared.length === 0) return outcomes;
    const busy = this.gate();
    if (busy) return [...outcomes, busy];
    const controller = new AbortController();
    this.running = { controller, name: base };
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Benchmarking ${base}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        for (const [i, one] of prepared.entries()) {
          if (controller.signal.aborted) {
            outcomes.push({ status: 'cancelled' });
            continue;
          }
          const prefix = `${i + 1}/${prepared.length} ${one.fn.name}`;
          progress.report({ message: prefix });
          outcomes.push(await this.execute(one, (message) => progress.report({ message: `${prefix}: ${message}` }), controller.signal));
        }
      });
    } finally {
      this.running = undefined;
    }
    this.summarize(base, prepared, outcomes.slice(outcomes.length - prepared.length));
    if (outcomes.some((o) => o.status === 'done')) await this.revealPanel();
    return outcomes;
  }

  /** `concurrencyLens.showBenchmarkPanel`. */
  async revealPanel(): Promise<void> {
    try {
      await vscode.commands.executeCommand(FOCUS_BENCHMARKS_VIEW);
    } catch (error) {
      this.options.log.warn(`bench: cannot reveal the Benchmarks view: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** `concurrencyLens.clearBenchmarkHistory`: asks first; the inline results go with the history. */
  async clearHistory(): Promise<boolean> {
    const count = this.options.history.all().length;
    if (count === 0) {
      void vscode.window.showInformationMessage('The benchmark history of this workspace is empty.');
      return false;
    }
    const clear = 'Clear History';
    const answer = await vscode.window.showWarningMessage(
      `Forget all ${count} benchmark run${count === 1 ? '' : 's'} of this workspace?`,
      { modal: true, detail: 'The Benchmarks view and the results shown at the functions are cleared. This cannot be undone.' },
      clear,
    );
    if (answer !== clear) return false;
    await this.options.history.clear();
    this.options.decorations.clear();
    return true;
  }

  /** Cancels the run under way (as its notification's Cancel does); false when none runs. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /** The arguments last used for a function (what the input box starts with next time). */
  lastArguments(uri: vscode.Uri, name: string): string | undefined {
    return this.memory.get(functionKey(uri.fsPath, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath, name));
  }

  // -------------------------------------------------------------------------------------------

  /** Refuses in an untrusted workspace and while another run is under way. */
  private gate(): BenchOutcome | undefined {
    const trusted = this.options.isTrusted ? this.options.isTrusted() : vscode.workspace.isTrusted;
    if (!trusted) {
      const reason = 'Benchmarks run this workspace\'s code, so they run only in a trusted workspace. Trust it first (Manage Workspace Trust), then benchmark again.';
      void vscode.window.showWarningMessage(reason, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return { status: 'refused', reason };
    }
    if (this.running) return this.refuse(`A benchmark is already running (${this.running.name}): wait for it, or cancel it from its notification.`, 'info');
    return undefined;
  }

  private refuse(reason: string, level: 'error' | 'warning' | 'info'): BenchOutcome {
    const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(reason);
    return { status: 'refused', reason };
  }

  private keyOf(document: vscode.TextDocument, fn: FunctionResult): string {
    return functionKey(document.uri.fsPath, vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath, fn.name);
  }

  /** The document (the given one, else the active editor's) and its analysis. */
  private async documentAndResults(uri: string | undefined): Promise<{ document: vscode.TextDocument; file: FileResult; environment: ProjectEnvironment } | BenchOutcome> {
    let document: vscode.TextDocument;
    if (uri) {
      try {
        document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
      } catch (error) {
        return this.refuse(`Cannot benchmark: cannot open ${uri} (${error instanceof Error ? error.message : String(error)}).`, 'error');
      }
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return this.refuse('Open a Python, JavaScript or TypeScript file and put the cursor in a function to benchmark it.', 'info');
      document = editor.document;
    }
    const base = path.basename(document.uri.fsPath);
    if (document.uri.scheme !== 'file') return this.refuse(`Only files on disk can be benchmarked: save ${base} first.`, 'info');
    const snapshot = await this.options.service.resultFor(document, undefined, true);
    if (!snapshot) return this.refuse(`${base} is not analyzed (not Python, JavaScript or TypeScript, switched off in the settings, excluded, or too large): nothing to benchmark.`, 'info');
    if (snapshot.file.error) return this.refuse(`${base} could not be analyzed: ${snapshot.file.error}`, 'warning');
    return { document, file: snapshot.file, environment: snapshot.environmentFor(snapshot.file.path) };
  }

  /** Finds the function and its arguments; an outcome when it cannot run. */
  private async prepareOne(target: BenchTarget | undefined): Promise<Prepared | BenchOutcome> {
    const found = await this.documentAndResults(target?.uri);
    if ('status' in found) return found;
    const { document, file, environment } = found;
    const base = path.basename(document.uri.fsPath);
    let fn: FunctionResult | undefined;
    if (target) {
      fn = functionNamed(file, target.name);
      if (!fn) return this.refuse(`No function named ${target.name} in ${base} (it may have been renamed since).`, 'warning');
    } else {
      const editor = vscode.window.activeTextEditor;
      fn = editor && editor.document === document ? functionAtLine(file, editor.selection.active.line + 1) : undefined;
      if (!fn) return this.refuse(`The cursor is not in a function of ${base}: put it inside the function to benchmark.`, 'info');
    }
    if (!isBenchmarkable(file.functions, fn)) {
      return this.refuse(`${fn.name} is nested in another function or anonymous: a benchmark can only call functions the module defines by name (module functions, class and static methods).`, 'info');
    }
    if (!(await this.savedOrAccepted(document))) return { status: 'skipped' };
    const signature = await this.signature(document, fn);
    const args = await this.argumentsFor(document, file, fn, signature, target?.args);
    if (args === undefined) return { status: 'skipped' };
    return { document, file, environment, fn, key: this.keyOf(document, fn), args };
  }

  /** The harness imports the file from disk: unsaved changes are saved first, or knowingly left out. */
  private async savedOrAccepted(document: vscode.TextDocument): Promise<boolean> {
    if (!document.isDirty) return true;
    const save = 'Save and Benchmark';
    const saved = 'Benchmark the Saved Version';
    const answer = await vscode.window.showWarningMessage(`${path.basename(document.uri.fsPath)} has unsaved changes; the benchmark imports the file from disk.`, save, saved);
    if (answer === save) return document.save();
    return answer === saved;
  }

  private async signature(document: vscode.TextDocument, fn: FunctionResult): Promise<Signature | undefined> {
    try {
      return await listParameters(document.uri.fsPath, document.getText(), fn.nameSpan);
    } catch (error) {
      this.options.log.warn(`bench: cannot read the parameters of ${fn.name}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** The given arguments, else the user's (remembered or guessed first); none asked for a function without parameters. */
  private async argumentsFor(
    document: vscode.TextDocument,
    file: FileResult,
    fn: FunctionResult,
    signature: Signature | undefined,
    given: string | undefined,
    step?: { index: number; total: number },
  ): Promise<string | undefined> {
    const key = this.keyOf(document, fn);
    let args = given;
    if (args === undefined) {
      const needed = signature ? takesArguments(signature) : fn.params.length > 0;
      if (!needed) return '';
      args = await askArguments(fn.name, file.language, signature, this.memory.prefill(key, signature, file.language), step);
      if (args === undefined) return undefined;
    }
    await this.memory.remember(key, args);
    return args;
  }

  /** Runs one benchmark; records it when it succeeds. Shows nothing but progress and output. */
  private async execute(prepared: Prepared, report: (message: string) => void, signal: AbortSignal): Promise<BenchOutcome> {
    const { document, file, environment, fn, key, args } = prepared;
    const { output, log } = this.options;
    const language: BenchLanguage = file.language;
    const bench = this.options.settings.read(document.uri).bench;
    const interpreter = language === 'python' ? await pythonInterpreter(document.uri, bench, log) : nodeInterpreter(bench);
    output.appendLine(`── ${new Date().toLocaleTimeString()} · ${key}(${args}) · ${interpreter.path} (${interpreter.source}) ──`);
    let lastMessage = '';
    try {
      const run = await runBenchmark({
        file: document.uri.fsPath,
        name: fn.name,
        language,
        args,
        tasks: bench.tasks,
        workers: bench.workers > 0 ? bench.workers : undefined,
        timeoutSeconds: bench.timeoutSeconds,
        signal,
        ...(language === 'python' ? { python: interpreter.path } : { node: interpreter.path }),
        startMethod: bench.startMethod === 'default' ? undefined : bench.startMethod,
        strategies: runStrategies(language, bench),
        ...(bench.daskScheduler !== '' ? { daskScheduler: bench.daskScheduler } : {}),
        workspaceRoot: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
        harnessDir: this.options.harnessDir,
        onOutput: (_stream, text) => output.append(text),
        onEvent: (event) => {
          const message = phaseMessage(event);
          if (message && message !== lastMessage) report((lastMessage = message));
        },
      });
      const json = toBenchJson(run.result, { kind: fn.kind, confidence: fn.confidence, line: fn.line }, run.output);
      const record: BenchRecord = { id: randomUUID(), key, uri: document.uri.toString(), name: fn.name, args, at: Date.now(), report: json, advice: adviceFor(fn, file.language, environment).replace(/`/g, '') };
      output.appendLine(formatBenchText(json, run.output));
      await this.options.history.add(record);
      this.options.decorations.show(document.uri, {
        key,
        name: fn.name,
        line: fn.line - 1,
        start: Math.min(fn.line, fn.nameSpan.line) - 1,
        end: fn.endLine - 1,
        text: benchHeadline(json),
      });
      return { status: 'done', record };
    } catch (error) {
      if (!(error instanceof BenchError)) {
        log.error(`bench: ${fn.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        output.appendLine(`The benchmark failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
        return { status: 'failed', kind: 'protocol', message: error instanceof Error ? error.message : String(error) };
      }
      output.appendLine(failureReport(error.message, error.details.traceback));
      if (error.kind === 'cancelled') return { status: 'cancelled' };
      return { status: 'failed', kind: error.kind, message: error.message };
    }
  }

  /** After a single run: the headline in the status bar, or the failure with what helps. */
  private announce(outcome: BenchOutcome, prepared: Prepared): void {
    const { fn, file, document } = prepared;
    if (outcome.status === 'done') {
      vscode.window.setStatusBarMessage(`${fn.name}: ${benchHeadline(outcome.record.report)}`, 8000);
    } else if (outcome.status === 'failed' || outcome.status === 'cancelled') {
      const notice = outcome.status === 'failed' ? failureNotice(outcome.kind, outcome.message, fn.name, file.language) : failureNotice('cancelled', '', fn.name, file.language);
      void this.notify(notice, { uri: document.uri.toString(), name: fn.name }, file.language);
    }
  }

  /** After a run of a whole file: what ran, what did not and why. */
  private summarize(base: string, prepared: readonly Prepared[], outcomes: readonly BenchOutcome[]): void {
    const done = outcomes.filter((o) => o.status === 'done').length;
    const failed: string[] = [];
    prepared.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome?.status === 'failed') failed.push(`${p.fn.name} (${outcome.kind})`);
    });
    const cancelled = outcomes.some((o) => o.status === 'cancelled');
    if (failed.length === 0 && !cancelled) {
      vscode.window.setStatusBarMessage(`Benchmarked ${done} function${done === 1 ? '' : 's'} of ${base}`, 8000);
      return;
    }
    const parts = [`Benchmarked ${done} of ${prepared.length} functions in ${base}.`];
    if (failed.length > 0) parts.push(`Failed: ${failed.join(', ')}.`);
    if (cancelled) parts.push('The rest was cancelled; its processes were stopped.');
    void vscode.window.showWarningMessage(parts.join(' '), ACTION_LABELS.showOutput).then((choice) => {
      if (choice) this.options.output.show(true);
    });
  }

  /** Shows a failure with its buttons and carries out the one chosen. */
  private async notify(notice: FailureNotice, target: BenchTarget, language: string): Promise<void> {
    const show = notice.level === 'error' ? vscode.window.showErrorMessage : notice.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(notice.message, ...notice.actions.map((a) => ACTION_LABELS[a]));
    const action = notice.actions.find((a) => ACTION_LABELS[a] === choice);
    if (action) await this.act(action, target, language);
  }

  private async act(action: FailureAction, target: BenchTarget, language: string): Promise<void> {
    switch (action) {
      case 'showOutput':
        this.options.output.show(true);
        return;
      case 'choosePython':
        if (language === 'python' && vscode.extensions.getExtension('ms-python.python')) await vscode.commands.executeCommand('python.setInterpreter');
        else await vscode.commands.executeCommand('workbench.action.openSettings', 'concurrencyLens.bench.pythonPath');
        return;
      case 'chooseNode':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'concurrencyLens.bench.nodePath');
        return;
      case 'changeTimeLimit':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'concurrencyLens.bench.timeoutSeconds');
        return;
      case 'editArguments':
        await this.benchmarkFunction({ uri: target.uri, name: target.name });
        return;
    }
  }
}
