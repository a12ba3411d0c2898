/**
 * The benchmark runner: starts a harness (src/bench/harness/) for one function in a process of
 * its own, reads its results from a dedicated channel (file descriptor 3, never stdout), and
 * turns them into plain data. No `vscode` import: the CLI uses it now, the extension later.
 *
 * Safety: the harness runs in a process group of its own (`detached`), so the whole tree —
 * pool processes, anything the user's code starts — is killed with one signal to the group,
 * on timeout, on cancel, on a flood of output, and after every run, successful or not. On
 * Linux, processes that left the group (setsid) are found by a marker in their environment and
 * killed too. User output is captured, capped, and never mixed with results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

export type Strategy = 'sequential' | 'threads' | 'processes' | 'async' | 'workers' | 'interpreters' | 'dask';
export type BenchLanguage = 'python' | 'javascript' | 'typescript';
export type MeasuredVerdict = 'io' | 'cpu' | 'mixed';

/** Every strategy of each language. */
export const PYTHON_STRATEGIES: readonly Strategy[] = ['sequential', 'threads', 'processes', 'async', 'interpreters', 'dask'];
export const NODE_STRATEGIES: readonly Strategy[] = ['sequential', 'async', 'workers', 'processes'];
/** Every strategy, in the order results are listed. */
export const ALL_STRATEGIES: readonly Strategy[] = ['sequential', 'threads', 'processes', 'async', 'workers', 'interpreters', 'dask'];
/**
 * Run only when asked for: a Dask cluster costs seconds to start (more than the rest of a
 * typical run), and what it tells is whether work is worth distributing, not which local
 * strategy to use. `interpreters` is a default: on Pythons before 3.14 it is skipped with the reason.
 */
export const OPT_IN_STRATEGIES: readonly Strategy[] = ['dask'];

/** The strategies a run of `language` uses: the ones asked for that apply to it, else its defaults. */
export function strategiesFor(language: BenchLanguage, wanted?: readonly Strategy[]): Strategy[] {
  const known = language === 'python' ? PYTHON_STRATEGIES : NODE_STRATEGIES;
  if (wanted) return known.filter((s) => s === 'sequential' || wanted.includes(s));
  return known.filter((s) => !OPT_IN_STRATEGIES.includes(s));
}

