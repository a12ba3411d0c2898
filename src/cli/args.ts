/** Command-line parsing for `concurrency-lens`: small, strict, with clear errors. */
import type { Severity } from '../core';
import { ALL_STRATEGIES, isSchedulerAddress, type Strategy } from '../bench/runner';

export type Format = 'text' | 'json' | 'sarif';

export interface AnalyzeArgs {
  command: 'analyze';
  paths: string[];
  format: Format;
  failOn?: Severity;
  maxFileBytes?: number;
  /** Worker threads for parsing (1: none); unset: by input size. */
  jobs?: number;
  color?: boolean;
  /** The project environment: the interpreter to probe (`--python`), free-threading stated (`--free-threaded`). */
  environment: { python?: string; freeThreaded?: boolean };
}

export interface BenchArgs {
  command: 'bench';
  file: string;
  name: string;
  args: string;
  tasks?: number;
  workers?: number;
  strategies?: Strategy[];
  timeoutSeconds: number;
  format: 'text' | 'json';
  python?: string;
  node?: string;
  startMethod?: string;
  /** The dask strategy's scheduler address; giving it adds dask to the default strategies. */
  scheduler?: string;
  samples?: number;
  memoryMb?: number;
}

export type ParsedArgs = AnalyzeArgs | BenchArgs | { command: 'help' } | { command: 'version' };

