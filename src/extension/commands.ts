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
} as const;

/** Any command id the extension contributes. */
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** A handler for each command of the table (arguments come from the editor, untyped). */
export type CommandHandlers = Record<keyof typeof Commands, (...args: never[]) => unknown>;
