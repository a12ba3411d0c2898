/**
 * The editor-free parts of the benchmark flow: the headline shown after a run (from reports the
 * runner's own `summarize` and `toBenchJson` make out of harness events), the checks of what the
 * commands are given, the argument memory and prefill, the failure notices per error kind, and
 * the hover's benchmark link.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toBenchJson, type BenchJson } from '../../src/bench/report';
import { summarize, type BenchErrorKind, type HarnessEvent, type Strategy } from '../../src/bench/runner';
import { analyzeFiles } from '../../src/core';
import { listParameters } from '../../src/core/parameters';
import { ArgumentMemory, ARGUMENTS_STATE_KEY, REMEMBERED_FUNCTIONS } from '../../src/extension/bench-arguments';
import { failureNotice, failureReport } from '../../src/extension/bench-errors';
import { benchHeadline } from '../../src/extension/bench-headline';
import { argumentsProblem, checkBenchTarget, checkFileTarget, functionKey, isBenchmarkable, MAX_ARGS } from '../../src/extension/bench-target';
import { hoverMarkdown, type Links } from '../../src/extension/markdown';
import { repoRoot } from '../support/repo';
import { MapMemento } from '../support/memento';

const ROOT = repoRoot();

/**
 * Harness events for one run: per strategy, five samples of one batch with the given wall and
 * CPU seconds (the wall times spread by `jitter` around the value).
 */
function events(perStrategy: Partial<Record<Strategy, { wall: number; cpu: number; jitter?: number }>>): HarnessEvent[] {
  const out: HarnessEvent[] = [{ event: 'hello', env: { language: 'python', implementation: 'CPython', version: '3.12.3', usableCpus: 2 } }];
  for (const [strategy, { wall, cpu, jitter = 0.01 }] of Object.entries(perStrategy)) {
    for (const factor of [1 - jitter, 1, 1 + jitter, 1, 1]) out.push({ event: 'sample', strategy, wall: wall * factor, cpu, inner: 1 });
  }
  return out;
}

function report(perStrategy: Parameters<typeof events>[0], staticKind: BenchJson['static']): BenchJson {
  const result = summarize({ file: 'work.py', name: 'crunch', language: 'python', tasks: 8, workers: 2 }, events(perStrategy));
  return toBenchJson(result, { kind: staticKind }, { stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, truncated: false });
}

void describe('bench headline', () => {
  void it('lists the strategies by speedup, best first, then the measured verdict', () => {
    const json = report({ sequential: { wall: 1.8, cpu: 1.78 }, threads: { wall: 1.8, cpu: 1.8 }, processes: { wall: 1.0, cpu: 1.9 }, async: { wall: 1.82, cpu: 1.8 } }, 'cpu');
    assert.equal(benchHeadline(json), '⏱ processes 1.8× · threads 1.0× · async 1.0× — CPU-bound');
  });

  void it('says when the measured verdict disagrees with the static one, and when samples are noisy', () => {
    const json = report({ sequential: { wall: 0.4, cpu: 0.01 }, threads: { wall: 0.05, cpu: 0.01, jitter: 0.2 } }, 'cpu');
    assert.equal(json.agreement, 'disagrees');
    assert.equal(benchHeadline(json), '⏱ threads 8.0×? — I/O-bound (static: CPU-bound), noisy');
  });

  void it('rounds large speedups to whole numbers and names a run with the baseline only', () => {
    const fast = report({ sequential: { wall: 1.6, cpu: 0.01 }, async: { wall: 0.1, cpu: 0.01 } }, 'io');
    assert.equal(benchHeadline(fast), '⏱ async 16× — I/O-bound');
    const alone = report({ sequential: { wall: 0.5, cpu: 0.25 } }, 'neither');
    assert.equal(benchHeadline(alone), '⏱ sequential only — mixed');
  });
});

