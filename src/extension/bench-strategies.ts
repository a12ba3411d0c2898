/**
 * The benchmark settings that choose strategies, `concurrencyLens.bench.strategies` and
 * `concurrencyLens.bench.daskScheduler`, checked like the rest of the settings (invalid entries
 * dropped and reported, never thrown). Editor-free, so unit tests and the reader share it.
 */
import type { BenchSettings } from './settings-values';
import { ALL_STRATEGIES, isSchedulerAddress, strategiesFor, type BenchLanguage, type Strategy } from '../bench/runner';

/** The strategies a user may list (sequential always runs: it is the baseline). */
export const CHOOSABLE_STRATEGIES: readonly Strategy[] = ALL_STRATEGIES.filter((s) => s !== 'sequential');
/** As package.json declares: every default strategy of both languages; dask only when asked for. */
export const DEFAULT_BENCH_STRATEGIES: readonly Strategy[] = ['threads', 'processes', 'async', 'workers', 'interpreters'];

/** The two settings as the typed reader holds them (settings-values.ts). */
export type StrategySettings = Pick<BenchSettings, 'strategies' | 'daskScheduler'>;

/** Known strategies of the list, in their own order; unknown ones reported. */
export function normalizeStrategies(raw: unknown, problems: string[]): Strategy[] {
  if (raw === undefined || raw === null) return [...DEFAULT_BENCH_STRATEGIES];
  if (!Array.isArray(raw)) {
    problems.push(`concurrencyLens.bench.strategies must be a list of ${CHOOSABLE_STRATEGIES.join(', ')}`);
    return [...DEFAULT_BENCH_STRATEGIES];
  }
  const unknown = raw.filter((s) => !CHOOSABLE_STRATEGIES.includes(s as Strategy));
  if (unknown.length > 0) problems.push(`concurrencyLens.bench.strategies: unknown ${unknown.map((s) => JSON.stringify(s)).join(', ')} (known: ${CHOOSABLE_STRATEGIES.join(', ')})`);
  return CHOOSABLE_STRATEGIES.filter((s) => raw.includes(s));
}

export function normalizeScheduler(raw: unknown, problems: string[]): string {
  if (raw === undefined || raw === null || raw === '') return '';
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!isSchedulerAddress(text)) {
    problems.push(`concurrencyLens.bench.daskScheduler: ${JSON.stringify(raw)} is not a scheduler address such as tcp://10.0.0.5:8786; a local cluster is used`);
    return '';
  }
  return text;
}

/**
 * The strategies of a run in `language`: the listed ones that apply to it, with dask added when a
 * scheduler is set (an address is the user asking for it).
 */
export function runStrategies(language: BenchLanguage, settings: StrategySettings): Strategy[] {
  const wanted: Strategy[] = settings.daskScheduler !== '' ? [...settings.strategies, 'dask'] : settings.strategies;
  return strategiesFor(language, wanted);
}
