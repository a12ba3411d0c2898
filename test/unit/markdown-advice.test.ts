/**
 * The advice ladder of the hover and the explanation, per case, on functions the analyzer
 * classifies from real source: waiting → threads or asyncio; Python bytecode → processes, or
 * threads on a free-threaded Python; past one machine → Dask or Ray (named first, with the call
 * to use, when the project has them; with when it pays); Node computation → worker threads,
 * through the project's piscina when it has it. Environments come from the fixture projects
 * where a project declares them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFiles, EMPTY_ENVIRONMENT, type FileResult, type FunctionResult, type ProjectEnvironment } from '../../src/core';
import { readEnvironments } from '../../src/cli/environment';
import { adviceFor, explainMarkdown, hoverMarkdown } from '../../src/extension/markdown';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'environment');

/** The editor suite's CPU-bound fixture, with a function for each other case after it. */
const PYTHON = `${readFileSync(join(FIXTURES, 'editor', 'crunch.py'), 'utf8')}
import hashlib
import urllib.request


def digest(data):
    return hashlib.sha256(data).hexdigest()


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read()


def fetch_and_crunch(urls):
    pages = [fetch(u) for u in urls]
    return [crunch(len(p)) for p in pages]
`;

const NODE = `export function crunch(n) {
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += i * j;
  return total;
}

export async function fetchAndCrunch(url) {
  const response = await fetch(url);
  const text = await response.text();
  return crunch(text.length);
}
`;

function env(partial: Partial<ProjectEnvironment>): ProjectEnvironment {
  return { ...EMPTY_ENVIRONMENT, ...partial };
}

let python: FileResult;
let node: FileResult;
const fn = (file: FileResult, name: string): FunctionResult => {
  const found = file.functions.find((f) => f.name === name);
  assert.ok(found, `${name} in ${file.path}`);
  return found;
};

before(async () => {
  [python, node] = await analyzeFiles([
    { path: '/project/jobs.py', text: PYTHON },
    { path: '/project/jobs.mjs', text: NODE },
  ]);
  // The cases below rest on these verdicts.
  assert.deepEqual(
    ['crunch', 'digest', 'fetch', 'fetch_and_crunch'].map((name) => fn(python, name).kind),
    ['cpu', 'cpu', 'io', 'mixed'],
  );
  assert.deepEqual(['crunch', 'fetchAndCrunch'].map((name) => fn(node, name).kind), ['cpu', 'mixed']);
});

