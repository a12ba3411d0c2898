/**
 * The "scaling out" part of the calibration (bench/harness.ts): what distributing with Dask costs
 * and gives on this machine, against the process pool that does the same on one machine. The
 * calibration CPU loop (a short call and a ten times longer one) and the blocking wait run under
 * sequential, processes and dask (a local cluster of `workers` processes), with the Python that
 * has dask.distributed (Debian's python3 here). Plain data and text; the runs are harness.ts's.
 */
import { formatSeconds } from '../../src/bench/report';
import type { BenchResult, StrategyResult } from '../../src/bench/runner';
import type { Busyness } from './harness-machine';

export interface ScalingCase {
  name: string;
  args: string;
  title: string;
}

/** A short CPU call, a ten times longer one (where scheduling matters less), and a wait. */
export function scalingCases(quick: boolean): ScalingCase[] {
  return [
    { name: 'spin', args: '200_000', title: 'pure-Python CPU loop' },
    { name: 'spin', args: quick ? '600_000' : '2_000_000', title: 'the same loop, longer calls' },
    { name: 'nap', args: quick ? '0.02' : '0.05', title: 'time.sleep (blocking wait)' },
  ];
}

export interface ScalingRun {
  case: ScalingCase;
  result?: BenchResult;
  error?: { kind: string; message: string };
  busyness?: Busyness;
}

/** The figures of one case that the report prints (and the README's "Scaling out" quotes). */
export interface ScalingFigures {
  /** Sequential wall time per batch, and per call. */
  sequentialBatch: number;
  perCall: number;
  processes?: { speedup: number; startup?: number; noisy: boolean };
  dask?: { speedup: number; startup?: number; overhead?: number; transfer?: number; cold?: number; noisy: boolean };
  /** Processes' wall time over Dask's: below 1, Dask is slower than the local pool. */
  daskVsProcesses?: number;
  /** Sequential batches that pay for Dask's start-up: start-up over the time a batch saves (none when it saves nothing). */
  breakEvenBatches?: number;
}

export function scalingFigures(result: BenchResult): ScalingFigures {
  const find = (s: string): StrategyResult | undefined => result.results.find((r) => r.strategy === s);
  const sequential = result.results[0];
  const processes = find('processes');
  const dask = find('dask');
  const figures: ScalingFigures = { sequentialBatch: sequential.wallSeconds.median, perCall: sequential.wallSeconds.median / result.tasks };
  if (processes) figures.processes = { speedup: processes.speedup, startup: processes.startupSeconds, noisy: processes.inconclusive };
  if (dask) {
    figures.dask = { speedup: dask.speedup, startup: dask.startupSeconds, overhead: dask.overheadSeconds, transfer: dask.transferSeconds, cold: dask.coldSpeedup, noisy: dask.inconclusive };
    if (processes) figures.daskVsProcesses = processes.wallSeconds.median / dask.wallSeconds.median;
    const saved = sequential.wallSeconds.median - dask.wallSeconds.median;
    if (dask.startupSeconds !== undefined && saved > 0) figures.breakEvenBatches = dask.startupSeconds / saved;
  }
  return figures;
}

const times = (x: number | undefined, noisy = false): string => (x === undefined ? '—' : `${x.toFixed(2)}×${noisy ? '?' : ''}`);
const seconds = (x: number | undefined): string => (x === undefined ? '—' : formatSeconds(x));

/** The section's text: one row per case, then what the columns mean. */
export function formatScalingText(python: string, runs: readonly ScalingRun[], busyText: (b: Busyness) => string): string[] {
  const out = [`== Scaling out: Dask's local cluster against the process pool (${python}) ==`];
  const rows = [['case', 'per call', 'processes', 'dask', 'dask/processes', 'dask start-up', 'overhead/batch', 'transfer/batch', 'dask cold', 'break-even']];
  const notes: string[] = [];
  for (const run of runs) {
    const label = `${run.case.name}(${run.case.args})`;
    if (!run.result) {
      rows.push([label, `FAILED: ${run.error?.message ?? 'no result'}`]);
      continue;
    }
    const f = scalingFigures(run.result);
    rows.push([
      label,
      seconds(f.perCall),
      times(f.processes?.speedup, f.processes?.noisy),
      times(f.dask?.speedup, f.dask?.noisy),
      times(f.daskVsProcesses),
      seconds(f.dask?.startup),
      seconds(f.dask?.overhead),
      seconds(f.dask?.transfer),
      times(f.dask?.cold),
      f.breakEvenBatches === undefined ? 'never' : `${Math.ceil(f.breakEvenBatches)} batches`,
    ]);
    for (const s of run.result.skipped) notes.push(`  ${label}: skipped ${s.strategy}: ${s.reason}`);
    if (run.busyness) notes.push(`  ${label}: ${busyText(run.busyness)}`);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  out.push(...rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()}`));
  out.push(
    '  Speedups over sequential (? noisy); dask/processes: the pool’s wall time over Dask’s; start-up: import, cluster, first round trip;',
    '  overhead: a batch of empty tasks; transfer: what the call’s arguments and result add; cold: one batch with the start-up;',
    '  break-even: batches after which Dask’s start-up is paid for by what it saves per batch over sequential.',
    ...notes,
  );
  return out;
}
