/**
 * The dask and interpreters strategies, run for real: the calibration CPU function through a
 * local Dask cluster with Debian's python3 (python3-distributed), the same through a scheduler
 * this test starts, InterpreterPoolExecutor on the provisioned CPython 3.14, and the skips on
 * interpreters that have neither. Each run must leave no process behind: the cluster's worker
 * processes included, on success and on cancel.
 *
 * Without Debian's Dask (or 3.14) the tests that need it are skipped with the reason; in CI
 * (CI=true), where scripts/setup-python.sh provides both (`npm test` runs it first there), a
 * missing one fails instead.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BenchError, isRunning, runBenchmark, type BenchRequest, type HarnessEvent } from '../../src/bench/runner';
import { alive, environment, liveProcesses } from '../support/proc';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const HARNESS = join(ROOT, 'src', 'bench', 'harness');
const CALIBRATION = join(ROOT, 'test', 'fixtures', 'bench', 'calibration.py');
const CI = process.env.CI === 'true';

/** Debian's interpreter, where python3-distributed installs dask.distributed. */
const DEBIAN_PYTHON = '/usr/bin/python3';
/** The CPython 3.14 scripts/setup-python.sh provisions. */
const PYTHON_314 = join(homedir(), '.cache', 'concurrency-lens', 'python3.14', 'bin', 'python3.14');
/** A pyenv CPython without Dask, for the skips. */
const PLAIN_PYTHON = ['/root/.pyenv/versions/3.12.1/bin/python3', '/root/.pyenv/versions/3.11.7/bin/python3'].find(existsSync);

