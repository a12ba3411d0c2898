/**
 * Link targets for the Markdown the extension shows: file URIs with a line fragment
 * (`file:///…/fetch.py#L14,5`, which VS Code opens at that line and column) and command URIs
 * for the commands a hover may run.
 */
import * as vscode from 'vscode';
import type { FileResult, FunctionResult } from '../core';
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

/** Links for hovers and explanations. */
export const EDITOR_LINKS: Links = {
  location: locationHref,
  explain: (file: FileResult, fn: FunctionResult) =>
    commandHref(Commands.explainClassification, [{ uri: vscode.Uri.file(file.path).toString(), name: fn.name } satisfies ExplainTarget]),
};
