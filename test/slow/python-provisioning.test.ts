/**
 * The Pythons that scripts/setup-python.sh provisions for issue 6, run for real:
 * - CPython 3.14 from Debian forky (its cache folder, run through the wrapper): the version and
 *   GIL state, InterpreterPoolExecutor and ProcessPoolExecutor running a function of a module on
 *   sys.path, hashlib, asyncio and subprocess;
 * - Debian's python3 with python3-distributed: a LocalCluster of two worker processes computing a
 *   client.map, with numpy and pandas hidden, as the script installs them without recommends.
 * - the script itself: quiet and a no-op when all three (with the free-threaded CPython it builds,
 *   tested in free-threaded.test.ts) are there; a clear error, and no half-made folder, when the
 *   mirror cannot be reached.
 * Every run leaves no process behind. Where a Python is missing the tests are skipped, except
 * with CI=true, where the script has run before them and a missing Python is a failure.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { environment, liveProcesses } from '../support/proc';
import { repoRoot } from '../support/repo';

const CACHE = process.env.CONCURRENCY_LENS_CACHE ?? join(homedir(), '.cache', 'concurrency-lens');
const PYTHON314 = join(CACHE, 'python3.14', 'bin', 'python3.14');
const DEBIAN_PYTHON = '/usr/bin/python3';
const ON_CI = process.env.CI === 'true';
const SETUP = 'run `bash scripts/setup-python.sh`';
const ROOT = repoRoot();
const SCRIPT = join(ROOT, 'scripts', 'setup-python.sh');
/** Where the script provisions CPython 3.14 (amd64 Debian): elsewhere it only says so. */
const DEBIAN_AMD64 = process.arch === 'x64' && existsSync('/usr/bin/dpkg');

/** Marks every process a test starts (children inherit it), to find any that outlive a run. */
const MARKER = `CONCURRENCY_LENS_PROVISIONING_TEST=${randomUUID()}`;
const [MARKER_NAME, MARKER_VALUE] = MARKER.split('=');

const scratch = mkdtempSync(join(tmpdir(), 'cl-python-provisioning-'));

after(() => {
  // A failed run must not leave processes behind either; these are all this file's own.
  for (const pid of markedProcesses()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

function markedProcesses(): number[] {
  return liveProcesses((pid) => pid !== process.pid && environment(pid).includes(MARKER));
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a process group of its own, marked, cut (the whole group) after `timeoutMs`;
 * resolves once it has exited and its stdout and stderr are closed, or two seconds after it
 * exited if they are not (a process left behind holds them open: assertNothingLeft finds it).
 */
function runMarked(command: string, args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...extraEnv, [MARKER_NAME]: MARKER_VALUE },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const finish = (status: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ status, signal, stdout, stderr });
    };
    child.on('exit', (status, signal) => {
      const grace = setTimeout(() => finish(status, signal), 2000);
      child.on('close', () => {
        clearTimeout(grace);
        finish(status, signal);
      });
    });
  });
}

