/**
 * `concurrency-lens bench` end to end, through the built CLI (dist/cli.cjs): the version 1
 * JSON contract of BRIEF.md, the text table, and exit code 2 with a message on stderr for usage
 * and run errors. Samples are kept short (CONCURRENCY_LENS_BENCH_TARGET_SECONDS).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from '../support/repo';


const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const PYTHON = ['/root/.pyenv/versions/3.12.1/bin/python3', '/root/.pyenv/versions/3.8.18/bin/python3'].find(existsSync) ?? 'python3';

function hasPython(): boolean {
  try {
    execFileSync(PYTHON, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skipPython = !hasPython() && `${PYTHON} is not installed`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, CONCURRENCY_LENS_BENCH_TARGET_SECONDS: '0.04' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 90_000 });
  assert.equal(result.signal, null, `the CLI was not killed; stderr: ${result.stderr}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
});

void describe('concurrency-lens bench', () => {
  void it('--format json follows the version 1 contract (Python, CPU-bound, static verdict beside the measured one)', { skip: skipPython }, () => {
    const run = cli(['bench', 'test/fixtures/bench/cpu_work.py::busy', '--args', '20000', '--tasks', '4', '--workers', '2', '--python', PYTHON, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown> & { results: Array<Record<string, unknown>> };
    assert.equal(json.version, 1);
    assert.equal(json.function, 'busy');
    assert.equal(json.language, 'python');
    assert.equal(json.tasks, 4);
    assert.equal(json.workers, 2);
    assert.deepEqual(
      json.results.map((r) => r.strategy),
      ['sequential', 'threads', 'processes', 'async'],
    );
    for (const r of json.results) {
      for (const key of ['wallSeconds', 'cpuSeconds'] as const) {
        const stats = r[key] as Record<string, number>;
        assert.deepEqual(Object.keys(stats).sort(), ['max', 'median', 'min'], `${String(r.strategy)} ${key}`);
        for (const v of Object.values(stats)) assert.equal(typeof v, 'number');
      }
      assert.equal(typeof r.speedup, 'number');
      assert.ok(Number.isInteger(r.runs) && (r.runs as number) >= 5);
    }
    assert.equal(typeof json.cpuRatio, 'number');
    assert.ok(['io', 'cpu', 'mixed'].includes(json.verdict as string));
    assert.equal(json.verdict, 'cpu', `CPU/wall ${String(json.cpuRatio)}`);
    assert.equal(json.static, 'cpu');
    assert.equal(json.agreement, 'agrees');
    assert.equal(json.line, 4);
    const env = json.environment as Record<string, unknown>;
    assert.match(String(env.version), /^3\.\d+\.\d+$/);
    assert.equal(env.startMethod, 'fork');
  });

  void it('--format text: a table of strategies, the measured verdict beside the static one (Node, I/O-bound)', () => {
    const run = cli(['bench', 'test/fixtures/bench/io_work.mjs::nap', '--args', '10', '--tasks', '4', '--workers', '2', '--strategies', 'async,workers']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^nap — test\/fixtures\/bench\/io_work\.mjs:4 \(async\)$/m);
    assert.match(run.stdout, /Node\.js \d+\.\d+\.\d+ · \d+ CPUs? · 4 tasks · 2 workers · 5 samples/);
    assert.match(run.stdout, /strategy\s+wall per batch\s+± spread\s+speedup\s+CPU\/wall\s+start-up\s+cold\s+how/);
    for (const strategy of ['sequential', 'async', 'workers']) assert.match(run.stdout, new RegExp(`^  ${strategy}\\s+[\\d.]+ (ms|s|µs)\\s+±\\d+%`, 'm'));
    assert.doesNotMatch(run.stdout, /^ {2}processes/m, 'only the strategies asked for');
    assert.match(run.stdout, /Measured: I\/O-bound \(CPU\/wall 0\.\d\d in the sequential run\) · static: I\/O-bound \(\w+ confidence\) — agrees/);
  });

  void it('exit code 2 with a message on stderr: usage errors', () => {
    for (const [args, message] of [
      [['bench'], /bench needs FILE::NAME/],
      [['bench', 'test/fixtures/bench/io_work.py'], /bench needs FILE::NAME \(got/],
      [['bench', 'test/fixtures/bench/io_work.py::nap', '--strategies', 'threads,gpu'], /unknown: gpu/],
      [['bench', 'test/fixtures/bench/io_work.py::nap', '--tasks', '0'], /--tasks takes a whole number/],
      [['bench', 'test/fixtures/bench/io_work.py::nap', '--start-method', 'teleport'], /--start-method must be one of fork, spawn, forkserver/],
      [['bench', 'test/fixtures/bench/missing.py::nap'], /no such file: test\/fixtures\/bench\/missing\.py/],
      [['bench', 'test/fixtures/bench/io_work.py::nope'], /no function named 'nope' in test\/fixtures\/bench\/io_work\.py \(functions: nap, async_nap\)/],
    ] as const) {
      const run = cli(args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '');
    }
  });

  void it('exit code 2 with a message on stderr: the function raises', { skip: skipPython }, () => {
    const run = cli(['bench', 'test/fixtures/bench/failures.py::raises', '--python', PYTHON]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /bench test\/fixtures\/bench\/failures\.py::raises: raises raised ValueError: bad value: 42/);
    assert.match(run.stderr, /traceback \(innermost last\):\n {4}\S*failures\.py:15 in raises\n {4}\S*failures\.py:11 in helper_that_fails/);
  });
});