/** Sentences in a piece of advice (a sentence ends with a full stop before a space or the end; none inside code). */
function sentences(text: string): number {
  return text.replace(/`[^`]*`/g, 'code').split(/\.(?:\s|$)/).filter((s) => s.trim()).length;
}

void describe('the advice ladder', () => {
  void it('waiting: threads or asyncio, whatever the environment (Dask does not make waiting faster)', () => {
    const advice = adviceFor(fn(python, 'fetch'), 'python', env({ pythonModules: new Set(['dask', 'distributed']), freeThreaded: true }));
    assert.match(advice, /threads \(`ThreadPoolExecutor\.map`\) or `asyncio`/);
    assert.doesNotMatch(advice, /Dask|Ray/);
  });

  void it('Python bytecode, the GIL on: processes first, then Dask or Ray past one machine, with when it pays', () => {
    const advice = adviceFor(fn(python, 'crunch'), 'python');
    assert.match(advice, /^It computes in the interpreter, and the GIL lets only one thread run Python bytecode at a time: use processes \(`ProcessPoolExecutor`/);
    assert.match(advice, /When the data or the compute outgrow one machine, Dask or Ray spread the calls over a cluster: worth it once each call runs for about 100 ms or more, enough to pay for scheduling and moving its data\.$/);
    assert.equal(sentences(advice), 2);
  });

  void it('Python bytecode on a free-threaded Python: threads, not processes', () => {
    const advice = adviceFor(fn(python, 'crunch'), 'python', env({ freeThreaded: true }));
    assert.match(advice, /^It computes in the interpreter, and this Python runs without the GIL \(a free-threaded build\): threads \(`ThreadPoolExecutor`\) run its bytecode in parallel/);
    assert.doesNotMatch(advice, /use processes/);
    assert.equal(sentences(advice), 2);
  });

  void it('a project that declares Dask (pep621 fixture: dask[distributed] and ray): both named, with their calls, first in the sentence', async () => {
    const path = join(FIXTURES, 'pep621', 'app', 'jobs.py');
    const { environmentFor } = await readEnvironments([path], { cwd: FIXTURES });
    const advice = adviceFor(fn(python, 'crunch'), 'python', environmentFor(path));
    assert.match(advice, /The project has Dask \(`client\.map`\) and Ray \(`@ray\.remote`\) to spread the calls over a cluster when one machine is not enough: worth it once each call runs for about 100 ms or more/);
    const daskOnly = adviceFor(fn(python, 'crunch'), 'python', env({ pythonModules: new Set(['dask']) }));
    assert.match(daskOnly, /The project has Dask \(`dask\.delayed`\) to spread/);
    assert.doesNotMatch(daskOnly, /Ray/);
  });

  void it('native code that releases the GIL: threads, and the rung past one machine', () => {
    const advice = adviceFor(fn(python, 'digest'), 'python', env({ pythonModules: new Set(['ray']) }));
    assert.match(advice, /^Its heavy work runs in native code .* threads \(`ThreadPoolExecutor`\) can run it in parallel/);
    assert.match(advice, /The project has Ray \(`@ray\.remote`\)/);
    assert.equal(sentences(advice), 2);
  });

  void it('waiting and computing: processes for the computation, or threads on a free-threaded Python', () => {
    assert.match(adviceFor(fn(python, 'fetch_and_crunch'), 'python'), /a process pool \(`ProcessPoolExecutor`\)/);
    const free = adviceFor(fn(python, 'fetch_and_crunch'), 'python', env({ freeThreaded: true }));
    assert.match(free, /hand the computation to a thread pool too, since this Python runs without the GIL/);
    assert.doesNotMatch(free, /process pool/);
  });

  void it('Node computation: worker_threads, through piscina when the project has it (node fixture\'s package.json)', async () => {
    assert.match(adviceFor(fn(node, 'crunch'), 'javascript'), /move it to a `worker_threads` worker \(or a pool such as piscina\)/);
    const path = join(FIXTURES, 'node', 'src', 'pool.mjs');
    const { environmentFor } = await readEnvironments([path], { cwd: FIXTURES });
    const advice = adviceFor(fn(node, 'crunch'), 'javascript', environmentFor(path));
    assert.match(advice, /the project has piscina, whose pool of `worker_threads` workers runs it off that thread \(`new Piscina\(\{ filename \}\)` and `await pool\.run\(data\)`\)/);
    assert.match(adviceFor(fn(node, 'fetchAndCrunch'), 'javascript', env({ nodePackages: new Set(['workerpool']) })), /the project's workerpool pool \(`workerpool\.pool\(file\)`/);
    assert.doesNotMatch(adviceFor(fn(node, 'crunch'), 'javascript', env({ pythonModules: new Set(['dask']), freeThreaded: true })), /Dask|free-threaded/);
  });

  void it('the hover and the explanation carry the environment\'s advice', () => {
    const environment = env({ freeThreaded: true });
    const links = { location: () => undefined };
    assert.match(hoverMarkdown(python, fn(python, 'crunch'), [python], links, environment), /this Python runs without the GIL/);
    assert.match(explainMarkdown(python, fn(python, 'crunch'), [python], links, environment), /## What to use instead\n\nIt computes in the interpreter, and this Python runs without the GIL/);
    assert.match(hoverMarkdown(python, fn(python, 'crunch'), [python], links), /use processes/);
  });
});
