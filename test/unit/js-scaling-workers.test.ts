/**
 * Worker pools linked to their worker modules: a pool made with the module it runs (piscina's
 * and tinypool's `filename`, workerpool's script) turns `pool.run(data, { name })` and
 * `pool.exec('method', args)` into offloaded calls of that module's export, which the
 * workspace resolves across files like an import. The verdicts cannot show it (an offloaded
 * call carries no work to the caller); the call graph does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Extractor } from '../../src/core/extract-file';
import type { ModuleFacts } from '../../src/core/facts';
import { JavaScriptModuleResolver } from '../../src/core/languages/javascript/resolve';
import { buildGraph } from '../../src/core/propagate';
import { repoRoot } from '../support/repo';

const FIXTURE = 'test/fixtures/js/scaling';

async function extract(path: string, text: string): Promise<ModuleFacts> {
  const extracted = await new Extractor({}).extract({ path, text });
  assert.ok(!('error' in extracted), `${path} extracted`);
  return extracted;
}

/** Every offloaded edge of the graph as `file:caller → file:callee (pool)`, file names only. */
function offloadedEdges(modules: ModuleFacts[]): string[] {
  const graph = buildGraph(modules, () => new JavaScriptModuleResolver(modules));
  const short = (id: string): string => id.slice(id.lastIndexOf('/') + 1);
  const edges: string[] = [];
  for (const node of graph.values()) {
    for (const edge of node.edges) if (edge.call.offloaded) edges.push(`${short(node.id)} → ${short(edge.target)} (${edge.call.offloaded})`);
  }
  return edges.sort();
}

void describe('JS scaling: pools linked to their worker modules', () => {
  void it('links every pool of the scaling fixtures to the function its tasks run', async () => {
    const dir = join(repoRoot(), FIXTURE);
    const modules = await Promise.all(
      readdirSync(dir)
        .filter((name) => /\.(m|c)?[jt]s$/.test(name))
        .map((name) => extract(`${FIXTURE}/${name}`, readFileSync(join(dir, name), 'utf8'))),
    );
    assert.deepEqual(offloadedEdges(modules), [
      // require.resolve(...) and path.join(__dirname, ...), from CommonJS; the pool's `name`, or the default export.
      'batch-digests.cjs#stretchAll → hash-task.mjs#stretch (worker)',
      'batch-digests.cjs#table → render-worker.js#renderTable (worker)',
      // Functions handed to workerpool's exec (linked before pools knew their modules).
      'fib-pool.cjs#fibInPool → fib-pool.cjs#fib (worker)',
      'fib-pool.cjs#fibOfSeed → fib-pool.cjs#fib (worker)',
      'fib-pool.cjs#squaresInPool → fib-pool.cjs#squaresInPool.pool.exec callback (worker)',
      // fileURLToPath(new URL(..., import.meta.url)), a method registered by name in the worker script.
      'primes-client.mjs#primesByName → primes-worker.js#countPrimes (worker)',
      // path.resolve(__dirname, ...) on `this.pool`, the export named by run's `name` option (CommonJS exports).
      'reports.ts#ReportService.render → render-worker.js#renderTable (worker)',
      // new URL(...).href: run's `name`, or the default export (`export default resize`).
      'thumbnails.mjs#checksumOf → resize-worker.mjs#checksum (worker)',
      'thumbnails.mjs#thumbnails → resize-worker.mjs#resize (worker)',
      'tinypool-batch.mjs#hashAll → hash-task.mjs#stretch (worker)',
    ]);
  });
});

const WORKER = [
  'export default function crunch(n) {',
  '  let t = 0;',
  '  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t = (t + i * j) % 7;',
  '  return t;',
  '}',
  'export function other(n) { return n; }',
  '',
].join('\n');

/** The offloaded edges of a caller file `app/main.mjs` next to `app/workers/crunch.mjs`. */
async function edgesOf(main: string): Promise<string[]> {
  return offloadedEdges([await extract('app/main.mjs', main), await extract('app/workers/crunch.mjs', WORKER)]);
}

void describe('JS scaling: the ways a pool names its worker module', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a relative string', "new Piscina({ filename: './workers/crunch.mjs' })", ['main.mjs#run → crunch.mjs#crunch (worker)']],
    ['a URL without .href', "new Piscina({ filename: new URL('./workers/crunch.mjs', import.meta.url) })", ['main.mjs#run → crunch.mjs#crunch (worker)']],
    ['path.join with several segments', "new Piscina({ filename: path.join(__dirname, 'workers', 'crunch.mjs') })", ['main.mjs#run → crunch.mjs#crunch (worker)']],
    ['an imported resolve', "new Piscina({ filename: resolve(__dirname, 'workers/crunch.mjs'), name: 'other' })", ['main.mjs#run → crunch.mjs#other (worker)']],
    ['a specifier without extension', "new Tinypool({ filename: require.resolve('./workers/crunch') })", ['main.mjs#run → crunch.mjs#crunch (worker)']],
    // Not this file's folder, or not known here: no link, and no guess.
    ['a variable', 'new Piscina({ filename: WORKER_FILE })', []],
    ['an absolute path', "new Piscina({ filename: path.join(__dirname, '/workers/crunch.mjs') })", []],
    ['a URL against another base', "new Piscina({ filename: new URL('./workers/crunch.mjs', base) })", []],
    ['a module that is not analyzed', "new Piscina({ filename: './workers/missing.mjs' })", []],
  ];
  for (const [what, made, expected] of cases) {
    void it(`${what}: ${expected.length > 0 ? 'linked' : 'not linked'}`, async () => {
      const main = [
        "import path, { resolve } from 'node:path';",
        "import Piscina from 'piscina';",
        "import Tinypool from 'tinypool';",
        `const pool = ${made};`,
        'export async function run(n) {',
        '  return pool.run(n);',
        '}',
      ].join('\n');
      assert.deepEqual(await edgesOf(main), expected);
    });
  }

  void it("run's `name` wins over the pool's, and a task on another object is no pool task", async () => {
    const main = [
      "import { Piscina } from 'piscina';",
      "const pool = new Piscina({ filename: new URL('./workers/crunch.mjs', import.meta.url).href, name: 'other' });",
      'export async function both(n) {',
      "  return [await pool.run(n), await pool.run(n, { name: 'default' })];",
      '}',
      'export async function elsewhere(runner, n) {',
      '  return runner.run(n);',
      '}',
    ].join('\n');
    assert.deepEqual(await edgesOf(main), ['main.mjs#both → crunch.mjs#crunch (worker)', 'main.mjs#both → crunch.mjs#other (worker)']);
  });

  void it('a workerpool task by name links the registered method; a function handed over stays as it was', async () => {
    const main = [
      "const workerpool = require('workerpool');",
      "const pool = workerpool.pool(require.resolve('./workers/crunch.mjs'));",
      'function local(n) { return n; }',
      'async function byName(n) { return pool.exec("other", [n]); }',
      'async function byFunction(n) { return pool.exec(local, [n]); }',
      'async function byComputedName(name, n) { return pool.exec(name, [n]); }',
    ].join('\n');
    assert.deepEqual(await edgesOf(main), ['main.mjs#byFunction → main.mjs#local (worker)', 'main.mjs#byName → crunch.mjs#other (worker)']);
  });
});
