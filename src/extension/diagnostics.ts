/**
 * The analysis' findings as editor diagnostics: one collection, refreshed after each run for
 * the open documents whose text the run read, cleared when a document closes or its last editor
 * tab does (VS Code keeps a document open for a while after its tab closes: microsoft/vscode#13363,
 * and a finding of a file the user closed would linger in the Problems panel). Each diagnostic
 * carries its stable code, linked to its documentation, and the severity the settings give it.
 */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, DiagnosticCode } from '../core';
import type { AnalysisService } from './analysis-service';
import { DIAGNOSTICS_DOC, sectionLines } from './diagnostic-docs';
import { toRange } from './positions';
import type { SettingsReader, SeveritySetting } from './settings';

/** `source` of every diagnostic this extension publishes (how code actions recognize them). */
export const DIAGNOSTIC_SOURCE = 'Concurrency Lens';

const SEVERITY: Record<Exclude<SeveritySetting, 'off'>, vscode.DiagnosticSeverity> = {
  hint: vscode.DiagnosticSeverity.Hint,
  information: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
};

/** The code value of one of our diagnostics. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object') return String(code.value);
  return code === undefined ? undefined : String(code);
}

/** Publishes the findings of each run. */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('concurrency-lens');
  private readonly disposables: vscode.Disposable[] = [];
  private docLines: Promise<Map<string, number>> | undefined;
  /** Documents still open whose last tab closed: nothing is published for them until a tab shows them again. */
  private readonly tabClosed = new Set<string>();

  constructor(
    private readonly service: AnalysisService,
    private readonly settings: SettingsReader,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      this.collection,
      service.onDidAnalyze(({ uris }) => void this.publish(uris)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.tabClosed.delete(document.uri.toString());
        this.collection.delete(document.uri);
      }),
      vscode.window.tabGroups.onDidChangeTabs(({ opened, closed }) => this.followTabs(opened, closed)),
      settings.onDidChange((change) => {
        if (change.severity || change.analysis) void this.publish(vscode.workspace.textDocuments.map((d) => d.uri));
      }),
    );
  }

  /** Refreshes the diagnostics of the open documents among `uris` whose results are current. */
  private async publish(uris: readonly vscode.Uri[]): Promise<void> {
    const wanted = new Set(uris.map((u) => u.toString()));
    const lines = await this.docSections();
    for (const document of vscode.workspace.textDocuments) {
      if (!wanted.has(document.uri.toString()) || this.tabClosed.has(document.uri.toString())) continue;
      if (!this.service.accepts(document)) {
        this.collection.delete(document.uri);
        continue;
      }
      // Stale results (the text changed during the run) wait for the run that is already asked for.
      const snapshot = this.service.current(document);
      if (!snapshot || document.isClosed) continue;
      const severities = this.settings.read(document.uri).severity;
      const diagnostics: vscode.Diagnostic[] = [];
      for (const finding of snapshot.file.diagnostics) {
        const severity = severities[finding.code];
        if (severity === 'off') continue;
        diagnostics.push(this.toDiagnostic(finding, SEVERITY[severity], lines));
      }
      this.collection.set(document.uri, diagnostics);
    }
  }

  /** Clears the findings of documents whose last tab closed; publishes again when one reopens. */
  private followTabs(opened: readonly vscode.Tab[], closed: readonly vscode.Tab[]): void {
    const shown = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs.map(tabUri)).filter((u) => u !== undefined));
    for (const uri of closed.map(tabUri)) {
      if (uri === undefined || shown.has(uri)) continue;
      this.tabClosed.add(uri);
      this.collection.delete(vscode.Uri.parse(uri));
    }
    const reopened = opened.map(tabUri).filter((u): u is string => u !== undefined && this.tabClosed.delete(u));
    if (reopened.length > 0) void this.publish(reopened.map((u) => vscode.Uri.parse(u)));
  }

  private toDiagnostic(finding: CoreDiagnostic, severity: vscode.DiagnosticSeverity, lines: Map<string, number>): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toRange(finding), finding.message, severity);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.code, target: this.docTarget(finding.code, lines) };
    return diagnostic;
  }

  /** The documentation of a code: docs/diagnostics.md in the extension, at the code's section. */
  private docTarget(code: DiagnosticCode, lines: Map<string, number>): vscode.Uri {
    const doc = vscode.Uri.joinPath(this.extensionUri, DIAGNOSTICS_DOC);
    const line = lines.get(code);
    return line ? doc.with({ fragment: `L${line}` }) : doc;
  }

  /** Section lines of the documentation, read once, on the first publication (not at activation). */
  private docSections(): Promise<Map<string, number>> {
    this.docLines ??= Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, DIAGNOSTICS_DOC))).then(
      (bytes) => sectionLines(new TextDecoder('utf-8').decode(bytes)),
      () => new Map<string, number>(),
    );
    return this.docLines;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The URI string of the text shown in a tab (a diff's modified side), if it shows one. */
function tabUri(tab: vscode.Tab): string | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return input.uri.toString();
  if (input instanceof vscode.TabInputTextDiff) return input.modified.toString();
  return undefined;
}
