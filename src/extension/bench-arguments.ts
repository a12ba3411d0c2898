/**
 * The arguments last used to benchmark each function, remembered per workspace (keyed like the
 * history: `<relative path>::<name>`), and what the input box starts with: those, or a guess from
 * the parameters. No `vscode` import: the store is given the two methods of a `vscode.Memento`.
 */
import type { Signature } from '../core/parameters';
import { guessArguments, type ArgumentLanguage } from '../core/parameters-guess';
import type { HistoryMemento } from './bench-history';

/** Key of the remembered arguments in the workspace state. */
export const ARGUMENTS_STATE_KEY = 'concurrencyLens.benchArguments';
/** Functions remembered at most (the least recently used go first). */
export const REMEMBERED_FUNCTIONS = 500;

/** Last arguments per function. */
export class ArgumentMemory {
  constructor(private readonly memento: HistoryMemento) {}

  private entries(): Array<[string, string]> {
    const stored = this.memento.get<unknown>(ARGUMENTS_STATE_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.filter((e): e is [string, string] => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
  }

  /** The arguments last used for the function, if any. */
  get(key: string): string | undefined {
    return this.entries().find(([k]) => k === key)?.[1];
  }

  /** Remembers the arguments used for the function (most recent last); resolves once stored. */
  async remember(key: string, args: string): Promise<void> {
    const kept = this.entries().filter(([k]) => k !== key);
    kept.push([key, args]);
    await this.memento.update(ARGUMENTS_STATE_KEY, kept.slice(-REMEMBERED_FUNCTIONS));
  }

  /** What the input box starts with: the last arguments used, else a guess from the parameters. */
  prefill(key: string, signature: Signature | undefined, language: ArgumentLanguage): string {
    return this.get(key) ?? (signature ? guessArguments(signature, language) : '');
  }
}
