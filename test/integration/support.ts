/**
 * What the integration tests share: where the examples are, opening files, reading this
 * extension's diagnostics and hovers, and waiting on the diagnostics to change (a signal,
 * bounded), never on a sleep.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../src/extension/diagnostics';

export const FETCH_PY = 'examples/python/page_archiver/fetch.py';
export const SERVER_MJS = 'examples/node/src/server.mjs';

/**
 * The folder holding examples/: above the workspace folder first (code-server opens a scratch
 * copy of the examples, where tests may write), else above this bundle (out/test/integration/).
 */
function examplesRoot(): string {
  const candidates = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), resolve(__dirname, '../../..')];
  for (const start of candidates) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, FETCH_PY)) && existsSync(join(dir, SERVER_MJS))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`the examples were not found above ${candidates.join(' or ')}`);
}

export const ROOT = examplesRoot();

/** The workspace folder the suite runs in (examples/python, or its scratch copy). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const [folder] = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folder, 'a workspace folder is open');
  return folder;
}

/** The extension's diagnostics on a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function codeValue(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/**
 * Resolves with the extension's diagnostics on `uri` once `condition` holds for them: checked
 * now and on every change of that document's diagnostics, for at most `timeoutMs`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  condition: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolvePromise, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolvePromise(ours(uri));
    };
    const check = (): void => {
      if (condition(ours(uri))) finish();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const seen = ours(uri).map((d) => `${codeValue(d)}@${d.range.start.line + 1}`);
      finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (has: ${seen.join(', ') || 'none'})`));
    }, timeoutMs);
    check();
  });
}

/**
 * Opens a file (relative to ROOT, or absolute) in an editor tab of its own, as a user keeping it
 * open does: a preview tab would be replaced by the next file opened, and a document no tab shows
 * has no diagnostics.
 */
export async function open(path: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.startsWith('/') ? path : join(ROOT, path)));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The 0-based line of the first line containing `text`. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const index = document.getText().split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" is in ${document.fileName}`);
  return index;
}

/** A diagnostic with this code on a 0-based line. */
export function codeOn(code: string, line: number): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => codeValue(d) === code && d.range.start.line === line);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Every hover's text at a position (all providers'; ours is the one with a verdict). */
export async function hoverAt(document: vscode.TextDocument, line: number, column: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
  return hoverText(hovers);
}
