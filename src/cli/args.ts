/** Command-line parsing for `concurrency-lens`: small, strict, with clear errors. */
import type { Severity } from '../core';

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
}

export type ParsedArgs = AnalyzeArgs | { command: 'help' } | { command: 'version' };

/** A usage error: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  concurrency-lens analyze PATH... [--format text|json|sarif] [--fail-on hint|information|warning]
                                   [--max-file-size MB] [--jobs N] [--color | --no-color]
  concurrency-lens --version
  concurrency-lens --help

PATH is a file or a folder (recursed; .py, .js, .mjs, .cjs, .jsx, .ts, .tsx, .mts and
.cts files, not .d.ts; node_modules, .git and virtual environments are skipped). Files given together are analyzed together, so chains
of calls cross files. Large inputs are parsed on worker threads (--jobs 1: none).

Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or run error.`;

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const SEVERITIES: readonly Severity[] = ['hint', 'information', 'warning'];

/** Parses `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { command: 'help' };
  if (argv.includes('--version') || argv.includes('-v')) return { command: 'version' };
  const [command, ...rest] = argv;
  if (command !== 'analyze') throw new UsageError(`unknown command '${command}'`);
  const args: AnalyzeArgs = { command: 'analyze', paths: [], format: 'text' };
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
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  if (args.paths.length === 0) throw new UsageError('analyze needs at least one PATH');
  return args;
}

/** True when a finding of `severity` reaches the `--fail-on` threshold. */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
