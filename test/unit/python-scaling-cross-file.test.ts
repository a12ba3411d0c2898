/**
 * Decorated functions called from another file: a decorator that hands a function over
 * (`@dask.delayed`, `@udf`, `@ray.remote`) goes with the function, so a caller in another file
 * inherits none of its work, as a caller in its own file does not. The callee's facts say it
 * (`runsElsewhere`); the graph links the call as offloaded without touching the caller's facts,
 * which the editor keeps between runs: adding or removing the decorator changes the verdict of
 * a caller whose text did not change, and that run equals a fresh one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, ExtractionCache, type FileResult, type SourceFile } from '../../src/core';

const TASKS = [
  'import dask',
  'import ray',
  '',
  '',
  '@dask.delayed',
  'def heavy(n):',
  '    total = 0',
  '    for i in range(n):',
  '        for j in range(n):',
  '            total += i * j',
  '    return total',
  '',
  '',
  '@ray.remote',
  'def square(n):',
  '    return heavy(n)',
  '',
].join('\n');

const DRIVER = [
  'import dask',
  'from tasks import heavy, square',
  '',
  '',
  'def build(ns):',
  '    return dask.compute(*[heavy(n) for n in ns])',
  '',
  '',
  'def direct(n):',
  '    return square(n)',
  '',
].join('\n');

function files(tasks: string): SourceFile[] {
  return [
    { path: 'proj/tasks.py', text: tasks },
    { path: 'proj/driver.py', text: DRIVER },
  ];
}

/** `name kind evidence...` per function of the driver, evidence as `category:call@via`. */
function driver(results: readonly FileResult[]): string[] {
  const file = results.find((r) => r.path.endsWith('driver.py'));
  assert.ok(file && !file.error, 'the driver was analyzed');
  return file.functions.map((f) => [f.name, f.kind, ...f.evidence.map((e) => `${e.category}:${e.call}${e.via.length ? `@${e.via.join('>')}` : ''}`).sort()].join(' '));
}

const UNDECORATED = TASKS.replace('@dask.delayed\n', '').replace('@ray.remote\n', '');

void describe('python scaling: decorated functions called from another file', () => {
  void it("a @dask.delayed function's work stays off a caller in another file; undecorated, it is the caller's", async () => {
    assert.deepEqual(driver(await analyzeFiles(files(TASKS), { workers: 1 })), ['build io comprehension:list comprehension loops:loop over input offload:dask.compute', 'direct neither']);
    assert.deepEqual(driver(await analyzeFiles(files(UNDECORATED), { workers: 1 })), [
      'build mixed comprehension:list comprehension loops:loop over input nested-loops:2 nested loops@heavy offload:dask.compute',
      'direct cpu nested-loops:2 nested loops@square>heavy',
    ]);
  });

  // Ray raises TypeError on `square(n)` ("Remote functions cannot be called directly"): the
  // call runs nothing here, so the caller inherits nothing. No finding: the first run says it,
  // naming `.remote()`, and no concurrency advice follows from a call that cannot run.
  void it('a @ray.remote function called directly from another file adds no work to the caller', async () => {
    const results = await analyzeFiles(files(TASKS), { workers: 1 });
    assert.deepEqual(driver(results).find((line) => line.startsWith('direct ')), 'direct neither');
    assert.deepEqual(results.flatMap((r) => r.diagnostics.map((d) => d.code)), []);
  });

  void it('adding and removing the decorator changes an unchanged caller on cached runs, as a fresh run does', async () => {
    const cache = new ExtractionCache();
    try {
      const steps = [UNDECORATED, TASKS, UNDECORATED];
      for (const tasks of steps) {
        const cached = await analyzeFiles(files(tasks), { workers: 1, cache });
        const fresh = await analyzeFiles(files(tasks), { workers: 1 });
        assert.deepEqual(cached, fresh);
      }
      const decorated = await analyzeFiles(files(TASKS), { workers: 1, cache });
      assert.deepEqual(driver(decorated), ['build io comprehension:list comprehension loops:loop over input offload:dask.compute', 'direct neither']);
    } finally {
      cache.dispose();
    }
  });
});