/** A Dask scheduler address: `tcp://host:port` (or tls, ws, wss, ucx, dask.distributed's comms), or a bare `host:port`. */
export function isSchedulerAddress(text: string): boolean {
  return /^(?:(?:tcp|tls|ws|wss|ucx):\/\/)?(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(text);
}

/** CPU time / wall time at or above this is CPU-bound; at or below {@link IO_RATIO}, I/O-bound. */
export const CPU_RATIO = 0.8;
export const IO_RATIO = 0.2;
/** A strategy whose samples spread more than this (max − min over the median) is inconclusive. */
export const SPREAD_LIMIT = 0.1;

/** What to run, and how. */
export interface BenchRequest {
  /** The function's file (relative paths resolve against `cwd`). */
  file: string;
  /** Qualified name as `analyze` reports it: `name`, `Class.method`. */
  name: string;
  language: BenchLanguage;
  /** Source text of the argument list, in the function's language: `"x", timeout=5`. */
  args?: string;
  /** Calls per batch (default 8). */
  tasks?: number;
  /** Pool size for threads, processes and worker threads (default: usable CPUs). */
  workers?: number;
  /** Strategies to run besides `sequential`, which always runs (the baseline). Default: all of the language's. */
  strategies?: readonly Strategy[];
  /** Time limit for the whole run, seconds (default 120). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Python interpreter (default `python3`). */
  python?: string;
  /** Node executable (default this process's). */
  node?: string;
  /** Python start method for the processes strategy: fork, spawn or forkserver. */
  startMethod?: string;
  /** The dask strategy's scheduler (`tcp://host:port`); unset: a local cluster of `workers` processes. */
  daskScheduler?: string;
  /** The workspace root: importable, and the harness's working folder (default: the file's folder). */
  workspaceRoot?: string;
  /** Minimum duration of one sample, seconds (default 0.2). */
  targetSeconds?: number;
  /** Samples per strategy (default 5, at least 5 unless set lower explicitly). */
  samples?: number;
  /** Memory cap per process, MiB (default 2048): RLIMIT_AS in Python, the V8 heap in Node. */
  memoryMb?: number;
  /** Total user output (stdout + stderr) after which the run is stopped as a flood (default 16 MiB). */
  maxOutputBytes?: number;
  /** User output kept per stream (default 64 KiB); the rest is counted and dropped. */
  keepOutputBytes?: number;
  /** Working folder for relative paths (default process.cwd()). */
  cwd?: string;
  /** Where python_harness.py and node_harness.mjs are (default: found next to this bundle). */
  harnessDir?: string;
  /** Kept user output as it arrives (within the kept part of each stream). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Every harness event as it arrives (progress). */
  onEvent?: (event: HarnessEvent) => void;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export interface StrategyResult {
  strategy: Strategy;
  /** Seconds for one batch of `tasks` calls. */
  wallSeconds: Stats;
  cpuSeconds: Stats;
  /** Sequential median wall time over this strategy's. */
  speedup: number;
  /** Timed samples. */
  runs: number;
  // Additions to the contract:
  /**
   * CPU time / wall time over all samples. For sequential, the wall time leaves out the time
   * the calling thread spent runnable but waiting for a CPU (Linux schedstat; a busy machine),
   * which is neither computing nor waiting on I/O: see {@link StrategyResult.wallCpuRatio}.
   */
  cpuRatio: number;
  /** CPU time / plain wall time (sequential: when some time went waiting for a CPU). */
  wallCpuRatio?: number;
  /** Sequential: seconds per batch spent runnable but without a CPU (median). */
  cpuWaitSeconds?: number;
  /** (max − min) / median of the wall times. */
  spread: number;
  inconclusive: boolean;
  /** Batches per sample (calibrated so a sample lasts at least the target). */
  batchesPerSample: number;
  /** Pool start-up (before timing), seconds; absent for strategies without a pool. */
  startupSeconds?: number;
  /**
   * Speedup of a cold start: sequential median over (this strategy's median + its start-up),
   * i.e. one batch run by a pool started for it. Absent without a start-up figure.
   */
  coldSpeedup?: number;
  /**
   * Calls that can run at once: the pool's size (threads, processes, worker threads; Python's
   * `to_thread` uses the default executor, min(32, CPUs + 4), not `workers`), or every call
   * (`gather`, `Promise.all`). The ideal speedup of waiting work is tasks / ⌈tasks / poolSize⌉.
   */
  poolSize?: number;
  /** How the strategy runs: `ThreadPoolExecutor`, `to_thread`, `gather`, `Promise.all`, `local cluster, 2 processes`, ... */
  method?: string;
  /** Dask: the round trip of a batch of empty tasks (scheduling and messages), seconds; in the timings. */
  overheadSeconds?: number;
  /**
   * Dask: what sending each call's arguments to a worker and its result back adds to a batch,
   * seconds; not in the timings, whose calls evaluate their arguments on the worker.
   */
  transferSeconds?: number;
  /** Dask: why the transfer could not be measured (arguments or result that cannot be pickled). */
  transferError?: string;
}

export interface BenchEnvironment {
  language: string;
  implementation: string;
  version: string;
  executable: string;
  cpuCount: number;
  usableCpus: number;
  platform: string;
  tasks: number;
  workers: number;
  memoryLimitMb: number | null;
  /** Python: the start method of the processes strategy, the GIL's state and the build. */
  startMethod?: string;
  gilEnabled?: boolean | null;
  freeThreadedBuild?: boolean;
  [key: string]: unknown;
}

export interface BenchResult {
  function: string;
  file: string;
  language: BenchLanguage;
  tasks: number;
  workers: number;
  results: StrategyResult[];
  /** CPU time / wall time of the sequential run (without time spent waiting for a CPU). */
  cpuRatio: number;
  /** CPU time / plain wall time of the sequential run. */
  wallCpuRatio: number;
  verdict: MeasuredVerdict;
  /** Some strategy's samples spread over {@link SPREAD_LIMIT}: its figures are not reliable. */
  inconclusive: boolean;
  environment: BenchEnvironment;
  /** Strategies that could not run here, and why. */
  skipped: Array<{ strategy: string; reason: string }>;
  /** The first (cold) call, seconds. */
  firstCallSeconds: number;
  async: boolean;
  samples: number;
}

export interface CapturedOutput {
  stdout: string;
  stderr: string;
  /** Bytes written, kept or not. */
  stdoutBytes: number;
  stderrBytes: number;
  /** True when some output was dropped (beyond the kept part). */
  truncated: boolean;
}

export interface BenchRun {
  result: BenchResult;
  output: CapturedOutput;
  /** The harness's process id (and process group id). */
  pid: number;
  /** Pool processes the harness reported (all gone when the run returns). */
  childPids: number[];
}

export type BenchErrorKind =
  | 'usage' // bad request (unknown start method, ...)
  | 'spawn' // the interpreter could not be started
  | 'load' // the module could not be imported or the name not found
  | 'args' // the argument list did not evaluate
  | 'raised' // the function raised / threw
  | 'exit' // the function ended the process (os._exit, sys.exit, process.exit)
  | 'crash' // the interpreter died from a signal
  | 'memory' // the memory cap was hit
  | 'flood' // too much output
  | 'timeout'
  | 'cancelled'
  | 'budget' // the run cannot fit in the time limit
  | 'worker-died' // a pool member died mid-run
  | 'protocol'; // the harness ended without a result

/** A run that failed: `message` is for people; the run's process tree is gone. */
export class BenchError extends Error {
  constructor(
    readonly kind: BenchErrorKind,
    message: string,
    readonly details: {
      pid?: number;
      childPids?: number[];
      output?: CapturedOutput;
      /** Traceback (innermost last) of a raised error: `file:line in name`. */
      traceback?: string[];
      exitCode?: number | null;
      signal?: string | null;
    } = {},
  ) {
    super(message);
    this.name = 'BenchError';
  }
}

/** One line of the harness's result channel. */
export interface HarnessEvent {
  event: string;
  [key: string]: unknown;
}

interface Frame {
  file: string;
  line: number;
  name: string;
}

/** The environment variable that marks every process of one run. */
const MARKER_VARIABLE = 'CONCURRENCY_LENS_BENCH_RUN';

const DEFAULTS = {
  tasks: 8,
  timeoutSeconds: 120,
  targetSeconds: 0.2,
  samples: 5,
  memoryMb: 2048,
  maxOutputBytes: 16 * 1024 * 1024,
  keepOutputBytes: 64 * 1024,
};

/** The folder holding the harness scripts: next to the bundle (dist/harness) or in the sources. */
export function findHarnessDir(): string {
  const candidates = [join(__dirname, 'harness'), join(__dirname, '..', 'harness'), join(__dirname, '..', '..', 'harness'), join(__dirname, '..', 'src', 'bench', 'harness'), join(__dirname, 'bench', 'harness')];
  for (const dir of candidates) if (existsSync(join(dir, 'python_harness.py'))) return dir;
  return candidates[0];
}

/** A stream's output: the first `keep` bytes kept, the rest counted. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  bytes = 0;
  constructor(
    private readonly keep: number,
    private readonly onText?: (text: string) => void,
  ) {}

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.kept >= this.keep) return;
    const part = chunk.subarray(0, this.keep - this.kept);
    this.kept += part.length;
    this.chunks.push(part);
    this.onText?.(part.toString('utf8'));
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  get truncated(): boolean {
    return this.bytes > this.kept;
  }
}

/** Splits a stream into lines, bounded: a line longer than `limit` is cut. */
function lines(stream: Readable, onLine: (line: string) => void, limit = 1024 * 1024): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    if (pending.length > limit) {
      onLine(pending.slice(0, limit));
      pending = '';
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

/**
 * Linux: processes of this run that left its process group (setsid, start_new_session) still
 * carry the run's marker in their environment; kill them. Returns how many were found.
 */
async function killMarked(marker: string): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let found = 0;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 0;
  }
  const needle = Buffer.from(marker);
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
      .map(async (entry) => {
        try {
          const environ = await readFile(`/proc/${entry}/environ`);
          if (environ.includes(needle)) {
            found++;
            process.kill(Number(entry), 'SIGKILL');
          }
        } catch {
          // Gone, or not ours to read.
        }
      }),
  );
  return found;
}