void describe('bench command arguments: checked on arrival', () => {
  void it('accepts a function by file URI and name, with or without arguments, and no argument at all', () => {
    assert.deepEqual(checkBenchTarget(undefined), { ok: true, value: undefined });
    assert.deepEqual(checkBenchTarget({ uri: 'file:///w/fetch.py', name: 'HttpClient.get_text' }), { ok: true, value: { uri: 'file:///w/fetch.py', name: 'HttpClient.get_text' } });
    assert.deepEqual(checkBenchTarget({ uri: 'file:///w/a.py', name: 'nap', args: 'seconds=0.01' }), { ok: true, value: { uri: 'file:///w/a.py', name: 'nap', args: 'seconds=0.01' } });
  });

  void it('refuses what a link or a script may send wrongly, saying why', () => {
    const problem = (raw: unknown): string => {
      const checked = checkBenchTarget(raw);
      assert.equal(checked.ok, false, JSON.stringify(raw));
      return checked.ok ? '' : checked.problem;
    };
    assert.match(problem('file:///w/a.py'), /uri, name/);
    assert.match(problem([{ uri: 'file:///w/a.py', name: 'f' }]), /uri, name/);
    assert.match(problem({ name: 'f' }), /URI/);
    assert.match(problem({ uri: 'untitled:Untitled-1', name: 'f' }), /only files on disk.*untitled/);
    assert.match(problem({ uri: 'not a uri', name: 'f' }), /not a URI/);
    assert.match(problem({ uri: 'file:///w/a.py', name: '' }), /qualified name/);
    assert.match(problem({ uri: 'file:///w/a.py', name: 'f\nimport os' }), /one line/);
    assert.match(problem({ uri: 'file:///w/a.py', name: 'f', args: 3 }), /source text/);
    assert.match(problem({ uri: 'file:///w/a.py', name: 'f', args: 'x'.repeat(MAX_ARGS + 1) }), /longer than/);
    assert.match(problem({ uri: 'file:///w/a.py', name: 'f', args: 'f(1))' }), /unbalanced '\)'/);
  });

  void it('takes a file as a URI string, a { uri } or nothing', () => {
    assert.deepEqual(checkFileTarget('file:///w/a.py'), { ok: true, value: { uri: 'file:///w/a.py' } });
    assert.deepEqual(checkFileTarget({ uri: 'file:///w/a.py', name: 'f' }), { ok: true, value: { uri: 'file:///w/a.py' } });
    assert.deepEqual(checkFileTarget(null), { ok: true, value: undefined });
    assert.equal(checkFileTarget({ path: '/w/a.py' }).ok, false);
    assert.equal(checkFileTarget('vscode-vfs://github/a.py').ok, false);
  });

  void it('checks typed argument lists only for what is wrong in any language', () => {
    for (const ok of ['', "'https://example.org', timeout=5", '[1, 2, (3, 4)], {"a": ")"}', "'it''s', `x)`", 'n=10  # a comment with )', "{ timeout: 5000 }, 'a\\'b'"]) {
      assert.equal(argumentsProblem(ok), undefined, ok);
    }
    assert.match(argumentsProblem('(1, 2') ?? '', /not closed/);
    assert.match(argumentsProblem("'abc") ?? '', /string is not closed/);
    assert.match(argumentsProblem('a\u0000') ?? '', /NUL/);
  });
});

void describe('bench keys and which functions a benchmark can call', () => {
  void it('keys a function by its path in the workspace folder, or its absolute path outside', () => {
    assert.equal(functionKey('/w/pkg/fetch.py', '/w', 'download'), 'pkg/fetch.py::download');
    assert.equal(functionKey('/elsewhere/a.py', '/w', 'f'), '/elsewhere/a.py::f');
    assert.equal(functionKey('/elsewhere/a.py', undefined, 'f'), '/elsewhere/a.py::f');
  });

  void it('leaves out nested and anonymous functions of the examples, keeps methods', async () => {
    const paths = ['examples/python/page_archiver/fetch.py', 'examples/node/src/crawler.mjs'].map((p) => join(ROOT, p));
    const files = await analyzeFiles(paths.map((path) => ({ path, text: readFileSync(path, 'utf8') })), { workers: 1 });
    const fetch = files[0];
    const byName = (name: string) => fetch.functions.find((f) => f.name === name)!;
    assert.equal(isBenchmarkable(fetch.functions, byName('download')), true);
    assert.equal(isBenchmarkable(fetch.functions, byName('HttpClient.get_text')), true);
    assert.equal(isBenchmarkable(fetch.functions, byName('fetch_all.fetch_one')), false);
    const anonymous = files[1].functions.filter((f) => f.name.includes('<anonymous>'));
    for (const fn of anonymous) assert.equal(isBenchmarkable(files[1].functions, fn), false, fn.name);
  });
});

