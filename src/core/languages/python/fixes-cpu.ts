/**
 * Python fixers for CL202, a loop of independent pure-Python CPU calls run one after another:
 * the calls in parallel processes (`ProcessPoolExecutor.map`, preferred while the GIL is on),
 * distributed with Dask (`client.map`) or Ray (`ray.remote`) when the project's environment has
 * them, and in a thread pool when its Python is free-threaded (then preferred).
 *
 * The loop shapes are fix-loop-shapes.ts's, and only those that keep their results (a
 * comprehension, an `append` loop): a call whose result is dropped runs for its effects, which
 * another process would keep to itself. Work that leaves this process must be `f(x)` exactly:
 * `x` the loop variable and `f` a function defined at the top of a module (pickled by reference
 * for a process pool; Dask and Ray ship it too), never a lambda, a nested function or a method.
 */
import type { FixContext, Fixer } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { addFromImport, addImport, importedFrom, importedName } from './fix-imports';
import { blockEdit, callsGenerator, iterable, loopShape, mappedCallable, poolMapEdits, statementEdit, statementWith, type LoopShape } from './fix-loop-shapes';
import { mainGuardEdit } from './fix-main-guard';
import { enclosingFunction, freshName, hasMultilineString, hasUnmovable, indentStep, lineBreak, namesIn } from './fix-syntax';
import { FunctionScope } from './fixes-pools';

/** What every CPU-loop fix builds on: the loop, its function, and the module's tree. */
interface CpuLoop {
  context: FixContext;
  shape: LoopShape;
  def: Node;
  root: Node;
}

/** The fixes for a CL202 finding, the preferred one first (the engine marks it). */
export const cpuLoopToParallel: Fixer = async (context) => {
  const { fn, environment } = context;
  if (fn.async) return [];
  const shape = await loopShape(context);
  if (!shape || (!shape.comprehension && !shape.sink) || hasUnmovable(shape.element) || callsGenerator(context, shape)) return [];
  const loop: CpuLoop = { context, shape, def: enclosingFunction(shape.statement)!, root: await context.tree() };
  const fixes: Fix[] = [];
  if (environment.freeThreaded) fixes.push(...(await threadPoolFix(loop)));
  const callee = picklableCallee(loop);
  if (callee) {
    fixes.push(...(await processPoolFix(loop, callee)));
    if (environment.pythonModules.has('distributed')) fixes.push(...daskFix(loop, callee));
    if (environment.pythonModules.has('ray')) fixes.push(...rayFix(loop, callee));
  }
  return fixes;
};

/** `f` when the per-item work is `f(x)` with `x` the loop variable and `f` a module-level function. */
function picklableCallee({ shape, root, def }: CpuLoop): string | undefined {
  const { element, left } = shape;
  if (element.type !== 'call' || left.type !== 'identifier') return undefined;
  const callee = element.childForFieldName('function');
  const args = element.childForFieldName('arguments');
  if (callee?.type !== 'identifier' || args?.type !== 'argument_list') return undefined;
  const [only, ...more] = args.namedChildren;
  if (more.length > 0 || only?.type !== 'identifier' || only.text !== left.text || callee.text === left.text) return undefined;
  return new FunctionScope(root, def).isModuleFunction(callee.text) ? callee.text : undefined;
}

/** How a fix's title names the per-item work. */
function workOf(callee: string): string {
  return `\`${callee}\` calls`;
}

/** Who needs the guard for a process pool: the start methods that import the main module in each worker. */
const POOL_STARTERS = 'the spawn and forkserver start methods (macOS, Windows, Linux from 3.14)';
/** Who needs it for Dask, on every platform: its local cluster starts workers by spawn (`distributed.worker.multiprocessing-method`). */
const DASK_STARTERS = "Dask's worker processes (started by spawn everywhere)";

/**
 * The guard the fix adds, or what its title says the caller must do, naming `needers` (what
 * imports the module again); undefined when the module cannot be guarded cleanly.
 */
function guarding({ context, root, def }: CpuLoop, needers: string): { edits: TextEdit[]; note: string } | undefined {
  const guard = mainGuardEdit(root, context.lines, indentStep(context.lines, def));
  if (!guard) return undefined;
  if (guard === 'guarded') return { edits: [], note: `callers of \`${context.fn.name}\` must run under \`if __name__ == "__main__":\` for ${needers}` };
  return { edits: [guard], note: `the module's top-level calls move under \`if __name__ == "__main__":\` for ${needers}` };
}