/** Processes of group `pgid` that still run (zombies excluded); Linux reads /proc. */
async function groupMembers(pgid: number): Promise<number[]> {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const alive: number[] = [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // After "pid (comm) ": state, ppid, pgrp.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') alive.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return alive;
}

/** After SIGKILL, waits (up to `ms`) until the kernel has ended every process of the group. */
async function waitGroupGone(pgid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await groupMembers(pgid)).length > 0 && Date.now() < deadline) {
    killGroup(pgid);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until `pid` no longer runs (or is a zombie), up to `ms`. */
async function waitGone(pids: readonly number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True when a process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/PID/stat: "pid (comm) S ..." — the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Six significant digits: enough for timings, short in JSON. */
function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

export function verdictOf(cpuRatio: number): MeasuredVerdict {
  return cpuRatio >= CPU_RATIO ? 'cpu' : cpuRatio <= IO_RATIO ? 'io' : 'mixed';
}

interface Sample {
  wall: number;
  cpu: number;
  inner: number;
  /** Seconds runnable but without a CPU (sequential, Linux). */
  cpuWait?: number;
}

/** Turns the harness's events into the result (statistics per strategy, verdict). */
export function summarize(request: BenchRequest, events: readonly HarnessEvent[]): BenchResult {
  const hello = events.find((e) => e.event === 'hello');
  const environment = (hello?.env ?? {}) as BenchEnvironment;
  const samples = new Map<Strategy, Sample[]>();
  const startup = new Map<string, { seconds: number | null; method?: string; poolSize?: number; costs: Partial<Pick<StrategyResult, 'overheadSeconds' | 'transferSeconds' | 'transferError'>> }>();
  const skipped: Array<{ strategy: string; reason: string }> = [];
  let firstCall = 0;
  let isAsync = false;
  for (const e of events) {
    if (e.event === 'sample') {
      const list = samples.get(e.strategy as Strategy) ?? [];
      list.push({ wall: Number(e.wall), cpu: Number(e.cpu), inner: Number(e.inner), cpuWait: typeof e.cpuWait === 'number' && e.cpuWait >= 0 ? e.cpuWait : undefined });
      samples.set(e.strategy as Strategy, list);
    } else if (e.event === 'startup') {
      startup.set(String(e.strategy), {
        seconds: typeof e.seconds === 'number' ? e.seconds : null,
        method: typeof e.method === 'string' ? e.method : undefined,
        poolSize: typeof e.poolSize === 'number' && Number.isInteger(e.poolSize) && e.poolSize > 0 ? e.poolSize : undefined,
        costs: {
          ...(typeof e.overheadSeconds === 'number' ? { overheadSeconds: round(e.overheadSeconds) } : {}),
          ...(typeof e.transferSeconds === 'number' ? { transferSeconds: round(e.transferSeconds) } : {}),
          ...(typeof e.transferError === 'string' ? { transferError: e.transferError } : {}),
        },
      });
    } else if (e.event === 'skip') skipped.push({ strategy: String(e.strategy), reason: String(e.reason) });
    else if (e.event === 'first-call') firstCall = Number(e.seconds);
    else if (e.event === 'target') isAsync = e.async === true;
  }
  const sequential = samples.get('sequential');
  if (!sequential || sequential.length === 0) throw new BenchError('protocol', 'the harness finished without timing the sequential run');
  const seqMedian = median(sequential.map((s) => s.wall / s.inner));
  const results: StrategyResult[] = [];
  for (const strategy of ALL_STRATEGIES) {
    const list = samples.get(strategy);
    if (!list || list.length === 0) continue;
    const walls = list.map((s) => s.wall / s.inner);
    const cpus = list.map((s) => s.cpu / s.inner);
    const wallMedian = median(walls);
    const spread = wallMedian > 0 ? (Math.max(...walls) - Math.min(...walls)) / wallMedian : 0;
    const totalWall = list.reduce((sum, s) => sum + s.wall, 0);
    const totalCpu = list.reduce((sum, s) => sum + s.cpu, 0);
    const waits = list.every((s) => s.cpuWait !== undefined) ? list.map((s) => s.cpuWait!) : undefined;
    const totalWait = waits ? Math.min(waits.reduce((sum, w) => sum + w, 0), totalWall * 0.99) : 0;
    const start = startup.get(strategy);
    const defaultMethod: Partial<Record<Strategy, string>> =
      request.language === 'python'
        ? { threads: 'ThreadPoolExecutor', processes: 'ProcessPoolExecutor', interpreters: 'InterpreterPoolExecutor' }
        : { workers: 'worker_threads', processes: 'child_process.fork', async: 'Promise.all' };
    const result: StrategyResult = {
      strategy,
      wallSeconds: { median: round(wallMedian), min: round(Math.min(...walls)), max: round(Math.max(...walls)) },
      cpuSeconds: { median: round(median(cpus)), min: round(Math.min(...cpus)), max: round(Math.max(...cpus)) },
      speedup: round(wallMedian > 0 ? seqMedian / wallMedian : 1),
      runs: list.length,
      cpuRatio: round(totalWall > 0 ? totalCpu / (totalWall - totalWait) : 0),
      spread: round(spread),
      inconclusive: spread > SPREAD_LIMIT,
      batchesPerSample: list[0].inner,
    };
    if (waits) {
      result.wallCpuRatio = round(totalWall > 0 ? totalCpu / totalWall : 0);
      result.cpuWaitSeconds = round(median(waits.map((w, i) => w / list[i].inner)));
    }
    if (start?.seconds !== null && start?.seconds !== undefined) {
      result.startupSeconds = round(start.seconds);
      result.coldSpeedup = round(seqMedian / (wallMedian + start.seconds));
    }
    if (start?.poolSize !== undefined) result.poolSize = start.poolSize;
    const method = start?.method ?? defaultMethod[strategy];
    if (method) result.method = method;
    if (start) Object.assign(result, start.costs);
    results.push(result);
  }
  const cpuRatio = results[0].cpuRatio;
  const wallCpuRatio = results[0].wallCpuRatio ?? cpuRatio;
  return {
    function: request.name,
    file: request.file,
    language: request.language,
    tasks: request.tasks ?? DEFAULTS.tasks,
    workers: request.workers ?? defaultWorkers(),
    results,
    cpuRatio,
    wallCpuRatio,
    verdict: verdictOf(cpuRatio),
    inconclusive: results.some((r) => r.inconclusive),
    environment,
    skipped,
    firstCallSeconds: round(firstCall),
    async: isAsync,
    samples: sequential.length,
  };
}

function defaultWorkers(): number {
  return Math.max(2, availableParallelism());
}

const PHASES: Record<string, string> = {
  load: 'while importing the module',
  'first-call': 'during the first call',
  start: 'while starting the {s} pool',
  'warm-up': 'while warming up {s}',
  calibrate: 'while calibrating {s}',
  sample: 'while timing {s}',
  shutdown: 'while shutting the pools down',
};

function wherePhase(phase: HarnessEvent | undefined): string {
  if (!phase) return 'while starting the interpreter';
  return (PHASES[String(phase.phase)] ?? `in phase ${String(phase.phase)}`).replace('{s}', typeof phase.strategy === 'string' ? phase.strategy : '');
}

function frames(event: HarnessEvent): string[] {
  const list = Array.isArray(event.traceback) ? (event.traceback as Frame[]) : [];
  return list.map((f) => `${f.file}:${f.line} in ${f.name}`);
}

/** The message for a harness `error` event. */
function describeFailure(request: BenchRequest, event: HarnessEvent, phase: HarnessEvent | undefined): { kind: BenchErrorKind; message: string; traceback?: string[] } {
  const kind = String(event.kind);
  const name = request.name;
  const type = typeof event.type === 'string' ? event.type : 'Error';
  const text = typeof event.message === 'string' ? event.message : '';
  const traceback = frames(event);
  const at = traceback.length > 0 ? ` (at ${traceback[traceback.length - 1]})` : '';
  const remote = typeof event.remoteTraceback === 'string' ? `\n${event.remoteTraceback.trim()}` : '';
  switch (kind) {
    case 'raised':
      return { kind: 'raised', message: `${name} raised ${type}: ${text}${at} ${wherePhase(phase)}${remote}`, traceback };
    case 'memory':
      return { kind: 'memory', message: `${name} ran out of memory ${wherePhase(phase)} (${type === 'Error' ? 'MemoryError' : type}; the harness caps each process at ${request.memoryMb ?? DEFAULTS.memoryMb} MiB)${at}`, traceback };
    case 'exit':
      return { kind: 'exit', message: `${name} ended the interpreter ${wherePhase(phase)}: ${text}`, traceback };
    case 'worker-died':
      return { kind: 'worker-died', message: `a pool worker died ${wherePhase(phase)}: ${text || type} (the function may call os._exit, crash, or run out of memory in a worker)`, traceback };
    case 'load':
    case 'args':
    case 'usage':
    case 'budget':
      return { kind: kind, message: text, traceback };
    default:
      return { kind: 'protocol', message: `the harness failed: ${type}: ${text}`, traceback };
  }
}

function signalName(signal: NodeJS.Signals | null): string {
  return signal ?? 'a signal';
}

/** Runs the benchmark. Resolves with the result, or rejects with a {@link BenchError}. */
export async function runBenchmark(request: BenchRequest): Promise<BenchRun> {
  const cwd = request.cwd ?? process.cwd();
  const file = isAbsolute(request.file) ? request.file : resolve(cwd, request.file);
  const harnessDir = request.harnessDir ?? findHarnessDir();
  const python = request.language === 'python';
  const script = join(harnessDir, python ? 'python_harness.py' : 'node_harness.mjs');
  if (!existsSync(script)) throw new BenchError('spawn', `the benchmark harness is missing: ${script}`);
  if (!existsSync(file)) throw new BenchError('usage', `no such file: ${request.file}`);
  const tasks = request.tasks ?? DEFAULTS.tasks;
  const workers = request.workers ?? defaultWorkers();
  const timeoutSeconds = request.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  const memoryMb = request.memoryMb ?? DEFAULTS.memoryMb;
  const strategies = request.strategies ? request.strategies.filter((s) => s !== 'sequential') : strategiesFor(request.language).filter((s) => s !== 'sequential');
  const runId = randomUUID();
  const marker = `${MARKER_VARIABLE}=${runId}`;

  const config = {
    file,
    name: request.name,
    args: request.args ?? '',
    tasks,
    workers,
    strategies,
    startMethod: request.startMethod ?? null,
    daskScheduler: request.daskScheduler ?? null,
    root: request.workspaceRoot ? resolve(cwd, request.workspaceRoot) : null,
    targetSeconds: request.targetSeconds ?? DEFAULTS.targetSeconds,
    samples: request.samples ?? DEFAULTS.samples,
    maxInner: Math.max(1, Math.floor(2_000_000 / tasks)),
    memoryMb,
    // Leave a margin for start-up and shutdown inside the time limit.
    budgetSeconds: Math.max(1, timeoutSeconds * 0.85 - 1),
  };

  let command: string;
  let argv: string[];
  if (python) {
    command = request.python ?? 'python3';
    argv = ['-u', script, JSON.stringify(config)];
  } else {
    command = request.node ?? process.execPath;
    argv = [`--max-old-space-size=${memoryMb}`];
    if (request.language === 'typescript') {
      const [major, minor] = process.versions.node.split('.').map(Number);
      if (!request.node && (major < 22 || (major === 22 && minor < 6))) {
        throw new BenchError('usage', `benchmarking TypeScript needs Node.js 22.6 or later (type stripping); this is ${process.versions.node}: give a newer one (--node PATH) or benchmark the compiled JavaScript`);
      }
      argv.push('--experimental-strip-types', '--disable-warning=ExperimentalWarning');
    }
    argv.push(script, JSON.stringify(config));
  }

  // Every process of the run inherits the marker (see killMarked).
  const env: NodeJS.ProcessEnv = { ...process.env, [MARKER_VARIABLE]: runId };
  if (python) {
    env.PYTHONUNBUFFERED = '1';
    env.PYTHONDONTWRITEBYTECODE = '1'; // no __pycache__ in the user's folders
    delete env.PYTHONFAULTHANDLER; // the harness sends faulthandler's report to the result channel
  }

  if (request.signal?.aborted) throw new BenchError('cancelled', 'the benchmark was cancelled before it started');

  let child: ChildProcess;
  try {
    child = spawn(command, argv, {
      cwd: config.root ?? dirname(file),
      env,
      detached: true, // a process group of its own: killed as a whole
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    throw new BenchError('spawn', `cannot start ${command}: ${(error as Error).message}`);
  }

  const keep = request.keepOutputBytes ?? DEFAULTS.keepOutputBytes;
  const stdout = new Capture(keep, request.onOutput && ((t) => request.onOutput!('stdout', t)));
  const stderr = new Capture(keep, request.onOutput && ((t) => request.onOutput!('stderr', t)));
  const events: HarnessEvent[] = [];
  const crashText: string[] = [];
  let stopReason: 'timeout' | 'cancelled' | 'flood' | undefined;
  let spawnError: Error | undefined;
  const pid = child.pid;
  const childPids: number[] = [];

  const stop = (reason: 'timeout' | 'cancelled' | 'flood'): void => {
    stopReason ??= reason;
    if (pid) killGroup(pid);
  };
  const maxOutput = request.maxOutputBytes ?? DEFAULTS.maxOutputBytes;
  const onData = (capture: Capture) => (chunk: Buffer) => {
    capture.add(chunk);
    if (stdout.bytes + stderr.bytes > maxOutput) stop('flood');
  };
  child.stdout!.on('data', onData(stdout));
  child.stderr!.on('data', onData(stderr));
  const channel = child.stdio[3] as Readable;
  // Set up now: a stream may close before the process's exit is seen.
  const closed = [child.stdout!, child.stderr!, channel].map((s) => new Promise<void>((r) => s.once('close', () => r())));
  lines(channel, (line) => {
    if (!line.trim()) return;
    let event: HarnessEvent;
    try {
      event = JSON.parse(line) as HarnessEvent;
    } catch {
      // faulthandler's report of a crash: the harness's own frames say nothing to the user.
      if (!line.includes('python_harness.py') && crashText.join('\n').length < 16 * 1024) crashText.push(line);
      return;
    }
    if (typeof event !== 'object' || event === null || typeof event.event !== 'string') return;
    if (event.event === 'startup' && Array.isArray(event.pids)) childPids.push(...(event.pids as number[]));
    if (events.length < 100_000) events.push(event);
    request.onEvent?.(event);
  });

  const timer = setTimeout(() => stop('timeout'), timeoutSeconds * 1000);
  const onAbort = (): void => stop('cancelled');
  request.signal?.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('error', (error) => {
      spawnError = error;
      resolveExit({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  clearTimeout(timer);
  request.signal?.removeEventListener('abort', onAbort);

  // Whatever happened, nothing of this run may stay: the group, then anything that left it.
  if (pid) killGroup(pid);
  await killMarked(marker);
  if (pid) await waitGroupGone(pid, 3000);
  await waitGone(childPids, 2000);
  // The pipes close once every holder is dead; do not wait forever for a stray one.
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((r) => (grace = setTimeout(r, 2000)))]);
  clearTimeout(grace);
  for (const s of [child.stdout!, child.stderr!, channel]) s.destroy();

  const output: CapturedOutput = {
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutBytes: stdout.bytes,
    stderrBytes: stderr.bytes,
    truncated: stdout.truncated || stderr.truncated,
  };
  const details = { pid, childPids, output, exitCode: exit.code, signal: exit.signal };
  const phase = [...events].reverse().find((e) => e.event === 'phase');

  if (spawnError) {
    const code = (spawnError as NodeJS.ErrnoException).code;
    const which = python ? 'the Python interpreter' : 'Node.js';
    throw new BenchError('spawn', code === 'ENOENT' ? `cannot start ${which}: '${command}' was not found (choose one with ${python ? '--python' : '--node'} PATH)` : `cannot start ${command}: ${spawnError.message}`, details);
  }
  if (stopReason === 'timeout') throw new BenchError('timeout', `${request.name} did not finish within the time limit of ${timeoutSeconds} s (stopped ${wherePhase(phase)}); the whole process tree was killed`, details);
  if (stopReason === 'cancelled') throw new BenchError('cancelled', `the benchmark was cancelled ${wherePhase(phase)}; the whole process tree was killed`, details);
  if (stopReason === 'flood') {
    const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    throw new BenchError('flood', `${request.name} flooded its output: more than ${mb(maxOutput)} MB (stdout ${mb(stdout.bytes)} MB, stderr ${mb(stderr.bytes)} MB) ${wherePhase(phase)}; the run was stopped. The first ${Math.round(keep / 1024)} KiB of each stream are kept.`, details);
  }

  const error = events.find((e) => e.event === 'error');
  if (error) {
    const failure = describeFailure({ ...request, memoryMb }, error, phase);
    throw new BenchError(failure.kind, failure.message, { ...details, traceback: failure.traceback });
  }
  const exitCalled = events.find((e) => e.event === 'exit-called');
  if (exitCalled && !events.some((e) => e.event === 'done')) {
    throw new BenchError('exit', `${request.name} called ${String(exitCalled.via)}(${String(exitCalled.code)}) ${wherePhase(phase)}: the interpreter ended before any result`, details);
  }
  if (!events.some((e) => e.event === 'done')) {
    const tail = output.stderr.trim().split('\n').slice(-5).join('\n');
    if (!python && /heap out of memory|Reached heap limit/i.test(output.stderr)) {
      throw new BenchError('memory', `${request.name} ran out of memory ${wherePhase(phase)} (the harness caps the V8 heap at ${memoryMb} MiB)`, details);
    }
    if (exit.signal) {
      const fault = crashText.length > 0 ? `\n${crashText.slice(0, 12).join('\n')}` : tail ? `\n${tail}` : '';
      const oom = exit.signal === 'SIGKILL' ? ' (killed from outside: possibly the system ran out of memory)' : '';
      throw new BenchError('crash', `the interpreter crashed (${signalName(exit.signal)}) ${wherePhase(phase)}${oom}${fault}`, details);
    }
    if (events.length === 0) {
      throw new BenchError('spawn', `${command} exited with code ${exit.code} before the harness started${tail ? `:\n${tail}` : ''}`, details);
    }
    throw new BenchError('exit', `the interpreter exited with code ${exit.code} ${wherePhase(phase)} without reporting a result (the function, or code it calls, ended the process${python ? ', e.g. os._exit' : ''})${tail ? `\n${tail}` : ''}`, details);
  }
  return { result: summarize({ ...request, tasks, workers }, events), output, pid: pid ?? 0, childPids };
}