/** A usage error: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  concurrency-lens analyze PATH... [--format text|json|sarif] [--fail-on hint|information|warning]
                                   [--max-file-size MB] [--jobs N] [--color | --no-color]
                                   [--python PATH] [--free-threaded]
  concurrency-lens bench FILE::NAME [--args "EXPR"] [--tasks N] [--workers W] [--strategies LIST]
                                   [--timeout S] [--format text|json] [--python PATH] [--node PATH]
                                   [--start-method fork|spawn|forkserver] [--scheduler ADDRESS]
                                   [--samples N] [--memory MB]
  concurrency-lens --version
  concurrency-lens --help

PATH is a file or a folder (recursed; .py, .js, .mjs, .cjs, .jsx, .ts, .tsx, .mts and
.cts files, not .d.ts; node_modules, .git and virtual environments are skipped). Files given together are analyzed together, so chains
of calls cross files. Large inputs are parsed on worker threads (--jobs 1: none).

Some quick fixes depend on the project's environment: the libraries declared in the nearest
pyproject.toml / requirements*.txt (Python) and package.json (JS/TS) above each file (no higher
than the current folder), and, with --python PATH, the modules that interpreter can import and
whether it runs without the GIL (it is run once, for at most 5 s). --free-threaded states that
the project's Python is free-threaded (3.13t and later, GIL off).

bench runs the function NAME of FILE (a name as analyze reports it: name, Class.method) with
the argument list EXPR (source text in the function's language, e.g. "'x', timeout=5"), N times
per batch (default 8) under each strategy: Python sequential, threads, processes, async,
interpreters (Python 3.14+), and dask when asked for (a local cluster of W processes, or the
cluster whose scheduler is at --scheduler tcp://HOST:PORT); Node sequential, async, workers,
processes (LIST: comma-separated). Pools use W workers (default: the CPUs). Each run is in its
own process tree, killed as a whole after --timeout S (default 120).

Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or run error.`;

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const SEVERITIES: readonly Severity[] = ['hint', 'information', 'warning'];

/** Parses `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-v')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command === 'bench') return parseBench(rest);
  if (command !== 'analyze') throw new UsageError(`unknown command '${command}'`);
  const args: AnalyzeArgs = { command: 'analyze', paths: [], format: 'text', environment: {} };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const format = value();
        if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${format}')`);
        args.format = format as Format;
        break;
      }
      case '--fail-on': {
        const severity = value();
        if (!SEVERITIES.includes(severity as Severity)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} (got '${severity}')`);
        args.failOn = severity as Severity;
        break;
      }
      case '--max-file-size': {
        const mb = Number(value());
        if (!Number.isFinite(mb) || mb <= 0) throw new UsageError('--max-file-size takes a positive number of megabytes');
        args.maxFileBytes = Math.round(mb * 1024 * 1024);
        break;
      }
      case '--jobs': {
        const jobs = Number(value());
        if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs takes a whole number of threads, at least 1');
        args.jobs = jobs;
        break;
      }
      case '--color':
        args.color = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      // The project environment (src/cli/environment.ts).
      case '--python':
        args.environment.python = value();
        break;
      case '--free-threaded':
        args.environment.freeThreaded = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  if (args.paths.length === 0) throw new UsageError('analyze needs at least one PATH');
  return args;
}

const START_METHODS = ['fork', 'spawn', 'forkserver'];

function positiveInteger(flag: string, text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes ${what}, at least 1 (got '${text}')`);
  return n;
}

/** `bench FILE::NAME [options]`. */
function parseBench(rest: readonly string[]): BenchArgs {
  let target: string | undefined;
  const args: BenchArgs = { command: 'bench', file: '', name: '', args: '', timeoutSeconds: 120, format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    // --args takes any text, even text that starts with "--" (a negative number is "-1").
    const value = (allowDashes = false): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || (inline === undefined && !allowDashes && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--args':
        args.args = value(true);
        break;
      case '--tasks':
        args.tasks = positiveInteger(flag, value(), 'a whole number of calls per batch');
        break;
      case '--workers':
        args.workers = positiveInteger(flag, value(), 'a whole number of workers');
        break;
      case '--samples':
        args.samples = positiveInteger(flag, value(), 'a whole number of samples');
        if (args.samples < 5) throw new UsageError('--samples takes at least 5 (fewer give no meaningful spread)');
        break;
      case '--strategies': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = list.filter((s) => !ALL_STRATEGIES.includes(s as Strategy));
        if (list.length === 0 || unknown.length > 0) throw new UsageError(`--strategies takes a comma-separated list of ${ALL_STRATEGIES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
        args.strategies = list as Strategy[];
        break;
      }
      case '--timeout': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout takes a positive number of seconds');
        args.timeoutSeconds = seconds;
        break;
      }
      case '--memory':
        args.memoryMb = positiveInteger(flag, value(), 'a whole number of megabytes');
        break;
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') throw new UsageError(`bench --format must be text or json (got '${format}')`);
        args.format = format;
        break;
      }
      case '--python':
        args.python = value();
        break;
      case '--node':
        args.node = value();
        break;
      case '--scheduler': {
        const address = value();
        if (!isSchedulerAddress(address)) throw new UsageError(`--scheduler takes a Dask scheduler address such as tcp://10.0.0.5:8786 (got '${address}')`);
        args.scheduler = address;
        break;
      }
      case '--start-method': {
        const method = value();
        if (!START_METHODS.includes(method)) throw new UsageError(`--start-method must be one of ${START_METHODS.join(', ')} (got '${method}')`);
        args.startMethod = method;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        if (target !== undefined) throw new UsageError(`bench takes one FILE::NAME (got '${target}' and '${arg}')`);
        target = arg;
    }
  }
  if (target === undefined) throw new UsageError('bench needs FILE::NAME, e.g. app/jobs.py::resize_all');
  if (args.scheduler !== undefined && args.strategies && !args.strategies.includes('dask')) {
    throw new UsageError('--scheduler is where the dask strategy runs: add dask to --strategies (or leave --strategies out)');
  }
  const sep = target.lastIndexOf('::');
  if (sep <= 0 || sep === target.length - 2) throw new UsageError(`bench needs FILE::NAME (got '${target}')`);
  args.file = target.slice(0, sep);
  args.name = target.slice(sep + 2);
  return args;
}

/** True when a finding of `severity` reaches the `--fail-on` threshold. */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
