/**
 * CL302 on a loop that awaits once per item, rewritten to start every iteration at once:
 *   for (const u of urls) { results.push(await f(u)); }  →  results.push(...(await Promise.all(urls.map((u) => f(u)))));
 *   for (const u of urls) { await save(u); }              →  await Promise.all(urls.map((u) => save(u)));
 *   for (const u of urls) { const r = await f(u); out.push(r.x); }
 *                                                         →  out.push(...(await Promise.all(urls.map(async (u) => { const r = await f(u); return r.x; }))));
 * `for (let i = 0; i < a.length; i++)` loops map over `Array.from({ length: a.length }, (_, i) => ...)`;
 * iterables not known to be arrays go through `Array.from(iterable, fn)` (a Set, a generator).
 * Results are pushed in the original order once all are in, so the order is kept.
 */
import type { FixContext } from '../../fixes';
import type { Fix } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import type { LineMap } from '../../text';
import { containsOwn, enclosingFunction, eolOf, FUNCTION_TYPES, isAsync } from './fix-support';
import { identifiersIn } from './loops';

const TITLE =
  'Run the iterations concurrently with `Promise.all`: all calls start at once and the results keep their order; the first rejection rejects the whole (the other calls keep running)';

/** Calls whose result is an array (so `.map` matches `for...of` item for item). */
const ARRAY_METHODS = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'split', 'toSorted', 'toReversed']);
const ARRAY_FUNCTIONS = new Set(['Array.from', 'Array.of', 'Object.keys', 'Object.values', 'Object.entries']);
const PRIMARY = new Set(['identifier', 'member_expression', 'call_expression', 'array', 'subscript_expression', 'parenthesized_expression', 'this']);
/** What a concurrent iteration cannot contain: control flow that leaves the loop, generators' yields. */
const LEAVES_LOOP = new Set(['return_statement', 'break_statement', 'continue_statement', 'yield_expression']);

export async function awaitLoopToPromiseAll(context: FixContext): Promise<Fix[]> {
  const { diagnostic, fn, lines } = context;
  const loop = fn.loops.find((l) => l.span.line === diagnostic.line && l.span.column === diagnostic.column);
  const region = loop?.region;
  if (!loop || !loop.independent || !region) return [];
  const root = await context.tree();
  const start = lines.offset(region.line, region.column);
  const end = lines.offset(region.endLine, region.endColumn);
  const node = [...root.descendantsOfType('for_in_statement'), ...root.descendantsOfType('for_statement')].find((n) => n.startIndex === start && n.endIndex === end);
  if (!node) return [];
  // The loop must sit directly in an async function (the `await` it keeps needs one).
  const host = enclosingFunction(node);
  if (!host || !isAsync(host)) return [];
  const head = node.type === 'for_in_statement' ? forOfHead(node) : countingHead(node);
  const body = node.childForFieldName('body');
  if (!head || !body || containsOwn(body, LEAVES_LOOP) || LEAVES_LOOP.has(body.type)) return [];
  const rewrite = rewriteBody(body, head, lines);
  if (!rewrite) return [];
  // Comments of the body (a note after the `{`) go above the new statement rather than away.
  const comments = body.namedChildren.filter((c) => c.type === 'comment').map((c) => `${c.text}${eolOf(lines.text)}${lines.indentation(region.line)}`);
  return [{ title: TITLE, preferred: true, edits: [{ ...region, newText: comments.join('') + rewrite }] }];
}

/** How to map over the loop's items: `map(fn)` gives the expression of the array of results. */
interface LoopHead {
  params: string;
  /** Names the iteration binds (they may not be assigned in the body of a counting loop). */
  names: string[];
  map(fn: string): string;
}

/** `for (const x of xs)`: `xs.map((x) => ...)` for arrays, `Array.from(xs, (x) => ...)` otherwise. */
function forOfHead(loop: Node): LoopHead | undefined {
  const kind = loop.childForFieldName('kind')?.text;
  const operator = loop.childForFieldName('operator')?.text;
  const left = loop.childForFieldName('left');
  const right = loop.childForFieldName('right');
  if ((kind !== 'const' && kind !== 'let') || operator !== 'of' || !left || !right) return undefined;
  if (loop.children.some((c) => c.type === 'await')) return undefined;
  if (left.type !== 'identifier' && left.type !== 'object_pattern' && left.type !== 'array_pattern') return undefined;
  const iterable = right.text;
  const array = isArray(right, loop);
  return {
    params: `(${left.text})`,
    names: identifiersIn(left),
    map: (fn) => (array ? `${PRIMARY.has(right.type) ? iterable : `(${iterable})`}.map(${fn})` : `Array.from(${iterable}, ${fn})`),
  };
}

