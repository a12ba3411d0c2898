/**
 * The loop shapes the Python loop fixers rewrite, and the edits they share: finding the loop
 * a finding points at, rebuilding its statement around a pool or a gather, keeping its
 * comments. The fixers (fixes-loops.ts for waiting loops, fixes-cpu.ts for computing ones)
 * decide what the per-item work becomes.
 *
 * Only the common shapes are handled, and precisely:
 *   for x in xs: out.append(E)         (E uses x)
 *   for x in xs: E                      (a call, result unused)
 *   ... [E for x in xs] ...             (a list or set comprehension in a simple statement)
 * Anything else gets no fix.
 */
import type { LoopFact } from '../../facts';
import type { FixContext } from '../../fixes';
import type { TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { replaceSpan } from '../../text';
import { spanOf } from '../../parse/syntax';
import { addFromImport, importedFrom, importedName } from './fix-imports';
import {
  enclosingFunction,
  freshName,
  hasMultilineString,
  hasUnmovable,
  indentContinuation,
  indentStep,
  insideAny,
  isDotted,
  lineBreak,
  namesIn,
  nodeAt,
  readAfter,
  standsAlone,
} from './fix-syntax';
import { identifiersIn } from './loops';

const LOOP_NODES = ['for_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];

/** What a loop that the fixers can rewrite looks like. */
export interface LoopShape {
  /** The for statement, or the simple statement holding the comprehension. */
  statement: Node;
  /** The comprehension, when it is one. */
  comprehension?: Node;
  /** `for LEFT in RIGHT`. */
  left: Node;
  right: Node;
  /** The per-item expression (the argument of `append`, the statement, the comprehension's element). */
  element: Node;
  /** `out` in `out.append(E)`. */
  sink?: Node;
  /** The loop's target names. */
  targets: string[];
  /** Comments of a for loop outside the moved expressions: the rewrite keeps them around the new code. */
  comments: Node[];
}

/** The loop a CL202/CL301/CL302 finding points at, if it is independent and has a shape handled here. */
export async function loopShape(context: FixContext, filters = false): Promise<LoopShape | undefined> {
  const { diagnostic, fn } = context;
  const fact = fn.loops.find((l) => l.span.line === diagnostic.line && l.span.column === diagnostic.column);
  return fact && loopShapeOf(context, fact, filters);
}

/** The shape of one of the function's loops, if it is independent and has a shape handled here. */
export async function loopShapeOf(context: FixContext, fact: LoopFact, filters = false): Promise<LoopShape | undefined> {
  const { lines } = context;
  if (!fact.independent || fact.fixedCount) return undefined;
  const root = await context.tree();
  const node = nodeAt(root, lines, fact.span, LOOP_NODES, true);
  if (!node) return undefined;
  const def = enclosingFunction(node);
  if (!def) return undefined;
  return node.type === 'for_statement' ? forShape(node, def) : comprehensionShape(node, lines, filters);
}

function forShape(loop: Node, def: Node): LoopShape | undefined {
  const left = loop.childForFieldName('left');
  const right = loop.childForFieldName('right');
  const body = loop.childForFieldName('body');
  if (!left || !right || !body || loop.childForFieldName('alternative') || loop.children[0]?.type === 'async') return undefined;
  if (body.namedChildren.length !== 1 || body.namedChildren[0].type !== 'expression_statement') return undefined;
  const statement = body.namedChildren[0];
  if (statement.namedChildren.length !== 1) return undefined;
  const expression = statement.namedChildren[0];
  const targets = identifiersIn(left);
  // After the loop its variable holds the last item; after the rewrite it is unbound.
  if (readAfter(def, loop, targets)) return undefined;
  const appended = appendArgument(expression);
  if (appended && identifiersIn(appended.sink).some((n) => targets.includes(n))) return undefined;
  const element = appended?.item ?? expression;
  // Comments in the per-item expression move with it; elsewhere in the loop they are kept
  // beside the new code; in the parts rebuilt from pieces (`for` targets, `append`) they would be lost.
  const comments: Node[] = [];
  for (const comment of loop.descendantsOfType('comment')) {
    if (within(comment, element)) continue;
    if (within(comment, left) || within(comment, right) || within(comment, expression)) return undefined;
    comments.push(comment);
  }
  return { statement: loop, left, right, element, sink: appended?.sink, targets, comments };
}

function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** `sink.append(item)`: the list and the item. */
function appendArgument(expression: Node): { sink: Node; item: Node } | undefined {
  if (expression.type !== 'call') return undefined;
  const callee = expression.childForFieldName('function');
  const args = expression.childForFieldName('arguments');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'append') return undefined;
  const sink = callee.childForFieldName('object');
  if (!sink || !isDotted(sink) || args?.type !== 'argument_list' || args.namedChildren.length !== 1) return undefined;
  const item = args.namedChildren[0];
  if (item.type === 'keyword_argument' || item.type.endsWith('splat')) return undefined;
  return { sink, item };
}

/** Scopes a comprehension must not sit in for its statement to be rewritten around it. */
const SCOPES = new Set(['lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'function_definition', 'class_definition']);

/**
 * A list or set comprehension in a simple statement. With `filters`, more `for` and `if`
 * clauses are accepted (a generator keeps them; `map` cannot).
 */
function comprehensionShape(node: Node, lines: FixContext['lines'], filters: boolean): LoopShape | undefined {
  if (node.type !== 'list_comprehension' && node.type !== 'set_comprehension') return undefined;
  const element = node.childForFieldName('body');
  const clauses = node.namedChildren.filter((c) => c !== element);
  if (!element || clauses.length === 0 || clauses[0].type !== 'for_in_clause') return undefined;
  if (!filters && clauses.length !== 1) return undefined;
  if (clauses.some((c) => c.children[0]?.type === 'async' || hasUnmovable(c))) return undefined;
  const left = clauses[0].childForFieldName('left');
  const right = clauses[0].childForFieldName('right');
  if (!left || !right || clauses[0].childrenForFieldName('right').length !== 1) return undefined;
  let statement: Node | undefined = node;
  while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
  if (!statement || (statement.type !== 'expression_statement' && statement.type !== 'return_statement')) return undefined;
  if (insideAny(node, SCOPES, statement) || !standsAlone(statement, lines) || hasMultilineString(statement)) return undefined;
  if (node.descendantsOfType('comment').some((c) => !within(c, element))) return undefined;
  return { statement, comprehension: node, left, right, element, targets: identifiersIn(left), comments: [] };
}

/**
 * Whether the per-item work calls a generator function (a `@contextmanager` one too): its call
 * does none of the work, so mapping it over a pool would move nothing (and a process pool
 * could not send the generators back).
 */
export function callsGenerator(context: FixContext, shape: LoopShape): boolean {
  const item = spanOf(shape.element);
  const before = (a: { line: number; column: number }, b: { line: number; column: number }): boolean => a.line < b.line || (a.line === b.line && a.column <= b.column);
  return context.evidence.some((e) => e.lazy && before(item, e.span) && before({ line: e.span.endLine, column: e.span.endColumn }, { line: item.endLine, column: item.endColumn }));
}

/** An iterable as it may appear after `in` of a generator or as an argument: bare if it is a primary, else parenthesized. */
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'list', 'tuple', 'set', 'dictionary', 'parenthesized_expression', 'string', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension']);

export function iterable(right: Node): string {
  return PRIMARY.has(right.type) ? right.text : `(${right.text})`;
}

/** Whether an expression replacing `node` must be parenthesized to keep `.attr`, `[i]` or `(...)` applying to it. */
export function usedAsPrimary(node: Node): boolean {
  const parent = node.parent;
  return (
    (parent?.type === 'attribute' && parent.childForFieldName('object') === node) ||
    (parent?.type === 'subscript' && parent.childForFieldName('value') === node) ||
    (parent?.type === 'call' && parent.childForFieldName('function') === node)
  );
}

/**
 * The statement rewritten: `head` opens a block at the statement's indentation and the
 * new statement goes one step deeper (then `after`, back at the statement's indentation).
 * The loop's comments stay: the one on its header line ends the new header, the others
 * go above the new statement.
 */
export function blockEdit(shape: LoopShape, lines: FixContext['lines'], head: string, inner: string, after?: string, comments = shape.comments): TextEdit {
  const eol = lineBreak(lines);
  const indent = lines.indentation(shape.statement.startPosition.row + 1);
  const step = indentStep(lines, shape.statement);
  const { header, above } = placeComments(shape, comments, `${eol}${indent}${step}`);
  const text = `${head}${header}${eol}${indent}${step}${above}${indentContinuation(inner, step)}${after === undefined ? '' : `${eol}${indent}${after}`}`;
  return replaceSpan(spanOf(shape.statement), text);
}

/** A single statement replacing the loop, with the loop's comments kept as {@link blockEdit} does. */
export function statementEdit(shape: LoopShape, lines: FixContext['lines'], statement: string): TextEdit {
  const indent = lines.indentation(shape.statement.startPosition.row + 1);
  const { header, above } = placeComments(shape, shape.comments, `${lineBreak(lines)}${indent}`);
  return replaceSpan(spanOf(shape.statement), `${above}${statement}${header}`);
}

/** The header line's comment (to end a line with) and the others (as lines, each followed by `newLine`). */
function placeComments(shape: LoopShape, comments: Node[], newLine: string): { header: string; above: string } {
  const row = shape.statement.startPosition.row;
  const header = comments.find((c) => c.startPosition.row === row);
  return {
    header: header ? `  ${header.text}` : '',
    above: comments
      .filter((c) => c !== header)
      .map((c) => `${c.text}${newLine}`)
      .join(''),
  };
}

/** The statement's text with the comprehension replaced. */
export function statementWith(shape: LoopShape, replacement: string): string {
  const { statement, comprehension } = shape;
  const text = statement.text;
  return text.slice(0, comprehension!.startIndex - statement.startIndex) + replacement + text.slice(comprehension!.endIndex - statement.startIndex);
}

/** The name a short description uses for the per-item work (`requests.get`, `fetch`). */
export function workName(element: Node): string {
  let node: Node | null = element.type === 'await' ? element.namedChildren[0] : element;
  // `requests.get(u).text`, `len(...)` aside: the call the item's value starts from.
  while (node && (node.type === 'attribute' || node.type === 'subscript' || (node.type === 'call' && !isDotted(node.childForFieldName('function'))))) {
    node = node.childForFieldName(node.type === 'subscript' ? 'value' : node.type === 'call' ? 'function' : 'object');
  }
  const callee = node?.type === 'call' ? node.childForFieldName('function') : undefined;
  return callee && isDotted(callee) ? `\`${callee.text}\` calls` : 'iterations';
}


/** The function `map` calls per item: `f` for `f(x)`, else a lambda; undefined when neither fits. */
export function mappedCallable(shape: LoopShape, used: ReadonlySet<string>): string | undefined {
  const { element, left, targets } = shape;
  const callee = element.type === 'call' ? element.childForFieldName('function') : undefined;
  const args = element.type === 'call' ? element.childForFieldName('arguments') : undefined;
  const argNames = args?.type === 'argument_list' ? args.namedChildren.map((a) => (a.type === 'identifier' ? a.text : '')) : [];
  const exactly = (names: string[]): boolean => argNames.length === names.length && names.every((n, i) => argNames[i] === n);
  if (left.type === 'identifier') {
    if (callee && isDotted(callee) && !identifiersIn(callee).includes(left.text) && exactly([left.text])) return callee.text;
    return `lambda ${left.text}: ${element.text}`;
  }
  // `for a, b in pairs: f(a, b)`: the call takes the item unpacked.
  const flat = (left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.namedChildren.every((c) => c.type === 'identifier');
  if (!flat || !callee || !isDotted(callee) || identifiersIn(callee).some((n) => targets.includes(n))) return undefined;
  if (!exactly(left.namedChildren.map((c) => c.text))) return undefined;
  const item = freshName(new Set([...used, ...targets]), ['args', 'item']);
  return `lambda ${item}: ${callee.text}(*${item})`;
}


/**
 * The loop rewritten to run `callable` per item with a `concurrent.futures` pool's `map`, in a
 * `with EXECUTOR() as pool:` block in the loop's place: `out.append(f(x))` → `out.extend(pool.map(f, xs))`,
 * `[f(x) for x in xs]` → `list(pool.map(f, xs))`, a bare call per item → `list(pool.map(...))`
 * (reading the results raises the first exception). The executor is imported as the module
 * already imports `concurrent.futures`, or added; undefined when its name is taken.
 */
export async function poolMapEdits(context: FixContext, shape: LoopShape, executorClass: 'ThreadPoolExecutor' | 'ProcessPoolExecutor', callable: string): Promise<TextEdit[] | undefined> {
  const { lines } = context;
  const root = await context.tree();
  const used = namesIn(enclosingFunction(shape.statement)!);
  const edits: TextEdit[] = [];
  let executor = importedFrom(root, 'concurrent.futures', executorClass);
  if (!executor) {
    const futures = importedName(root, 'concurrent.futures') ?? (importedFrom(root, 'concurrent', 'futures') ? 'futures' : undefined);
    if (futures) executor = `${futures}.${executorClass}`;
    else if (used.has(executorClass)) return undefined;
    else {
      executor = executorClass;
      edits.push(addFromImport(root, lines, 'concurrent.futures', executorClass));
    }
  }
  const pool = freshName(used, ['pool', 'executor', executorClass === 'ThreadPoolExecutor' ? 'thread_pool' : 'process_pool']);
  const mapped = `${pool}.map(${callable}, ${iterable(shape.right)})`;
  let inner: string;
  if (shape.comprehension) inner = statementWith(shape, `${shape.comprehension.type === 'set_comprehension' ? 'set' : 'list'}(${mapped})`);
  else if (shape.sink) inner = `${shape.sink.text}.extend(${mapped})`;
  else inner = `list(${mapped})`;
  if (hasMultilineString(shape.statement)) return undefined;
  edits.push(blockEdit(shape, lines, `with ${executor}() as ${pool}:`, inner));
  return edits;
}
