/**
 * What the benchmark commands are given, checked on arrival. The commands run from the palette
 * (no argument), from a CodeLens and from the hover's command link (a target), and from tests
 * and other extensions (a target with the argument list): whatever arrives is untyped, so it is
 * checked here before anything runs, and the function must then exist in the file's analysis.
 *
 * No `vscode` import: unit-tested as it is.
 */
import * as path from 'node:path';

/** A function to benchmark: by document URI and qualified name, optionally with its arguments. */
export interface BenchTarget {
  /** The document's URI string (`file:` only: the harness imports the file from disk). */
  uri: string;
  /** Qualified name, as the analysis reports it (`Class.method`). */
  name: string;
  /**
   * Source text of the argument list. Given: no input box (tests, scripts). Omitted: the user is
   * asked, with the last arguments used for the function (or a guess) filled in.
   */
  args?: string;
}

/** What `concurrencyLens.benchmarkFile` takes: a document, else the active editor's. */
export interface BenchFileTarget {
  uri: string;
}

/** Longest qualified name accepted (real ones are far shorter). */
const MAX_NAME = 512;
/** Longest argument list accepted, characters. */
export const MAX_ARGS = 10_000;
const MAX_URI = 4096;

/** The outcome of a check: the value, or why it was refused (for a message to the user). */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `file:` URI string, or why not. */
function checkUri(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URI) return 'the function\'s document must be given as a URI string';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return `not a URI: ${raw.slice(0, 100)}`;
  }
  if (parsed.protocol !== 'file:') return `only files on disk can be benchmarked (got a ${parsed.protocol.replace(/:$/, '')}: document)`;
  return undefined;
}

/** Checks the argument of `concurrencyLens.benchmarkFunction` (undefined: none was given). */
export function checkBenchTarget(raw: unknown): Checked<BenchTarget | undefined> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (!isPlainObject(raw)) return { ok: false, problem: 'expected { uri, name, args? }' };
  const uriProblem = checkUri(raw.uri);
  if (uriProblem) return { ok: false, problem: uriProblem };
  const name = raw.name;
  // Names come from the analysis; anything with a line break or control character did not.
  // eslint-disable-next-line no-control-regex
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
    return { ok: false, problem: 'the function must be given by its qualified name (a short string on one line)' };
  }
  const target: BenchTarget = { uri: raw.uri as string, name };
  if (raw.args !== undefined) {
    if (typeof raw.args !== 'string') return { ok: false, problem: 'the arguments must be the source text of an argument list (a string)' };
    const problem = argumentsProblem(raw.args);
    if (problem) return { ok: false, problem };
    target.args = raw.args;
  }
  return { ok: true, value: target };
}

/** Checks the argument of `concurrencyLens.benchmarkFile` (a target naming a function is accepted too: its document counts). */
export function checkFileTarget(raw: unknown): Checked<BenchFileTarget | undefined> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  // The explorer's context menu passes a URI object; a string or { uri } come from links and scripts.
  const uri = typeof raw === 'string' ? raw : isPlainObject(raw) ? (typeof raw.uri === 'string' ? raw.uri : undefined) : undefined;
  const problem = checkUri(uri);
  return problem ? { ok: false, problem } : { ok: true, value: { uri: uri! } };
}

/**
 * Why an argument list typed by the user cannot be sent, or undefined when it can. Only what
 * is wrong whatever the language is caught here; the harness reports syntax errors with the
 * interpreter's own message.
 */
export function argumentsProblem(text: string): string | undefined {
  if (text.length > MAX_ARGS) return `the argument list is longer than ${MAX_ARGS} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000]/.test(text)) return 'the argument list contains a NUL character';
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '#' && depth >= 0) return undefined; // a Python comment: the rest is the interpreter's to judge
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth < 0) return `unbalanced '${c}' at character ${i + 1}: give the arguments without the call's own parentheses, e.g. 10, 'text'`;
  }
  if (quote) return `a string is not closed (${quote})`;
  if (depth > 0) return 'a bracket is not closed';
  return undefined;
}

/**
 * A function's identity across runs and edits, as the history keys it:
 * `<path relative to the workspace folder>::<qualified name>` with `/` separators, or the
 * absolute path for a file outside the folder.
 */
export function functionKey(filePath: string, folderPath: string | undefined, name: string): string {
  if (folderPath) {
    const relative = path.relative(folderPath, filePath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return `${relative.split(path.sep).join('/')}::${name}`;
  }
  return `${filePath}::${name}`;
}

/** The parts of an analyzed function that say where it sits. */
interface Placed {
  name: string;
  line: number;
  endLine: number;
}

/**
 * Whether the function is defined inside another function (`outer.inner`): such a function
 * cannot be reached from the module, so the harness cannot call it. `Class.method` can be.
 */
export function nestedInFunction(functions: readonly Placed[], fn: Placed): boolean {
  return functions.some((outer) => outer !== fn && fn.name.startsWith(`${outer.name}.`) && outer.line <= fn.line && fn.endLine <= outer.endLine);
}

/**
 * Whether a benchmark can reach the function by its name from the module: not nested in a
 * function, not anonymous (`<anonymous>`), not a computed member (`[Symbol.iterator]`).
 */
export function isBenchmarkable(functions: readonly Placed[], fn: Placed): boolean {
  return !/[<>[\]]/.test(fn.name) && !nestedInFunction(functions, fn);
}
