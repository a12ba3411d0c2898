/**
 * Python loop fixers for waiting loops: a loop of independent blocking calls →
 * `ThreadPoolExecutor.map` (CL301), or in `async def` → `asyncio.gather` over
 * `asyncio.to_thread` (a second fix for CL101); a loop of independent awaits →
 * `asyncio.gather` or a `TaskGroup` (CL302). The shapes they rewrite are fix-loop-shapes.ts's,
 * with `await C` for the per-item work in the CL302 forms.
 */
import type { FixContext, Fixer } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { replaceSpan } from '../../text';
import { spanOf } from '../../parse/syntax';
import { addImport, importedName } from './fix-imports';
import type { EngineEvidence } from '../../propagate';
import { enclosingFunction, freshName, hasMultilineString, hasUnmovable, isDotted, namesIn } from './fix-syntax';
import { blockEdit, callsGenerator, iterable, loopShape, loopShapeOf, mappedCallable, poolMapEdits, statementEdit, usedAsPrimary, workName, type LoopShape } from './fix-loop-shapes';

/**
 * CL301 in a synchronous function: run the iterations in a `ThreadPoolExecutor` with
 * `map` ({@link poolMapEdits}). Per-item work other than `f(x)` becomes a lambda; a tuple
 * target only when the call takes exactly the unpacked names (`lambda args: f(*args)`).
 */
export const ioLoopToThreadPool: Fixer = async (context) => {
  if (context.fn.async) return [];
  const shape = await loopShape(context);
  if (!shape || hasUnmovable(shape.element) || callsGenerator(context, shape)) return [];
  const callable = mappedCallable(shape, namesIn(enclosingFunction(shape.statement)!));
  const edits = callable && (await poolMapEdits(context, shape, 'ThreadPoolExecutor', callable));
  if (!edits) return [];
  const fix: Fix = {
    title: `Run the ${workName(shape.element)} in a thread pool (\`ThreadPoolExecutor.map\`): they overlap their waits; results keep their order, all items are started even if one fails, and the first exception is raised when the results are read`,
    preferred: true,
    edits,
  };
  return [fix];
};

/**
 * CL302 in `async def`: start every awaited call at once with `asyncio.gather`.
 * `for u in urls: out.append(await fetch(u))` → `out.extend(await asyncio.gather(*(fetch(u) for u in urls)))`;
 * `[await fetch(u) for u in urls]` → `await asyncio.gather(*(fetch(u) for u in urls))`;
 * `for u in urls: await fetch(u)` → `await asyncio.gather(*(fetch(u) for u in urls))`.
 * A second, non-preferred fix uses an `asyncio.TaskGroup` (3.11+) for the statement forms.
 */
export const awaitLoopToGather: Fixer = async (context) => {
  const { fn, lines } = context;
  if (!fn.async) return [];
  const shape = await loopShape(context, true);
  if (!shape || shape.element.type !== 'await' || !shape.element.isNamed) return [];
  const call = shape.element.namedChildren[0];
  if (call?.type !== 'call' || hasUnmovable(call)) return [];
  // The rest of the loop must not await (nor yield) anything else: it would now run before the calls.
  if (hasUnmovable(shape.left) || hasUnmovable(shape.right)) return [];
  const root = await context.tree();
  const asyncio = importedName(root, 'asyncio');
  const prefix = asyncio ?? 'asyncio';
  const importEdit = asyncio ? [] : [addImport(root, lines, 'asyncio')];
  const work = workName(shape.element);

  const fixes: Fix[] = [
    {
      title: `Start all the ${work} at once with \`asyncio.gather\`: results keep their order; the first exception propagates here while the other calls keep running`,
      preferred: true,
      edits: [gatherEdit(shape, call.text, prefix, lines), ...importEdit],
    },
  ];
  // `TaskGroup.create_task` takes coroutines only: `loop.run_in_executor` returns a Future and Ray's `.remote` an ObjectRef.
  const notCoroutine = /(^|\.)(run_in_executor|remote)$/.test(call.childForFieldName('function')?.text ?? '');
  const group = notCoroutine ? undefined : taskGroupEdit(shape, call, prefix, lines);
  if (group) {
    fixes.push({
      title: `Run the ${work} as tasks of an \`asyncio.TaskGroup\` (Python 3.11+): all start at once and results keep their order; the first failure cancels the others and is raised as an ExceptionGroup`,
      preferred: false,
      edits: [group, ...importEdit],
    });
  }
  return fixes;
};

/**
 * The loop rewritten to `await asyncio.gather(*(AWAITABLE for x in xs))`, `AWAITABLE` standing
 * for each item's call: `out.extend(...)` for an append loop, the comprehension's value
 * (`set(...)` for a set), or a statement.
 */
