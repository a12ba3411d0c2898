/** The calibration benchmark's summary (JSON) and its text report. */
import { formatSeconds } from '../../src/bench/report';
import type { BenchResult } from '../../src/bench/runner';
import { PARALLEL_SPEEDUP, type CalibrationCase, type Expectation, type Overhead } from './harness-cases';
import { BUSY_OTHERS_CPUS, isBusy, type Baseline, type Busyness, type MachineInfo } from './harness-machine';
import { formatScalingText, type ScalingRun } from './harness-dask';
import type { HarnessOptions } from './harness-options';

export interface CaseRun {
  case: CalibrationCase;
  result?: BenchResult;
  /** The run failed: the runner's error kind and message. */
  error?: { kind: string; message: string };
  busyness?: Busyness;
  /** With --wait-quiet: how long the run waited for other processes first, and whether they went quiet. */
  waitedForQuiet?: { waitedSeconds: number; quiet: boolean };
  expectations: Expectation[];
  overhead?: Overhead[];
}

export interface InterpreterRun {
  language: 'python' | 'javascript';
  command: string;
  /** From the harness's environment: `CPython 3.11.7 (GIL) · start method fork · PATH`. */
  description?: string;
  /** Short: `CPython 3.11.7`. */
  label?: string;
  baseline?: Baseline;
  baselineError?: string;
  baselineWaitedForQuiet?: { waitedSeconds: number; quiet: boolean };
  cases: CaseRun[];
}

export interface HarnessSummary {
  version: 1;
  startedAt: string;
  finishedAt: string;
  options: Omit<HarnessOptions, 'help' | 'json'>;
  machine: MachineInfo;
  loadAverage: { start: number[]; end: number[] };
  runs: InterpreterRun[];
  /** Dask against the process pool (with --dask, or Debian's python3 by default). */
  scaling?: { python: string; runs: ScalingRun[] };
  totals: { pass: number; miss: number; failedRuns: number };
  /** False when other processes took enough CPU to blur some figures (see `busy`). */
  reliable: boolean;
  busy: string[];
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');

function busyText(b: Busyness): string {
  const parts = [`load ${b.loadStart.toFixed(2)}→${b.loadEnd.toFixed(2)}`];
  if (b.othersCpus !== null) parts.push(`other processes used ${b.othersCpus.toFixed(2)} CPUs`);
  if (b.stealCpus !== null && b.stealCpus > 0.005) parts.push(`hypervisor stole ${b.stealCpus.toFixed(2)} CPUs`);
  return parts.join(', ') + (isBusy(b) ? ' — BUSY: figures unreliable' : '');
}

/** Where the figures may be blurred by other processes, one line each. */
export function busyParts(runs: readonly InterpreterRun[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    const name = run.label ?? run.command;
    if (run.baseline && isBusy(run.baseline.busyness)) out.push(`${name} baseline: ${busyText(run.baseline.busyness)}`);
    for (const c of run.cases) if (c.busyness && isBusy(c.busyness)) out.push(`${name} ${c.case.name}: ${busyText(c.busyness)}`);
  }
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `    ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   ').trimEnd()}`);
}

function strategyTable(result: BenchResult): string[] {
  const rows = [['strategy', 'median', 'min', 'max', 'spread', 'speedup', 'cold', 'CPU/wall', 'start-up', 'at once']];
  for (const r of result.results) {
    rows.push([
      r.method && r.strategy === 'async' ? `async (${r.method})` : r.strategy,
      formatSeconds(r.wallSeconds.median),
      formatSeconds(r.wallSeconds.min),
      formatSeconds(r.wallSeconds.max),
      `±${pct(r.spread)}${r.inconclusive ? ' ?' : ''}`,
      `${r.speedup.toFixed(2)}×`,
      r.coldSpeedup !== undefined ? `${r.coldSpeedup.toFixed(2)}×` : '',
      r.cpuRatio.toFixed(2),
      r.startupSeconds !== undefined ? formatSeconds(r.startupSeconds) : '',
      r.poolSize !== undefined ? String(r.poolSize) : r.strategy === 'sequential' ? '1' : '',
    ]);
  }
  return table(rows);
}

function expectationLines(list: readonly Expectation[]): string[] {
  const width = Math.max(0, ...list.map((e) => e.expected.length));
  return list.map((e) => `    ${e.status}  ${e.expected.padEnd(width)}   ${e.measured}${e.note ? ` — ${e.note}` : ''}`);
}

function waitedText(waited: CaseRun['waitedForQuiet']): string {
  if (!waited || waited.waitedSeconds < 1.5) return '';
  return ` (after waiting ${waited.waitedSeconds.toFixed(0)} s for the machine to go quiet${waited.quiet ? '' : ', in vain'})`;
}

function baselineLines(b: Baseline, waited?: CaseRun['waitedForQuiet']): string[] {
  const rate = (r: number): string => `${(r / 1e6).toFixed(1)} M iterations/s`;
  return [
    `  Plain CPU baseline (no harness): a busy loop for ${b.seconds} s alone, then ${b.processes} processes at once, ${b.rounds} rounds:`,
    `    alone ${rate(b.aloneRate)} · ${b.processes} at once ${rate(b.togetherRate)} → ${b.speedup.toFixed(2)}× the throughput (rounds: ${b.roundSpeedups.map((s) => s.toFixed(2)).join(', ')}; shares ${b.shares.map(pct).join(' / ')})`,
    `    ${busyText(b.busyness)}${waitedText(waited)}`,
    `    ${machineVerdict(b)}`,
  ];
}

