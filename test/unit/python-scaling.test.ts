/**
 * The extraction mechanisms behind the Dask, Ray, joblib and PySpark offload boundaries, read
 * from the facts (the fixture project test/fixtures/python/scaling checks the verdicts): a
 * wrapper's call (`delayed(f)(x)`) hands `f` over while its arguments run here; a decorator
 * (`@ray.remote`, `@dask.delayed`, `@udf`) makes calls of a function run elsewhere; Ray's
 * `.remote(...)` reaches functions, actor constructors and actor methods, in the file and
 * across files; joblib's tasks run in the pool their `Parallel` picks; and an edit that adds
 * such a decorator changes the calls of an unchanged caller on incremental re-extraction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles } from '../../src/core';
import { Extractor, type RetainedParse } from '../../src/core/extract-file';
import type { CallFact, FunctionFacts, ModuleFacts } from '../../src/core/facts';

const PATH = 'jobs.py';

async function facts(text: string): Promise<ModuleFacts> {
  const extracted = await new Extractor({}).extract({ path: PATH, text });
  assert.ok(!('error' in extracted), `extraction failed: ${'error' in extracted ? extracted.error : ''}`);
  return extracted;
}

function fn(module: ModuleFacts, name: string): FunctionFacts {
  const found = module.functions.find((f) => f.name === name);
  assert.ok(found, `no function ${name}; have ${module.functions.map((f) => f.name).join(', ')}`);
  return found;
}

/** The calls of a function as `dotted→pool` (`here` for calls that run in the caller). */
function calls(f: FunctionFacts): string[] {
  return f.calls.map((c: CallFact) => `${c.ref.level > 0 ? '.'.repeat(c.ref.level) : ''}${c.ref.dotted}→${c.offloaded ?? 'here'}`).sort();
}

function evidence(f: FunctionFacts): string[] {
  return f.evidence.map((e) => `${e.call}:${e.category}${e.blocking ? ':blocking' : ''}`).sort();
}

void describe('python scaling: wrappers that hand a function over (curried calls)', () => {
  void it('dask.delayed(f)(x) hands f to the cluster and evaluates x here', async () => {
    const module = await facts(
      ['import dask', 'def f(x): return x', 'def g(x): return x', 'def run(items):', '    task = dask.delayed(f)(g(items))', '    return dask.compute(task)'].join('\n'),
    );
    const run = fn(module, 'run');
    assert.deepEqual(calls(run), ['f→remote', 'g→here']);
    assert.deepEqual(evidence(run), ['dask.compute:offload:blocking']);
  });

  void it('`from dask import delayed` and `delayed(f, pure=True)(x)` resolve the same way', async () => {
    const module = await facts(['from dask import delayed as lazy', 'def f(x): return x', 'def run(x):', '    return lazy(f, pure=True)(x).compute()'].join('\n'));
    const run = fn(module, 'run');
    assert.deepEqual(calls(run), ['f→remote']);
    assert.deepEqual(evidence(run), ['dask.delayed.Delayed.compute:offload:blocking']);
  });

  void it("joblib's delayed(f) runs f in the pool its Parallel picks", async () => {
    const module = await facts(
      [
        'from joblib import Parallel, delayed',
        'import joblib',
        'def f(x): return x',
        'def loky(xs): return Parallel(n_jobs=2)(delayed(f)(x) for x in xs)',
        'def threads(xs): return Parallel(n_jobs=2, prefer="threads")(delayed(f)(x) for x in xs)',
        'def threading(xs):',
        '    with joblib.Parallel(backend="threading") as parallel:',
        '        return parallel(joblib.delayed(f)(x) for x in xs)',
        'def explicit_loky(xs): return Parallel(backend="loky", prefer="threads")(delayed(f)(x) for x in xs)',
        'def cluster(xs): return Parallel(backend="ray")([delayed(f)(x) for x in xs])',
        'def elsewhere(xs): return [delayed(f)(x) for x in xs]',
      ].join('\n'),
    );
    assert.deepEqual(calls(fn(module, 'loky')), ['f→process']);
    assert.deepEqual(calls(fn(module, 'threads')), ['f→thread']);
    assert.deepEqual(calls(fn(module, 'threading')), ['f→thread']);
    assert.deepEqual(calls(fn(module, 'explicit_loky')), ['f→process']);
    assert.deepEqual(calls(fn(module, 'cluster')), ['f→remote']);
    // Built outside any Parallel call: loky's default, processes.
    assert.deepEqual(calls(fn(module, 'elsewhere')), ['f→process']);
    assert.deepEqual(evidence(fn(module, 'threads')), ['joblib.Parallel.threads:offload:blocking']);
  });

  void it('udf(f) hands f to the executors; a lambda handed over keeps its loops off the caller', async () => {
    const module = await facts(
      [
        'import pyspark.sql.functions as F',
        'from pyspark.sql import SparkSession',
        'def f(x): return x',
        'def g(x): return x',
        'def plan(spark: SparkSession, xs):',
        '    tokens = F.udf(f, "string")',
        '    return spark.sparkContext.parallelize(xs).map(lambda part: [g(p) for p in part])',
      ].join('\n'),
    );
    const plan = fn(module, 'plan');
    assert.deepEqual(calls(plan), ['f→remote', 'g→remote']);
    assert.deepEqual(evidence(plan), []);
    assert.deepEqual(plan.loops, []);
  });
});

