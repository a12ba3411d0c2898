/**
 * CL302 on loops that await a pool's result one item at a time: the pool has many workers and
 * runs one task at a time, where starting them together (Promise.all, asyncio.gather) would
 * overlap them. Posting a message to a single worker is no wait on a result: no finding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, type Diagnostic } from '../../src/core';

async function cl302s(path: string, text: string): Promise<Diagnostic[]> {
  const [result] = await analyzeFiles([{ path, text }], { workers: 1 });
  assert.equal(result.error, undefined);
  return result.diagnostics.filter((d) => d.code === 'CL302');
}

async function cl302Lines(path: string, text: string): Promise<number[]> {
  return (await cl302s(path, text)).map((d) => d.line);
}

void describe('CL302 on awaited pool offloads', () => {
  void it('Python: run_in_executor and to_thread awaited per item', async () => {
    const text = [
      'import asyncio',
      'from concurrent.futures import ProcessPoolExecutor',
      'def f(x): return x',
      'async def executor(xs):',
      '    loop = asyncio.get_running_loop()',
      '    with ProcessPoolExecutor() as pool:',
      '        for x in xs:',
      '            print(await loop.run_in_executor(pool, f, x))',
      'async def threads(xs):',
      '    return [await asyncio.to_thread(f, x) for x in xs]',
      'async def chained(x):',
      '    for step in range(3):',
      '        x = await asyncio.to_thread(f, x)',
      '    return x',
    ].join('\n');
    // The last loop carries x from one step to the next: not independent.
    assert.deepEqual(await cl302Lines('jobs.py', text), [7, 10]);
  });

  void it('Python: a TaskGroup only for coroutines (run_in_executor gives a Future, which create_task refuses); gather for both', async () => {
    const text = [
      'import asyncio',
      'def f(x): return x',
      'async def executor(xs):',
      '    loop = asyncio.get_running_loop()',
      '    out = []',
      '    for x in xs:',
      '        out.append(await loop.run_in_executor(None, f, x))',
      '    return out',
      'async def threads(xs):',
      '    out = []',
      '    for x in xs:',
      '        out.append(await asyncio.to_thread(f, x))',
      '    return out',
    ].join('\n');
    const found = await cl302s('jobs.py', text);
    const titles = found.map((d) => d.fixes.map((fix) => (/TaskGroup/.test(fix.title) ? 'group' : /gather/.test(fix.title) ? 'gather' : fix.title)));
    assert.deepEqual(titles, [['gather'], ['gather', 'group']]);
  });

  void it('JS: a pool task awaited per item, not a message posted per item', async () => {
    const text = [
      "import Piscina from 'piscina';",
      "import { Worker } from 'node:worker_threads';",
      "const pool = new Piscina({ filename: './task.mjs' });",
      "const worker = new Worker('./task.mjs');",
      'export async function tasks(items) {',
      '  for (const item of items) console.log(await pool.run(item));',
      '}',
      'export async function messages(items) {',
      '  for (const item of items) await worker.postMessage(item);',
      '}',
    ].join('\n');
    assert.deepEqual(await cl302Lines('jobs.mjs', text), [6]);
  });
});