/** Whether the machine itself can deliver what the expectations ask of the harness. */
function machineVerdict(b: Baseline): string {
  const busy = isBusy(b.busyness) ? ' (measured while the machine was busy: run again when it is quiet)' : '';
  if (b.speedup >= 0.9 * b.processes) return `The machine delivers about ${b.processes}× with ${b.processes} plain processes${busy}.`;
  if (b.speedup > PARALLEL_SPEEDUP) return `The machine delivers less than ${b.processes}× with ${b.processes} plain processes, but above ${PARALLEL_SPEEDUP}×${busy}.`;
  return `The machine itself does not reach ${PARALLEL_SPEEDUP}× with ${b.processes} plain processes: no harness can show CPU work "clearly above ${PARALLEL_SPEEDUP}×" here${busy}.`;
}

function overheadLines(run: InterpreterRun): string[] {
  const cases = run.cases.filter((c) => c.overhead);
  if (cases.length === 0) return [];
  const out = [`  Harness overhead (an empty function; wall time per call, median of a batch of ${cases[0].result?.tasks ?? '?'}):`];
  for (const c of cases) {
    const cells = c.overhead!.map((o) => `${o.strategy} ${formatSeconds(o.perCall)}${o.spread > 0.1 ? ` (±${pct(o.spread)})` : ''}`);
    out.push(`    ${c.case.name}: ${cells.join(' · ')}`);
  }
  return out;
}

function caseLines(c: CaseRun): string[] {
  const head = `  ${c.case.name} — ${c.case.title}${c.case.args ? ` (args ${c.case.args})` : ''}`;
  if (c.error) return [head, `    FAILED (${c.error.kind}): ${c.error.message}`];
  const r = c.result!;
  const out = [head, ...strategyTable(r)];
  if (c.case.work !== 'empty') out.push(`    measured verdict ${r.verdict} (CPU/wall ${r.cpuRatio.toFixed(2)})`);
  for (const s of r.skipped) out.push(`    skipped ${s.strategy}: ${s.reason}`);
  if (c.busyness) out.push(`    ${busyText(c.busyness)}${waitedText(c.waitedForQuiet)}`);
  out.push(...expectationLines(c.expectations));
  return out;
}

export function formatHarnessText(summary: HarnessSummary): string {
  const m = summary.machine;
  const out: string[] = [];
  out.push(`Concurrency Lens harness calibration — ${summary.startedAt}${summary.options.quick ? ' (--quick: a smoke test, not figures to quote)' : ''}`);
  const topology = m.threadsPerCore !== null ? `, ${m.cores} cores × ${m.threadsPerCore} thread${m.threadsPerCore === 1 ? '' : 's'} as the guest sees them` : '';
  out.push(`Machine: ${m.cpus} CPUs (${m.usableCpus} usable; ${m.model}${m.virtual ? ', virtual machine' : ''}${topology}) · Node ${m.node} · load average ${load(summary.loadAverage.start)} at the start`);
  out.push(
    `Settings: ${summary.options.tasks} tasks per batch · ${summary.options.workers} workers · ${summary.options.samples} samples per strategy of at least ${summary.options.targetSeconds} s · strategies interleaved`,
  );
  for (const run of summary.runs) {
    out.push('');
    out.push(`== ${run.description ?? run.command} ==`);
    if (run.baseline) out.push(...baselineLines(run.baseline, run.baselineWaitedForQuiet));
    else if (run.baselineError) out.push(`  Plain CPU baseline FAILED: ${run.baselineError}`);
    for (const c of run.cases.filter((x) => x.case.work !== 'empty')) out.push('', ...caseLines(c));
    out.push('');
    for (const c of run.cases.filter((x) => x.case.work === 'empty' && x.error)) out.push(...caseLines(c));
    out.push(...overheadLines(run));
  }
  if (summary.scaling) out.push('', ...formatScalingText(summary.scaling.python, summary.scaling.runs, busyText));
  out.push('');
  const { pass, miss, failedRuns } = summary.totals;
  out.push(`Summary: ${pass} PASS · ${miss} MISS${failedRuns ? ` · ${failedRuns} run${failedRuns === 1 ? '' : 's'} FAILED` : ''} · load average ${load(summary.loadAverage.end)} at the end`);
  for (const run of summary.runs) {
    for (const c of run.cases) {
      const busy = c.busyness && isBusy(c.busyness) ? ' (machine busy)' : '';
      for (const e of c.expectations.filter((x) => x.status === 'MISS')) out.push(`  MISS ${run.label ?? run.command} ${e.function}: ${e.expected} — ${e.measured}${busy}`);
    }
  }
  if (summary.reliable) out.push(`Figures reliable: other processes used at most ${BUSY_OTHERS_CPUS} CPUs during every measurement.`);
  else {
    out.push(`Figures UNRELIABLE: other processes (or the hypervisor) took more than ${BUSY_OTHERS_CPUS} CPUs during ${summary.busy.length} measurement${summary.busy.length === 1 ? '' : 's'}; run again on a quiet machine:`);
    for (const line of summary.busy) out.push(`  ${line}`);
  }
  return out.join('\n');
}
