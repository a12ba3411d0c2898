/**
 * Syntax helpers the Python fixers share: the node a finding points at, the shapes the
 * fixers accept (dotted names, simple statements), and the file's layout conventions
 * (one indentation step, line endings) so that rewritten code looks like its neighbours.
 */
import type { Span } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import type { LineMap } from '../../text';
import { identifiersIn } from './loops';

/**
 * The outermost node of one of `types` that covers exactly `span` (or, with `startOnly`,
 * starts where it starts: a loop header span covers the `for` line, not the loop).
 */
export function nodeAt(root: Node, lines: LineMap, span: Span, types: readonly string[], startOnly = false): Node | undefined {
  const start = lines.offset(span.line, span.column);
  const end = lines.offset(span.endLine, span.endColumn);
  let node: Node | undefined = root;
  while (node) {
    if (types.includes(node.type) && node.startIndex === start && (startOnly || node.endIndex === end)) return node;
    node = node.children.find((c) => c.startIndex <= start && c.endIndex >= end && (c.startIndex < c.endIndex || start === end));
  }
  return undefined;
}

/** `name` or `a.b.c`: an expression that only looks names and attributes up. */
export function isDotted(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return true;
  return node.type === 'attribute' && isDotted(node.childForFieldName('object'));
}

/** The innermost function definition around a node. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

/** Whether a node sits inside one of `types` before reaching `stop` (exclusive). */
export function insideAny(node: Node, types: ReadonlySet<string>, stop: Node | undefined): boolean {
  for (let p = node.parent; p && p !== stop; p = p.parent) if (types.has(p.type)) return true;
  return false;
}

/** The file's line break. */
export function lineBreak(lines: LineMap): string {
  return lines.text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * One indentation step as the file writes it: the difference between a compound
 * statement's line and its body's first line, for the nearest one around `node` (or
 * `node` itself) whose body sits on its own line.
 */
export function indentStep(lines: LineMap, node: Node): string {
  for (let p: Node | null = node; p; p = p.parent) {
    const body = p.childForFieldName('body') ?? p.childForFieldName('consequence');
    if (!body || body.type !== 'block' || body.startPosition.row === p.startPosition.row) continue;
    const outer = lines.indentation(p.startPosition.row + 1);
    const inner = lines.indentation(body.startPosition.row + 1);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return /^\t/m.test(lines.text) ? '\t' : '    ';
}

/**
 * A simple statement standing alone on its lines, directly in a block: the statement a
 * fixer can replace with a compound one (`with ...:`) at the same indentation.
 */
export function standsAlone(statement: Node, lines: LineMap): boolean {
  const parent = statement.parent;
  if (!parent || (parent.type !== 'block' && parent.type !== 'module')) return false;
  const row = statement.startPosition.row;
  if (lines.indentation(row + 1).length !== statement.startPosition.column) return false;
  return !parent.namedChildren.some((s) => s !== statement && s.type !== 'comment' && (s.endPosition.row === row || s.startPosition.row === statement.endPosition.row));
}

/** Whether a statement holds a string spanning lines (re-indenting it would change the string). */
export function hasMultilineString(node: Node): boolean {
  return node.descendantsOfType('string').some((s) => s.startPosition.row !== s.endPosition.row);
}

/** Re-indents the continuation lines of a statement's text by one step. */
export function indentContinuation(text: string, step: string): string {
  return text.replace(/\n/g, `\n${step}`).replace(new RegExp(`\n${escape(step)}(\r?\n)`, 'g'), '\n$1');
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Names used anywhere in a function (to pick a fresh one). */
export function namesIn(node: Node): Set<string> {
  return new Set(identifiersIn(node));
}

/** The first candidate not used in the function. */
export function freshName(used: ReadonlySet<string>, candidates: readonly string[]): string {
  for (const name of candidates) if (!used.has(name)) return name;
  for (let i = 2; ; i++) if (!used.has(`${candidates[0]}${i}`)) return `${candidates[0]}${i}`;
}

/** Whether any of `names` is read in `fn` after `node` ends (a loop variable used after its loop). */
export function readAfter(fn: Node, node: Node, names: readonly string[]): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  return body.descendantsOfType('identifier').some((id) => id.startIndex >= node.endIndex && names.includes(id.text) && !isMemberName(id));
}

/** `x` in `obj.x` or in `f(x=1)`: a name that is not a variable. */
function isMemberName(id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'attribute') return parent.childForFieldName('attribute') === id;
  if (parent?.type === 'keyword_argument') return parent.childForFieldName('name') === id;
  return false;
}

/** Constructs the fixers never move into a lambda or another task. */
export const NOT_MOVABLE = new Set(['await', 'yield', 'named_expression']);

/** Whether an expression contains one of the unmovable constructs. */
export function hasUnmovable(node: Node, extra: readonly string[] = []): boolean {
  if (NOT_MOVABLE.has(node.type) || extra.includes(node.type)) return true;
  return node.children.some((c) => hasUnmovable(c, extra));
}
