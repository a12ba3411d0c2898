/**
 * The calibration cases of bench/harness.ts (workloads in test/fixtures/bench/calibration.*)
 * and what a harness that measures honestly must find for each on a machine with 2 CPUs:
 * CPU-bound Python — threads about 1×, processes clearly above 1.5×; waiting — threads and
 * async near the number of tasks, bounded by the calls that can run at once; GIL-releasing
 * native code — threads scale; every measured verdict right. Plain data and pure functions.
 */
import type { BenchLanguage, BenchResult, MeasuredVerdict, Strategy, StrategyResult } from '../../src/bench/runner';

/** What kind of work a case does (the overhead cases do none). */
export type Work = 'cpu' | 'io' | 'native' | 'empty';

export interface CalibrationCase {
  language: Extract<BenchLanguage, 'python' | 'javascript'>;
  /** The fixture file, relative to test/fixtures/bench/. */
  file: string;
  name: string;
  args: string;
  work: Work;
  title: string;
}

/** Sizes: a call of a few to tens of milliseconds; `--quick` halves the waits. */
export function calibrationCases(quick: boolean): CalibrationCase[] {
  const nap = quick ? '0.02' : '0.05';
  return [
    { language: 'python', file: 'calibration.py', name: 'spin', args: '200_000', work: 'cpu', title: 'pure-Python CPU loop' },
    { language: 'python', file: 'calibration.py', name: 'nap', args: nap, work: 'io', title: 'time.sleep (blocking wait)' },
    { language: 'python', file: 'calibration.py', name: 'async_nap', args: nap, work: 'io', title: 'await asyncio.sleep' },
    { language: 'python', file: 'calibration.py', name: 'digest', args: '', work: 'native', title: 'hashlib.sha256 of 4 MiB (releases the GIL)' },
    { language: 'python', file: 'calibration.py', name: 'empty', args: '', work: 'empty', title: 'empty function (harness overhead)' },
    { language: 'python', file: 'calibration.py', name: 'async_empty', args: '', work: 'empty', title: 'empty async def (harness overhead)' },
    { language: 'javascript', file: 'calibration.mjs', name: 'spin', args: '500_000', work: 'cpu', title: 'JavaScript CPU loop' },
    { language: 'javascript', file: 'calibration.mjs', name: 'nap', args: String(Number(nap) * 1000), work: 'io', title: 'await setTimeout (timer wait)' },
    { language: 'javascript', file: 'calibration.mjs', name: 'digest', args: '', work: 'native', title: 'crypto SHA-256 of 4 MiB, synchronous' },
    { language: 'javascript', file: 'calibration.mjs', name: 'empty', args: '', work: 'empty', title: 'empty function (harness overhead)' },
    { language: 'javascript', file: 'calibration.mjs', name: 'asyncEmpty', args: '', work: 'empty', title: 'empty async function (harness overhead)' },
  ];
}

export type Status = 'PASS' | 'MISS';

export interface Expectation {
  /** The case's function. */
  function: string;
  /** What is expected, for people: `processes clearly above 1.5×`. */
  expected: string;
  /** What was measured: `1.83× (±4%)`. */
  measured: string;
  status: Status;
  /** Why a figure may be off, or what it is compared with. */
  note?: string;
}

/** "Clearly above": the median speedup over this. */
export const PARALLEL_SPEEDUP = 1.5;
/** "About 1×". */
export const SERIAL_RANGE = [0.75, 1.25] as const;
/** Waiting work: at least this share of the ideal speedup, and not above it by more than the upper share. */
export const WAIT_SHARE = [0.8, 1.1] as const;
/** Processes against the machine's own plain scaling (the baseline). */
export const BASELINE_SHARE = 0.85;

/** Ideal speedup of `tasks` waits with `atOnce` running at a time: tasks / ⌈tasks / atOnce⌉. */
export function idealWaitSpeedup(tasks: number, atOnce: number): number {
  return tasks / Math.ceil(tasks / Math.max(1, atOnce));
}

const VERDICT: Record<Exclude<Work, 'empty'>, MeasuredVerdict> = { cpu: 'cpu', io: 'io', native: 'cpu' };

function figure(r: StrategyResult): string {
  return `${r.speedup.toFixed(2)}× (±${Math.round(r.spread * 100)}%${r.inconclusive ? ', noisy' : ''})`;
}

/** Which strategy name the report shows: `async (to_thread)`. */
function label(r: StrategyResult): string {
  return r.method && r.strategy === 'async' ? `async (${r.method})` : r.strategy;
}