/** On a free-threaded Python: the same loop in a thread pool, whatever callable `map` needs. */
async function threadPoolFix({ context, shape, def }: CpuLoop): Promise<Fix[]> {
  const callable = mappedCallable(shape, namesIn(def));
  const edits = callable && (await poolMapEdits(context, shape, 'ThreadPoolExecutor', callable));
  if (!edits) return [];
  const title =
    'Run the iterations in a thread pool (`ThreadPoolExecutor.map`): this Python runs without the GIL, so threads compute in parallel (no pickling, no process start-up); results keep their order, the first exception is raised when they are read';
  return [{ title, preferred: false, edits }];
}

async function processPoolFix(loop: CpuLoop, callee: string): Promise<Fix[]> {
  const guard = guarding(loop, POOL_STARTERS);
  const edits = guard && (await poolMapEdits(loop.context, loop.shape, 'ProcessPoolExecutor', callee));
  if (!guard || !edits) return [];
  const title = `Run the ${workOf(callee)} in parallel processes (\`ProcessPoolExecutor.map\`): several cores despite the GIL; items and results are pickled; results keep their order, the first exception is raised when they are read; ${guard.note}`;
  return [{ title, preferred: false, edits: [...edits, ...guard.edits] }];
}

/** The loop's statement with its results computed by `results` (an expression giving a list in order). */
function resultsStatement(shape: LoopShape, results: string): string {
  if (!shape.comprehension) return `${shape.sink!.text}.extend(${results})`;
  return statementWith(shape, shape.comprehension.type === 'set_comprehension' ? `set(${results})` : results);
}

/**
 * Dask: `with Client() as client: results = client.gather(client.map(f, xs))`. A `Client()`
 * connects to the configured scheduler, else starts a local cluster and closes it at the end
 * of the block; its worker processes import the main module, hence the guard.
 */
function daskFix(loop: CpuLoop, callee: string): Fix[] {
  const { context, shape, root, def } = loop;
  const guard = guarding(loop, DASK_STARTERS);
  if (!guard || hasMultilineString(shape.statement)) return [];
  const edits: TextEdit[] = [];
  let client = importedFrom(root, 'dask.distributed', 'Client') ?? importedFrom(root, 'distributed', 'Client');
  if (!client) {
    if (namesIn(root).has('Client')) return [];
    client = 'Client';
    edits.push(addFromImport(root, context.lines, 'dask.distributed', 'Client'));
  }
  const name = freshName(namesIn(def), ['client', 'dask_client']);
  const inner = resultsStatement(shape, `${name}.gather(${name}.map(${callee}, ${iterable(shape.right)}))`);
  edits.push(blockEdit(shape, context.lines, `with ${client}() as ${name}:`, inner), ...guard.edits);
  const title = `Distribute the ${workOf(callee)} with Dask (\`client.map\`): \`Client()\` starts a local cluster (seconds) unless a scheduler address is configured, so it pays for long calls only; identical calls run once (\`${callee}\` is taken as pure); results keep their order, \`gather\` raises the first exception; ${guard.note}`;
  return [{ title, preferred: false, edits }];
}

/**
 * Ray: `f_remote = ray.remote(f)` where the loop was (decorating `f` would change how every
 * other caller calls it), then `ray.get([f_remote.remote(x) for x in xs])`. Ray ships the
 * function by value: no guard needed.
 */
function rayFix({ context, shape, root, def }: CpuLoop, callee: string): Fix[] {
  const { lines } = context;
  const edits: TextEdit[] = [];
  let ray = importedName(root, 'ray');
  if (!ray) {
    if (namesIn(root).has('ray')) return [];
    ray = 'ray';
    edits.push(addImport(root, lines, 'ray'));
  }
  const remote = freshName(namesIn(def), [`${callee}_remote`]);
  const x = shape.left.text;
  const inner = resultsStatement(shape, `${ray}.get([${remote}.remote(${x}) for ${x} in ${iterable(shape.right)}])`);
  const newLine = `${lineBreak(lines)}${lines.indentation(shape.statement.startPosition.row + 1)}`;
  const step = indentStep(lines, def);
  edits.push(statementEdit(shape, lines, [`if not ${ray}.is_initialized():`, `${step}${ray}.init()`, `${remote} = ${ray}.remote(${callee})`, inner].join(newLine)));
  const title = `Distribute the ${workOf(callee)} with Ray (\`ray.remote\`): \`ray.init()\` starts a local Ray instance unless one is running or an address is configured, so it pays for long calls only; \`${callee}\` and its items are serialized to Ray's workers, its other callers are unchanged; results keep their order, \`ray.get\` raises the first failure`;
  return [{ title, preferred: false, edits }];
}
