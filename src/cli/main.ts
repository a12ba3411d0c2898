/**
 * `concurrency-lens`: the command-line front on the same core as the extension.
 * Results go to stdout; errors and usage to stderr. Exit codes: 0 success,
 * 1 findings at or above --fail-on, 2 usage or run error.
 */
import { readFile } from 'node:fs/promises';
import { analyzeFiles, toJsonReport, type FileResult, type SourceFile } from '../core';
import { formatBenchText, toBenchJson } from '../bench/report';
import { BenchError, runBenchmark, strategiesFor } from '../bench/runner';
import { staticVerdict } from '../bench/static';
import { parseArgs, reaches, UsageError, USAGE, type AnalyzeArgs, type BenchArgs } from './args';
import { discover } from './discover';
import { ProbeCancelled, readEnvironments } from './environment';
import { formatSarif } from './format-sarif';
import { formatText, shouldUseColor } from './format-text';

declare const CONCURRENCY_LENS_VERSION: string | undefined;
const VERSION = typeof CONCURRENCY_LENS_VERSION === 'string' ? CONCURRENCY_LENS_VERSION : '0.0.0-dev';

/** Reads a file; an unreadable one becomes a result with an error, the run goes on. */
async function read(path: string): Promise<SourceFile | FileResult> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { path, language: 'python', functions: [], diagnostics: [], error: `cannot read file${code ? ` (${code})` : ''}` };
  }
}

async function analyze(args: AnalyzeArgs): Promise<number> {
  const { files, missing } = await discover(args.paths);
  if (missing.length > 0) {
    process.stderr.write(`concurrency-lens: no such file or folder: ${missing.join(', ')}\n`);
    return 2;
  }
  const loaded = await Promise.all(files.map(read));
  const sources = loaded.filter((f): f is SourceFile => 'text' in f);
  let environments;
  try {
    environments = await readEnvironments(
      sources.map((s) => s.path),
      { ...args.environment, cwd: process.cwd() },
    );
  } catch (error) {
    if (!(error instanceof ProbeCancelled)) throw error;
    process.stderr.write(`concurrency-lens: cancelled (${error.message})\n`);
    return 2;
  }
  for (const warning of environments.warnings) process.stderr.write(`concurrency-lens: warning: ${warning}\n`);
  const analyzed = await analyzeFiles(sources, { maxFileBytes: args.maxFileBytes, workers: args.jobs, environmentFor: environments.environmentFor });
  const byPath = new Map(analyzed.map((r) => [r.path, r]));
  const results = loaded.map((f) => ('text' in f ? byPath.get(f.path)! : f));

  let output: string;
  switch (args.format) {
    case 'json':
      output = JSON.stringify(toJsonReport(results), null, 2);
      break;
    case 'sarif':
      output = JSON.stringify(formatSarif(results, { toolVersion: VERSION, cwd: process.cwd() }), null, 2);
      break;
    default:
      output = formatText(results, { color: args.color ?? shouldUseColor(process.stdout, process.env), cwd: process.cwd() });
  }
  await new Promise<void>((resolve) => process.stdout.write(`${output}\n`, () => resolve()));

  const threshold = args.failOn;
  if (threshold && results.some((r) => r.diagnostics.some((d) => reaches(d.severity, threshold)))) return 1;
  return 0;
}

function write(text: string): Promise<void> {
  return new Promise<void>((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
}

/** The last lines of captured output, for an error message. */
function tail(text: string, lines = 8): string {
  const kept = text.replace(/\s+$/, '').split('\n');
  return kept.slice(-lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n');
}

async function bench(args: BenchArgs): Promise<number> {
  let info;
  try {
    info = await staticVerdict(args.file, args.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`concurrency-lens: ${code === 'ENOENT' ? `no such file: ${args.file}` : (error as Error).message}\n`);
    return 2;
  }
  if (!info.fn) {
    process.stderr.write(`concurrency-lens: no function named '${args.name}' in ${args.file} (functions: ${info.names.join(', ') || 'none'})\n`);
    return 2;
  }
  // Ctrl-C or a CI cancel: the run's whole process tree goes with us.
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const target = Number(process.env.CONCURRENCY_LENS_BENCH_TARGET_SECONDS);
  try {
    const run = await runBenchmark({
      file: args.file,
      name: args.name,
      language: info.language,
      args: args.args,
      tasks: args.tasks,
      workers: args.workers,
      strategies: args.strategies ?? (args.scheduler !== undefined ? strategiesFor(info.language, [...strategiesFor(info.language), 'dask']) : undefined),
      daskScheduler: args.scheduler,
      timeoutSeconds: args.timeoutSeconds,
      signal: controller.signal,
      python: args.python,
      node: args.node,
      startMethod: args.startMethod,
      samples: args.samples,
      memoryMb: args.memoryMb,
      targetSeconds: Number.isFinite(target) && target > 0 ? target : undefined,
    });
    const json = toBenchJson(run.result, { kind: info.fn.kind, confidence: info.fn.confidence, line: info.fn.line }, run.output);
    await write(args.format === 'json' ? JSON.stringify(json, null, 2) : formatBenchText(json, run.output));
    return 0;
  } catch (error) {
    if (!(error instanceof BenchError)) throw error;
    let message = `concurrency-lens: bench ${args.file}::${args.name}: ${error.message}`;
    if (error.details.traceback && error.details.traceback.length > 0) message += `\n  traceback (innermost last):\n${error.details.traceback.map((f) => `    ${f}`).join('\n')}`;
    const output = error.details.output;
    if (output && error.kind !== 'flood' && error.kind !== 'memory') {
      for (const [stream, text] of [['stderr', output.stderr], ['stdout', output.stdout]] as const) {
        if (text.trim()) message += `\n  last ${stream} of the function:\n${tail(text).replace(/^/gm, '    ')}`;
      }
    }
    process.stderr.write(`${message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`concurrency-lens: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case 'bench':
      return bench(args);
    default:
      return analyze(args);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`concurrency-lens: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
