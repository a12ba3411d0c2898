/**
 * Parameter listing and the argument guess on real code: the examples and the benchmark
 * fixtures, each function found by the name position the analysis reports (as the editor
 * finds it), plus the syntax corners the examples do not have (`/`, `*`, `**`, TypeScript).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles, type FunctionResult } from '../../src/core';
import { listParameters, type Signature } from '../../src/core/parameters';
import { describeParameters, guessArguments, isLiteral, takesArguments } from '../../src/core/parameters-guess';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();

/** The signature of `name` in a file of the repository, found where the analysis puts its name. */
async function signatureIn(relative: string, name: string): Promise<Signature> {
  const path = join(ROOT, relative);
  const text = readFileSync(path, 'utf8');
  return signatureOf(path, text, name);
}

async function signatureOf(path: string, text: string, name: string): Promise<Signature> {
  const [file] = await analyzeFiles([{ path, text }], { workers: 1 });
  const fn: FunctionResult | undefined = file.functions.find((f) => f.name === name);
  assert.ok(fn, `${name} is analyzed in ${path} (has ${file.functions.map((f) => f.name).join(', ')})`);
  const signature = await listParameters(path, text, fn.nameSpan);
  assert.ok(signature, `${name}'s parameters are found at ${fn.nameSpan.line}:${fn.nameSpan.column}`);
  return signature;
}

void describe('parameters: Python, on the example and the fixtures', () => {
  void it('reads names, annotations and defaults of a module function (fetch.download)', async () => {
    const signature = await signatureIn('examples/python/page_archiver/fetch.py', 'download');
    assert.equal(signature.container, 'module');
    assert.deepEqual(signature.parameters, [
      { name: 'url', kind: 'positional', annotation: 'str' },
      { name: 'timeout', kind: 'positional', annotation: 'float', default: '10.0' },
      { name: 'user_agent', kind: 'positional', annotation: 'str | None', default: 'None' },
    ]);
    assert.equal(guessArguments(signature, 'python'), "'text', timeout=10.0, user_agent=None");
  });

  void it('marks self on a method and guesses an instance of its class (HttpClient.get_text)', async () => {
    const signature = await signatureIn('examples/python/page_archiver/fetch.py', 'HttpClient.get_text');
    assert.equal(signature.container, 'class');
    assert.equal(signature.binding, 'instance');
    assert.equal(signature.className, 'HttpClient');
    assert.deepEqual(signature.parameters.map((p) => p.kind), ['self', 'positional']);
    assert.equal(guessArguments(signature, 'python'), "HttpClient(), 'text'");
  });

  void it('binds cls of a classmethod and lists **overrides (ArchiverConfig.from_env)', async () => {
    const signature = await signatureIn('examples/python/page_archiver/config.py', 'ArchiverConfig.from_env');
    assert.equal(signature.binding, 'class');
    assert.deepEqual(signature.parameters, [
      { name: 'cls', kind: 'cls' },
      { name: 'overrides', kind: 'var-keyword', annotation: 'object' },
    ]);
    assert.equal(guessArguments(signature, 'python'), '');
    assert.equal(takesArguments(signature), true, '**overrides can be given');
  });

  void it('tells a nested function from a module one (fetch_all.fetch_one)', async () => {
    const signature = await signatureIn('examples/python/page_archiver/fetch.py', 'fetch_all.fetch_one');
    assert.equal(signature.container, 'function');
    assert.deepEqual(signature.parameters, [{ name: 'url', kind: 'positional', annotation: 'str' }]);
  });

  void it('guesses the sleep fixture\'s default and asks nothing of a function without parameters', async () => {
    const nap = await signatureIn('test/fixtures/bench/io_work.py', 'nap');
    assert.equal(guessArguments(nap, 'python'), 'seconds=0.02');
    const text = 'def tick():\n    return 1\n';
    const tick = await signatureOf('/virtual/tick.py', text, 'tick');
    assert.deepEqual(tick.parameters, []);
    assert.equal(takesArguments(tick), false);
    assert.equal(guessArguments(tick, 'python'), '');
  });

  void it('reads positional-only, keyword-only, *args and **kwargs, decorators included', async () => {
    const text = [
      'import functools',
      '',
      'class Box:',
      '    @staticmethod',
      '    @functools.cache',
      '    def pack(a, b: int = 3, /, c=LIMIT, *rest: int, key: str, flag=False, **extra):',
      '        return a',
      '',
      'def later(*, n: int, scale=2.5):',
      '    return n * scale',
      '',
    ].join('\n');
    const pack = await signatureOf('/virtual/box.py', text, 'Box.pack');
    assert.equal(pack.binding, 'static');
    assert.deepEqual(
      pack.parameters.map((p) => [p.name, p.kind, p.default ?? '', p.annotation ?? '']),
      [
        ['a', 'positional-only', '', ''],
        ['b', 'positional-only', '3', 'int'],
        ['c', 'positional', 'LIMIT', ''],
        ['rest', 'var-positional', '', 'int'],
        ['key', 'keyword-only', '', 'str'],
        ['flag', 'keyword-only', 'False', ''],
        ['extra', 'var-keyword', '', ''],
      ],
    );
    // LIMIT may be a name only the module has: left to the function's own default.
    assert.equal(guessArguments(pack, 'python'), "None, 3, key='text', flag=False");
    assert.equal(describeParameters(pack), 'a, b: int = 3, c = LIMIT, *rest: int, key: str, flag = False, **extra');
    const later = await signatureOf('/virtual/box.py', text, 'later');
    assert.equal(guessArguments(later, 'python'), 'n=10, scale=2.5');
  });
});

