/**
 * "Explain Classification": the full chain of a function's verdict as a read-only Markdown
 * document (a virtual `concurrency-lens:` document, shown in the Markdown preview), kept
 * current as the analysis re-runs.
 */
import * as vscode from 'vscode';
import type { AnalysisService, Snapshot } from './analysis-service';
import { PREVIEW_LINKS, type ExplainTarget } from './links';
import { functionAtLine, functionAtName, functionNamed } from './lookup';
import { explainMarkdown } from './markdown';
import { toCorePosition } from './positions';

/** The built-in extension whose preview shows explanations (links clickable, headings styled). */
const MARKDOWN_EXTENSION = 'vscode.markdown-language-features';

/** The scheme of explanation documents. */
export const EXPLAIN_SCHEME = 'concurrency-lens';

/** The explanation document of a target (the query carries the target; the path names the tab). */
export function explanationUri(target: ExplainTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${target.name}.md`, query: JSON.stringify(target) });
}

function targetOf(uri: vscode.Uri): ExplainTarget | undefined {
  try {
    const value = JSON.parse(uri.query) as Partial<ExplainTarget>;
    return typeof value.uri === 'string' && typeof value.name === 'string' ? { uri: value.uri, name: value.name } : undefined;
  } catch {
    return undefined;
  }
}

/** Serves explanation documents and opens them. */
export class ExplainView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[];

  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly service: AnalysisService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      this.emitter,
      vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this),
      service.onDidAnalyze(() => {
        for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === EXPLAIN_SCHEME) this.emitter.fire(document.uri);
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = targetOf(uri);
    if (!target) return '# Nothing to explain\n\nThis link does not name a function.\n';
    const source = vscode.Uri.parse(target.uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    const snapshot: Snapshot | undefined = open ? await this.service.resultFor(open, token, true) : this.service.latest(source);
    const fn = snapshot && functionNamed(snapshot.file, target.name);
    if (!snapshot || !fn) return `# ${target.name}\n\nNo analysis result for this function (the file was closed, changed or excluded). Open the file and run the command again.\n`;
    // Runs compute no quick fixes (they are off the typing path): this function's are computed now.
    const diagnostics = await Promise.all(snapshot.file.diagnostics.map(async (d) => (d.functionName === fn.name ? { ...d, fixes: await snapshot.fixes(d) } : d)));
    return explainMarkdown({ ...snapshot.file, diagnostics }, fn, snapshot.files, PREVIEW_LINKS, snapshot.environmentFor(snapshot.file.path));
  }

  /**
   * Opens the explanation of `target`, or of the function at the cursor; returns the document's
   * URI (undefined when there is no function to explain).
   */
  async show(target?: ExplainTarget): Promise<vscode.Uri | undefined> {
    target ??= await this.targetAtCursor();
    if (!target) {
      void vscode.window.showInformationMessage('Concurrency Lens: place the cursor in a function of a Python, JavaScript or TypeScript file to explain its classification.');
      return undefined;
    }
    const uri = explanationUri(target);
    // The built-in Markdown extension registers its preview command when it activates, which
    // running the command does: check that the extension exists, not that the command is registered.
    if (vscode.extensions.getExtension(MARKDOWN_EXTENSION)) {
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
        return uri;
      } catch (error) {
        this.log.warn(`Markdown preview unavailable, showing the explanation as text: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    return uri;
  }

  /** The function whose name is under the cursor, else the innermost function around it. */
  private async targetAtCursor(): Promise<ExplainTarget | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const snapshot = await this.service.resultFor(editor.document, undefined, true);
    if (!snapshot) return undefined;
    const at = toCorePosition(editor.selection.active);
    const fn = functionAtName(snapshot.file, at) ?? functionAtLine(snapshot.file, at.line);
    return fn ? { uri: editor.document.uri.toString(), name: fn.name } : undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
