/**
 * What distributing work costs besides a pool's start-up, in words for the CLI's text report,
 * the Benchmarks view and its Markdown export. Pure and import-free, so the webview's bundle can
 * take it without the analyzer.
 */
import type { StrategyResult } from './runner';

/**
 * One sentence per strategy that measured them (Dask): the round trip of a batch of empty tasks
 * (already inside the timings), and what the call's data adds (not in them: the timed calls
 * evaluate their arguments on the worker). `seconds` formats a duration.
 */
export function distributionCosts(results: readonly StrategyResult[], tasks: number, seconds: (s: number) => string): string[] {
  return results.flatMap((r) => {
    const parts: string[] = [];
    if (r.overheadSeconds !== undefined) parts.push(`a batch of ${tasks} empty tasks takes ${seconds(r.overheadSeconds)} (scheduling and messages, inside the timings)`);
    if (r.transferSeconds !== undefined) parts.push(`sending each call’s arguments and result adds ${seconds(r.transferSeconds)} per batch (not in the timings)`);
    if (r.transferError !== undefined) parts.push(`transfer not measured: ${r.transferError}`);
    return parts.length > 0 ? [`${r.strategy}: ${parts.join('; ')}.`] : [];
  });
}