void describe('argument memory', () => {
  void it('starts from a guess, then from the last arguments used, per function', async () => {
    const path = join(ROOT, 'test/fixtures/bench/io_work.py');
    const text = readFileSync(path, 'utf8');
    const [file] = await analyzeFiles([{ path, text }], { workers: 1 });
    const nap = file.functions.find((f) => f.name === 'nap')!;
    const signature = await listParameters(path, text, nap.nameSpan);
    const memory = new ArgumentMemory(new MapMemento());
    assert.equal(memory.prefill('io_work.py::nap', signature, 'python'), 'seconds=0.02');
    await memory.remember('io_work.py::nap', 'seconds=0.5');
    await memory.remember('io_work.py::async_nap', '0.1');
    assert.equal(memory.prefill('io_work.py::nap', signature, 'python'), 'seconds=0.5');
    assert.equal(memory.get('io_work.py::async_nap'), '0.1');
    await memory.remember('io_work.py::nap', '');
    assert.equal(memory.prefill('io_work.py::nap', signature, 'python'), '', 'an empty list typed on purpose is remembered too');
  });

  void it('survives bad stored state and keeps the most recent functions only', async () => {
    const memento = new MapMemento();
    memento.values.set(ARGUMENTS_STATE_KEY, [['a::f', '1'], ['broken'], 7, ['b::g', 2]]);
    const memory = new ArgumentMemory(memento);
    assert.equal(memory.get('a::f'), '1');
    assert.equal(memory.get('b::g'), undefined);
    for (let i = 0; i < REMEMBERED_FUNCTIONS + 5; i++) await memory.remember(`m.py::f${i}`, String(i));
    assert.equal(memory.get('a::f'), undefined, 'the oldest entry went');
    assert.equal(memory.get(`m.py::f${REMEMBERED_FUNCTIONS + 4}`), String(REMEMBERED_FUNCTIONS + 4));
    assert.equal((memento.values.get(ARGUMENTS_STATE_KEY) as unknown[]).length, REMEMBERED_FUNCTIONS);
  });
});

void describe('failure notices', () => {
  const kinds: BenchErrorKind[] = ['usage', 'spawn', 'load', 'args', 'raised', 'exit', 'crash', 'memory', 'flood', 'timeout', 'cancelled', 'budget', 'worker-died', 'protocol'];

  void it('gives every kind a message naming the function, with the runner\'s first line as detail', () => {
    for (const kind of kinds) {
      const notice = failureNotice(kind, 'the detail\nremote traceback line', 'nap', 'python');
      assert.match(notice.message, /nap/, kind);
      if (kind !== 'cancelled') assert.match(notice.message, /the detail$/, kind);
      assert.doesNotMatch(notice.message, /remote traceback/, kind);
    }
  });

  void it('offers what helps: the interpreter, the time limit, the arguments', () => {
    assert.deepEqual(failureNotice('spawn', "'python9' was not found", 'nap', 'python').actions, ['choosePython', 'showOutput']);
    assert.deepEqual(failureNotice('spawn', "'node9' was not found", 'nap', 'javascript').actions, ['chooseNode', 'showOutput']);
    assert.deepEqual(failureNotice('timeout', 'did not finish', 'nap', 'python').actions, ['changeTimeLimit', 'showOutput']);
    assert.deepEqual(failureNotice('args', 'SyntaxError', 'nap', 'python').actions, ['editArguments', 'showOutput']);
    assert.equal(failureNotice('cancelled', '', 'nap', 'python').level, 'info');
    assert.deepEqual(failureNotice('cancelled', '', 'nap', 'python').actions, []);
  });

  void it('keeps the whole message and the traceback for the output channel', () => {
    assert.equal(failureReport('nap raised ValueError: x\n', ['a.py:3 in nap']), 'nap raised ValueError: x\ntraceback (innermost last):\n  a.py:3 in nap');
  });
});

void describe('hover: the benchmark link', () => {
  void it('links "Benchmark this function" where the links give a target, beside the explanation', async () => {
    const path = join(ROOT, 'test/fixtures/bench/io_work.py');
    const [file] = await analyzeFiles([{ path, text: readFileSync(path, 'utf8') }], { workers: 1 });
    const nap = file.functions.find((f) => f.name === 'nap')!;
    const links: Links = {
      location: (p, line) => `file://${p}#L${line}`,
      explain: (_f, fn) => `command:explain?${fn.name}`,
      benchmark: (_f, fn) => `command:bench?${fn.name}`,
    };
    const markdown = hoverMarkdown(file, nap, [file], links);
    assert.match(markdown, /\[Explain the classification\]\(command:explain\?nap\) · \[Benchmark this function\]\(command:bench\?nap\)$/);
    const without = hoverMarkdown(file, nap, [file], { ...links, benchmark: () => undefined });
    assert.doesNotMatch(without, /Benchmark/);
  });
});
