/**
 * Python quick fixes, by diagnostic code. Each fixer checks its preconditions and
 * returns edits; the engine (../../fixes.ts) re-parses the result and drops any that
 * would not parse. Loop fixers live in fixes-loops.ts (waiting loops) and fixes-cpu.ts
 * (computing loops), pool fixers in fixes-pools.ts.
 */
import { isIoCategory } from '../../categories';
import type { FixContext, Fixer, Fixers } from '../../fixes';
import type { Fix } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { replaceSpan } from '../../text';
import { addImport, importedName } from './fix-imports';
import { enclosingFunction, hasMultilineString, insideAny, isDotted, nodeAt } from './fix-syntax';
import { cpuLoopToParallel } from './fixes-cpu';
import { awaitLoopToGather, blockingLoopToGather, ioLoopToThreadPool } from './fixes-loops';
import { threadPoolToProcessPool } from './fixes-pools';

/** The evidence a CL101 finding reports (its span is the call site in this function). */
function blockingEvidence({ diagnostic, evidence }: FixContext) {
  return evidence.find((e) => isIoCategory(e.category) && e.blocking && e.span.line === diagnostic.line && e.span.column === diagnostic.column);
}

/** CL101 on `time.sleep(...)` in `async def`: `await asyncio.sleep(...)`. */
const sleepToAsyncioSleep: Fixer = async (context) => {
  const { diagnostic, evidence, lines } = context;
  const sleep = evidence.find((e) => e.call === 'time.sleep' && e.via.length === 0 && e.span.line === diagnostic.line && e.span.column === diagnostic.column);
  if (!sleep) return [];
  const call = lines.slice(sleep.span);
  const open = call.indexOf('(');
  if (open < 0) return [];
  const root = await context.tree();
  const asyncio = importedName(root, 'asyncio');
  const edits = [replaceSpan(sleep.span, `await ${asyncio ?? 'asyncio'}.sleep${call.slice(open)}`)];
  if (!asyncio) edits.push(addImport(root, lines, 'asyncio'));
  const fix: Fix = { title: 'Use `await asyncio.sleep(...)`: other tasks run while this one waits', preferred: true, edits };
  return [fix];
};

/**
 * Where an `await` inside an `async def` would change what the code means: a lambda or a
 * nested function (not async, or not this one), a generator expression (it would become
 * an async generator that `sum(...)`, `list(...)` cannot consume).
 */
const NO_AWAIT_HERE = new Set(['lambda', 'generator_expression', 'function_definition', 'class_definition', 'decorator']);

/**
 * CL101 on any other blocking call in `async def`, direct or through a synchronous helper:
 * `x = requests.get(url, timeout=5)` → `x = await asyncio.to_thread(requests.get, url, timeout=5)`.
 * Preconditions: the callee is a name or an attribute chain (`requests.get`, `self.load`),
 * the call is not awaited already, and an `await` is legal and means the same where it sits.
 * A call whose result is used further (`requests.get(u).json()`) gets parentheses.
 */
