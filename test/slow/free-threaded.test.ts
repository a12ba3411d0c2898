/**
 * Issue 6's free-threaded paths on a real free-threaded CPython: the one scripts/setup-python.sh
 * builds from Debian forky's python3.13 source with --disable-gil (3.13t: the mirror lacks
 * python3.14's source tarball), beside the GIL CPython 3.14 from forky:
 * 1. the interpreter has no GIL and is a free-threaded build;
 * 2. the probe (src/env/probe.ts) says so, and `analyze --python` on it makes CL202's thread pool
 *    the preferred fix and drops CL201, which the GIL 3.14 keeps;
 * 3. CL202's thread-pool rewrite of the cpu_threads fixtures prints what the original prints;
 * 4. `bench` reports no GIL and runs the threads strategy on CPU-bound pure Python; the threads
 *    speedup is printed as a figure beside the GIL build's, never asserted (no timed tests).
 * Where an interpreter is missing the tests are skipped, except with CI=true, where the script
 * has run before them and a missing interpreter is a failure.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { TextEdit } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import { isFreeThreaded, probeInterpreter } from '../../src/env/probe';
import { fileEndingWith, plainEnv, runAnalyzeJson } from '../support/cli-run';
import { repoRoot } from '../support/repo';

const CACHE = process.env.CONCURRENCY_LENS_CACHE ?? join(homedir(), '.cache', 'concurrency-lens');
/** The minor version the script builds (3.13 unless CONCURRENCY_LENS_FREE_THREADED_MINOR says otherwise). */
const MINOR = process.env.CONCURRENCY_LENS_FREE_THREADED_MINOR ?? '3.13';
const FREE_THREADED = join(CACHE, `python${MINOR}t`, 'bin', `python${MINOR}t`);
const GIL_PYTHON = join(CACHE, 'python3.14', 'bin', 'python3.14');
const ON_CI = process.env.CI === 'true';
const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const FIXES = join(ROOT, 'test/fixtures/fixes/python');
const CL202_FIXTURE = 'cpu_threads/comprehension.py';
const CL201_FIXTURE = 'process_pool/with_map.py';

/** Whether `python` is there to test; with CI=true its absence fails the test instead. */
function available(t: TestContext, python: string, what: string): boolean {
  if (existsSync(python)) return true;
  if (ON_CI) assert.fail(`${what} is missing (${python}): CI runs scripts/setup-python.sh before the tests`);
  t.skip(`${what} is not provisioned (${python}): run \`bash scripts/setup-python.sh\``);
  return false;
}

/** Runs `python` on a file; PYTHON_GIL is dropped so that only the build decides. */
function runPython(python: string, args: readonly string[], cwd: string): string {
  const env = { ...process.env };
  delete env.PYTHON_GIL;
  const run = spawnSync(python, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.signal, null, `${python} ${args.join(' ')} was not cut off; stderr:\n${run.stderr}`);
  assert.equal(run.status, 0, `${python} ${args.join(' ')} exits 0; stderr:\n${run.stderr}`);
  return run.stdout;
}

/** A fix as the JSON contract gives it. */
interface JsonFix {
  title: string;
  preferred: boolean;
  edits: TextEdit[];
}

const THREAD_POOL_FIX = /^Run the iterations in a thread pool \(`ThreadPoolExecutor\.map`\)/;

/** The codes of a fixture's findings and CL202's fixes (`*` on the preferred one), analysed with `--python`. */
function analyzeWith(python: string): { cl202: JsonFix[]; codes: Record<string, string[]> } {
  const report = runAnalyzeJson(CLI, [CL202_FIXTURE, CL201_FIXTURE, '--python', python], FIXES);
  const codes: Record<string, string[]> = {};
  for (const fixture of [CL202_FIXTURE, CL201_FIXTURE]) codes[fixture] = fileEndingWith(report, fixture).diagnostics.map((d) => d.code);
  const finding = fileEndingWith(report, CL202_FIXTURE).diagnostics.find((d) => d.code === 'CL202');
  return { cl202: (finding?.fixes ?? []) as JsonFix[], codes };
}

const scratch = mkdtempSync(join(tmpdir(), 'cl-free-threaded-'));

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

