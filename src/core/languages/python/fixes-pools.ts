/**
 * Python pool fixer: pure-Python CPU work handed to a thread pool → a process pool (CL201).
 *
 * The rewrite changes where the executor is built: `ThreadPoolExecutor(...)` →
 * `ProcessPoolExecutor(...)`, when that construction is visible in the same function
 * (`with ThreadPoolExecutor() as pool:` or `pool = ThreadPoolExecutor()`) and everything
 * the pool is given can cross a process boundary: module-level functions (pickled by
 * name), no lambdas, no local functions. `asyncio.to_thread(f, x)` and
 * `run_in_executor(None, f, x)` get no fix: a process pool built per call costs more than
 * it saves, and a shared one is a design decision the user makes.
 */
import type { Fixer } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { replaceSpan } from '../../text';
import { spanOf } from '../../parse/syntax';
import { addFromImport, importedFrom } from './fix-imports';
import { enclosingFunction, insideAny, isDotted, nodeAt } from './fix-syntax';
import { runsCodeOnImport } from './fix-main-guard';

/** Executor methods that take a callable first; `shutdown` takes none. */
const SUBMITTING = new Set(['map', 'submit']);

/** Keyword arguments `ProcessPoolExecutor` shares with `ThreadPoolExecutor`. */
const SHARED_OPTIONS = new Set(['max_workers', 'initializer', 'initargs']);

export const threadPoolToProcessPool: Fixer = async (context) => {
  const { lines, diagnostic } = context;
  // A free-threaded Python runs the pool's threads in parallel: nothing to fix.
  if (context.environment.freeThreaded) return [];
  const root = await context.tree();
  const callable = nodeAt(root, lines, diagnostic, ['identifier']);
  if (!callable) return [];
  const def = enclosingFunction(callable);
  if (!def || insideAny(callable, new Set(['lambda']), def)) return [];
  const scope = new FunctionScope(root, def);
  if (!scope.isModuleFunction(callable.text)) return [];

  // The call handing it over, and the executor it goes to.
  const args = callable.parent;
  const submit = args?.parent;
  if (args?.type !== 'argument_list' || submit?.type !== 'call') return [];
  const executor = executorOf(submit, callable);
  if (executor?.type !== 'identifier') return [];
  const construction = scope.singleBinding(executor.text);
  if (!construction || !isThreadPoolConstruction(construction, root)) return [];
  // Everything else handed to this pool must cross a process boundary as well.
  for (const use of scope.uses(executor.text)) if (!scope.picklableUse(use)) return [];

  const constructor = construction.childForFieldName('function')!;
  const edits: TextEdit[] = [];
  if (constructor.type === 'attribute') {
    edits.push(replaceSpan(spanOf(constructor.childForFieldName('attribute')!), 'ProcessPoolExecutor'));
  } else {
    const local = importedFrom(root, 'concurrent.futures', 'ProcessPoolExecutor');
    if (!local && scope.functionNames.has('ProcessPoolExecutor')) return [];
    edits.push(replaceSpan(spanOf(constructor), local ?? 'ProcessPoolExecutor'));
    if (!local) edits.push(addFromImport(root, lines, 'concurrent.futures', 'ProcessPoolExecutor'));
  }
  const guard = runsCodeOnImport(root) ? ' (this module runs code at import without one: add it, or every worker process re-runs that code)' : '';
  const fix: Fix = {
    title: `Use a process pool (\`ProcessPoolExecutor\`) for \`${callable.text}\`: its pure-Python work runs in parallel on several cores instead of taking turns under the GIL; arguments and results are pickled, and the spawn/forkserver start methods (macOS, Windows; Linux from Python 3.14) need an \`if __name__ == "__main__":\` guard${guard}`,
    preferred: true,
    edits,
  };
  return [fix];
};

/**
 * The executor expression of a call handing `callable` over: `pool` in `pool.map(f, ...)` /
 * `pool.submit(f, ...)` (f first), `executor` in `loop.run_in_executor(executor, f, ...)`.
 */
function executorOf(call: Node, callable: Node): Node | undefined {
  const fn = call.childForFieldName('function');
  const positional = positionalArguments(call);
  if (fn?.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (SUBMITTING.has(method) && positional[0] === callable) return fn.childForFieldName('object') ?? undefined;
  if (method === 'run_in_executor' && positional[1] === callable) return positional[0];
  return undefined;
}

function positionalArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return [];
  return args.namedChildren.filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment' && !c.type.endsWith('splat'));
}