void describe('python scaling: decorators that make calls run elsewhere', () => {
  void it('@dask.delayed, @udf(...) and @pandas_udf(...) functions are offloaded when called; their bodies are unchanged', async () => {
    const module = await facts(
      [
        'import dask',
        'from pyspark.sql.functions import pandas_udf, udf',
        'import hashlib',
        '@dask.delayed',
        'def load(path):',
        '    return hashlib.sha256(path).hexdigest()',
        '@udf("string")',
        'def tag(x): return x',
        '@pandas_udf(returnType="long")',
        'def width(s): return s',
        'def run(paths, frame):',
        '    parts = [load(p) for p in paths]',
        '    frame.select(tag(frame.x), width(frame.y))',
        '    return parts[0].compute()',
      ].join('\n'),
    );
    assert.deepEqual(calls(fn(module, 'run')), ['load→remote', 'tag→remote', 'width→remote']);
    assert.deepEqual(evidence(fn(module, 'load')), ['hashlib.sha256:hashing']);
  });

  void it('an undecorated function called directly still runs here', async () => {
    const module = await facts(['import dask', 'def load(p): return p', 'def run(p): return load(p)'].join('\n'));
    assert.deepEqual(calls(fn(module, 'run')), ['load→here']);
  });
});

void describe("python scaling: Ray's .remote(...) calls", () => {
  const ray = [
    'import ray',
    '@ray.remote',
    'def square(x): return x * x',
    '@ray.remote(num_cpus=2)',
    'class Counter:',
    '    def __init__(self, start): self.n = start',
    '    def incr(self, k): return self.n + k',
    'def run(xs):',
    '    refs = [square.remote(x) for x in xs]',
    '    more = square.options(num_cpus=1).remote(3)',
    '    counter = Counter.remote(0)',
    '    return ray.get(refs + [more, counter.incr.remote(1)])',
    'async def run_async(x):',
    '    return await square.remote(x)',
  ].join('\n');

  void it('reaches remote functions, actor constructors and actor methods, offloaded to the cluster', async () => {
    const module = await facts(ray);
    assert.deepEqual(calls(fn(module, 'run')), ['Counter.__init__→remote', 'Counter.incr→remote', 'square→remote', 'square→remote']);
    assert.deepEqual(evidence(fn(module, 'run')).filter((e) => e.startsWith('ray.')), ['ray.get:offload:blocking']);
    // Awaiting an ObjectRef waits without blocking.
    assert.deepEqual(evidence(fn(module, 'run_async')), ['square.remote:offload']);
  });

  void it('follows remote functions and actor classes imported from another file when the file imports ray', async () => {
    const module = await facts(
      ['import ray', 'from .tasks import Counter, square', 'def run(x):', '    c = Counter.remote(1)', '    return ray.get([square.remote(x), c.incr.remote(2)])'].join('\n'),
    );
    assert.deepEqual(calls(fn(module, 'run')), ['.tasks.Counter.incr→remote', '.tasks.Counter→remote', '.tasks.square→remote']);
  });

  void it('leaves `.remote` alone in a file that neither imports ray nor decorates the function', async () => {
    const module = await facts(['from .tasks import square', 'class Mirror:', '    def remote(self, x): return x', 'def run(x, m: Mirror):', '    return square.remote(x), m.remote(x)'].join('\n'));
    assert.deepEqual(calls(fn(module, 'run')), ['.tasks.square.remote→here', 'Mirror.remote→here']);
  });
});