void describe('a free-threaded CPython (scripts/setup-python.sh, --disable-gil)', () => {
  void it('runs without the GIL and is a free-threaded build', (t) => {
    if (!available(t, FREE_THREADED, 'the free-threaded CPython')) return;
    const facts = JSON.parse(
      runPython(FREE_THREADED, ['-c', 'import json, sys, sysconfig; print(json.dumps({"gil": sys._is_gil_enabled(), "disabled": sysconfig.get_config_var("Py_GIL_DISABLED"), "version": list(sys.version_info[:2])}))'], scratch),
    ) as { gil: boolean; disabled: number; version: number[] };
    assert.equal(facts.gil, false, 'sys._is_gil_enabled() is False');
    assert.equal(facts.disabled, 1, 'sysconfig.get_config_var("Py_GIL_DISABLED") is 1');
    assert.equal(facts.version.join('.'), MINOR);
  });

  void it('the probe reports it free-threaded, and the GIL 3.14 not', async (t) => {
    if (!available(t, FREE_THREADED, 'the free-threaded CPython')) return;
    const facts = await probeInterpreter(FREE_THREADED);
    assert.equal(facts.gilEnabled, false);
    assert.equal(facts.freeThreadedBuild, true);
    assert.ok(facts.version.startsWith(`${MINOR}.`), facts.version);
    assert.equal(isFreeThreaded(facts), true);
    if (!available(t, GIL_PYTHON, 'CPython 3.14')) return;
    const gil = await probeInterpreter(GIL_PYTHON);
    assert.deepEqual([gil.gilEnabled, gil.freeThreadedBuild, isFreeThreaded(gil)], [true, false, false]);
  });

  void it('analyze --python on it: CL202\'s thread pool is the preferred fix and CL201 is dropped; with the GIL 3.14, the process pool and CL201', (t) => {
    if (!available(t, FREE_THREADED, 'the free-threaded CPython')) return;
    const free = analyzeWith(FREE_THREADED);
    assert.ok(THREAD_POOL_FIX.test(free.cl202[0]?.title ?? ''), `the thread pool first: ${free.cl202.map((f) => f.title).join(' | ')}`);
    assert.deepEqual(free.cl202.map((f) => f.preferred), [true, ...free.cl202.slice(1).map(() => false)], 'and it alone preferred');
    assert.deepEqual(free.codes[CL201_FIXTURE], [], 'no CL201 on the thread pool running pure-Python work');
    if (!available(t, GIL_PYTHON, 'CPython 3.14')) return;
    const gil = analyzeWith(GIL_PYTHON);
    assert.ok(gil.cl202.length > 0 && !gil.cl202.some((f) => THREAD_POOL_FIX.test(f.title)), `no thread pool with the GIL: ${gil.cl202.map((f) => f.title).join(' | ')}`);
    assert.deepEqual(gil.codes[CL201_FIXTURE], ['CL201']);
  });

  for (const fixture of ['comprehension.py', 'tuple_target.py']) {
    void it(`CL202's thread-pool rewrite of cpu_threads/${fixture} prints what the original prints`, (t) => {
      if (!available(t, FREE_THREADED, 'the free-threaded CPython')) return;
      const dir = join(scratch, fixture.replace('.py', ''));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(FIXES, 'cpu_threads', fixture), join(dir, fixture));
      const report = runAnalyzeJson(CLI, [fixture, '--python', FREE_THREADED], dir);
      const finding = fileEndingWith(report, fixture).diagnostics.find((d) => d.code === 'CL202');
      const fix = ((finding?.fixes ?? []) as JsonFix[]).find((f) => f.preferred);
      assert.ok(fix && THREAD_POOL_FIX.test(fix.title), `the preferred fix is the thread pool (${fix?.title ?? 'none'})`);
      const original = readFileSync(join(dir, fixture), 'utf8');
      const fixed = applyEdits(original, fix.edits);
      assert.match(fixed, /ThreadPoolExecutor/);
      writeFileSync(join(dir, `fixed_${fixture}`), fixed);
      const expected = runPython(FREE_THREADED, [fixture], dir);
      assert.notEqual(expected.trim(), '', 'the original prints something');
      assert.equal(runPython(FREE_THREADED, [`fixed_${fixture}`], dir), expected);
    });
  }
});

/** What the bench JSON is read for here. */
interface BenchRun {
  environment: { gilEnabled?: boolean | null; freeThreadedBuild?: boolean; version: string };
  results: Array<{ strategy: string; speedup: number; runs: number; wallSeconds: { median: number } }>;
  verdict: string;
  skipped: Array<{ strategy: string; reason: string }>;
}

function benchSpin(python: string): { json: BenchRun; text: string } {
  const env: NodeJS.ProcessEnv = { ...plainEnv(), CONCURRENCY_LENS_BENCH_TARGET_SECONDS: '0.2' };
  delete env.PYTHON_GIL;
  const args = [CLI, 'bench', 'test/fixtures/bench/calibration.py::spin', '--tasks', '8', '--workers', '2', '--strategies', 'sequential,threads', '--python', python];
  const run = (format: string): string => {
    const result = spawnSync(process.execPath, [...args, '--format', format], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
    assert.equal(result.signal, null, `bench was not cut off; stderr:\n${result.stderr}`);
    assert.equal(result.status, 0, `bench exits 0; stderr:\n${result.stderr}`);
    return result.stdout;
  };
  return { json: JSON.parse(run('json')) as BenchRun, text: run('text') };
}

function threadsSpeedup(json: BenchRun): number {
  const threads = json.results.find((r) => r.strategy === 'threads');
  assert.ok(threads, `the threads strategy ran (skipped: ${JSON.stringify(json.skipped)})`);
  assert.ok(threads.runs >= 1);
  return threads.speedup;
}

void describe('bench on the free-threaded CPython: CPU-bound pure Python in threads', () => {
  void it('reports no GIL, runs the threads strategy, and says so in the text report (the speedup printed beside the GIL 3.14\'s)', (t) => {
    if (!available(t, FREE_THREADED, 'the free-threaded CPython')) return;
    const free = benchSpin(FREE_THREADED);
    assert.equal(free.json.environment.gilEnabled, false);
    assert.equal(free.json.environment.freeThreadedBuild, true);
    assert.equal(free.json.verdict, 'cpu');
    assert.match(free.text, /no GIL \(free-threaded build\)/);
    const freeSpeedup = threadsSpeedup(free.json);
    t.diagnostic(`threads speedup on spin, ${free.json.environment.version} free-threaded: ${freeSpeedup.toFixed(2)}x`);
    if (!available(t, GIL_PYTHON, 'CPython 3.14')) return;
    const gil = benchSpin(GIL_PYTHON);
    assert.equal(gil.json.environment.gilEnabled, true);
    assert.equal(gil.json.environment.freeThreadedBuild, false);
    assert.match(gil.text, /GIL enabled \(standard build\)/);
    t.diagnostic(`threads speedup on spin, ${gil.json.environment.version} with the GIL: ${threadsSpeedup(gil.json).toFixed(2)}x`);
  });
});