void describe('parameters: JavaScript and TypeScript', () => {
  void it('reads the sleep fixture\'s default (io_work.mjs nap)', async () => {
    const nap = await signatureIn('test/fixtures/bench/io_work.mjs', 'nap');
    assert.deepEqual(nap.parameters, [{ name: 'ms', kind: 'positional', default: '20' }]);
    assert.equal(nap.container, 'module');
    assert.equal(guessArguments(nap, 'javascript'), '20');
  });

  void it('reads TypeScript annotations, optional parameters, patterns and rest', async () => {
    const text = [
      'const LIMIT = 5;',
      'export function score(weight: number, label: string, tags?: string[], { depth }: Options = {}, limit = LIMIT, ...more: number[]): number {',
      '  return weight;',
      '}',
      'export const twice = async (n: number) => n * 2;',
      'export class Pool {',
      '  static create(size = 4) { return new Pool(); }',
      '  run(job: () => void) { job(); }',
      '}',
      'interface Options { depth?: number }',
      '',
    ].join('\n');
    const score = await signatureOf('/virtual/score.ts', text, 'score');
    assert.deepEqual(
      score.parameters.map((p) => [p.name, p.kind, p.default ?? '', p.annotation ?? '', p.optional ?? false, p.pattern ?? '']),
      [
        ['weight', 'positional', '', 'number', false, ''],
        ['label', 'positional', '', 'string', false, ''],
        ['tags', 'positional', '', 'string[]', true, ''],
        ['{ depth }', 'positional', '{}', 'Options', false, 'object'],
        ['limit', 'positional', 'LIMIT', '', false, ''],
        ['more', 'rest', '', 'number[]', false, ''],
      ],
    );
    // LIMIT is a module binding the harness's global scope lacks: undefined lets the default apply, and trailing ones go.
    assert.equal(guessArguments(score, 'typescript'), "10, 'text', undefined, {}");
    const twice = await signatureOf('/virtual/score.ts', text, 'twice');
    assert.deepEqual(twice.parameters, [{ name: 'n', kind: 'positional', annotation: 'number' }]);
    assert.equal(guessArguments(twice, 'typescript'), '10');
    const create = await signatureOf('/virtual/score.ts', text, 'Pool.create');
    assert.equal(create.binding, 'static');
    assert.equal(create.className, 'Pool');
    const run = await signatureOf('/virtual/score.ts', text, 'Pool.run');
    assert.equal(run.binding, 'instance');
  });

  void it('finds a CommonJS function of the benchmark fixtures by its name', async () => {
    const path = join(ROOT, 'test/fixtures/bench/work.cjs');
    const text = readFileSync(path, 'utf8');
    const [file] = await analyzeFiles([{ path, text }], { workers: 1 });
    assert.ok(file.functions.length > 0);
    for (const fn of file.functions) {
      const signature = await listParameters(path, text, fn.nameSpan);
      assert.ok(signature, `${fn.name}'s parameters are found`);
      assert.deepEqual(signature.parameters.map((p) => p.name.replace(/^\{.*\}$/s, 'pattern')), fn.params.map((p) => p.replace(/^\{.*\}$/s, 'pattern')), fn.name);
    }
  });

  void it('returns undefined where no function is (the text changed since the analysis)', async () => {
    assert.equal(await listParameters('/virtual/a.py', 'x = 1\n', { line: 1, column: 1 }), undefined);
    assert.equal(await listParameters('/virtual/a.txt', 'def f(): pass\n', { line: 1, column: 5 }), undefined);
  });
});

void describe('argument guess: which defaults are given as they are', () => {
  void it('takes literals and leaves names and calls to the function', () => {
    for (const text of ['3', '-2.5', '1_000', '0x1F', "'a b'", '"x"', "b'raw'", 'True', 'None', 'null', 'undefined', '[]', '{}', '()', '10n']) assert.ok(isLiteral(text), text);
    for (const text of ['LIMIT', 'os.cpu_count()', '[1, x]', 'f"{x}"', "'a' + b", '`${x}`']) assert.ok(!isLiteral(text), text);
  });
});
