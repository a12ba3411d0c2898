/**
 * Position arithmetic on the core's spans, without the editor: the core counts lines and
 * columns from 1 (columns in UTF-16 code units), VS Code counts both from 0 in the same
 * units. `positions.ts` turns these numbers into `vscode` objects; nothing else converts.
 */
import type { Span } from '../core';

/** A 0-based line and character, as VS Code counts them. */
export interface ZeroBasedPosition {
  line: number;
  character: number;
}

/** A 1-based line and column, as the core counts them. */
export interface CorePosition {
  line: number;
  column: number;
}

/** The 0-based start and end of a core span. */
export function zeroBasedSpan(span: Span): { start: ZeroBasedPosition; end: ZeroBasedPosition } {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** A 0-based editor position in the core's 1-based counting. */
export function toCoreCounting(position: ZeroBasedPosition): CorePosition {
  return { line: position.line + 1, column: position.character + 1 };
}

/** Whether a 1-based position lies inside a span (both ends included: a cursor right after a name still points at it). */
export function spanContains(span: Span, position: CorePosition): boolean {
  const { line, column } = position;
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  if (line === span.endLine && column > span.endColumn) return false;
  return true;
}

/** Orders spans by size: fewer lines first, then fewer columns (the innermost of nested spans first). */
export function compareSpanSize(a: Span, b: Span): number {
  const lines = a.endLine - a.line - (b.endLine - b.line);
  if (lines !== 0) return lines;
  return a.endColumn - a.column - (b.endColumn - b.column);
}