/** `ThreadPoolExecutor(...)`, `futures.ThreadPoolExecutor(...)`: with options a process pool takes too. */
function isThreadPoolConstruction(call: Node, root: Node): boolean {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || args?.type !== 'argument_list') return false;
  if (fn.type === 'identifier') {
    if (importedFrom(root, 'concurrent.futures', 'ThreadPoolExecutor') !== fn.text) return false;
  } else if (fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'ThreadPoolExecutor' || !isDotted(fn.childForFieldName('object'))) {
    return false;
  }
  const named = args.namedChildren.filter((c) => c.type !== 'comment');
  return named.every((a, i) => (a.type === 'keyword_argument' ? SHARED_OPTIONS.has(a.childForFieldName('name')?.text ?? '') : i === 0 && !a.type.endsWith('splat')));
}

/** What the fixer needs to know about names in the function and the module. */
export class FunctionScope {
  /** Names of functions defined inside the function (not picklable). */
  readonly functionNames = new Set<string>();
  /** Names the function binds (parameters, assignments, loop targets, `as` targets). */
  private readonly bound = new Map<string, Node[]>();

  constructor(
    private readonly root: Node,
    private readonly def: Node,
  ) {
    const body = def.childForFieldName('body');
    const params = def.childForFieldName('parameters');
    for (const p of params?.descendantsOfType('identifier') ?? []) this.bind(p.text, p);
    if (!body) return;
    for (const inner of body.descendantsOfType('function_definition')) {
      const name = inner.childForFieldName('name')?.text;
      if (name) this.functionNames.add(name);
    }
    for (const node of [...body.descendantsOfType('assignment'), ...body.descendantsOfType('as_pattern'), ...body.descendantsOfType('for_statement')]) {
      const target = node.type === 'as_pattern' ? node.childForFieldName('alias') : node.childForFieldName('left');
      for (const id of target?.type === 'identifier' ? [target] : (target?.descendantsOfType('identifier') ?? [])) this.bind(id.text, node);
    }
  }

  private bind(name: string, node: Node): void {
    const list = this.bound.get(name) ?? [];
    list.push(node);
    this.bound.set(name, list);
  }

  /** A function defined at the top of this module (not decorated) or imported from another: picklable by name. */
  isModuleFunction(name: string): boolean {
    if (this.bound.has(name) || this.functionNames.has(name)) return false;
    for (const statement of this.root.namedChildren) {
      if (statement.type === 'function_definition' && statement.childForFieldName('name')?.text === name) return true;
      if (statement.type === 'import_from_statement') {
        for (const child of statement.childrenForFieldName('name')) {
          const local = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child.text;
          if (local === name && !child.text.includes('.')) return true;
        }
      }
    }
    return false;
  }

  /** The call a name is bound to when it is bound exactly once in the function (`with X() as name`, `name = X()`). */
  singleBinding(name: string): Node | undefined {
    const bindings = this.bound.get(name) ?? [];
    if (bindings.length !== 1) return undefined;
    const binding = bindings[0];
    const value = binding.type === 'as_pattern' ? binding.namedChildren[0] : binding.type === 'assignment' ? binding.childForFieldName('right') : undefined;
    return value?.type === 'call' ? value : undefined;
  }

  /** Every read of a name in the function body. */
  uses(name: string): Node[] {
    const body = this.def.childForFieldName('body');
    return (body?.descendantsOfType('identifier') ?? []).filter((id) => id.text === name && !isBinding(id) && !isMember(id));
  }

  /**
   * A use of the executor that a process pool supports: `pool.map/submit(f, ...)` or
   * `loop.run_in_executor(pool, f, ...)` with a module-level `f` and no lambda or local
   * function among the arguments, or `pool.shutdown(...)`.
   */
  picklableUse(use: Node): boolean {
    const parent = use.parent;
    let call: Node | undefined;
    let fn: Node | undefined;
    if (parent?.type === 'attribute' && parent.childForFieldName('object') === use) {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      if (parent.parent?.type !== 'call' || parent.parent.childForFieldName('function') !== parent) return false;
      if (method === 'shutdown') return true;
      if (!SUBMITTING.has(method)) return false;
      call = parent.parent;
      fn = positionalArguments(call)[0];
    } else if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
      call = parent.parent;
      const positional = positionalArguments(call);
      if (call.childForFieldName('function')?.childForFieldName('attribute')?.text !== 'run_in_executor' || positional[0] !== use) return false;
      fn = positional[1];
    }
    if (!call || fn?.type !== 'identifier' || !this.isModuleFunction(fn.text) || insideAny(use, new Set(['lambda']), this.def)) return false;
    const args = call.childForFieldName('arguments')!;
    if (args.descendantsOfType('lambda').length > 0) return false;
    return !args.descendantsOfType('identifier').some((id) => this.functionNames.has(id.text));
  }
}

function isBinding(id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'as_pattern_target') return true;
  return parent?.type === 'assignment' && parent.childForFieldName('left') === id;
}

function isMember(id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'attribute') return parent.childForFieldName('attribute') === id;
  if (parent?.type === 'keyword_argument') return parent.childForFieldName('name') === id;
  return false;
}
