/**
 * `npm run bench:harness`: does the benchmark harness (src/bench) measure honestly? It runs the
 * calibration functions of test/fixtures/bench/calibration.{py,mjs} — CPU work in the
 * interpreter, waiting, native work that runs outside the interpreter lock, and an empty function
 * for the harness's own overhead — under every strategy through `runBenchmark`, exactly as the
 * CLI and the editor do, and checks the figures against what 2 CPUs must give (PASS / MISS per
 * expectation, with the figures).
 *
 * Before the cases of each language it measures the machine itself: a plain busy loop in one
 * process, then in `workers` processes at once, with no harness. On a virtual machine two vCPUs
 * may not be two cores' worth; that baseline is the reference the processes figures are read
 * against. Other processes' CPU use is measured during every run (/proc/stat minus our own
 * process tree), and figures taken while the machine was busy are called unreliable.
 *
 *   npm run bench:harness                                   python3 and this Node
 *   npm run bench:harness -- --quick                        a smoke test
 *   npm run bench:harness -- --python python3 --python "$(pyenv root)/versions/3.8.18/bin/python"
 *   npm run bench:harness -- --wait-quiet 120               on a shared machine: each measurement
 *                                                           first waits for other processes to stop
 *   npm run bench:harness -- --dask none                    without the scaling-out part (Dask)
 *   npm run -s bench:harness -- --json > calibration.json   (the text goes to stderr)
 *
 * The scaling-out part runs the CPU loop and the wait under processes and a local Dask cluster
 * with the Python given by --dask (Debian's python3 by default): start-up, per-batch overhead,
 * transfer, and the speedups against sequential and against the process pool.
 *
 * Exit code 0 when every figure was measured, MISS or not (a benchmark, not a test); 2 when an
 * option is wrong or a run failed.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { BenchError, runBenchmark, type BenchRequest, type BenchResult } from '../src/bench/runner';
import { calibrationCases, checkCase, overheadOf, type CalibrationCase } from './lib/harness-cases';
import { scalingCases, type ScalingRun } from './lib/harness-dask';
import { isBusy, machineInfo, measureBaseline, waitForQuiet, withBusyness } from './lib/harness-machine';
import { HARNESS_USAGE, parseHarnessOptions, type HarnessOptions } from './lib/harness-options';
import { busyParts, formatHarnessText, type CaseRun, type HarnessSummary, type InterpreterRun } from './lib/harness-report';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bench');

function progress(text: string): void {
  process.stderr.write(`[bench:harness] ${text}\n`);
}

function describeInterpreter(result: BenchResult): string {
  const env = result.environment;
  const parts = [`${env.implementation} ${env.version}`];
  if (result.language === 'python') {
    parts[0] += env.freeThreadedBuild ? (env.gilEnabled ? ' (free-threaded build, GIL on)' : ' (free-threaded, no GIL)') : ' (GIL)';
    if (env.startMethod) parts.push(`start method ${env.startMethod}`);
  }
  parts.push(env.executable);
  return parts.join(' · ');
}

/** With --wait-quiet: waits for other processes to leave the CPUs alone, and says so. */
async function quietFirst(options: HarnessOptions): Promise<{ waitedSeconds: number; quiet: boolean } | undefined> {
  if (options.waitQuietSeconds <= 0) return undefined;
  const waited = await waitForQuiet(options.waitQuietSeconds);
  if (waited.waitedSeconds > 1.5) progress(`waited ${waited.waitedSeconds.toFixed(0)} s for other processes to go quiet${waited.quiet ? '' : ' (they did not)'}`);
  return waited;
}

async function runCase(c: CalibrationCase, command: string, options: HarnessOptions, baseline: number | undefined): Promise<CaseRun> {
  const request: BenchRequest = {
    file: join(FIXTURES, c.file),
    name: c.name,
    language: c.language,
    args: c.args,
    tasks: options.tasks,
    workers: options.workers,
    samples: options.samples,
    targetSeconds: options.targetSeconds,
    timeoutSeconds: 180,
    ...(c.language === 'python' ? { python: command } : { node: command }),
  };
  const waited = await quietFirst(options);
  progress(`${command} ${c.file}::${c.name} (load ${loadavg()[0].toFixed(2)})`);
  try {
    const { value: run, busyness } = await withBusyness(() => runBenchmark(request));
    const result = run.result;
    const noGil = result.environment.gilEnabled === false;
    return {
      case: c,
      result,
      busyness,
      ...(waited ? { waitedForQuiet: waited } : {}),
      expectations: checkCase(c, result, { baseline, noGil }),
      ...(c.work === 'empty' ? { overhead: overheadOf(result) } : {}),
    };
  } catch (error) {
    const kind = error instanceof BenchError ? error.kind : 'error';
    return { case: c, error: { kind, message: error instanceof Error ? error.message : String(error) }, expectations: [] };
  }
}

