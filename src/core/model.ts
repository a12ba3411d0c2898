/**
 * Plain data shared by the analyzer, the CLI and the editor front.
 * Nothing here knows about VS Code; positions are 1-based lines and 1-based
 * columns counted in UTF-16 code units (what VS Code and the CLI contract use).
 */

/** Languages the engine analyzes. JavaScript and TypeScript share one analyzer. */
export type LanguageId = 'python' | 'javascript' | 'typescript';

/** The verdict for one function. */
export type Kind = 'io' | 'cpu' | 'mixed' | 'neither';

/** How sure the verdict is. */
export type Confidence = 'high' | 'medium' | 'low';

/** Severity of a diagnostic, as the CLI contract spells it. */
export type Severity = 'hint' | 'information' | 'warning';

/**
 * What a piece of evidence is about. I/O categories make a function wait;
 * CPU categories make it compute.
 */
export type IoCategory = 'network' | 'file' | 'database' | 'process' | 'wait' | 'offload';
export type CpuCategory =
  | 'hashing'
  | 'compression'
  | 'serialization'
  | 'regex'
  | 'numeric'
  | 'image'
  | 'loops'
  | 'nested-loops'
  | 'recursion'
  | 'comprehension'
  | 'arithmetic'
  | 'string-building'
  | 'sorting';
export type Category = IoCategory | CpuCategory;

/** 1-based start and end of a piece of source, columns in UTF-16 code units. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Where a chain of evidence ends: the leaf call, possibly in another file. */
export interface Origin {
  path: string;
  line: number;
  column: number;
}

/**
 * One reason for a verdict. For evidence inherited from a project function,
 * `span` is the call site in *this* function, `via` names the project
 * functions the chain passes through (outermost first) and `origin` is the
 * leaf call in whichever file it lives.
 */
export interface Evidence {
  span: Span;
  /** The resolved call (`requests.get`) or the construct (`nested loops`). */
  call: string;
  category: Category;
  /** I/O that blocks the calling thread (as opposed to awaitable I/O). */
  blocking: boolean;
  /** Strength of this signal: 1 weak, 2 medium, 3 strong. */
  weight: 1 | 2 | 3;
  via: string[];
  origin: Origin;
}

/** A text edit; positions as in {@link Span}. */
export interface TextEdit extends Span {
  newText: string;
}

/**
 * A quick fix attached to a diagnostic: edits to the diagnostic's file, and new files it
 * creates (a worker module). The engine only keeps fixes whose result parses.
 */
export interface Fix {
  /** Says what changes in behaviour (ordering, cancellation, exceptions). */
  title: string;
  preferred: boolean;
  edits: TextEdit[];
  /** Files the fix creates, by path relative to the diagnostic's file's folder. */
  createFiles?: Array<{ path: string; text: string }>;
}

/** A finding about a function, with a stable code. */
export interface Diagnostic extends Span {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Qualified name of the function the finding sits in. */
  functionName: string;
  fixes: Fix[];
}

/**
 * Stable diagnostic codes, shared by every language where the meaning is shared.
 * CL1xx: work on the event loop; CL2xx: the wrong pool; CL3xx: missed concurrency.
 */
export type DiagnosticCode =
  | 'CL101' // blocking I/O inside an async function (or an event-loop handler)
  | 'CL102' // CPU-heavy work inside an async function (blocks the event loop)
  | 'CL201' // pure-interpreter CPU work submitted to a thread pool
  | 'CL202' // a loop of independent pure-interpreter CPU calls, run one after another
  | 'CL301' // a loop of independent blocking I/O calls (could run concurrently)
  | 'CL302'; // sequential independent awaits in a loop

/** One function (or lambda bound to a name) and its verdict. */
export interface FunctionResult {
  /** Qualified name: `Class.method`, `outer.inner`, `name`. */
  name: string;
  /** The line of the `def` keyword (Python) or of the name (JS/TS). */
  line: number;
  endLine: number;
  /** Span of the function's name (for hovers and CodeLens). */
  nameSpan: Span;
  async: boolean;
  kind: Kind;
  confidence: Confidence;
  /** Strongest first. */
  evidence: Evidence[];
  /** Parameter names, in order (for benchmarks and fixes). */
  params: string[];
}

/** Analysis of one file. `error` is set when the file could not be read or parsed at all. */
export interface FileResult {
  path: string;
  language: LanguageId;
  functions: FunctionResult[];
  diagnostics: Diagnostic[];
  /** Set when the file has syntax errors but was still analyzed. */
  syntaxErrors?: number;
  error?: string;
}

/** A source file handed to the engine. */
export interface SourceFile {
  /** The path as found (relative or absolute); used for module resolution and reports. */
  path: string;
  text: string;
}

/**
 * One catalog entry a user may add (e.g. from settings):
 * `"mycompany.db.query": "database"`. The key is a fully qualified call name.
 */
export type CatalogExtension = Record<string, Category>;

/** Options of one analysis run. */
export interface AnalyzeOptions {
  /** Extra catalog entries per language. */
  extraCalls?: Partial<Record<'python' | 'javascript', CatalogExtension>>;
}
