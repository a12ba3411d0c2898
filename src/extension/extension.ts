/**
 * Entry point of the VS Code extension: thin glue between the editor and the analyzer in
 * `src/core`.
 *
 * Activation must stay cheap (it runs when a Python, JavaScript or TypeScript file opens): it
 * wires providers, commands and listeners and starts the background indexing, which is
 * asynchronous. The tree-sitter grammars are loaded by the core on the first analysis, never
 * here.
 */
import * as vscode from 'vscode';
import type { ProjectEnvironment } from '../core';
import { ANALYZED_LANGUAGES, AnalysisService, type AnalysisEvent } from './analysis-service';
import { BenchDecorations } from './bench-decorations';
import { BenchFlow } from './bench-flow';
import { BenchHistory } from './bench-history';
import { registerBenchPanel } from './bench-panel';
import { VerdictLensProvider } from './code-lens';
import { FixProvider } from './code-actions';
import { Commands, type CommandHandlers } from './commands';
import { DiagnosticsPublisher } from './diagnostics';
import { EnvironmentService } from './environment';
import { ExplainView } from './explain';
import { VerdictHoverProvider } from './hover';
import type { ExplainTarget } from './links';
import { SettingsReader } from './settings';
import { WorkspaceIndex } from './workspace-index';

/** Name of the extension's log output channel, as shown in the Output view. */
export const OUTPUT_CHANNEL_NAME = 'Concurrency Lens';
/** Name of the channel that shows what benchmarked functions print, and each run's report. */
export const BENCH_OUTPUT_CHANNEL_NAME = 'Concurrency Lens Benchmarks';

/**
 * What `activate` returns (`vscode.extensions.getExtension(...).exports`): the benchmark
 * state and the analysis's project environments, for the integration tests and for scripts
 * that drive the extension.
 */
export interface ConcurrencyLensApi {
  benchmarks: {
    history: BenchHistory;
    flow: BenchFlow;
    decorations: BenchDecorations;
  };
  analysis: {
    /** The project environment the file's last analysis handed the engine (its fixes and advice see it); undefined before one. */
    environmentOf(uri: vscode.Uri): ProjectEnvironment | undefined;
    /** Fires after each analysis run, with the files it analyzed. */
    onDidAnalyze: vscode.Event<AnalysisEvent>;
    /** The registered hover provider itself: `npm run bench:editor` times its answers without the workbench's round trip. */
    hover: vscode.HoverProvider;
  };
}

/** The documents the providers serve: files of the analyzed languages. */
const SELECTOR: vscode.DocumentSelector = ANALYZED_LANGUAGES.map((language) => ({ language, scheme: 'file' }));

/**
 * Called by VS Code the first time an activation event fires.
 *
 * Everything created here is pushed to `context.subscriptions`, so VS Code disposes of it when
 * the extension is deactivated.
 */
export function activate(context: vscode.ExtensionContext): ConcurrencyLensApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const settings = new SettingsReader(log);
  const index = new WorkspaceIndex(settings, log);
  const environments = new EnvironmentService(settings, log);
  const service = new AnalysisService(index, settings, log, environments);
  const lenses = new VerdictLensProvider(service, settings);
  const explain = new ExplainView(service, log);
  const hover = new VerdictHoverProvider(service);

  // Benchmarks. One history for the whole extension: the flow adds runs, the decorations follow
  // it, and the Benchmarks view's provider (registered here, on `history`) shows it.
  const history = new BenchHistory(context.workspaceState);
  const decorations = new BenchDecorations(history);
  const benchOutput = vscode.window.createOutputChannel(BENCH_OUTPUT_CHANNEL_NAME);
  const flow = new BenchFlow({
    service,
    settings,
    history,
    state: context.workspaceState,
    decorations,
    output: benchOutput,
    log,
    harnessDir: vscode.Uri.joinPath(context.extensionUri, 'dist', 'harness').fsPath,
  });

  context.subscriptions.push(
    log,
    settings,
    index,
    environments,
    service,
    new DiagnosticsPublisher(service, settings, context.extensionUri),
    lenses,
    explain,
    benchOutput,
    decorations,
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new FixProvider(service), FixProvider.metadata),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    registerBenchPanel(context.extensionUri, history, log),
    ...registerCommands({
      explainClassification: (target?: ExplainTarget) => explain.show(target),
      reanalyzeWorkspace: () => service.reanalyzeWorkspace(),
      // preserveFocus: the user is reading code; the log appears beside it.
      showOutput: () => log.show(true),
      // Arguments from lenses, links and other extensions are checked by the flow.
      benchmarkFunction: (target?: unknown) => flow.benchmarkFunction(target),
      benchmarkFile: (target?: unknown) => flow.benchmarkFile(target),
      showBenchmarkPanel: () => flow.revealPanel(),
      clearBenchmarkHistory: () => flow.clearHistory(),
    }),
  );
  service.start();

  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  log.info(`activated (version ${version}) in ${Date.now() - started} ms`);
  return {
    benchmarks: { history, flow, decorations },
    analysis: { environmentOf: (uri) => service.latest(uri)?.environmentFor(uri.fsPath), onDidAnalyze: service.onDidAnalyze, hover },
  };
}

/** Registers a handler for every command of the table; the caller owns the disposables. */
function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return (Object.keys(Commands) as Array<keyof typeof Commands>).map((key) =>
    vscode.commands.registerCommand(Commands[key], handlers[key] as (...args: unknown[]) => unknown),
  );
}

/** Called by VS Code on shutdown; the subscriptions are disposed by VS Code itself. */
export function deactivate(): void {
  // Nothing beyond `context.subscriptions` to release.
}
