/**
 * The call catalog: what a resolved call does, kept as data per language so users
 * can extend it (settings, CLI) without touching code.
 *
 * Keys are fully qualified names (`requests.get`, `sqlite3.Connection.execute`).
 * A key ending in `*` matches every name that starts with the rest
 * (`requests.Session.*`, `os.spawn*`); the exact key wins, then the longest prefix.
 */
import type { Category, CatalogExtension } from './model';
import { isIoCategory } from './categories';

/** Which kind of pool an offloading API hands its callable to. */
export type PoolKind = 'thread' | 'dedicated-thread' | 'process' | 'interpreter' | 'worker' | 'remote' | 'unknown';

/** Where the offloaded callable sits among the call's arguments. */
export interface OffloadSpec {
  /** Positional index of the callable, or a keyword name (`target`). */
  arg: number | string;
  pool: PoolKind;
  /**
   * Where the executor is passed (`loop.run_in_executor(executor, fn)`): `None` means
   * the default pool (`pool`); otherwise the pool kind comes from the executor's type.
   */
  executorArg?: number;
  /**
   * A task wrapper (`joblib.delayed(f)`): the callable runs in the pool of the call that
   * receives the task (see {@link CatalogEntry.taskPool}), `pool` when it is made elsewhere.
   */
  inheritsPool?: boolean;
}

/** A returned type chosen by a keyword argument's string value (`joblib.Parallel(prefer="threads")`). */
export interface ReturnsWhen {
  keyword: string;
  /** The argument's values (string literals) that select `returns`. */
  values: string[];
  returns: string;
}

/** What the catalog knows of one call. */
export interface CatalogEntry {
  /** The work the call does; absent for calls that only construct or return something. */
  category?: Category;
  /** I/O that can be awaited instead of blocking (asyncio, aiohttp, promises). */
  awaitable?: boolean;
  /** Weight of the signal, 1 weak to 3 strong (default: 3 for I/O, 2 for CPU). */
  weight?: 1 | 2 | 3;
  /** The type of the value the call returns, for receiver resolution (`requests.Session`). */
  returns?: string;
  /** Reading this name as an attribute (not calling it) yields a `returns` object (`client.db`). */
  attribute?: boolean;
  /**
   * Only a wait inside a Promise executor (`new Promise((r) => setTimeout(r, ms))`,
   * `worker.once('message', resolve)`); elsewhere it schedules a callback and returns.
   */
  inPromiseOnly?: boolean;
  /** The call hands a callable to run elsewhere. */
  offload?: OffloadSpec;
  /** Overrides `returns` when a keyword argument says so (the first that matches wins). */
  returnsWhen?: ReturnsWhen[];
  /**
   * The call runs the tasks its arguments build with an {@link OffloadSpec.inheritsPool}
   * wrapper, in this pool (`joblib.Parallel(...)(delayed(f)(x) for x in items)`).
   */
  taskPool?: PoolKind;
  /**
   * Blocks, unless awaited: dual-mode APIs whose awaited form is the asynchronous one
   * (`await client.gather(futures)` on a Dask client made with `asynchronous=True`).
   */
  asyncWhenAwaited?: boolean;
}

/** Raw catalog data: a category alone, or a full entry. `null` marks a known no-op (overrides a wildcard). */
export type CatalogData = Record<string, Category | CatalogEntry | null>;

/** A resolved catalog entry, with defaults applied. */
export interface ResolvedEntry extends CatalogEntry {
  /** The key that matched (for diagnostics about the catalog itself). */
  key: string;
}

/** Lookup over catalog data; build once per language and options. */
export class Catalog {
  private readonly exact = new Map<string, CatalogEntry | null>();
  private readonly prefixes: Array<[string, CatalogEntry | null]> = [];

  constructor(...layers: Array<CatalogData | CatalogExtension | undefined>) {
    for (const layer of layers) {
      if (!layer) continue;
      for (const [key, raw] of Object.entries(layer)) {
        const entry = raw === null ? null : typeof raw === 'string' ? { category: raw } : raw;
        if (key.endsWith('*')) this.prefixes.push([key.slice(0, -1), entry]);
        else this.exact.set(key, entry);
      }
    }
    // Longest prefix first; a later layer with the same prefix wins because it is found first.
    this.prefixes.reverse();
    this.prefixes.sort((a, b) => b[0].length - a[0].length);
  }

  /** The entry for a fully qualified name, or undefined when the catalog does not know it. */
  lookup(name: string): ResolvedEntry | undefined {
    if (this.exact.has(name)) {
      const entry = this.exact.get(name);
      return entry ? { ...entry, key: name } : undefined;
    }
    for (const [prefix, entry] of this.prefixes) {
      if (name.startsWith(prefix)) return entry ? { ...entry, key: `${prefix}*` } : undefined;
    }
    return undefined;
  }

  /** Whether a name is known at all (including as a no-op), so project resolution can skip it. */
  knows(name: string): boolean {
    if (this.exact.has(name)) return true;
    return this.prefixes.some(([prefix]) => name.startsWith(prefix));
  }
}

/** Default weight of a catalog entry's signal. */
export function entryWeight(entry: CatalogEntry): 1 | 2 | 3 {
  if (entry.weight) return entry.weight;
  if (entry.category === 'offload') return 2; // waiting on offloaded work: weaker than real I/O
  return entry.category && isIoCategory(entry.category) ? 3 : 2;
}
