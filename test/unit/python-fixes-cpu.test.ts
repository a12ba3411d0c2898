/**
 * The CL202 quick fixes (a loop of independent pure-Python CPU calls), checked as the other
 * Python fixes are: the fixture programs in test/fixtures/fixes/python/cpu_<kind>/ are analyzed
 * with the project environment the kind needs, every fix offered for their one CL202 is applied,
 * the result parses and no longer has the finding, and, run, prints exactly what the original
 * printed: the process pool with pyenv's 3.11 `python3` (and 3.8 and 3.13 when installed), the
 * Dask rewrite with Debian's `/usr/bin/python3` and its `distributed`, starting a real local
 * cluster and leaving no process behind. Ray cannot be installed here: its rewrite is checked
 * for parsing and shape only. Gating and preconditions are checked both ways.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFiles, EMPTY_ENVIRONMENT, type Diagnostic, type Fix, type ProjectEnvironment } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import { environment, liveProcesses } from '../support/proc';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot(), 'test/fixtures/fixes/python');

const DEBIAN_PYTHON = '/usr/bin/python3';
const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasDask = spawnSync(DEBIAN_PYTHON, ['-c', 'import dask.distributed'], { timeout: 60_000 }).status === 0;
/** pyenv's other versions, for the process pool's rewrites (each only if installed). */
const OTHER_PYTHONS = ['3.8.18', '3.13.0'].map((v) => join(homedir(), '.pyenv/versions', v, 'bin/python3')).filter((p) => existsSync(p));

const work = mkdtempSync(join(tmpdir(), 'cl-python-cpu-fixes-'));
after(() => rmSync(work, { recursive: true, force: true }));

function env(overrides: Partial<ProjectEnvironment>): ProjectEnvironment {
  return { ...EMPTY_ENVIRONMENT, ...overrides };
}

const TITLES = {
  threads: /^Run the iterations in a thread pool \(`ThreadPoolExecutor\.map`\): this Python runs without the GIL/,
  processes: /^Run the `\w+` calls in parallel processes \(`ProcessPoolExecutor\.map`\)/,
  dask: /^Distribute the `\w+` calls with Dask \(`client\.map`\)/,
  ray: /^Distribute the `\w+` calls with Ray \(`ray\.remote`\)/,
};
type FixKind = keyof typeof TITLES;

function kindOf(fix: Fix): FixKind {
  const kind = (Object.keys(TITLES) as FixKind[]).find((k) => TITLES[k].test(fix.title));
  assert.ok(kind, `a known fix: ${fix.title}`);
  return kind;
}

/** Per fixture folder: the environment it is analyzed in, and the fixes it must get, preferred first. */
const FOLDERS: Record<string, { environment: ProjectEnvironment; fixes: FixKind[] }> = {
  cpu_process_pool: { environment: EMPTY_ENVIRONMENT, fixes: ['processes'] },
  cpu_dask: { environment: env({ pythonModules: new Set(['dask', 'distributed']) }), fixes: ['processes', 'dask'] },
  cpu_ray: { environment: env({ pythonModules: new Set(['ray']) }), fixes: ['processes', 'ray'] },
  cpu_threads: { environment: env({ freeThreaded: true }), fixes: ['threads', 'processes'] },
};

/** Fixtures whose shape a process pool cannot take (the item unpacked into two arguments). */
const THREADS_ONLY = new Set(['cpu_threads/tuple_target.py']);

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

let runs = 0;

/**
 * Runs a program in a fresh temporary folder and returns once it and every process it started
 * are gone: each run is marked by an environment variable its children inherit, and the test
 * fails if any marked process outlives it (a pool's worker, a Dask scheduler or nanny).
 */
function runPython(text: string, python = 'python3'): Run {
  const cwd = mkdtempSync(join(work, `run-${runs++}-`));
  writeFileSync(join(cwd, 'program.py'), text);
  const marker = `CL_CPU_FIX_RUN=${cwd}`;
  const result = spawnSync(python, ['program.py'], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', CL_CPU_FIX_RUN: cwd },
  });
  const left = liveProcesses((pid) => pid !== process.pid && environment(pid).includes(marker));
  for (const pid of left) process.kill(pid, 'SIGKILL');
  assert.deepEqual(left, [], `${python}: no process of the run is left behind`);
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

async function findings(path: string, text: string, environment: ProjectEnvironment): Promise<{ diagnostics: Diagnostic[]; syntaxErrors?: number }> {
  const [result] = await analyzeFiles([{ path, text }], { workers: 1, environmentFor: () => environment });
  assert.equal(result.error, undefined);
  return result;
}