interface Context {
  /** The machine's plain scaling with `workers` processes of this language, if measured. */
  baseline?: number;
  /** Python without a GIL: threads run bytecode in parallel. */
  noGil: boolean;
}

/** The expectations of one case, checked against its result. */
export function checkCase(c: CalibrationCase, result: BenchResult, context: Context): Expectation[] {
  if (c.work === 'empty') return [];
  const out: Expectation[] = [];
  const strategy = (s: Strategy): StrategyResult | undefined => result.results.find((r) => r.strategy === s);
  const push = (expected: string, r: StrategyResult | undefined, pass: (r: StrategyResult) => boolean, note?: (r: StrategyResult) => string | undefined): void => {
    if (!r) {
      out.push({ function: c.name, expected, measured: 'not run', status: 'MISS', note: result.skipped.map((s) => `${s.strategy}: ${s.reason}`).join('; ') || undefined });
      return;
    }
    out.push({ function: c.name, expected, measured: figure(r), status: pass(r) ? 'PASS' : 'MISS', note: note?.(r) });
  };
  const want = VERDICT[c.work];
  out.push({
    function: c.name,
    expected: `measured verdict ${want}`,
    measured: `${result.verdict} (CPU/wall ${result.cpuRatio.toFixed(2)}${result.wallCpuRatio < result.cpuRatio - 0.01 ? `, ${result.wallCpuRatio.toFixed(2)} with waits for a CPU` : ''})`,
    status: result.verdict === want ? 'PASS' : 'MISS',
  });
  const clearly = `clearly above ${PARALLEL_SPEEDUP}×`;
  const againstBaseline = (r: StrategyResult): string | undefined =>
    context.baseline === undefined ? undefined : `${Math.round((r.speedup / context.baseline) * 100)}% of the machine's own ${context.baseline.toFixed(2)}× with plain processes`;
  const parallel = (name: string, r: StrategyResult | undefined): void => {
    push(`${name} ${clearly}`, r, (x) => x.speedup > PARALLEL_SPEEDUP, againstBaseline);
    if (context.baseline !== undefined) {
      push(`${name} ≥ ${Math.round(BASELINE_SHARE * 100)}% of the plain-process baseline`, r, (x) => x.speedup >= BASELINE_SHARE * context.baseline!, againstBaseline);
    }
  };
  const waits = (r: StrategyResult | undefined, name?: string): void => {
    const atOnce = r?.poolSize ?? result.tasks;
    const ideal = idealWaitSpeedup(result.tasks, atOnce);
    push(
      `${name ?? (r ? label(r) : 'async')} near ${ideal.toFixed(1)}× (${result.tasks} tasks, ${atOnce} at once)`,
      r,
      (x) => x.speedup >= WAIT_SHARE[0] * ideal && x.speedup <= WAIT_SHARE[1] * ideal,
    );
  };

  if (c.language === 'python') {
    if (c.work === 'cpu') {
      if (context.noGil) parallel('threads (no GIL)', strategy('threads'));
      else push(`threads about 1× (${SERIAL_RANGE[0]}–${SERIAL_RANGE[1]}: the GIL)`, strategy('threads'), (r) => r.speedup >= SERIAL_RANGE[0] && r.speedup <= SERIAL_RANGE[1]);
      parallel('processes', strategy('processes'));
    } else if (c.work === 'io') {
      if (result.async) waits(strategy('async'));
      else {
        waits(strategy('threads'));
        waits(strategy('async'));
        waits(strategy('processes'));
      }
    } else {
      parallel('threads (GIL released)', strategy('threads'));
      parallel('processes', strategy('processes'));
    }
  } else if (c.work === 'io') {
    waits(strategy('async'), 'async (Promise.all)');
    waits(strategy('workers'), 'worker threads');
    waits(strategy('processes'), 'forked processes');
  } else {
    parallel('worker threads', strategy('workers'));
    parallel('forked processes', strategy('processes'));
  }
  return out;
}

/** The harness's own cost per call of an empty function, per strategy. */
export interface Overhead {
  strategy: string;
  /** Wall seconds per call (a batch's median over its calls). */
  perCall: number;
  perBatch: number;
  spread: number;
  startupSeconds?: number;
}

export function overheadOf(result: BenchResult): Overhead[] {
  return result.results.map((r) => ({
    strategy: label(r),
    perCall: r.wallSeconds.median / result.tasks,
    perBatch: r.wallSeconds.median,
    spread: r.spread,
    ...(r.startupSeconds !== undefined ? { startupSeconds: r.startupSeconds } : {}),
  }));
}