function imports(python: string, module: string): boolean {
  return existsSync(python) && spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** A reason to skip, or false; in CI a missing requirement is a failure, never a silent pass. */
function requirement(ok: boolean, missing: string): string | false {
  if (ok) return false;
  if (CI) throw new Error(`${missing}, and CI=true: scripts/setup-python.sh should have provided it`);
  return missing;
}

const noDask = requirement(imports(DEBIAN_PYTHON, 'dask.distributed'), `${DEBIAN_PYTHON} cannot import dask.distributed (apt-get install python3-distributed)`);
// setup-python.sh provisions 3.14 on amd64 Debian only; elsewhere it leaves a note, and so do these tests.
const no314 =
  process.arch === 'x64' ? requirement(existsSync(PYTHON_314), `${PYTHON_314} is missing (scripts/setup-python.sh provisions it)`) : !existsSync(PYTHON_314) && `${PYTHON_314} is missing (provisioned on amd64 only)`;

function request(extra: Partial<BenchRequest>): BenchRequest {
  return {
    file: CALIBRATION,
    name: 'spin',
    language: 'python',
    args: '20000',
    tasks: 4,
    workers: 2,
    targetSeconds: 0.04,
    samples: 5,
    timeoutSeconds: 150,
    harnessDir: HARNESS,
    python: DEBIAN_PYTHON,
    ...extra,
  };
}

/** Live processes whose environment holds `entry` (every process of a run inherits it). */
function carrying(entry: string): number[] {
  return liveProcesses((pid) => environment(pid).includes(entry));
}

/** A free TCP port on the loopback interface. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

before(() => {
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
});

void describe('bench: the dask strategy (Debian python3, dask.distributed)', () => {
  void it('concurrency-lens bench --format json shows dask with its start-up, overhead and transfer; no process is left', { skip: noDask }, () => {
    const tag = `CONCURRENCY_LENS_DASK_TEST=${randomUUID()}`;
    const [name, value] = tag.split('=');
    const env: NodeJS.ProcessEnv = { ...process.env, CONCURRENCY_LENS_BENCH_TARGET_SECONDS: '0.04', [name]: value };
    const run = spawnSync(process.execPath, [CLI, 'bench', `${CALIBRATION}::spin`, '--args', '20000', '--tasks', '4', '--workers', '2', '--strategies', 'processes,dask', '--python', DEBIAN_PYTHON, '--format', 'json'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 170_000,
    });
    assert.equal(run.signal, null, `the CLI finished; stderr: ${run.stderr}`);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { results: Array<Record<string, unknown>>; skipped: unknown[]; environment: Record<string, unknown>; verdict: string };
    assert.deepEqual(json.results.map((r) => r.strategy), ['sequential', 'processes', 'dask']);
    assert.deepEqual(json.skipped, []);
    const dask = json.results[2];
    assert.equal(dask.method, 'local cluster, 2 processes');
    assert.equal(dask.poolSize, 2);
    assert.ok((dask.runs as number) >= 5);
    // A cluster's start-up (import, scheduler, two worker processes, a first round trip) takes far longer than a process pool's.
    assert.ok(typeof dask.startupSeconds === 'number' && dask.startupSeconds > 0.2, `start-up ${String(dask.startupSeconds)} s`);
    assert.ok(typeof dask.coldSpeedup === 'number');
    assert.ok(typeof dask.overheadSeconds === 'number' && dask.overheadSeconds > 0, `overhead ${String(dask.overheadSeconds)} s`);
    assert.ok(typeof dask.transferSeconds === 'number' && dask.transferSeconds >= 0, `transfer ${String(dask.transferSeconds)} s`);
    // The calls ran on the workers: their CPU time came back with the results.
    assert.ok((dask.cpuSeconds as { median: number }).median > 0);
    assert.equal(json.verdict, 'cpu');
    assert.equal(json.environment.daskScheduler, null);
    assert.deepEqual(carrying(tag), [], 'no process of the run (harness, pool, Dask workers) is left');
  });

  void it('the text report lists dask and its costs, and says the GIL is enabled', { skip: noDask }, () => {
    const run = spawnSync(process.execPath, [CLI, 'bench', `${CALIBRATION}::spin`, '--args', '20000', '--tasks', '4', '--workers', '2', '--strategies', 'dask', '--python', DEBIAN_PYTHON], {
      cwd: ROOT,
      env: { ...process.env, CONCURRENCY_LENS_BENCH_TARGET_SECONDS: '0.04' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /CPython 3\.\d+\.\d+ · GIL enabled \(standard build\) ·/);
    assert.match(run.stdout, /^ {2}dask +.*local cluster, 2 processes \(2 at once\)$/m);
    assert.match(run.stdout, /^dask: a batch of 4 empty tasks takes .+ \(scheduling and messages, inside the timings\); sending each call’s arguments and result adds .+ per batch \(not in the timings\)\.$/m);
    assert.equal(run.stderr, '', 'Dask logs nothing to the user’s output');
  });

  void it('the cluster’s worker processes are reported and gone after a run, and after a cancel during the run', { skip: noDask }, async () => {
    const done = await runBenchmark(request({ strategies: ['dask'] }));
    const dask = done.result.results.find((r) => r.strategy === 'dask');
    assert.ok(dask, JSON.stringify(done.result.skipped));
    assert.equal(done.childPids.length, 2, `two worker processes (${done.childPids.join(', ')})`);
    for (const pid of [done.pid, ...done.childPids]) assert.equal(isRunning(pid), false, `process ${pid} is gone`);

    // Cancelled once the cluster is up: the runner kills the group, workers included.
    const controller = new AbortController();
    let workers: number[] = [];
    const onEvent = (event: HarnessEvent): void => {
      if (event.event === 'startup' && event.strategy === 'dask' && Array.isArray(event.pids)) {
        workers = event.pids as number[];
        controller.abort();
      }
    };
    let caught: unknown;
    try {
      await runBenchmark(request({ strategies: ['dask'], signal: controller.signal, onEvent }));
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof BenchError && caught.kind === 'cancelled', `cancelled (got ${String(caught)})`);
    assert.equal(workers.length, 2, 'the workers were up when the run was cancelled');
    for (const pid of [caught.details.pid ?? 0, ...workers]) assert.equal(alive(pid), false, `process ${pid} is gone`);
    assert.deepEqual(
      liveProcesses((_pid, stat) => stat.pgrp === caught.details.pid || stat.session === caught.details.pid),
      [],
      'nothing of the run’s group is left',
    );
  });

  void describe('on a scheduler started by the test', () => {
    let scheduler: ChildProcess | undefined;
    let worker: ChildProcess | undefined;
    let address = '';

    before(async () => {
      if (noDask) return;
      const port = await freePort();
      address = `tcp://127.0.0.1:${port}`;
      // Groups of their own, so each is stopped with everything it started.
      scheduler = spawn(DEBIAN_PYTHON, ['-m', 'distributed.cli.dask_scheduler', '--host', '127.0.0.1', '--port', String(port), '--no-dashboard'], { detached: true, stdio: 'ignore' });
      worker = spawn(DEBIAN_PYTHON, ['-m', 'distributed.cli.dask_worker', address, '--nworkers', '2', '--nthreads', '1', '--no-dashboard'], { detached: true, stdio: 'ignore' });
      // Ready when the scheduler lists both workers.
      const probe = `from distributed import Client\nc = Client("${address}", timeout=60)\nc.wait_for_workers(2, timeout=90)\nc.close()`;
      const ready = spawnSync(DEBIAN_PYTHON, ['-c', probe], { encoding: 'utf8', timeout: 150_000 });
      assert.equal(ready.status, 0, `the scheduler and its two workers started: ${ready.stderr}`);
    });

    after(async () => {
      const groups = [worker?.pid, scheduler?.pid].filter((pid): pid is number => pid !== undefined);
      for (const pid of groups) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && liveProcesses((_pid, stat) => groups.includes(stat.pgrp)).length > 0) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(liveProcesses((_pid, stat) => groups.includes(stat.pgrp)), [], 'the scheduler and workers the test started are stopped');
    });

    void it('--scheduler runs dask on that cluster (added to the default strategies), and leaves its workers running', { skip: noDask }, () => {
      const run = spawnSync(process.execPath, [CLI, 'bench', `${CALIBRATION}::spin`, '--args', '20000', '--tasks', '4', '--workers', '2', '--scheduler', address, '--python', DEBIAN_PYTHON, '--format', 'json'], {
        cwd: ROOT,
        env: { ...process.env, CONCURRENCY_LENS_BENCH_TARGET_SECONDS: '0.04' },
        encoding: 'utf8',
        timeout: 170_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const json = JSON.parse(run.stdout) as { results: Array<Record<string, unknown>>; environment: Record<string, unknown> };
      assert.deepEqual(json.results.map((r) => r.strategy), ['sequential', 'threads', 'processes', 'async', 'dask']);
      const dask = json.results[4];
      assert.equal(dask.method, `scheduler ${address}, 2 workers`);
      assert.equal(dask.poolSize, 2);
      assert.ok(typeof dask.startupSeconds === 'number' && typeof dask.overheadSeconds === 'number');
      assert.equal(json.environment.daskScheduler, address);
      // Not ours to stop: the cluster outlives the run.
      assert.ok(worker?.pid && alive(worker.pid), 'the cluster’s workers still run');
    });
  });
});

void describe('bench: the skips', () => {
  void it('an interpreter without Dask and before 3.14 skips dask and interpreters with the reason; the rest runs', { skip: !PLAIN_PYTHON && 'no pyenv CPython 3.11/3.12' }, async () => {
    const run = await runBenchmark(request({ python: PLAIN_PYTHON, strategies: ['threads', 'interpreters', 'dask'] }));
    assert.deepEqual(run.result.results.map((r) => r.strategy), ['sequential', 'threads']);
    const reasons = new Map(run.result.skipped.map((s) => [s.strategy, s.reason]));
    assert.match(reasons.get('dask') ?? '', /dask\.distributed is not importable by .*python3.*pip install "dask\[distributed\]"/);
    assert.match(reasons.get('interpreters') ?? '', /needs Python 3\.14 or later \(this is 3\.1[12]\.\d+\)/);
  });
});

void describe('bench: the interpreters strategy (CPython 3.14)', () => {
  void it('InterpreterPoolExecutor runs the calls in subinterpreters, started before timing', { skip: no314 }, async () => {
    const run = await runBenchmark(request({ python: PYTHON_314, strategies: ['threads', 'interpreters'] }));
    assert.deepEqual(run.result.skipped, []);
    const interpreters = run.result.results.find((r) => r.strategy === 'interpreters');
    assert.ok(interpreters);
    assert.equal(interpreters.method, 'InterpreterPoolExecutor');
    assert.equal(interpreters.poolSize, 2);
    assert.ok((interpreters.startupSeconds ?? -1) >= 0);
    // The subinterpreters' threads are the harness's: their CPU time is counted.
    assert.ok(interpreters.cpuRatio > 0.5, `CPU/wall ${interpreters.cpuRatio}`);
    assert.match(String(run.result.environment.version), /^3\.14\./);
  });

  void it('a module that cannot be imported in a subinterpreter skips the strategy with the reason', { skip: no314 }, async () => {
    const run = await runBenchmark(request({ python: PYTHON_314, file: join(ROOT, 'test', 'fixtures', 'bench', 'subinterpreter_refused.py'), name: 'work', args: '', strategies: ['interpreters'] }));
    assert.deepEqual(run.result.results.map((r) => r.strategy), ['sequential']);
    assert.match(run.result.skipped.find((s) => s.strategy === 'interpreters')?.reason ?? '', /cannot be loaded in a subinterpreter/);
  });
});
