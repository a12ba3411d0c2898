/**
 * The one adapter between the core's positions and the editor's: every `vscode.Position` and
 * `vscode.Range` made from analysis results is made here (the arithmetic is in `spans.ts`).
 */
import * as vscode from 'vscode';
import type { Span } from '../core';
import { toCoreCounting, zeroBasedSpan, type CorePosition } from './spans';

/** The editor range of a core span (1-based lines and UTF-16 columns). */
export function toRange(span: Span): vscode.Range {
  const { start, end } = zeroBasedSpan(span);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

/** The editor position of a core line and column (1-based). */
export function toPosition(line: number, column: number): vscode.Position {
  return new vscode.Position(line - 1, column - 1);
}

/** An editor position in the core's counting, to look results up. */
export function toCorePosition(position: vscode.Position): CorePosition {
  return toCoreCounting(position);
}
