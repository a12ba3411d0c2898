/**
 * The inline result after a benchmark: the headline after the end of the function's line
 * (`⏱ processes 1.8× · threads 1.0× — CPU-bound`), in the CodeLens colour of the theme.
 *
 * A result describes the code that ran: an edit inside the function's lines removes it (edits
 * above it move it), and so does forgetting the run (the history no longer has the function).
 * Results are kept per document and drawn on every visible editor of it, so an editor opened
 * later, or split, shows them too.
 */
import * as vscode from 'vscode';
import type { BenchHistory } from './bench-history';

/** One inline result, as shown. */
export interface InlineResult {
  /** The function's history key. */
  key: string;
  name: string;
  /** 0-based line the headline follows (the function's `def`/name line). */
  line: number;
  /** 0-based first and last line of the function: an edit between them removes the result. */
  start: number;
  end: number;
  text: string;
}

/** Lines a change adds (negative: removes). */
function lineDelta(change: vscode.TextDocumentContentChangeEvent): number {
  let added = 0;
  for (let i = change.text.indexOf('\n'); i >= 0; i = change.text.indexOf('\n', i + 1)) added++;
  return added - (change.range.end.line - change.range.start.line);
}

/** Owns the decoration type and the results per document. */
export class BenchDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    isWholeLine: false,
  });
  /** Results by document URI string. */
  private readonly results = new Map<string, InlineResult[]>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly history: BenchHistory) {
    const forgotten = history.onDidChange(() => this.dropForgotten());
    this.disposables = [
      this.type,
      { dispose: () => forgotten.dispose() },
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.draw(editor);
      }),
    ];
  }

  /** Shows (or replaces) the result of one function. */
  show(uri: vscode.Uri, result: InlineResult): void {
    const list = (this.results.get(uri.toString()) ?? []).filter((r) => r.key !== result.key);
    list.push(result);
    this.results.set(uri.toString(), list);
    this.redraw(uri.toString());
  }

  /** The results shown on a document (for the integration tests and the panel's "reveal"). */
  shown(uri: vscode.Uri): readonly InlineResult[] {
    return this.results.get(uri.toString()) ?? [];
  }

  /** Removes every result. */
  clear(): void {
    const uris = [...this.results.keys()];
    this.results.clear();
    for (const uri of uris) this.redraw(uri);
  }

  private dropForgotten(): void {
    for (const [uri, list] of this.results) {
      const kept = list.filter((r) => this.history.latest(r.key) !== undefined);
      if (kept.length === list.length) continue;
      if (kept.length > 0) this.results.set(uri, kept);
      else this.results.delete(uri);
      this.redraw(uri);
    }
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const uri = event.document.uri.toString();
    const list = this.results.get(uri);
    if (!list || event.contentChanges.length === 0) return;
    let changed = false;
    const kept: InlineResult[] = [];
    for (const result of list) {
      let { line, start, end } = result;
      let touched = false;
      // The ranges of one event do not overlap and are in the text as it was: a change wholly
      // above the function moves it, one that reaches its lines removes the result.
      for (const change of event.contentChanges) {
        if (change.range.end.line < start) {
          const delta = lineDelta(change);
          line += delta;
          start += delta;
          end += delta;
        } else if (change.range.start.line <= end) {
          touched = true;
          break;
        }
      }
      if (touched) {
        changed = true;
        continue;
      }
      if (line !== result.line) changed = true;
      kept.push({ ...result, line, start, end });
    }
    if (!changed) return;
    if (kept.length > 0) this.results.set(uri, kept);
    else this.results.delete(uri);
    this.redraw(uri);
  }

  private redraw(uri: string): void {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) this.draw(editor);
  }

  private draw(editor: vscode.TextEditor): void {
    const list = this.results.get(editor.document.uri.toString()) ?? [];
    const lines = editor.document.lineCount;
    editor.setDecorations(
      this.type,
      list
        .filter((r) => r.line < lines)
        .map((r) => {
          const end = editor.document.lineAt(r.line).range.end;
          return {
            range: new vscode.Range(end, end),
            renderOptions: { after: { contentText: r.text } },
            hoverMessage: new vscode.MarkdownString(`Benchmark of \`${r.name.replace(/`/g, "'")}\`: the latest run. The Benchmarks view has the details.`),
          };
        }),
    );
  }

  dispose(): void {
    this.results.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