/** `for (let i = 0; i < xs.length; i++)`: `Array.from({ length: xs.length }, (_, i) => ...)`. */
function countingHead(loop: Node): LoopHead | undefined {
  const initializer = loop.childForFieldName('initializer')?.text.replace(/;\s*$/, '').trim() ?? '';
  const condition = loop.childForFieldName('condition')?.text.replace(/;\s*$/, '').trim() ?? '';
  const increment = loop.childForFieldName('increment')?.text.trim() ?? '';
  const declared = /^let\s+([\w$]+)\s*=\s*0$/.exec(initializer);
  const bound = /^([\w$]+)\s*<\s*([\w$]+(?:\.[\w$]+)*)\.length$/.exec(condition);
  if (!declared || !bound || declared[1] !== bound[1]) return undefined;
  const index = declared[1];
  const step = new RegExp(`^(${escape(index)}\\s*\\+\\+|\\+\\+\\s*${escape(index)}|${escape(index)}\\s*\\+=\\s*1)$`);
  if (!step.test(increment)) return undefined;
  const body = loop.childForFieldName('body');
  const used = new Set(body ? identifiersIn(body) : []);
  const placeholder = ['_', '_item', '_element'].find((n) => !used.has(n) && n !== index);
  if (!placeholder) return undefined;
  return { params: `(${placeholder}, ${index})`, names: [index], map: (fn) => `Array.from({ length: ${bound[2]}.length }, ${fn})` };
}

function escape(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** The loop rewritten, or undefined when its body has no shape this fix knows. */
function rewriteBody(body: Node, head: LoopHead, lines: LineMap): string | undefined {
  const statements = body.type === 'statement_block' ? body.namedChildren.filter((c) => c.type !== 'comment') : [body];
  if (statements.length === 0) return undefined;
  // The iteration's own names stay its own (a counting loop's index is not stepped inside).
  if (assignsAny(body, head.names)) return undefined;
  const last = statements[statements.length - 1];
  const expression = last.type === 'expression_statement' ? last.namedChildren[0] : undefined;
  if (!expression) return undefined;
  const semicolon = last.text.trimEnd().endsWith(';') ? ';' : '';
  if (statements.length === 1) {
    const shape = statementShape(expression);
    if (!shape) return undefined;
    const { call, target } = shape;
    // The awaited call may not await again, nor read the array the results go to (its length, say).
    if (call.type === 'await_expression' || containsOwn(call, new Set(['await_expression']))) return undefined;
    if (target && !separateTarget(target, [call])) return undefined;
    const mapped = head.map(`${head.params} => ${arrowBody(call)}`);
    return target ? `${target.text}.push(...(await Promise.all(${mapped})))${semicolon}` : `await Promise.all(${mapped})${semicolon}`;
  }
  // Declarations of the iteration's values, then one push of the result.
  const declarations = statements.slice(0, -1);
  if (!declarations.every((s) => s.type === 'lexical_declaration')) return undefined;
  const push = pushCall(expression);
  if (!push || !separateTarget(push.target, [...declarations, push.value])) return undefined;
  const eol = eolOf(lines.text);
  const indent = lines.indentation(body.parent!.startPosition.row + 1);
  const inner = [...declarations.map((d) => `${lines.indentation(d.startPosition.row + 1)}${d.text}`), `${lines.indentation(last.startPosition.row + 1)}return ${push.value.text};`];
  const mapped = head.map(`async ${head.params} => {${eol}${inner.join(eol)}${eol}${indent}}`);
  return `${push.target.text}.push(...(await Promise.all(${mapped})))${semicolon}`;
}

/** Whether the body assigns (or steps) one of the names. */
function assignsAny(body: Node, names: readonly string[]): boolean {
  const wanted = new Set(names);
  const stack = [...body.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'assignment_expression' || node.type === 'augmented_assignment_expression') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && wanted.has(left.text)) return true;
    } else if (node.type === 'update_expression') {
      const argument = node.childForFieldName('argument');
      if (argument?.type === 'identifier' && wanted.has(argument.text)) return true;
    }
    stack.push(...node.children);
  }
  return false;
}

