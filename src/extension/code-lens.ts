/**
 * The verdict above each function that waits or computes (`I/O-bound · network · Explain`),
 * opening the full explanation; toggled by `concurrencyLens.codeLens.enabled`.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';
import { Commands } from './commands';
import type { ExplainTarget } from './links';
import { adviceFor, verdictLabel } from './markdown';
import { toRange } from './positions';
import type { SettingsReader } from './settings';

/** Provides one lens per function with a verdict other than neither. */
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
    return snapshot.file.functions
      .filter((fn) => fn.kind !== 'neither')
      .map(
        (fn) =>
          new vscode.CodeLens(toRange(fn.nameSpan), {
            title: `${verdictLabel(fn)} · Explain`,
            tooltip: adviceFor(fn, snapshot.file.language).replace(/`/g, ''),
            command: Commands.explainClassification,
            arguments: [{ uri: document.uri.toString(), name: fn.name } satisfies ExplainTarget],
          }),
      );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
