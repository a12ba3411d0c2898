/**
 * The benchmark runner and its harnesses (src/bench/): the result shape, the measured verdict
 * (CPU time / wall time of the sequential run) on two CPython versions and on Node, and every
 * failure mode of issue 5 — each gives a clear error and leaves no process behind.
 *
 * Timings are never asserted (a noisy 2-core machine): only CPU/wall ratios of a busy loop
 * (≈ 1) and of a sleep (≈ 0), which hold on a loaded machine too (the harness leaves out the
 * time the sequential run spent waiting for a CPU). Samples are kept short.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BenchError, isRunning, runBenchmark, type BenchErrorKind, type BenchRequest, type BenchRun, type Strategy } from '../../src/bench/runner';
import { liveProcesses } from '../support/proc';
import { repoRoot } from '../support/repo';


const ROOT = repoRoot();
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bench');
const HARNESS = join(ROOT, 'src', 'bench', 'harness');

/** The CPython versions the harness must support (pyenv on this machine and on CI). */
const PYTHONS = ['/root/.pyenv/versions/3.8.18/bin/python3', '/root/.pyenv/versions/3.12.1/bin/python3'];

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PYTHON3 = hasCommand('python3');
const PYTHON = PYTHONS.find(existsSync) ?? 'python3';

/** Short samples: the tests check behaviour and ratios, not speed. */
function request(file: string, name: string, extra: Partial<BenchRequest> = {}): BenchRequest {
  return {
    file: join(FIXTURES, file),
    name,
    language: file.endsWith('.py') ? 'python' : 'javascript',
    tasks: 4,
    workers: 2,
    targetSeconds: 0.04,
    samples: 5,
    timeoutSeconds: 60,
    harnessDir: HARNESS,
    ...extra,
  };
}

/**
 * Processes of a run's process group or session that still run (zombies, already dead and
 * waiting for their parent to read the status, do not count).
 */
function groupMembers(pgid: number): number[] {
  return liveProcesses((_pid, stat) => stat.pgrp === pgid || stat.session === pgid);
}

function assertNothingLeft(pid: number | undefined, childPids: readonly number[] = []): void {
  assert.ok(pid && pid > 0, 'the run reports its process id');
  assert.deepEqual(groupMembers(pid), [], `no process of group ${pid} is left`);
  for (const child of childPids) assert.equal(isRunning(child), false, `pool process ${child} is gone`);
}

/** Runs a benchmark that must fail; returns the error after checking its kind and cleanup. */
async function failure(req: BenchRequest, kind: BenchErrorKind, message: RegExp): Promise<BenchError> {
  let caught: unknown;
  try {
    await runBenchmark(req);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof BenchError, `a BenchError (got ${String(caught)})`);
  assert.equal(caught.kind, kind, caught.message);
  assert.match(caught.message, message);
  assertNothingLeft(caught.details.pid, caught.details.childPids);
  return caught;
}

function assertShape(run: BenchRun, strategies: readonly Strategy[]): void {
  const { result } = run;
  assert.deepEqual(
    result.results.map((r) => r.strategy),
    strategies,
    'one result per strategy, sequential first',
  );
  for (const r of result.results) {
    assert.ok(r.runs >= 5, `${r.strategy}: at least 5 samples (${r.runs})`);
    for (const stats of [r.wallSeconds, r.cpuSeconds]) {
      assert.ok(stats.min >= 0 && stats.min <= stats.median && stats.median <= stats.max, `${r.strategy}: min ≤ median ≤ max (${JSON.stringify(stats)})`);
    }
    assert.ok(r.wallSeconds.min > 0, `${r.strategy}: a batch takes time`);
    assert.ok(r.speedup > 0 && Number.isFinite(r.speedup), `${r.strategy}: speedup ${r.speedup}`);
    assert.ok(r.spread >= 0, `${r.strategy}: spread ${r.spread}`);
    assert.equal(r.inconclusive, r.spread > 0.1);
    assert.ok(r.batchesPerSample >= 1);
    if (r.strategy !== 'sequential' && r.strategy !== 'async') assert.ok((r.startupSeconds ?? -1) >= 0, `${r.strategy}: start-up measured before timing`);
  }
  assert.equal(result.results[0].speedup, 1, 'sequential is the baseline');
  assert.equal(result.cpuRatio, result.results[0].cpuRatio, 'the verdict comes from the sequential run');
  // Linux: time spent waiting for a CPU on a busy machine is measured, and left out of CPU/wall.
  assert.ok(result.wallCpuRatio <= result.cpuRatio + 1e-6, `CPU/wall ${result.wallCpuRatio} with the wait ≤ ${result.cpuRatio} without it`);
  if (process.platform === 'linux') assert.ok((result.results[0].cpuWaitSeconds ?? -1) >= 0, 'the wait for a CPU is measured');
  assert.equal(result.verdict, result.cpuRatio >= 0.8 ? 'cpu' : result.cpuRatio <= 0.2 ? 'io' : 'mixed');
  assert.equal(result.tasks, 4);
  assert.equal(result.workers, 2);
  assert.equal(result.environment.tasks, 4);
  assert.equal(result.environment.workers, 2);
  assert.ok(result.environment.cpuCount >= 1);
  assertNothingLeft(run.pid, run.childPids);
}