function gatherEdit(shape: LoopShape, awaitable: string, asyncio: string, lines: FixContext['lines']): TextEdit {
  let generator: string;
  if (shape.comprehension) {
    const clauses = lines.text.slice(shape.element.endIndex, shape.comprehension.endIndex - 1);
    generator = `${awaitable}${clauses}`;
  } else {
    generator = `${awaitable} for ${shape.left.text} in ${iterable(shape.right)}`;
  }
  const gather = `await ${asyncio}.gather(*(${generator}))`;
  if (shape.comprehension) {
    const replacement = shape.comprehension.type === 'set_comprehension' ? `set(${gather})` : usedAsPrimary(shape.comprehension) ? `(${gather})` : gather;
    return replaceSpan(spanOf(shape.comprehension), replacement);
  }
  return statementEdit(shape, lines, shape.sink ? `${shape.sink.text}.extend(${gather})` : gather);
}

/**
 * CL101 on the per-item call of an independent loop in `async def` (`out.append(load(p))`,
 * `[load(p) for p in paths]`): besides wrapping the one call, every item's call in a worker
 * thread at once, `await asyncio.gather(*(asyncio.to_thread(load, p) for p in paths))`.
 */
export async function blockingLoopToGather(context: FixContext, found: EngineEvidence): Promise<Fix[]> {
  const { fn, lines } = context;
  const fact = found.loop === undefined ? undefined : fn.loops[found.loop];
  if (!fn.async || !fact || found.lazy) return [];
  const shape = await loopShapeOf(context, fact);
  const call = shape?.element;
  if (!shape || call?.type !== 'call' || call.startPosition.row !== call.endPosition.row) return [];
  const span = spanOf(call);
  if (span.line !== found.span.line || span.column !== found.span.column || span.endColumn !== found.span.endColumn) return [];
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || !isDotted(callee) || args?.type !== 'argument_list' || hasUnmovable(call) || hasUnmovable(shape.left) || hasUnmovable(shape.right)) return [];
  const root = await context.tree();
  const asyncio = importedName(root, 'asyncio');
  const prefix = asyncio ?? 'asyncio';
  const inner = args.text.slice(1, -1).trim();
  const awaitable = `${prefix}.to_thread(${callee.text}${inner ? `, ${inner}` : ''})`;
  const fix: Fix = {
    title: `Run the ${workName(call)} in worker threads at once (\`asyncio.gather\` over \`asyncio.to_thread\`): the event loop stays free and the waits overlap; results keep their order; the first exception propagates here while the other calls keep running`,
    preferred: false,
    edits: [gatherEdit(shape, awaitable, prefix, lines), ...(asyncio ? [] : [addImport(root, lines, 'asyncio')])],
  };
  return [fix];
}

/**
 * The TaskGroup form, for a loop statement or a comprehension assigned to a name:
 *   async with asyncio.TaskGroup() as tg:
 *       tasks = [tg.create_task(C) for x in xs]
 *   results = [task.result() for task in tasks]
 */
function taskGroupEdit(shape: LoopShape, call: Node, asyncio: string, lines: FixContext['lines']): TextEdit | undefined {
  const def = enclosingFunction(shape.statement);
  if (!def) return undefined;
  const used = namesIn(def);
  const tg = freshName(used, ['tg', 'task_group']);
  const head = `async with ${asyncio}.TaskGroup() as ${tg}:`;
  const create = `${tg}.create_task(${call.text})`;
  if (!shape.comprehension && !shape.sink) {
    // The loop stays; each iteration schedules its call instead of awaiting it.
    const loop = shape.statement;
    const text = lines.text.slice(loop.startIndex, shape.element.startIndex) + create + lines.text.slice(shape.element.endIndex, loop.endIndex);
    if (hasMultilineString(loop)) return undefined;
    return blockEdit(shape, lines, head, text, undefined, []);
  }
  const tasks = freshName(used, ['tasks', 'pending']);
  const task = freshName(new Set([...used, tasks]), ['task', 't']);
  if (shape.comprehension) {
    const assignment = shape.statement.namedChildren[0];
    if (shape.comprehension.type !== 'list_comprehension' || assignment?.type !== 'assignment' || assignment.childForFieldName('right') !== shape.comprehension) return undefined;
    const target = assignment.childForFieldName('left');
    if (!target || assignment.childForFieldName('type')) return undefined;
    const clauses = lines.text.slice(shape.element.endIndex, shape.comprehension.endIndex - 1);
    return blockEdit(shape, lines, head, `${tasks} = [${create}${clauses}]`, `${target.text} = [${task}.result() for ${task} in ${tasks}]`);
  }
  return blockEdit(shape, lines, head, `${tasks} = [${create} for ${shape.left.text} in ${iterable(shape.right)}]`, `${shape.sink!.text}.extend(${task}.result() for ${task} in ${tasks})`);
}