async function runInterpreter(language: 'python' | 'javascript', command: string, options: HarnessOptions): Promise<InterpreterRun> {
  const run: InterpreterRun = { language, command, cases: [] };
  const waited = await quietFirst(options);
  if (waited) run.baselineWaitedForQuiet = waited;
  progress(`${command}: plain ${options.workers}-process baseline`);
  try {
    run.baseline = await measureBaseline({ language, command }, options.workers, options.quick ? 3 : 5, options.quick ? 0.2 : 0.5);
  } catch (error) {
    run.baselineError = error instanceof Error ? error.message : String(error);
  }
  for (const c of calibrationCases(options.quick).filter((x) => x.language === language)) {
    const done = await runCase(c, command, options, run.baseline?.speedup);
    if (done.result && !run.description) {
      run.description = describeInterpreter(done.result);
      run.label = `${done.result.environment.implementation} ${done.result.environment.version}`;
    }
    run.cases.push(done);
  }
  return run;
}

/** Dask's local cluster against the process pool, case by case. */
async function runScaling(python: string, options: HarnessOptions): Promise<ScalingRun[]> {
  const runs: ScalingRun[] = [];
  for (const c of scalingCases(options.quick)) {
    await quietFirst(options);
    progress(`${python} calibration.py::${c.name}(${c.args}) under processes and dask (load ${loadavg()[0].toFixed(2)})`);
    try {
      const { value, busyness } = await withBusyness(() =>
        runBenchmark({
          file: join(FIXTURES, 'calibration.py'),
          name: c.name,
          language: 'python',
          args: c.args,
          tasks: options.tasks,
          workers: options.workers,
          samples: options.samples,
          targetSeconds: options.targetSeconds,
          timeoutSeconds: 300,
          python,
          strategies: ['processes', 'dask'],
        }),
      );
      runs.push({ case: c, result: value.result, busyness });
    } catch (error) {
      runs.push({ case: c, error: { kind: error instanceof BenchError ? error.kind : 'error', message: error instanceof Error ? error.message : String(error) } });
    }
  }
  return runs;
}

async function main(): Promise<number> {
  let options: HarnessOptions;
  try {
    options = parseHarnessOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${HARNESS_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HARNESS_USAGE + '\n');
    return 0;
  }
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const machine = machineInfo();
  const runs: InterpreterRun[] = [];
  if (options.languages.includes('python')) for (const python of options.pythons) runs.push(await runInterpreter('python', python, options));
  if (options.languages.includes('javascript')) runs.push(await runInterpreter('javascript', options.node ?? process.execPath, options));
  const scaling = options.dask && options.languages.includes('python') ? { python: options.dask, runs: await runScaling(options.dask, options) } : undefined;

  const expectations = runs.flatMap((r) => r.cases.flatMap((c) => c.expectations));
  const failedRuns = runs.reduce((n, r) => n + r.cases.filter((c) => c.error).length + (r.baselineError ? 1 : 0), 0) + (scaling?.runs.filter((r) => r.error).length ?? 0);
  const busy = busyParts(runs);
  const { help: _help, json: _json, ...settings } = options;
  const summary: HarnessSummary = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: settings,
    machine,
    loadAverage: { start: loadStart, end: loadavg() },
    runs,
    ...(scaling ? { scaling } : {}),
    totals: { pass: expectations.filter((e) => e.status === 'PASS').length, miss: expectations.filter((e) => e.status === 'MISS').length, failedRuns },
    reliable: busy.length === 0 && runs.every((r) => r.cases.every((c) => !c.busyness || !isBusy(c.busyness))) && (scaling?.runs ?? []).every((r) => !r.busyness || !isBusy(r.busyness)),
    busy,
  };
  const text = formatHarnessText(summary) + '\n';
  // With --json, stdout carries only the JSON so that scripts can parse it.
  if (options.json) {
    process.stderr.write(text);
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    process.stdout.write(text);
  }
  return failedRuns > 0 ? 2 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:harness: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