/**
 * Calls that can run at once, per strategy: the pool's size, Python's default executor for
 * `to_thread` (not `workers`), every call for gather and Promise.all.
 */
function assertPoolSizes(run: BenchRun, expected: Partial<Record<Strategy, number>>): void {
  for (const [strategy, size] of Object.entries(expected)) {
    assert.equal(run.result.results.find((r) => r.strategy === strategy)?.poolSize, size, `${strategy}: ${size} at once`);
  }
}

const load = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

let temp = '';
after(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

for (const python of PYTHONS) {
  const version = /versions\/([\d.]+)\//.exec(python)?.[1] ?? python;
  void describe(`bench: CPython ${version}`, () => {
    const skip = !existsSync(python) && `${python} is missing (install it with pyenv to run these tests)`;

    void it('a pure-Python busy loop measures CPU-bound (CPU/wall ≥ 0.8), every strategy in the contract shape', { skip }, async () => {
      const run = await runBenchmark(request('cpu_work.py', 'busy', { args: '20000', python }));
      assertShape(run, ['sequential', 'threads', 'processes', 'async']);
      assert.ok(run.result.cpuRatio >= 0.8, `CPU/wall ${run.result.cpuRatio}, ${run.result.wallCpuRatio} with waits for a CPU (${load()})`);
      assert.equal(run.result.verdict, 'cpu');
      const env = run.result.environment;
      assert.equal(env.version, version);
      assert.equal(env.implementation, 'CPython');
      assert.equal(env.gilEnabled, true);
      assert.equal(env.freeThreadedBuild, false);
      assert.equal(env.startMethod, 'fork', 'the Linux default before 3.14');
      assert.equal(run.result.results.find((r) => r.strategy === 'async')?.method, 'to_thread');
      assert.equal(run.result.async, false);
      assert.equal(run.childPids.length, 2, 'both pool processes were started before timing');
      assertPoolSizes(run, { threads: 2, processes: 2, async: Math.min(32, env.cpuCount + 4) });
    });

    void it('a sleep measures I/O-bound (CPU/wall ≤ 0.2)', { skip }, async () => {
      const run = await runBenchmark(request('io_work.py', 'nap', { args: 'seconds=0.01', python }));
      assertShape(run, ['sequential', 'threads', 'processes', 'async']);
      assert.ok(run.result.cpuRatio <= 0.2, `CPU/wall ${run.result.cpuRatio}`);
      assert.equal(run.result.verdict, 'io');
    });

    void it('an async def runs under asyncio.gather, and the processes strategy takes the chosen start method', { skip }, async () => {
      const run = await runBenchmark(request('io_work.py', 'async_nap', { args: '0.01', python, startMethod: 'spawn' }));
      assertShape(run, ['sequential', 'threads', 'processes', 'async']);
      assert.equal(run.result.async, true);
      assert.equal(run.result.verdict, 'io');
      assert.equal(run.result.results.find((r) => r.strategy === 'async')?.method, 'gather');
      assert.equal(run.result.environment.startMethod, 'spawn');
      assertPoolSizes(run, { threads: 2, processes: 2, async: 4 });
    });

    void it('pool start-up is measured before timing and shown separately: an import that sleeps 0.3 s is in it, and in the cold speedup only', { skip }, async () => {
      const run = await runBenchmark(request('slow_import.py', 'quick', { python, strategies: ['processes'] }));
      const processes = run.result.results.find((r) => r.strategy === 'processes')!;
      // Each pool process imports the module (0.3 s of sleep) before it answers.
      assert.ok((processes.startupSeconds ?? 0) >= 0.3, `start-up ${processes.startupSeconds} s holds the import`);
      assert.ok(processes.wallSeconds.max < 0.3, `a timed batch (${processes.wallSeconds.max} s) does not`);
      const sequential = run.result.results[0].wallSeconds.median;
      assert.ok(Math.abs(processes.coldSpeedup! - sequential / (processes.wallSeconds.median + processes.startupSeconds!)) < 1e-3 * processes.coldSpeedup!, 'cold: sequential over (batch + start-up)');
      assert.ok(processes.coldSpeedup! < processes.speedup, `cold ${processes.coldSpeedup}× below warm ${processes.speedup}×`);
      assertNothingLeft(run.pid, run.childPids);
    });
  });
}

void describe('bench: Python arguments and module loading', () => {
  const skip = !PYTHON3 && !PYTHONS.some(existsSync) && 'no Python interpreter';

  void it('evaluates --args with keyword arguments and module globals', { skip }, async () => {
    const run = await runBenchmark(request('cpu_work.py', 'scaled', { args: "500, factor=2, label='x' + str(busy(1))", python: PYTHON, strategies: ['threads'] }));
    assert.deepEqual(
      run.result.results.map((r) => r.strategy),
      ['sequential', 'threads'],
    );
    assertNothingLeft(run.pid, run.childPids);
  });

  void it('does not run the module\'s `if __name__ == "__main__":` block (in the harness or in spawned pool processes)', { skip }, async () => {
    temp ||= mkdtempSync(join(tmpdir(), 'concurrency-lens-bench-'));
    const marker = join(temp, 'main-block-ran');
    process.env.CONCURRENCY_LENS_GUARD_MARKER = marker;
    try {
      const run = await runBenchmark(request('guarded.py', 'add', { args: '1, b=2', python: PYTHON, startMethod: 'spawn', strategies: ['processes'] }));
      assert.deepEqual(
        run.result.results.map((r) => r.strategy),
        ['sequential', 'processes'],
      );
      assert.equal(existsSync(marker), false, 'the __main__ block did not run');
    } finally {
      delete process.env.CONCURRENCY_LENS_GUARD_MARKER;
    }
  });

  void it('reports arguments that do not evaluate, and names that are not module-level callables', { skip }, async () => {
    await failure(request('cpu_work.py', 'busy', { args: 'undefined_name', python: PYTHON }), 'args', /evaluating the arguments raised NameError/);
    await failure(request('cpu_work.py', 'busy', { args: '1,,', python: PYTHON }), 'args', /not a valid Python argument list/);
    await failure(request('cpu_work.py', 'nothing_here', { python: PYTHON }), 'load', /nothing_here is not reachable.*busy, scaled/);
  });
});

void describe('bench: Python failures give a clear error and leave no process behind', () => {
  const skip = !PYTHON3 && !PYTHONS.some(existsSync) && 'no Python interpreter';
  const fail = (name: string, extra: Partial<BenchRequest> = {}): BenchRequest => request('failures.py', name, { python: PYTHON, ...extra });

  void it('the function raises: type, message and the user\'s traceback', { skip }, async () => {
    const error = await failure(fail('raises'), 'raised', /^raises raised ValueError: bad value: 42 .*failures\.py:\d+ in helper_that_fails/);
    assert.deepEqual(
      error.details.traceback?.map((f) => f.replace(/^.*\//, '')),
      ['failures.py:15 in raises', 'failures.py:11 in helper_that_fails'],
      'only the user\'s frames, innermost last',
    );
  });

  void it('os._exit and sys.exit', { skip }, async () => {
    await failure(fail('hard_exit'), 'exit', /hard_exit called os\._exit\(3\) during the first call/);
    await failure(fail('soft_exit'), 'exit', /sys\.exit\(4\)/);
  });

  void it('a crash of the interpreter (SIGSEGV), with the Python stack of the crash', { skip }, async () => {
    const error = await failure(fail('crash'), 'crash', /crashed \(SIGSEGV\) during the first call/);
    assert.match(error.message, /failures\.py", line \d+ in crash/);
    assert.equal(error.details.signal, 'SIGSEGV');
  });

  void it('a flood of output (100 MB to stdout) is stopped at the cap; the kept output is bounded', { skip }, async () => {
    const error = await failure(fail('flood'), 'flood', /flood flooded its output: more than 16\.0 MB/);
    const output = error.details.output!;
    assert.equal(Buffer.byteLength(output.stdout), 64 * 1024, 'the first 64 KiB are kept');
    assert.ok(output.stdoutBytes > 16 * 1024 * 1024 && output.stdoutBytes < 100 * 1024 * 1024, `counted ${output.stdoutBytes} bytes, stopped early`);
    assert.equal(output.truncated, true);
  });

  void it('unbounded allocation hits the memory cap (RLIMIT_AS) as a MemoryError', { skip }, async () => {
    await failure(fail('allocate', { memoryMb: 512 }), 'memory', /allocate ran out of memory during the first call .*512 MiB/);
  });

  void it('a function that starts its own child and hangs: the time limit kills the child too', { skip }, async () => {
    const error = await failure(fail('spawn_and_hang', { timeoutSeconds: 5 }), 'timeout', /did not finish within the time limit of 5 s \(stopped during the first call\); the whole process tree was killed/);
    const child = /child pid (\d+)/.exec(error.details.output?.stdout ?? '')?.[1];
    assert.ok(child, `the fixture printed its child's pid (stdout: ${error.details.output?.stdout})`);
    assert.equal(isRunning(Number(child)), false, `sleep ${child} was killed`);
  });

  void it('a child that left the process group (a session of its own) is still killed after a successful run', { skip: (process.platform !== 'linux' && 'found through /proc') || skip }, async () => {
    const run = await runBenchmark(fail('escape_once', { strategies: [] }));
    assert.deepEqual(
      run.result.results.map((r) => r.strategy),
      ['sequential'],
      'no strategy asked for: the sequential baseline only',
    );
    const child = /escaped pid (\d+)/.exec(run.output.stdout)?.[1];
    assert.ok(child, `the fixture printed its child's pid (stdout: ${run.output.stdout})`);
    assert.equal(isRunning(Number(child)), false, `sleep ${child} was killed`);
    assertNothingLeft(run.pid, run.childPids);
  });

  void it('a function that hangs forever is stopped at the time limit (5 s)', { skip }, async () => {
    const began = Date.now();
    await failure(fail('hang', { timeoutSeconds: 5 }), 'timeout', /hang did not finish within the time limit of 5 s/);
    assert.ok(Date.now() - began < 15_000, 'stopped near the limit');
  });

  void it('cancellation (AbortSignal) kills the tree, pool processes included', { skip }, async () => {
    const controller = new AbortController();
    let pool: number[] = [];
    // Cancel once the pools run (warm-up comes after every pool has started).
    const req = request('io_work.py', 'nap', {
      args: '0.05',
      python: PYTHON,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === 'startup' && Array.isArray(event.pids)) pool = event.pids as number[];
        if (event.event === 'phase' && event.phase === 'warm-up') controller.abort();
      },
    });
    await failure(req, 'cancelled', /cancelled while warming up sequential; the whole process tree was killed/);
    assert.equal(pool.length, 2, 'the pool had started');
    for (const pid of pool) assert.equal(isRunning(pid), false, `pool process ${pid} is gone`);
  });

  void it('a missing interpreter and an unknown start method', { skip }, async () => {
    await assert.rejects(runBenchmark(request('io_work.py', 'nap', { python: '/no/such/python3' })), (e: unknown) => e instanceof BenchError && e.kind === 'spawn' && /'\/no\/such\/python3' was not found/.test(e.message));
    await failure(request('io_work.py', 'nap', { python: PYTHON, startMethod: 'teleport' }), 'usage', /start method 'teleport' is not available here/);
  });
});

void describe('bench: Node.js', () => {
  void it('an async sleep measures I/O-bound; Promise.all, worker threads and forked processes run', async () => {
    const run = await runBenchmark(request('io_work.mjs', 'nap', { args: '10' }));
    assertShape(run, ['sequential', 'processes', 'async', 'workers']);
    assert.ok(run.result.cpuRatio <= 0.2, `CPU/wall ${run.result.cpuRatio}`);
    assert.equal(run.result.verdict, 'io');
    assert.equal(run.result.async, true);
    assert.equal(run.result.environment.version, process.versions.node);
    assert.equal(run.childPids.length, 2, 'two forked children');
    assertPoolSizes(run, { processes: 2, workers: 2, async: 4 });
  });

  void it('a CPU loop measures CPU-bound; a plain function skips Promise.all with the reason', async () => {
    const run = await runBenchmark(request('cpu_work.mjs', 'busy', { args: '50_000' }));
    assertShape(run, ['sequential', 'processes', 'workers']);
    assert.ok(run.result.cpuRatio >= 0.8, `CPU/wall ${run.result.cpuRatio}, ${run.result.wallCpuRatio} with waits for a CPU (${load()})`);
    assert.equal(run.result.verdict, 'cpu');
    assert.match(run.result.skipped.find((s) => s.strategy === 'async')?.reason ?? '', /plain function/);
  });

  void it('a CommonJS module', async () => {
    const run = await runBenchmark(request('work.cjs', 'square', { args: '12', strategies: ['workers'] }));
    assert.deepEqual(
      run.result.results.map((r) => r.strategy),
      ['sequential', 'workers'],
    );
  });

  void it('throws, process.exit, a hang, unbounded allocation and an unexported name: clear errors, nothing left', async () => {
    const error = await failure(request('failures.mjs', 'throws'), 'raised', /^throws raised RangeError: bad value: 42/);
    assert.match(error.details.traceback?.[0] ?? '', /failures\.mjs:\d+ in helperThatThrows/);
    await failure(request('failures.mjs', 'exits'), 'exit', /exits called process\.exit\(3\)/);
    await failure(request('failures.mjs', 'hang', { timeoutSeconds: 3 }), 'timeout', /time limit of 3 s/);
    await failure(request('failures.mjs', 'allocate', { memoryMb: 128 }), 'memory', /caps the V8 heap at 128 MiB/);
    await failure(request('failures.mjs', 'notExported'), 'load', /notExported is not exported .*Exported functions: allocate, exits, hang, throws/);
  });
});