/** The program's CL202 findings, with their fixes. */
async function cl202(text: string, environment: ProjectEnvironment = EMPTY_ENVIRONMENT, path = 'case.py'): Promise<Diagnostic[]> {
  return (await findings(path, text, environment)).diagnostics.filter((d) => d.code === 'CL202');
}

/** The kinds of fix the one CL202 of a program gets, in order. */
async function fixKinds(text: string, environment: ProjectEnvironment = EMPTY_ENVIRONMENT): Promise<FixKind[]> {
  const found = await cl202(text, environment);
  assert.equal(found.length, 1, `one CL202 expected, got ${found.length}`);
  return found[0].fixes.map(kindOf);
}

function fixtures(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((f) => f.endsWith('.py'))
    .sort();
}

/** The interpreters a fix of this kind is run with here; none for Ray. */
function interpreters(kind: FixKind): string[] {
  switch (kind) {
    case 'processes':
      return ['python3', ...OTHER_PYTHONS];
    case 'dask':
      return hasDask ? [DEBIAN_PYTHON] : [];
    case 'ray':
      return [];
    case 'threads':
      return ['python3'];
  }
}

void describe('CL202 quick fixes on fixture programs', () => {
  for (const [folder, expected] of Object.entries(FOLDERS)) {
    void it(`${folder} has fixtures`, () => assert.ok(fixtures(folder).length > 0));
    for (const file of fixtures(folder)) {
      const path = `${folder}/${file}`;
      void it(`${path}: every fix parses, removes the finding and prints the same`, { skip: !hasPython && 'python3 is not installed' }, async (t) => {
        const text = readFileSync(join(FIXTURES, folder, file), 'utf8');
        const found = await cl202(text, expected.environment, path);
        assert.equal(found.length, 1, `${path}: one CL202`);
        const { fixes } = found[0];
        const kinds = fixes.map(kindOf);
        assert.deepEqual(kinds, THREADS_ONLY.has(path) ? ['threads'] : expected.fixes, fixes.map((f) => f.title).join('\n'));
        assert.deepEqual(
          fixes.map((f) => f.preferred),
          fixes.map((_, i) => i === 0),
          'exactly one preferred fix, the first',
        );
        const original = runPython(text);
        assert.equal(original.status, 0, `${path} runs: ${original.stderr}`);
        assert.notEqual(original.stdout.trim(), '', `${path} prints something`);
        for (const fix of fixes) {
          const kind = kindOf(fix);
          const fixed = applyEdits(text, fix.edits);
          const afterFix = await findings(path, fixed, expected.environment);
          assert.equal(afterFix.syntaxErrors, undefined, `${fix.title}\n${fixed}`);
          assert.deepEqual(
            afterFix.diagnostics.filter((d) => d.code === 'CL202').map((d) => d.line),
            [],
            `the finding is gone after: ${fix.title}\n${fixed}`,
          );
          for (const python of interpreters(kind)) {
            const rewritten = runPython(fixed, python);
            assert.equal(rewritten.status, 0, `the fixed program runs with ${python} (${fix.title}):\n${fixed}\n${rewritten.stderr}`);
            assert.equal(rewritten.stdout, original.stdout, `same output with ${python} after: ${fix.title}\n${fixed}`);
            t.diagnostic(`${kind}: ran with ${python}`);
          }
          if (kind === 'ray') {
            assert.match(fixed, /^import ray$/m, 'ray is imported');
            const shape = /\n( +)if not ray\.is_initialized\(\):\n\1 {4}ray\.init\(\)\n\1(\w+)_remote = ray\.remote\(\2\)\n\1.*ray\.get\(\[\2_remote\.remote\((\w+)\) for \3 in \w+\]\)/.exec(fixed);
            assert.ok(shape, `ray.init() if needed, f_remote = ray.remote(f), ray.get over .remote calls:\n${fixed}`);
            assert.match(fixed, new RegExp(`^def ${shape[2]}\\(`, 'm'), 'the function itself is not decorated: its other callers are unchanged');
            t.diagnostic('ray: parsed and shape checked; not run (Ray cannot be installed here)');
          }
        }
      });
    }
  }
});

const COLLATZ = [
  'def collatz_steps(limit):',
  '    longest = 0',
  '    for start in range(1, limit):',
  '        n = start',
  '        steps = 0',
  '        while n != 1:',
  '            n = n // 2 if n % 2 == 0 else 3 * n + 1',
  '            steps += 1',
  '        longest = max(longest, steps)',
  '    return longest',
  '',
  '',
].join('\n');

