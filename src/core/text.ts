/**
 * Positions in text: 1-based lines and 1-based UTF-16 columns (the model's and VS Code's)
 * to offsets and back, and applying edits. One place for this arithmetic.
 */
import type { Span, TextEdit } from './model';

/** Line starts of a text, for position ↔ offset. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of a 1-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }

  /** The text of a 1-based line, without its line break. */
  line(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const end = line < this.starts.length ? this.starts[line] - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** The text a span covers. */
  slice(span: Span): string {
    return this.text.slice(this.offset(span.line, span.column), this.offset(span.endLine, span.endColumn));
  }

  /** Leading whitespace of a 1-based line. */
  indentation(line: number): string {
    return /^[ \t]*/.exec(this.line(line))?.[0] ?? '';
  }
}

/** Applies non-overlapping edits to a text (in any order). Throws on overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const map = new LineMap(text);
  const ranges = edits
    .map((edit) => ({ start: map.offset(edit.line, edit.column), end: map.offset(edit.endLine, edit.endColumn), text: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let previousStart = Number.POSITIVE_INFINITY;
  for (const range of ranges) {
    if (range.end > previousStart) throw new Error('overlapping edits');
    result = result.slice(0, range.start) + range.text + result.slice(range.end);
    previousStart = range.start;
  }
  return result;
}

/** An edit that inserts text before a 1-based line. */
export function insertBeforeLine(line: number, newText: string): TextEdit {
  return { line, column: 1, endLine: line, endColumn: 1, newText };
}

/** An edit that replaces a span. */
export function replaceSpan(span: Span, newText: string): TextEdit {
  return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, newText };
}
