/**
 * Link targets for the Markdown the extension shows. Checked in code-server: in a hover, file
 * URIs with a line fragment (`file:///…/fetch.py#L14,5`) open the file at that line and column,
 * and command links run (for the commands the hover trusts). The Markdown preview renders
 * neither `file:` links nor command links; it opens paths relative to the workspace folder
 * (`/page_archiver/fetch.py#L14`), so the explanation links only files inside it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileResult, FunctionResult } from '../core';
import type { BenchTarget } from './bench-target';
import { isBenchmarkable } from './bench-target';
import { Commands } from './commands';
import type { Links } from './markdown';

/** What `concurrencyLens.explainClassification` takes: a function by file and qualified name. */
export interface ExplainTarget {
  uri: string;
  name: string;
}

/** The href of a file position (1-based line and column). */
export function locationHref(filePath: string, line: number, column: number): string {
  return vscode.Uri.file(filePath).with({ fragment: `L${line},${column}` }).toString();
}

/** A command URI with its arguments. */
export function commandHref(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** The workspace-relative href of a file position, for the Markdown preview (undefined outside the first folder). */
export function previewLocationHref(filePath: string, line: number): string | undefined {
  // The preview resolves `/…` against the workspace folder; the explanation's own (virtual)
  // document is in none, which leaves the first.
  const root = vscode.workspace.workspaceFolders?.[0];
  if (!root || root.uri.scheme !== 'file') return undefined;
  const relative = path.relative(root.uri.fsPath, filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return `/${relative.split(path.sep).map(encodeURIComponent).join('/')}#L${line}`;
}

/** What the CodeLens and the hover's link give `concurrencyLens.benchmarkFunction`: the function, never arguments (the user types those). */
export function benchTarget(file: FileResult, fn: FunctionResult): BenchTarget {
  return { uri: vscode.Uri.file(file.path).toString(), name: fn.name };
}

/** Links for hovers. */
export const HOVER_LINKS: Links = {
  location: locationHref,
  explain: (file: FileResult, fn: FunctionResult) =>
    commandHref(Commands.explainClassification, [{ uri: vscode.Uri.file(file.path).toString(), name: fn.name } satisfies ExplainTarget]),
  benchmark: (file: FileResult, fn: FunctionResult) => (isBenchmarkable(file.functions, fn) ? commandHref(Commands.benchmarkFunction, [benchTarget(file, fn)]) : undefined),
};

/** Links for the explanation, shown in the Markdown preview (it is itself the explanation). */
export const PREVIEW_LINKS: Links = {
  location: (filePath, line) => previewLocationHref(filePath, line),
};