const ALL_THERE = env({ pythonModules: new Set(['distributed', 'ray']), freeThreaded: true });

/** The program rewritten by its one CL202's fix of this kind. */
async function rewrite(text: string, kind: FixKind, environment: ProjectEnvironment = ALL_THERE): Promise<string> {
  const [finding] = await cl202(text, environment);
  const fix = finding.fixes.find((f) => kindOf(f) === kind);
  assert.ok(fix, `a ${kind} fix`);
  return applyEdits(text, fix.edits);
}

void describe('CL202 quick fixes rewrite the shapes of the spec exactly', () => {
  const loop = `${COLLATZ}\ndef chains(limits):\n    return [collatz_steps(n) for n in limits]\n`;

  void it('processes: the comprehension → list(pool.map(f, xs)) in a with block, ProcessPoolExecutor imported', async () => {
    assert.equal(
      await rewrite(`import os\n\n\n${loop}`, 'processes'),
      `import os\nfrom concurrent.futures import ProcessPoolExecutor\n\n\n${COLLATZ}\ndef chains(limits):\n    with ProcessPoolExecutor() as pool:\n        return list(pool.map(collatz_steps, limits))\n`,
    );
  });

  void it('processes: the module\'s trailing top-level calls move under a __main__ guard, comments and blank lines kept', async () => {
    const text = `${loop}\n\n# Report.\nprint(chains([10, 20]))\n\nprint("done")\n`;
    const fixed = await rewrite(text, 'processes');
    assert.ok(fixed.endsWith('\n\n# Report.\nif __name__ == "__main__":\n    print(chains([10, 20]))\n\n    print("done")\n'), fixed);
    const [finding] = await cl202(text);
    assert.match(finding.fixes[0].title, /top-level calls move under `if __name__ == "__main__":`/);
    const crlf = await rewrite(text.replace(/\n/g, '\r\n'), 'processes');
    assert.equal(crlf, fixed.replace(/\n/g, '\r\n'), 'CRLF line endings are kept');
    const guarded = await cl202(`${loop}\n\nif __name__ == "__main__":\n    print(chains([10, 20]))\n`);
    assert.match(guarded[0].fixes[0].title, /callers of `chains` must run under `if __name__ == "__main__":` for the spawn and forkserver start methods/);
  });

  void it('dask: `with Client() as client:` around client.gather(client.map(f, xs)), Client from dask.distributed', async () => {
    assert.equal(
      await rewrite(loop, 'dask'),
      `from dask.distributed import Client\n\n\n${COLLATZ}\ndef chains(limits):\n    with Client() as client:\n        return client.gather(client.map(collatz_steps, limits))\n`,
    );
    // An existing import is used as it is.
    const imported = await rewrite(`from distributed import Client\n\n\n${loop}`, 'dask');
    assert.ok(imported.startsWith('from distributed import Client\n\n\n'), imported);
    assert.equal((imported.match(/import Client/g) ?? []).length, 1);
  });

  void it('ray: ray.init() if needed, f_remote = ray.remote(f) at the call site, ray.get over .remote calls; an existing `import ray` is used', async () => {
    const fixed = await rewrite(`import ray\n\n\n${loop}`, 'ray');
    assert.equal(
      fixed,
      `import ray\n\n\n${COLLATZ}\ndef chains(limits):\n    if not ray.is_initialized():\n        ray.init()\n    collatz_steps_remote = ray.remote(collatz_steps)\n    return ray.get([collatz_steps_remote.remote(n) for n in limits])\n`,
    );
  });

  void it('threads (free-threaded): the loop → ThreadPoolExecutor.map, first; a set comprehension keeps being a set', async () => {
    const text = `${COLLATZ}\ndef chains(limits):\n    found = {collatz_steps(n) for n in limits}\n    return found\n`;
    assert.equal(
      await rewrite(text, 'threads'),
      `from concurrent.futures import ThreadPoolExecutor\n\n\n${COLLATZ}\ndef chains(limits):\n    with ThreadPoolExecutor() as pool:\n        found = set(pool.map(collatz_steps, limits))\n    return found\n`,
    );
  });
});

