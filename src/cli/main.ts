/**
 * `concurrency-lens`: the command-line front on the same core as the extension.
 * Results go to stdout; errors and usage to stderr. Exit codes: 0 success,
 * 1 findings at or above --fail-on, 2 usage or run error.
 */
import { readFile } from 'node:fs/promises';
import { analyzeFiles, toJsonReport, type FileResult, type SourceFile } from '../core';
import { parseArgs, reaches, UsageError, USAGE, type AnalyzeArgs } from './args';
import { discover } from './discover';
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
  const analyzed = await analyzeFiles(sources, { maxFileBytes: args.maxFileBytes, workers: args.jobs });
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
