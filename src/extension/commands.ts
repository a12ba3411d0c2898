/**
 * Every command the extension contributes, in one table: ids here, titles, categories and
 * `when` clauses in package.json (`contributes.commands`, `menus.commandPalette`; a unit test
 * keeps the two in step), handlers in `extension.ts`, which must give one per id.
 *
 * Code registers and executes commands only through these constants, so a renamed id is a
 * compile error rather than a silently dead command.
 */
export const Commands = {
  /** Opens the full explanation of a function's verdict (the one at the cursor, or the one given). */
  explainClassification: 'concurrencyLens.explainClassification',
  /** Re-reads the workspace and analyzes the open documents again. */
  reanalyzeWorkspace: 'concurrencyLens.reanalyzeWorkspace',
  /** Reveals the "Concurrency Lens" log output channel. */
  showOutput: 'concurrencyLens.showOutput',
  /** Benchmarks the function at the cursor, or the one given (`BenchTarget`: from a CodeLens or the hover's link). */
  benchmarkFunction: 'concurrencyLens.benchmarkFunction',
  /** Benchmarks every function of the active file (or the one given) that module code can call, one after another. */
  benchmarkFile: 'concurrencyLens.benchmarkFile',
  /** Reveals the Benchmarks view. */
  showBenchmarkPanel: 'concurrencyLens.showBenchmarkPanel',
  /** Forgets every benchmark run of the workspace (after confirmation) and removes their inline results. */
  clearBenchmarkHistory: 'concurrencyLens.clearBenchmarkHistory',
} as const;

/** The Benchmarks view's id (package.json `contributes.views`). */
export const BENCHMARKS_VIEW = 'concurrencyLens.benchmarks';

/** The command VS Code generates for every view: reveals and focuses it. */
export const FOCUS_BENCHMARKS_VIEW = `${BENCHMARKS_VIEW}.focus`;

/** Any command id the extension contributes. */
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** A handler for each command of the table (arguments come from the editor, untyped). */
export type CommandHandlers = Record<keyof typeof Commands, (...args: never[]) => unknown>;