void describe('CL202 quick fixes are offered only where they hold', () => {
  const loop = `${COLLATZ}\ndef chains(limits):\n    return [collatz_steps(n) for n in limits]\n`;

  void it('gating: Dask only with `distributed`, Ray only with `ray`, threads only on a free-threaded Python (then first)', async () => {
    assert.deepEqual(await fixKinds(loop), ['processes']);
    assert.deepEqual(await fixKinds(loop, env({ pythonModules: new Set(['dask']) })), ['processes'], '`dask` alone has no distributed Client');
    assert.deepEqual(await fixKinds(loop, env({ pythonModules: new Set(['distributed']) })), ['processes', 'dask']);
    assert.deepEqual(await fixKinds(loop, env({ pythonModules: new Set(['ray']) })), ['processes', 'ray']);
    assert.deepEqual(await fixKinds(loop, ALL_THERE), ['threads', 'processes', 'dask', 'ray']);
  });

  void it('a lambda, a nested function or an argument other than the item: no fix that leaves the process; threads still on a free-threaded Python', async () => {
    const cases = [
      `${COLLATZ}steps_of = lambda n: collatz_steps(n)\n\n\ndef chains(limits):\n    return [steps_of(n) for n in limits]\n`,
      `${COLLATZ}\ndef chains(limits):\n    def work(n):\n        return collatz_steps(n) + 1\n\n    return [work(n) for n in limits]\n`,
      `${COLLATZ}\ndef chains(limits):\n    return [collatz_steps(n + 1) for n in limits]\n`,
    ];
    for (const text of cases) {
      assert.deepEqual(await fixKinds(text, env({ pythonModules: new Set(['distributed', 'ray']) })), [], text);
      assert.deepEqual(await fixKinds(text, ALL_THERE), ['threads'], text);
    }
  });

  void it('a carried variable, a break, a fixed handful of items, a method (its object\'s state): no CL202 at all', async () => {
    const cases = [
      `${COLLATZ}\nclass Chains:\n    def steps(self, n):\n        return collatz_steps(n)\n\n    def all(self, limits):\n        return [self.steps(n) for n in limits]\n`,
      `${COLLATZ}\ndef total(limits):\n    t = 0\n    for n in limits:\n        t += collatz_steps(n)\n    return t\n`,
      `${COLLATZ}\ndef first_long(limits):\n    out = []\n    for n in limits:\n        out.append(collatz_steps(n))\n        if out[-1] > 100:\n            break\n    return out\n`,
      `${COLLATZ}\ndef three():\n    out = []\n    for n in [100, 200, 300]:\n        out.append(collatz_steps(n))\n    return out\n`,
    ];
    for (const text of cases) assert.deepEqual(await cl202(text, ALL_THERE), [], text);
  });

  void it('results dropped (the calls run for their effects): the finding, no fix', async () => {
    const text = `${COLLATZ}\ndef warm(limits):\n    for n in limits:\n        collatz_steps(n)\n`;
    const found = await cl202(text, ALL_THERE);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes, []);
  });

  void it('top-level code that cannot move under a guard cleanly: no process-pool or Dask fix, Ray (no guard needed) still', async () => {
    const loop = 'def chains(limits):\n    return [collatz_steps(n) for n in limits]\n';
    const cases = [
      // A call, then an assignment: the assignment cannot move under the guard.
      `${COLLATZ}print("start")\nLIMITS = [1000, 2000]\n\n\n${loop}`,
      // A value computed at import by the function that would start the pool.
      `${COLLATZ}${loop}\n\nCHAINS = chains([10, 20])\n`,
    ];
    for (const text of cases) assert.deepEqual(await fixKinds(text, env({ pythonModules: new Set(['distributed', 'ray']) })), ['ray'], text);
    // A definition at import (no call of the module's own functions) needs no guard.
    assert.deepEqual(await fixKinds(`import re\n\nWORD = re.compile("[a-z]+")\n\n\n${COLLATZ}${loop}`), ['processes']);
  });

  void it('CL201 on a free-threaded Python: no finding (a thread pool does run Python bytecode in parallel there); with the GIL, the finding and its process-pool fix', async () => {
    const text = readFileSync(join(FIXTURES, 'process_pool/with_map.py'), 'utf8');
    const withGil = (await findings('with_map.py', text, EMPTY_ENVIRONMENT)).diagnostics.filter((d) => d.code === 'CL201');
    const freeThreaded = (await findings('with_map.py', text, env({ freeThreaded: true }))).diagnostics.filter((d) => d.code === 'CL201');
    assert.equal(withGil.length, 1);
    assert.equal(withGil[0].fixes.length, 1);
    assert.deepEqual(freeThreaded, []);
  });
});