/** The push target is an outer array the rest of the iteration does not read (its length, say). */
function separateTarget(target: Node, others: readonly Node[]): boolean {
  if (target.type !== 'identifier' && target.type !== 'member_expression') return false;
  if (containsOwn(target, new Set(['call_expression', 'await_expression'])) || target.text.includes('this')) return false;
  const root = target.type === 'identifier' ? target.text : identifiersIn(target)[0];
  return root !== undefined && others.every((o) => !identifiersIn(o).includes(root));
}

/** `x.push(value)` with one plain argument. */
function pushCall(expression: Node): { target: Node; value: Node } | undefined {
  if (expression.type !== 'call_expression') return undefined;
  const fn = expression.childForFieldName('function');
  const args = expression.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const target = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
  if (!target || fn?.childForFieldName('property')?.text !== 'push' || args.length !== 1 || args[0].type === 'spread_element') return undefined;
  return { target, value: args[0] };
}

/** `results.push(await f(x))` or `await f(x)`: the awaited call and where results go. */
function statementShape(expression: Node): { call: Node; target?: Node } | undefined {
  if (expression.type === 'await_expression') {
    const call = expression.namedChildren.find((c) => c.type !== 'comment');
    return call ? { call } : undefined;
  }
  if (expression.type !== 'call_expression') return undefined;
  const fn = expression.childForFieldName('function');
  const args = expression.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'push' || args.length !== 1 || args[0].type !== 'await_expression') return undefined;
  const target = fn.childForFieldName('object');
  const call = args[0].namedChildren.find((c) => c.type !== 'comment');
  if (!target || !call || (target.type !== 'identifier' && target.type !== 'member_expression')) return undefined;
  return { call, target };
}

/** An arrow's expression body: an object literal needs parentheses, a sequence too. */
function arrowBody(call: Node): string {
  return call.type === 'object' || call.type === 'sequence_expression' ? `(${call.text})` : call.text;
}

/** Whether an expression is certainly an array (not a Set, a Map, a generator or a string). */
function isArray(node: Node, loop: Node, depth = 0): boolean {
  if (depth > 4) return false;
  if (node.type === 'array') return true;
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren[0];
    return inner ? isArray(inner, loop, depth + 1) : false;
  }
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    if (!fn) return false;
    if (ARRAY_FUNCTIONS.has(fn.text.replace(/\s+/g, ''))) return true;
    // `s.match(re)` may return null; `.split` only on strings, which is fine either way.
    const method = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
    return method !== undefined && method !== 'match' && ARRAY_METHODS.has(method);
  }
  if (node.type !== 'identifier') return false;
  // A `const` whose initializer is an array, in the loop's function or at module level.
  for (let scope: Node | null | undefined = enclosingFunction(loop); ; scope = scope ? enclosingFunction(scope) : null) {
    const container = scope?.childForFieldName('body') ?? rootOf(loop);
    const declared = constInitializer(container, node.text);
    if (declared !== undefined) return declared !== null && isArray(declared, loop, depth + 1);
    const typed = scope ? parameterType(scope, node.text) : undefined;
    if (typed !== undefined) return typed;
    if (!scope) return false;
  }
}

function rootOf(node: Node): Node {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

/**
 * The initializer of `const name = ...` declared in the block (not in nested functions):
 * undefined when not declared there, null when declared some other way.
 */
function constInitializer(block: Node, name: string): Node | null | undefined {
  const stack = [...block.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (FUNCTION_TYPES.has(node.type)) {
      if (node.childForFieldName('name')?.text === name) return null;
      continue;
    }
    if (node.type === 'variable_declarator' && node.childForFieldName('name')?.text === name) {
      const isConst = node.parent?.type === 'lexical_declaration' && node.parent.childForFieldName('kind')?.text === 'const';
      return isConst ? (node.childForFieldName('value') ?? null) : null;
    }
    stack.push(...node.children);
  }
  return undefined;
}

/** A parameter's TypeScript type, when it names an array (`string[]`, `Array<T>`, `readonly T[]`). */
function parameterType(fn: Node, name: string): boolean | undefined {
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  for (const param of params) {
    const pattern = param.childForFieldName('pattern') ?? param;
    if (pattern.text !== name) continue;
    const type = param.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? '';
    return /^(readonly\s+)?[\w$.<>, ]+\[\]$|^(Readonly)?Array<.*>$/.test(type.trim());
  }
  if (fn.childForFieldName('parameter')?.text === name) return false;
  return undefined;
}
