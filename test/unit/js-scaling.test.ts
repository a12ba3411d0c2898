/**
 * Node worker pools and clusters as offload boundaries, beyond the labelled fixtures
 * (test/fixtures/js/scaling/): the import forms the fixtures do not use (CommonJS
 * `require('piscina')`, destructured and named imports, aliases), and the call graph's
 * offloaded edges — a function handed to `workerpool`'s `exec` is linked to its caller as
 * offloaded, not called, which the verdicts alone cannot show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles, type FunctionResult } from '../../src/core';
import { Extractor } from '../../src/core/extract-file';
import type { ModuleFacts } from '../../src/core/facts';
import { repoRoot } from '../support/repo';

async function functionsOf(path: string, text: string): Promise<Map<string, FunctionResult>> {
  const [result] = await analyzeFiles([{ path, text }], { workers: 1 });
  assert.equal(result.error, undefined);
  return new Map(result.functions.map((f) => [f.name, f]));
}

function verdict(fn: FunctionResult | undefined): string {
  assert.ok(fn, 'the function is reported');
  return `${fn.kind} ${fn.evidence.map((e) => `${e.category}:${e.call}`).sort().join(' ')}`.trim();
}

const HEAVY = 'function heavy(n) {\n  let t = 0;\n  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t = (t + i * j) % 7;\n  return t;\n}\n';

void describe('JS scaling: pools resolved through every import form', () => {
  const cases: Array<{ label: string; path: string; text: string; expected: string }> = [
    {
      label: 'piscina, CommonJS require of the package',
      path: 'pool.cjs',
      text: "const Piscina = require('piscina');\nconst pool = new Piscina({ filename: require.resolve('./task.js') });\nasync function run(x) {\n  return pool.run(x);\n}\n",
      expected: 'io offload:piscina.Piscina.run',
    },
    {
      label: 'piscina, destructured require',
      path: 'pool-named.cjs',
      text: "const { Piscina } = require('piscina');\nconst pool = new Piscina({ filename: __dirname + '/task.js' });\nasync function run(x) {\n  return await pool.run(x, { name: 'square' });\n}\n",
      expected: 'io offload:piscina.Piscina.run',
    },
    {
      label: 'tinypool, named import under an alias, the pool made in the function',
      path: 'tiny.mjs',
      text: "import { Tinypool as Pool } from 'tinypool';\nexport async function run(x) {\n  const pool = new Pool({ filename: new URL('./task.mjs', import.meta.url).href });\n  return pool.run(x);\n}\n",
      expected: 'io offload:tinypool.Tinypool.run',
    },
    {
      label: 'workerpool, named `pool` import, TypeScript',
      path: 'wp.ts',
      text: "import { pool as createPool } from 'workerpool';\nconst workers = createPool('./primes.js');\nexport async function primes(limit: number): Promise<number> {\n  return workers.exec('countPrimes', [limit]);\n}\n",
      expected: 'io offload:workerpool.Pool.exec',
    },
    {
      label: 'cluster, CommonJS with the node: prefix: a message to a forked worker',
      path: 'primary.cjs',
      text: "const cluster = require('node:cluster');\nfunction start(settings) {\n  const worker = cluster.fork();\n  worker.send(settings);\n  return new Promise((resolve) => worker.once('online', resolve));\n}\n",
      expected: 'io offload:cluster.Worker.once offload:cluster.Worker.send',
    },
  ];
  for (const { label, path, text, expected } of cases) {
    void it(label, async () => {
      const functions = await functionsOf(path, text);
      const name = [...functions.keys()].find((n) => n === 'run' || n === 'primes' || n === 'start');
      assert.equal(verdict(functions.get(name ?? '')), expected);
    });
  }

  void it('a pool without a known library is not an offload boundary: the same calls on an unknown receiver say nothing', async () => {
    const functions = await functionsOf('unknown.mjs', "import { makePool } from 'my-pool';\nconst pool = makePool();\nexport async function run(x) {\n  return pool.run(x);\n}\n");
    assert.equal(verdict(functions.get('run')), 'neither');
  });

  void it('the work handed to a pool stays off the caller; called directly, it is the caller’s', async () => {
    const text = `import workerpool from 'workerpool';\nconst pool = workerpool.pool();\n${HEAVY}export async function offloaded(n) {\n  return pool.exec(heavy, [n]);\n}\nexport async function inline(n) {\n  return heavy(n);\n}\n`;
    const functions = await functionsOf('direct.mjs', text);
    assert.equal(verdict(functions.get('offloaded')), 'io offload:workerpool.Pool.exec');
    assert.equal(functions.get('inline')?.kind, 'cpu');
  });
});

void describe('JS scaling: offloaded edges in the call graph', () => {
  let facts: ModuleFacts;
  const callsOf = (name: string): Array<{ to: string; offloaded?: string }> => {
    const fn = facts.functions.find((f) => f.name === name);
    assert.ok(fn, `${name} extracted`);
    return fn.calls.map((c) => ({ to: c.ref.dotted, ...(c.offloaded ? { offloaded: c.offloaded } : {}) }));
  };

  void it('extracts the workerpool fixture', async () => {
    const path = 'test/fixtures/js/scaling/fib-pool.cjs';
    const extracted = await new Extractor({}).extract({ path, text: readFileSync(join(repoRoot(), path), 'utf8') });
    assert.ok(!('error' in extracted), 'extracted');
    facts = extracted;
  });

  void it('a named function given to exec is an offloaded call', () => {
    assert.deepEqual(callsOf('fibInPool'), [{ to: 'fib', offloaded: 'worker' }]);
  });

  void it('an inline function given to exec is its own function, linked as offloaded', () => {
    assert.deepEqual(callsOf('squaresInPool'), [{ to: 'squaresInPool.pool.exec callback', offloaded: 'worker' }]);
  });

  void it('the arguments of exec are computed here: a plain call beside the offloaded one', () => {
    assert.deepEqual(
      callsOf('fibOfSeed').sort((a, b) => a.to.localeCompare(b.to)),
      [{ to: 'fib', offloaded: 'worker' }, { to: 'seedOf' }],
    );
  });

  void it('terminating the pool calls nothing', () => {
    assert.deepEqual(callsOf('close'), []);
  });
});
