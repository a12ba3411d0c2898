/**
 * `npm run bench:analyze`: how fast is our analyzer on large real corpora, next to the
 * tool each language's users run for the same question, on the same files, and how do the
 * findings compare?
 *   - Python: the standard library from pyodide, against Ruff's flake8-async rules
 *     (Ruff's ASYNC2xx against our CL101);
 *   - JavaScript: the source of big npm packages (bench/lib/js-corpus.ts), against ESLint
 *     with eslint-plugin-n's no-sync rule (its findings inside async functions against CL101).
 *
 * The parent process only orchestrates: it runs each tool in a child process of its own
 * (this same bundle with `--measure TOOL`), one after the other so they do not compete
 * for the two cores, reads the measurement each child writes to a temp file, and prints
 * the report. Exit code 0 whether or not the target is met (this is a benchmark, not a
 * test); 2 when an option is wrong or a child fails.
 *
 *   npm run bench:analyze                          both corpora in full, 3 repeats
 *   npm run bench:analyze -- --quick               60 files of each corpus, a smoke test
 *   npm run bench:analyze -- --corpus js           the JS corpus only
 *   npm run -s bench:analyze -- --json > out.json  (-s keeps npm's banner off stdout)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFindings } from './lib/compare';
import { compareNoSync } from './lib/compare-js';
import { CORPUS_DEFINITIONS, type CorpusName, toolsFor } from './lib/corpora';
import { engineFor, type Finding, type ToolName } from './lib/engines';
import { measure, type Measurement } from './lib/measure';
import { childArguments, type Options, parseOptions, USAGE } from './lib/options';
import { figuresOf, formatText, type Summary, TARGET_RATIO } from './lib/report';
import { formatJsText } from './lib/report-js';

/** Child: measure one tool on one corpus and write the measurement as JSON. */
async function runChild(tool: ToolName, corpusName: CorpusName, options: Options): Promise<void> {
  const corpus = CORPUS_DEFINITIONS[corpusName].load(options);
  const measurement = await measure(engineFor(tool), corpus, options);
  writeFileSync(options.out!, JSON.stringify(measurement));
}

/**
 * Parent: spawn the child for a tool. Its stdout goes to our stderr, so whatever the
 * engine prints never mixes with the report. `--expose-gc` lets it collect between runs.
 */
function spawnMeasurement(corpus: CorpusName, tool: ToolName, options: Options, dir: string): Measurement {
  const out = join(dir, `${corpus}-${tool}.json`);
  const nodeArgs = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(process.execPath, [...nodeArgs, __filename, ...childArguments(options, corpus, tool, out)], {
    stdio: ['ignore', 2, 2],
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`child exited with ${child.signal ?? `code ${child.status}`}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Measurement;
}

/** Compares the peer tool's findings with ours. */
type Compare<C> = (peer: Finding[], ours: Finding[]) => C;

function summarize<C>(
  options: Options,
  measurements: Measurement[],
  failures: Summary['failures'],
  peerTool: ToolName,
  compare: Compare<C>,
): Summary<C> {
  const ours = measurements.find((m) => m.tool === 'ours');
  const peer = measurements.find((m) => m.tool === peerTool);
  const parse = measurements.find((m) => m.tool === 'parse');
  if (new Set(measurements.map((m) => m.fingerprint)).size > 1) {
    throw new Error('the children loaded different corpora (fingerprints differ)');
  }
  // Same bytes on both sides, so the throughput ratio is the inverse ratio of the medians.
  const ratio = ours && peer ? peer.medianMs / ours.medianMs : null;
  const cold = (m: Measurement) => m.initMs + m.firstPassMs;
  const coldRatio = ours && peer ? cold(peer) / cold(ours) : null;
  const parseRatio = parse && peer ? peer.medianMs / parse.medianMs : null;
  const first = measurements[0];
  return {
    version: 1,
    corpus: first ? { source: first.source, files: first.files, megabytes: first.bytes / 1e6, fingerprint: first.fingerprint } : null,
    quick: options.quick,
    repeats: options.repeats,
    warmupSeconds: options.warmupSeconds,
    node: process.version,
    tools: measurements.map(figuresOf),
    ratio,
    coldRatio,
    parseRatio,
    targetRatio: TARGET_RATIO,
    targetMet: ratio === null ? null : ratio >= TARGET_RATIO,
    comparison: ours && peer ? compare(peer.result.findings, ours.result.findings) : null,
    failures,
  };
}

/** Runs each tool of one corpus in its own child, one after the other. */
function measureCorpus(corpus: CorpusName, options: Options, dir: string) {
  const measurements: Measurement[] = [];
  const failures: Summary['failures'] = [];
  for (const tool of toolsFor(corpus, options.tools)) {
    try {
      measurements.push(spawnMeasurement(corpus, tool, options, dir));
    } catch (error) {
      failures.push({ tool, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { measurements, failures };
}

/** One corpus's summary and its text report. */
function reportCorpus(corpus: CorpusName, options: Options, dir: string): { summary: object; text: string; failed: boolean } {
  const { measurements, failures } = measureCorpus(corpus, options, dir);
  if (corpus === 'python') {
    const summary = summarize(options, measurements, failures, 'ruff', compareFindings);
    return { summary, text: formatText(summary), failed: failures.length > 0 };
  }
  const summary = summarize(options, measurements, failures, 'eslint', compareNoSync);
  return { summary, text: formatJsText(summary), failed: failures.length > 0 };
}

function runParent(options: Options): number {
  // `--tools ruff` alone means the Python corpus only, as it did before there were two.
  const corpora = options.corpora.filter((c) => toolsFor(c, options.tools).length > 0);
  if (!corpora.length) {
    process.stderr.write(`none of the tools ${options.tools.join(',')} runs on ${options.corpora.join(' or ')}\n${USAGE}\n`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-'));
  const reports: Partial<Record<CorpusName, { summary: object; text: string; failed: boolean }>> = {};
  try {
    for (const corpus of corpora) reports[corpus] = reportCorpus(corpus, options, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const several = corpora.length > 1;
  // A title per corpus only when there are several, so a single corpus reads as it always did.
  const text = corpora.map((c) => (several ? `== ${CORPUS_DEFINITIONS[c].title} ==\n` : '') + reports[c]!.text).join('\n\n') + '\n';
  // With --json, stdout carries only the JSON so that scripts can parse it.
  if (options.json) {
    process.stderr.write(text);
    const json = several ? { version: 1, ...Object.fromEntries(corpora.map((c) => [c, reports[c]!.summary])) } : reports[corpora[0]]!.summary;
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    process.stdout.write(text);
  }
  return corpora.some((c) => reports[c]!.failed) ? 2 : 0;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (options.measure) {
    if (!options.out) throw new Error('--measure needs --out FILE');
    if (options.corpora.length !== 1) throw new Error('--measure needs --corpus python or --corpus js');
    await runChild(options.measure, options.corpora[0], options);
    return 0;
  }
  return runParent(options);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:analyze: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
