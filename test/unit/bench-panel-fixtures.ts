/**
 * Test support for the Benchmarks view: history records around real reports, produced by
 * `node dist/cli.cjs bench test/fixtures/bench/<file>::<fn> --format json` and saved in
 * test/fixtures/bench-panel/ (see its README.md for the commands).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchJson } from '../../src/bench/report';
import type { BenchRecord } from '../../src/extension/bench-history';
import { repoRoot } from '../support/repo';

/**
 * The saved reports: a CPU-bound function (twice, two sizes; once with a local Dask cluster,
 * once on CPython 3.14 with subinterpreters), a sleep, and a sleep of 0 s.
 */
export type ReportName = 'cpu_busy' | 'cpu_busy_larger' | 'cpu_busy_dask' | 'cpu_busy_314' | 'io_nap' | 'io_nap_zero';

export function loadReport(name: ReportName): BenchJson {
  return JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/bench-panel', `${name}.json`), 'utf8')) as BenchJson;
}

/** A history record around a saved report, as the benchmark flow would add it. */
export function recordOf(name: ReportName, overrides: Partial<BenchRecord> = {}): BenchRecord {
  const report = loadReport(name);
  return {
    id: `${name}-run`,
    key: `${report.file}::${report.function}`,
    uri: `file:///work/${report.file}`,
    name: report.function,
    args: name === 'cpu_busy' || name === 'cpu_busy_dask' || name === 'cpu_busy_314' ? '20000' : name === 'cpu_busy_larger' ? '60000' : name === 'io_nap' ? '0.01' : '0',
    at: Date.UTC(2026, 10, 21, 22, 0, 0),
    advice: report.static === 'cpu' ? 'CPU-bound: use processes (ProcessPoolExecutor).' : 'I/O-bound: use threads or asyncio.',
    report,
    ...overrides,
  };
}