/** Runs a script that prints one JSON object as its last line, and parses that line. */
async function runJson<T>(python: string, script: string, cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<T> {
  const run = await runMarked(python, [script], cwd, extraEnv);
  assert.equal(run.signal, null, `${python} ${script} was not cut off; stderr:\n${run.stderr}`);
  assert.equal(run.status, 0, `${python} ${script} exits 0; stderr:\n${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/**
 * No marked process is left: the pool's workers exit with the run. A process that is exiting
 * may still be listed for a moment, so the check is repeated for up to two seconds.
 */
async function assertNothingLeft(what: string): Promise<void> {
  let left = markedProcesses();
  for (let tries = 0; left.length > 0 && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = markedProcesses();
  }
  assert.deepEqual(left, [], `no process of ${what} is left`);
}

/** Whether `python` is there to test; with CI=true its absence fails the test instead. */
function available(t: TestContext, python: string, what: string): boolean {
  if (existsSync(python)) return true;
  if (ON_CI) assert.fail(`${what} is missing (${python}): CI runs scripts/setup-python.sh before the tests`);
  t.skip(`${what} is not provisioned (${python}): ${SETUP}`);
  return false;
}

/** A fresh folder under the scratch folder, holding the given files. */
function folderWith(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** The module the pools run: a function of a module found on sys.path, not of __main__. */
const WORK_MODULE = `import os
from concurrent import interpreters


def sum_squares(n):
    return {"value": sum(i * i for i in range(n)), "pid": os.getpid(), "interpreter": interpreters.get_current().id}
`;

function sumSquares(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += i * i;
  return total;
}

interface PoolCall {
  value: number;
  pid: number;
  interpreter: number;
}

void describe('CPython 3.14 from Debian forky (scripts/setup-python.sh)', () => {
  void it('is 3.14 with the GIL, and sys.executable is the wrapper (what spawn and forkserver re-execute)', async (t) => {
    if (!available(t, PYTHON314, 'CPython 3.14')) return;
    const dir = folderWith('version', {
      'version.py': `import json, multiprocessing, sys, sysconfig
print(json.dumps({"version": list(sys.version_info[:2]), "gil": sys._is_gil_enabled(),
    "freeThreadedBuild": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "executable": sys.executable, "startMethod": multiprocessing.get_start_method()}))
`,
    });
    const info = await runJson<{ version: number[]; gil: boolean; freeThreadedBuild: boolean; executable: string; startMethod: string }>(PYTHON314, 'version.py', dir);
    assert.deepEqual(info.version, [3, 14]);
    assert.equal(info.freeThreadedBuild, false, "Debian's python3.14 is the default build");
    assert.equal(info.gil, true, 'the GIL is enabled');
    assert.equal(info.executable, PYTHON314);
    assert.equal(info.startMethod, 'forkserver', "3.14's default start method on Linux");
    await assertNothingLeft('the version run');
  });

  void it('InterpreterPoolExecutor runs a module function in other interpreters of the same process', async (t) => {
    if (!available(t, PYTHON314, 'CPython 3.14')) return;
    const dir = folderWith('interpreters', {
      'work.py': WORK_MODULE,
      'main.py': `import json, os
from concurrent.futures import InterpreterPoolExecutor
from work import sum_squares

if __name__ == "__main__":
    with InterpreterPoolExecutor(max_workers=2) as pool:
        calls = list(pool.map(sum_squares, [10, 1000, 100000, 7]))
    print(json.dumps({"pid": os.getpid(), "calls": calls}))
`,
    });
    const run = await runJson<{ pid: number; calls: PoolCall[] }>(PYTHON314, 'main.py', dir);
    assert.deepEqual(run.calls.map((c) => c.value), [10, 1000, 100000, 7].map(sumSquares), 'the results come back in order');
    for (const call of run.calls) {
      assert.equal(call.pid, run.pid, 'an interpreter pool runs in the calling process');
      assert.notEqual(call.interpreter, 0, 'each call ran in a subinterpreter, not the main one (id 0)');
    }
    await assertNothingLeft('the interpreter pool run');
  });

  for (const method of ['forkserver', 'spawn']) {
    void it(`ProcessPoolExecutor (${method}) runs a module function in worker processes started through the wrapper`, async (t) => {
      if (!available(t, PYTHON314, 'CPython 3.14')) return;
      const dir = folderWith(`processes-${method}`, {
        'work.py': WORK_MODULE,
        'main.py': `import json, multiprocessing, os
from concurrent.futures import ProcessPoolExecutor
from work import sum_squares

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("${method}")) as pool:
        calls = list(pool.map(sum_squares, [10, 1000, 100000, 7]))
    print(json.dumps({"pid": os.getpid(), "calls": calls}))
`,
      });
      const run = await runJson<{ pid: number; calls: PoolCall[] }>(PYTHON314, 'main.py', dir);
      assert.deepEqual(run.calls.map((c) => c.value), [10, 1000, 100000, 7].map(sumSquares));
      for (const call of run.calls) assert.notEqual(call.pid, run.pid, 'each call ran in a worker process');
      await assertNothingLeft(`the ${method} process pool run`);
    });
  }

  void it('hashlib (OpenSSL), asyncio with a subprocess of sys.executable, and subprocess work', async (t) => {
    if (!available(t, PYTHON314, 'CPython 3.14')) return;
    const dir = folderWith('stdlib', {
      'stdlib.py': `import asyncio, hashlib, json, subprocess, sys


async def child_says():
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "print(6 * 7)", stdout=subprocess.PIPE)
    out, _ = await child.communicate()
    return out.decode().strip()


print(json.dumps({
    "sha256": hashlib.sha256(b"concurrency lens").hexdigest(),
    "sha3": hashlib.new("sha3_256", b"concurrency lens").hexdigest(),
    "sha256Module": hashlib.sha256.__module__,
    "asyncio": asyncio.run(child_says()),
    "subprocess": subprocess.run(["sh", "-c", "echo $((2 + 3))"], capture_output=True, text=True, check=True).stdout.strip(),
}))
`,
    });
    const run = await runJson<{ sha256: string; sha3: string; sha256Module: string; asyncio: string; subprocess: string }>(PYTHON314, 'stdlib.py', dir);
    assert.equal(run.sha256, createHash('sha256').update('concurrency lens').digest('hex'));
    assert.equal(run.sha3, createHash('sha3-256').update('concurrency lens').digest('hex'));
    assert.equal(run.sha256Module, '_hashlib', "hashlib's sha256 comes from OpenSSL (forky's libcrypto loads)");
    assert.equal(run.asyncio, '42');
    assert.equal(run.subprocess, '5');
    await assertNothingLeft('the standard library run');
  });
});

/** Whether Debian's python3 imports dask, distributed and joblib (the run's stderr if not). */
async function debianDaskProbe(): Promise<{ ok: boolean; stderr: string }> {
  if (!existsSync(DEBIAN_PYTHON)) return { ok: false, stderr: `no ${DEBIAN_PYTHON}` };
  const probe = await runMarked(DEBIAN_PYTHON, ['-c', 'import dask, distributed, joblib'], scratch);
  return { ok: probe.status === 0, stderr: probe.stderr };
}

void describe("Debian's python3 with python3-distributed (scripts/setup-python.sh)", () => {
  void it('a LocalCluster of 2 worker processes computes a client.map without numpy or pandas, and leaves no process', async (t) => {
    if (!available(t, DEBIAN_PYTHON, "Debian's python3")) return;
    const probe = await debianDaskProbe();
    if (!probe.ok) {
      if (ON_CI) assert.fail(`${DEBIAN_PYTHON} cannot import dask, distributed and joblib: CI runs scripts/setup-python.sh before the tests\n${probe.stderr}`);
      t.skip(`${DEBIAN_PYTHON} lacks dask, distributed or joblib: ${SETUP} as root`);
      return;
    }
    // The script installs without recommends: numpy and pandas may be absent, so hide them.
    const dir = folderWith('dask', {
      'sitecustomize.py': `import sys


class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"numpy", "pandas"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Absent())
`,
      'cluster.py': `import json, os, sys
