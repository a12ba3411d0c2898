/**
 * What a language extractor hands to the language-neutral engine: per function, the
 * evidence found in its own body, the calls to project functions (not yet resolved
 * across files), and the loops that could run their iterations concurrently.
 */
import type { PoolKind } from './catalog';
import type { Evidence, LanguageId, Span } from './model';

/**
 * A reference to a project function, resolved by the workspace.
 * `level` -1: a qualified name in the same file. 0: an absolute dotted path
 * (`pkg.helpers.get_json`, module part and name part split by the resolver).
 * n > 0: relative to the file's package, Python-style (`.helpers.get_json` is level 1).
 * For JS/TS, `specifier` holds the module specifier (`./helpers`) and `dotted` the export path.
 */
export interface ProjectRef {
  level: number;
  dotted: string;
  specifier?: string;
}

/** A call from one function to a (possibly) project function. */
export interface CallFact {
  span: Span;
  ref: ProjectRef;
  awaited: boolean;
  /** Set when the callee is handed to a pool or another process instead of being run here. */
  offloaded?: PoolKind;
  /**
   * The API that picked the pool, as the catalog names it (`concurrent.futures.ThreadPoolExecutor.submit`,
   * `joblib.Parallel.threads`): the advice for a wrong pool depends on it.
   */
  offloadedBy?: string;
  /** Index into {@link FunctionFacts.loops} of the innermost loop whose variable the call uses. */
  loop?: number;
}

/** Evidence plus where it sits, before propagation. */
export interface LocalEvidence extends Evidence {
  awaited: boolean;
  /** A loop shape that schedules I/O or awaits rather than computing (see propagate.ts). */
  drivesIo?: boolean;
  /** For loop shapes: the whole loop, to tell whether the I/O happens inside it. */
  region?: Span;
  /** As in {@link CallFact.loop}. */
  loop?: number;
}

/** A loop whose iterations might run concurrently. */
export interface LoopFact {
  /** The loop header (`for url in urls:`). */
  span: Span;
  /** No carried variables, no break/return, no ordering dependence: iterations could run in any order. */
  independent: boolean;
  /** Why the loop is not independent, for explanations. */
  dependence?: string;
  /** Iterates a literal collection or `range(constant)`: a handful of items, nothing to overlap. */
  fixedCount?: boolean;
  /** The whole loop, header and body. */
  region?: Span;
}

/** One function as its extractor saw it. */
export interface FunctionFacts {
  /** Qualified name, unique within the file. */
  name: string;
  line: number;
  endLine: number;
  nameSpan: Span;
  async: boolean;
  params: string[];
  evidence: LocalEvidence[];
  calls: CallFact[];
  loops: LoopFact[];
  /**
   * Runs on the event loop on behalf of others even when not async: a request handler
   * (`app.get(path, (req, res) => ...)`, `http.createServer(...)`). Blocking here blocks everyone.
   */
  handler?: boolean;
  /**
   * Calls of this function run elsewhere, wherever they are made: a decorator hands it over
   * (`@dask.delayed`, `@udf`, `@ray.remote`). The callers in other files only learn it from
   * here, when the graph links them (their own facts stay as extracted, cached or not).
   */
  runsElsewhere?: PoolKind;
  /**
   * Calling it runs none of its body: a generator function (`yield`, `function*`), a
   * `@contextmanager` one among them. Its work runs where the result is iterated or entered, so
   * a fix may not move the call alone to a thread, a process or a worker.
   */
  generator?: boolean;
}

/** One file as its extractor saw it. */
export interface ModuleFacts {
  path: string;
  language: LanguageId;
  functions: FunctionFacts[];
  /**
   * Names the module binds by import, for following re-exports
   * (`from .impl import fetch` in `__init__.py`; `export { fetch } from './impl'`).
   */
  reexports: Map<string, ProjectRef>;
  /** JS/TS: export name → the qualified name of the local function or class it is. */
  exports?: Map<string, string>;
  /** JS/TS: specifiers of `export * from '...'`. */
  starExports?: string[];
  /** Count of syntax error nodes; the functions that parsed are still reported. */
  syntaxErrors: number;
}
