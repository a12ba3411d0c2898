/**
 * Benchmark history: every run the user started from the editor, per function, kept in the
 * workspace's state so the panel shows them again after a reload and a run after a quick fix
 * can be compared with the one before.
 *
 * This module is the contract between the benchmark flow (which adds records) and the side
 * panel (which shows them). It has no `vscode` import: the store is given the two methods of a
 * `vscode.Memento` it uses, so it is unit-tested with a plain map.
 */
import type { BenchJson } from '../bench/report';

/** One finished benchmark run of one function. */
export interface BenchRecord {
  /** Unique per run. */
  id: string;
  /**
   * The function's identity across runs and edits: `<path relative to the workspace folder>::<qualified name>`
   * (the absolute path for files outside every folder).
   */
  key: string;
  /** The document's URI string. */
  uri: string;
  /** Qualified name, as `analyze` reports it. */
  name: string;
  /** Source text of the argument list the run used (empty: no arguments). */
  args: string;
  /** When the run finished, epoch milliseconds. */
  at: number;
  /** The run's report: exactly the JSON `concurrency-lens bench --format json` prints. */
  report: BenchJson;
  /** The static analysis' advice for the function when it ran (plain text, one or two sentences). */
  advice: string;
}

/** The part of `vscode.Memento` the store needs. */
export interface HistoryMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** Key of the history in the workspace state. */
export const HISTORY_STATE_KEY = 'concurrencyLens.benchHistory';
/** Runs kept per function (the oldest go first). */
export const RUNS_PER_FUNCTION = 10;
/** Runs kept in all. */
export const RUNS_IN_ALL = 200;

/** The record is well formed enough to show (state written by another version may not be). */
function isRecord(value: unknown): value is BenchRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<BenchRecord>;
  return (
    typeof r.id === 'string' &&
    typeof r.key === 'string' &&
    typeof r.uri === 'string' &&
    typeof r.name === 'string' &&
    typeof r.args === 'string' &&
    typeof r.at === 'number' &&
    typeof r.advice === 'string' &&
    typeof r.report === 'object' &&
    r.report !== null &&
    r.report.version === 1 &&
    Array.isArray(r.report.results)
  );
}

/** The runs, oldest first, persisted on every change. */
export class BenchHistory {
  private records: BenchRecord[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly memento: HistoryMemento) {
    const stored = memento.get<unknown>(HISTORY_STATE_KEY);
    this.records = Array.isArray(stored) ? stored.filter(isRecord) : [];
  }

  /** Every run kept, oldest first. */
  all(): readonly BenchRecord[] {
    return this.records;
  }

  /** The runs of one function, oldest first. */
  forFunction(key: string): BenchRecord[] {
    return this.records.filter((r) => r.key === key);
  }

  /** The most recent run of one function. */
  latest(key: string): BenchRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i].key === key) return this.records[i];
    return undefined;
  }

  /** Adds a run, dropping the oldest beyond the limits; resolves once stored. */
  async add(record: BenchRecord): Promise<void> {
    const next = [...this.records, record];
    const sameFunction = next.filter((r) => r.key === record.key);
    const dropped = new Set(sameFunction.slice(0, Math.max(0, sameFunction.length - RUNS_PER_FUNCTION)));
    this.records = next.filter((r) => !dropped.has(r)).slice(-RUNS_IN_ALL);
    await this.save();
  }

  /** Forgets every run; resolves once stored. */
  async clear(): Promise<void> {
    this.records = [];
    await this.save();
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async save(): Promise<void> {
    await this.memento.update(HISTORY_STATE_KEY, this.records);
    for (const listener of [...this.listeners]) listener();
  }
}
