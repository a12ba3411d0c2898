/**
 * `npm run bench:analyze`: how fast is our analyzer on a large real corpus (the Python
 * standard library from pyodide), next to Ruff's flake8-async rules on the same files,
 * and how do the findings compare (Ruff's ASYNC2xx against our CL101)?
 *
 * The parent process only orchestrates: it runs each tool in a child process of its own
 * (this same bundle with `--measure TOOL`), one after the other so they do not compete
 * for the two cores, reads the measurement each child writes to a temp file, and prints
 * the report. Exit code 0 whether or not the target is met (this is a benchmark, not a
 * test); 2 when an option is wrong or a child fails.
 *
 *   npm run bench:analyze                          full corpus, 3 repeats
 *   npm run bench:analyze -- --quick               60-file smoke test
 *   npm run -s bench:analyze -- --json > out.json  (-s keeps npm's banner off stdout)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFindings } from './lib/compare';
import { loadCorpus } from './lib/corpus';
import { engineFor, type ToolName } from './lib/engines';
import { measure, type Measurement } from './lib/measure';
import { childArguments, type Options, parseOptions, USAGE } from './lib/options';
import { figuresOf, formatText, type Summary, TARGET_RATIO } from './lib/report';

/** Child: measure one tool and write the measurement as JSON. */
async function runChild(tool: ToolName, options: Options): Promise<void> {
  const corpus = loadCorpus({ zipPath: options.zip, quick: options.quick, limit: options.limit });
  const measurement = await measure(engineFor(tool), corpus, options);
  writeFileSync(options.out!, JSON.stringify(measurement));
}

/**
 * Parent: spawn the child for a tool. Its stdout goes to our stderr, so whatever the
 * engine prints never mixes with the report. `--expose-gc` lets it collect between runs.
 */
function spawnMeasurement(tool: ToolName, options: Options, dir: string): Measurement {
  const out = join(dir, `${tool}.json`);
  const nodeArgs = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
  const child = spawnSync(process.execPath, [...nodeArgs, __filename, ...childArguments(options, tool, out)], {
    stdio: ['ignore', 2, 2],
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`child exited with ${child.signal ?? `code ${child.status}`}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Measurement;
}

function summarize(options: Options, measurements: Measurement[], failures: Summary['failures']): Summary {
  const ours = measurements.find((m) => m.tool === 'ours');
  const ruff = measurements.find((m) => m.tool === 'ruff');
  const parse = measurements.find((m) => m.tool === 'parse');
  if (new Set(measurements.map((m) => m.fingerprint)).size > 1) {
    throw new Error('the children loaded different corpora (fingerprints differ)');
  }
  // Same bytes on both sides, so the throughput ratio is the inverse ratio of the medians.
  const ratio = ours && ruff ? ruff.medianMs / ours.medianMs : null;
  const cold = (m: Measurement) => m.initMs + m.firstPassMs;
  const coldRatio = ours && ruff ? cold(ruff) / cold(ours) : null;
  const parseRatio = parse && ruff ? ruff.medianMs / parse.medianMs : null;
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
    comparison: ours && ruff ? compareFindings(ruff.result.findings, ours.result.findings) : null,
    failures,
  };
}

function runParent(options: Options): number {
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-'));
  const measurements: Measurement[] = [];
  const failures: Summary['failures'] = [];
  try {
    for (const tool of options.tools) {
      try {
        measurements.push(spawnMeasurement(tool, options, dir));
      } catch (error) {
        failures.push({ tool, error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = summarize(options, measurements, failures);
  // With --json, stdout carries only the JSON so that scripts can parse it.
  const text = formatText(summary) + '\n';
  if (options.json) {
    process.stderr.write(text);
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    process.stdout.write(text);
  }
  return failures.length ? 2 : 0;
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
    await runChild(options.measure, options);
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