from dask.distributed import Client, LocalCluster


def square(x):
    return x * x


if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        results = client.gather(client.map(square, range(20)))
        workers = sorted(client.run(os.getpid).values())
    print(json.dumps({"pid": os.getpid(), "results": results, "workers": workers,
        "hidden": [name for name in ("numpy", "pandas") if name in sys.modules]}))
`,
    });
    const run = await runJson<{ pid: number; results: number[]; workers: number[]; hidden: string[] }>(DEBIAN_PYTHON, 'cluster.py', dir, { PYTHONPATH: dir });
    assert.deepEqual(run.results, Array.from({ length: 20 }, (_, i) => i * i));
    assert.equal(run.workers.length, 2, 'two workers');
    assert.equal(new Set(run.workers).size, 2, 'in two processes');
    assert.ok(!run.workers.includes(run.pid), 'neither of them the client');
    assert.deepEqual(run.hidden, [], 'numpy and pandas stayed out');
    await assertNothingLeft('the Dask cluster');
  });
});

void describe('scripts/setup-python.sh', () => {
  void it('does nothing, and says nothing, when the three Pythons are there', async (t) => {
    const marker = join(CACHE, 'python3.14', '.installed');
    const freeThreadedMarker = join(CACHE, `python${process.env.CONCURRENCY_LENS_FREE_THREADED_MINOR ?? '3.13'}t`, '.installed');
    if (!existsSync(marker) || !existsSync(freeThreadedMarker) || !(await debianDaskProbe()).ok) {
      t.skip(`the three Pythons must be there first: ${SETUP}`);
      return;
    }
    const before = statSync(marker).mtimeMs;
    const freeThreadedBefore = statSync(freeThreadedMarker).mtimeMs;
    const run = await runMarked('bash', [SCRIPT], ROOT);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout + run.stderr, '', 'quiet');
    assert.equal(statSync(marker).mtimeMs, before, 'CPython 3.14 is not provisioned again');
    assert.equal(statSync(freeThreadedMarker).mtimeMs, freeThreadedBefore, 'the free-threaded CPython is not built again');
    await assertNothingLeft('the script');
  });

  void it('fails with a clear message, and leaves no folder behind, when the mirror cannot be reached', async (t) => {
    // The script's first part would run apt-get as root when Debian's Dask is missing.
    if (!DEBIAN_AMD64 || (!(await debianDaskProbe()).ok && process.getuid?.() === 0)) {
      t.skip("needs amd64 Debian with Debian's Dask installed (or a user who is not root)");
      return;
    }
    const cache = join(scratch, 'unreachable-mirror-cache');
    const run = await runMarked('bash', [SCRIPT], ROOT, { CONCURRENCY_LENS_CACHE: cache, CONCURRENCY_LENS_DEBIAN_MIRROR: 'http://127.0.0.1:9/debian' });
    assert.equal(run.status, 1, `exit code 1; stdout:\n${run.stdout}`);
    assert.match(run.stderr, /\[python setup\] error: could not download http:\/\/127\.0\.0\.1:9\/debian\/dists\/forky\/InRelease/);
    assert.deepEqual(readdirSync(cache).filter((name) => name !== '.python3.14.lock'), [], 'no interpreter folder and no half-made one');
    await assertNothingLeft('the failed script');
  });

  void it('the free-threaded build fails the same way, leaving no half-made folder, with CPython 3.14 already there', async (t) => {
    if (!DEBIAN_AMD64 || !existsSync(join(CACHE, 'python3.14', '.installed')) || (!(await debianDaskProbe()).ok && process.getuid?.() === 0)) {
      t.skip(`needs amd64 Debian, Debian's Dask and CPython 3.14: ${SETUP}`);
      return;
    }
    // The provisioned 3.14 (its wrapper finds its root through the link), so that the script goes
    // on to the free-threaded build, which is not there.
    const cache = join(scratch, 'unreachable-mirror-free-threaded');
    mkdirSync(cache, { recursive: true });
    symlinkSync(join(CACHE, 'python3.14'), join(cache, 'python3.14'));
    const run = await runMarked('bash', [SCRIPT], ROOT, { CONCURRENCY_LENS_CACHE: cache, CONCURRENCY_LENS_DEBIAN_MIRROR: 'http://127.0.0.1:9/debian' });
    assert.equal(run.status, 1, `exit code 1; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stderr, /\[python setup\] error: could not download http:\/\/127\.0\.0\.1:9\/debian\/dists\/forky\/InRelease/);
    assert.deepEqual(readdirSync(cache).filter((name) => !name.endsWith('.lock')).sort(), ['python3.14'], 'no free-threaded folder and no half-made one');
    await assertNothingLeft('the failed script');
  });
});
