/**
 * The ids of every command the extension contributes, in one table.
 *
 * Each id must also appear in `package.json` under `contributes.commands` (with a `category`);
 * code registers and executes commands only through these constants so that a renamed id is a
 * compile error rather than a silently dead command.
 */
export const Commands = {
  /** Reveals the "Concurrency Lens" log output channel. */
  showOutput: 'concurrencyLens.showOutput',
} as const;

/** Any command id the extension contributes. */
export type CommandId = (typeof Commands)[keyof typeof Commands];