const blockingToThread: Fixer = async (context) => {
  const { fn, lines } = context;
  const found = blockingEvidence(context);
  // A generator's call (a `@contextmanager` one's) does none of its work: `to_thread` would move nothing.
  if (!fn.async || !found || found.call === 'time.sleep' || found.lazy) return [];
  const root = await context.tree();
  const call = nodeAt(root, lines, found.span, ['call']);
  const callee = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments');
  if (!call || !callee || !isDotted(callee) || args?.type !== 'argument_list') return [];
  const def = enclosingFunction(call);
  if (!def || def.children[0]?.type !== 'async' || insideAny(call, NO_AWAIT_HERE, def)) return [];
  // In the body: a default value or an annotation is evaluated where `await` is not allowed.
  const body = def.childForFieldName('body');
  if (!body || call.startIndex < body.startIndex) return [];
  if (call.parent?.type === 'await') return [];

  const asyncio = importedName(root, 'asyncio');
  // `await` binds looser than `.attr`, `[i]` and `(...)`: keep the result's further use outside.
  const parent = call.parent;
  const usedAsPrimary =
    (parent?.type === 'attribute' && parent.childForFieldName('object') === call) ||
    (parent?.type === 'subscript' && parent.childForFieldName('value') === call) ||
    (parent?.type === 'call' && parent.childForFieldName('function') === call);
  const open = `${usedAsPrimary ? '(' : ''}await ${asyncio ?? 'asyncio'}.to_thread(`;
  const replacement = `${open}${toThreadArguments(call, callee, args, lines.text, open.length)})${usedAsPrimary ? ')' : ''}`;
  const edits = [replaceSpan(found.span, replacement)];
  if (!asyncio) edits.push(addImport(root, lines, 'asyncio'));
  const what = found.via.length > 0 ? `\`${found.via[0]}\`` : `\`${found.call}\``;
  const fix: Fix = {
    title: `Run ${what} in a worker thread with \`await asyncio.to_thread(...)\`: the event loop keeps serving other tasks while it blocks (cancelling this task does not stop the call already running in the thread)`,
    preferred: true,
    edits,
  };
  return [fix];
};

/**
 * What goes between `to_thread(` and `)`: the callee, then the arguments as written (comments,
 * line breaks, keyword arguments) in the call's layout. Hanging arguments (a line break after the
 * bracket) get the callee on a line of its own, indented as they are; arguments aligned with the
 * bracket have their continuation lines moved right with it, under the callee (not when a
 * string spans lines: that would change the string), as PEP 8's continuation lines want.
 */
function toThreadArguments(call: Node, callee: Node, args: Node, text: string, openLength: number): string {
  const inner = text.slice(args.startIndex + 1, args.endIndex - 1);
  if (inner.trim() === '') return callee.text;
  const hanging = /^[ \t]*(\r?\n)/.exec(inner);
  if (hanging) {
    const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '';
    return `${hanging[1]}${indent}${callee.text},${inner.replace(/^[ \t]+/, '')}`;
  }
  const first = inner.trimStart();
  const aligned = args.startPosition.column + 1 + (inner.length - first.length);
  // Aligned with the bracket's first element, which is now the callee.
  const shift = call.startPosition.column + openLength - aligned;
  // The lines' indentation (a closing bracket's line too), up to their first character.
  const indents = /\n([ \t]*)(?=\S|$)/g;
  // Lines indented less than the arguments (a closing bracket back at the statement's indent) stay.
  const lines = [...first.matchAll(indents)].map((m) => m[1]).filter((ws) => ws.length >= aligned);
  const movable = shift !== 0 && lines.length > 0 && call.startPosition.row === args.startPosition.row && !hasMultilineString(args) && !lines.some((ws) => ws.includes('\t'));
  // Right or left (a long callee): those lines are indented at least `aligned`, more than a left shift takes.
  const moved = (ws: string): string => (shift > 0 ? ws + ' '.repeat(shift) : ws.slice(0, ws.length + shift));
  return `${callee.text}, ${movable ? first.replace(indents, (line: string, ws: string) => (ws.length >= aligned ? `\n${moved(ws)}` : line)) : first}`;
}

/**
 * CL101: the `asyncio.sleep` rewrite for `time.sleep`, else the `to_thread` wrap; for the
 * per-item call of an independent loop, also every item's call in a thread at once.
 */
const blockingInAsync: Fixer = async (context) => {
  const sleep = await sleepToAsyncioSleep(context);
  if (sleep.length > 0) return sleep;
  const found = blockingEvidence(context);
  return [...(await blockingToThread(context)), ...(found ? await blockingLoopToGather(context, found) : [])];
};

export const PYTHON_FIXERS: Fixers = {
  CL101: blockingInAsync,
  CL201: threadPoolToProcessPool,
  CL202: cpuLoopToParallel,
  CL301: ioLoopToThreadPool,
  CL302: awaitLoopToGather,
};
