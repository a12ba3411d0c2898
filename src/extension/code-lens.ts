/**
 * Above each function that waits or computes, two lenses: the verdict (`I/O-bound · network · Explain`),
 * opening the full explanation, and `▶ Benchmark`, which starts the benchmark flow for it (only
 * where a benchmark can call the function: not nested, not anonymous). Toggled by
 * `concurrencyLens.codeLens.enabled`.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';
import { Commands } from './commands';
import { isBenchmarkable } from './bench-target';
import { benchTarget, type ExplainTarget } from './links';
import { adviceFor, verdictLabel } from './markdown';
import { toRange } from './positions';
import type { SettingsReader } from './settings';

/** Provides the lenses of each function with a verdict other than neither. */
export class VerdictLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[];

  /** Fires when results or the setting change, so the editor asks again. */
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly service: AnalysisService,
    private readonly settings: SettingsReader,
  ) {
    this.disposables = [
      this.emitter,
      service.onDidAnalyze(() => this.emitter.fire()),
      settings.onDidChange((change) => {
        if (change.codeLens) this.emitter.fire();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.settings.read(document.uri).codeLens.enabled) return [];
    // Not urgent: the editor asks on every edit; the debounced run answers.
    const snapshot = await this.service.resultFor(document, token, false);
    if (!snapshot || token.isCancellationRequested) return [];
    const file = snapshot.file;
    return file.functions
      .filter((fn) => fn.kind !== 'neither')
      .flatMap((fn) => {
        const range = toRange(fn.nameSpan);
        const lenses = [
          new vscode.CodeLens(range, {
            title: `${verdictLabel(fn)} · Explain`,
            tooltip: adviceFor(fn, file.language, snapshot.environmentFor(file.path)).replace(/`/g, ''),
            command: Commands.explainClassification,
            arguments: [{ uri: document.uri.toString(), name: fn.name } satisfies ExplainTarget],
          }),
        ];
        if (isBenchmarkable(file.functions, fn)) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: '▶ Benchmark',
              tooltip: `Run ${fn.name} under each concurrency strategy and compare (asks for its arguments)`,
              command: Commands.benchmarkFunction,
              arguments: [benchTarget(file, fn)],
            }),
          );
        }
        return lenses;
      });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