void describe('python scaling: waits', () => {
  void it("a Dask client's gather blocks unless awaited; submit and map only submit", async () => {
    const module = await facts(
      [
        'from dask.distributed import Client',
        'def f(x): return x',
        'async def run(address, xs):',
        '    async with Client(address, asynchronous=True) as client:',
        '        futures = client.map(f, xs)',
        '        first = client.submit(f, xs[0])',
        '        return await client.gather(futures), first',
        'def run_sync(client: Client, xs):',
        '    return client.gather(client.map(f, xs))',
      ].join('\n'),
    );
    assert.deepEqual(evidence(fn(module, 'run')), ['distributed.Client.gather:offload', 'distributed.Client.map:offload', 'distributed.Client.submit:offload']);
    assert.deepEqual(evidence(fn(module, 'run_sync')), ['distributed.Client.gather:offload:blocking', 'distributed.Client.map:offload']);
    assert.deepEqual(calls(fn(module, 'run')), ['f→remote', 'f→remote']);
  });

  void it('a name bound to an attribute object resolves its methods (sc = spark.sparkContext)', async () => {
    const module = await facts(['def f(x): return x', 'def run(spark, xs):', '    sc = spark.sparkContext', '    return sc.parallelize(xs).map(f).collect()'].join('\n'));
    // `spark` is an untyped parameter: nothing resolves through it, and `f` is only passed.
    assert.deepEqual(calls(fn(module, 'run')), []);
    assert.deepEqual(evidence(fn(module, 'run')), []);
    const typed = await facts(
      ['from pyspark.sql import SparkSession', 'def f(x): return x', 'def run(spark: SparkSession, xs):', '    sc = spark.sparkContext', '    return sc.parallelize(xs).map(f).collect()'].join('\n'),
    );
    assert.deepEqual(calls(fn(typed, 'run')), ['f→remote']);
    assert.deepEqual(evidence(fn(typed, 'run')), ['pyspark.RDD.collect:offload:blocking']);
  });
});

void describe('python scaling: incremental re-extraction', () => {
  void it("adding @udf to a function changes an unchanged caller's calls", async () => {
    // The module's bindings stay the same (udf gives no return type): only the decorator tells.
    const before = ['from pyspark.sql.functions import udf', '', 'def caller(x):', '    return square(x)', '', '', 'def square(x):', '    return x * x', ''].join('\n');
    const after = before.replace('def square(x):', '@udf("long")\ndef square(x):');
    const extractor = new Extractor({});
    const first = await extractor.extractRetaining({ path: PATH, text: before });
    const parse: RetainedParse | undefined = first.parse;
    assert.ok(parse);
    try {
      assert.ok(!('error' in first.extracted));
      assert.deepEqual(calls(fn(first.extracted, 'caller')), ['square→here']);
      const second = await extractor.extractRetaining({ path: PATH, text: after }, parse);
      second.parse?.tree.delete();
      assert.ok(!('error' in second.extracted));
      assert.deepEqual(calls(fn(second.extracted, 'caller')), ['square→remote']);
    } finally {
      parse.tree.delete();
    }
  });
});

void describe('python scaling: the API that picked the pool', () => {
  void it('is kept on offloaded calls, and CL201 on joblib threads says to drop them rather than to use a ProcessPoolExecutor', async () => {
    const text = [
      'from concurrent.futures import ThreadPoolExecutor',
      'from joblib import Parallel, delayed',
      'def crunch(n):',
      '    total = 0',
      '    for i in range(n):',
      '        for j in range(n):',
      '            total += i * j',
      '    return total',
      'def with_joblib(ns): return Parallel(n_jobs=2, prefer="threads")(delayed(crunch)(n) for n in ns)',
      'def with_executor(ns):',
      '    with ThreadPoolExecutor() as pool:',
      '        return [pool.submit(crunch, n).result() for n in ns]',
    ].join('\n');
    const module = await facts(text);
    assert.deepEqual(
      fn(module, 'with_joblib').calls.map((c) => c.offloadedBy),
      ['joblib.Parallel.threads'],
    );
    assert.deepEqual(
      fn(module, 'with_executor').calls.map((c) => c.offloadedBy),
      ['concurrent.futures.ThreadPoolExecutor.submit'],
    );
    const [result] = await analyzeFiles([{ path: PATH, text }], { workers: 1 });
    const messages = result.diagnostics.filter((d) => d.code === 'CL201').map((d) => `${d.functionName}: ${d.message}`);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /^with_joblib: .*drop `prefer="threads"` \/ `backend="threading"`/);
    assert.doesNotMatch(messages[0], /ProcessPoolExecutor/);
    assert.match(messages[1], /^with_executor: .*use a ProcessPoolExecutor/);
  });
});
