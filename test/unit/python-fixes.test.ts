/**
 * The Python quick fixes, checked the way the brief asks: for each fix kind, the fixture
 * programs in test/fixtures/fixes/python/<kind>/ are rewritten by every fix offered for
 * their one finding, the result parses and no longer has the finding, and, run with
 * `python3`, it prints exactly what the original printed. The concurrent version of an
 * I/O fixture is not slower. Preconditions are checked by programs that must get no fix.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFiles, type Diagnostic, type DiagnosticCode } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import { repoRoot } from '../support/repo';


const FIXTURES = join(repoRoot(), 'test/fixtures/fixes/python');

/** The finding each fixture folder is about. */
const KINDS: Record<string, DiagnosticCode> = {
  sleep: 'CL101',
  to_thread: 'CL101',
  thread_pool: 'CL301',
  gather: 'CL302',
  process_pool: 'CL201',
};

const hasPython = spawnSync('python3', ['--version']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'cl-python-fixes-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  seconds: number;
}

let runs = 0;

/** Runs a program with python3 in a fresh temporary folder. */
function runPython(text: string): Run {
  const cwd = mkdtempSync(join(work, `run-${runs++}-`));
  writeFileSync(join(cwd, 'program.py'), text);
  const start = process.hrtime.bigint();
  const result = spawnSync('python3', ['program.py'], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, seconds };
}

async function findings(path: string, text: string): Promise<{ diagnostics: Diagnostic[]; syntaxErrors?: number }> {
  const [result] = await analyzeFiles([{ path, text }], { workers: 1 });
  assert.equal(result.error, undefined);
  return result;
}

/** The fixture's one finding of its kind. */
async function theFinding(path: string, text: string, code: DiagnosticCode): Promise<Diagnostic> {
  const { diagnostics } = await findings(path, text);
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `${path}: one ${code} expected, got ${JSON.stringify(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`))}`);
  return found[0];
}

function fixtures(kind: string): string[] {
  return readdirSync(join(FIXTURES, kind))
    .filter((f) => f.endsWith('.py'))
    .sort();
}

void describe('Python quick fixes on fixture programs', () => {
  void it('has fixtures for every fix kind', () => {
    for (const kind of Object.keys(KINDS)) assert.ok(fixtures(kind).length > 0, kind);
  });

  for (const [kind, code] of Object.entries(KINDS)) {
    for (const file of fixtures(kind)) {
      const path = `${kind}/${file}`;
      void it(`${path}: every ${code} fix parses, removes the finding and prints the same`, { skip: !hasPython && 'python3 is not installed' }, async () => {
        const text = readFileSync(join(FIXTURES, kind, file), 'utf8');
        const finding = await theFinding(path, text, code);
        assert.equal(finding.fixes.filter((f) => f.preferred).length, 1, `${path}: exactly one preferred fix (${finding.fixes.length} offered)`);
        assert.ok(finding.fixes[0].preferred, 'the preferred fix comes first');
        const original = runPython(text);
        assert.equal(original.status, 0, `${path} runs: ${original.stderr}`);
        assert.notEqual(original.stdout.trim(), '', `${path} prints something`);
        for (const fix of finding.fixes) {
          assert.ok(fix.title.length > 20, 'the title says what changes');
          const fixed = applyEdits(text, fix.edits);
          assert.notEqual(fixed, text);
          const after = await findings(path, fixed);
          assert.equal(after.syntaxErrors, undefined, `${fix.title}\n${fixed}`);
          assert.deepEqual(
            after.diagnostics.filter((d) => d.code === code).map((d) => `${d.code} ${d.line}:${d.column}`),
            [],
            `the finding is gone after: ${fix.title}\n${fixed}`,
          );
          if (text.includes('\r\n')) assert.ok(!fixed.replace(/\r\n/g, '').includes('\n'), 'CRLF line endings are kept');
          const rewritten = runPython(fixed);
          assert.equal(rewritten.status, 0, `the fixed program runs (${fix.title}):\n${fixed}\n${rewritten.stderr}`);
          assert.equal(rewritten.stdout, original.stdout, `same output after: ${fix.title}\n${fixed}`);
        }
      });
    }
  }
});

void describe('the concurrent version of an I/O fixture is not slower', () => {
  // The fixture, its finding, and the fix that makes it concurrent.
  const cases: Array<[string, DiagnosticCode, RegExp]> = [
    ['thread_pool/append_loop.py', 'CL301', /ThreadPoolExecutor/],
    ['gather/append_loop.py', 'CL302', /asyncio\.gather/],
    ['to_thread/loop_wait.py', 'CL101', /asyncio\.gather` over `asyncio\.to_thread/],
  ];
  for (const [path, code, kind] of cases) {
    void it(`${path} (10 tasks of 50 ms)`, { skip: !hasPython && 'python3 is not installed' }, async (t) => {
      const text = readFileSync(join(FIXTURES, path), 'utf8');
      const finding = await theFinding(path, text, code);
      const fix = finding.fixes.find((f) => kind.test(f.title));
      assert.ok(fix, `a concurrent fix among: ${finding.fixes.map((f) => f.title.slice(0, 60)).join(' | ')}`);
      const fixed = applyEdits(text, fix.edits);
      // Best of two runs each, interleaved, so that one hiccup of a busy machine decides nothing.
      const original: number[] = [];
      const concurrent: number[] = [];
      for (let i = 0; i < 2; i++) {
        original.push(runPython(text).seconds);
        concurrent.push(runPython(fixed).seconds);
      }
      const before = Math.min(...original);
      const now = Math.min(...concurrent);
      t.diagnostic(`${path}: sequential ${before.toFixed(3)} s, concurrent ${now.toFixed(3)} s (${(before / now).toFixed(1)}×)`);
      assert.ok(now <= before * 1.5 + 0.5, `concurrent ${now} s, sequential ${before} s`);
    });
  }
});

/** The program rewritten by the preferred fix of its one finding of `code`. */
async function rewrite(text: string, code: DiagnosticCode): Promise<string> {
  const finding = await theFinding('case.py', text, code);
  const preferred = finding.fixes.find((f) => f.preferred);
  assert.ok(preferred, `a fix for ${code}`);
  return applyEdits(text, preferred.edits);
}

void describe('Python quick fixes rewrite the shapes of the spec exactly', () => {
  void it('CL101: a blocking call → await asyncio.to_thread(callee, args...), adding the import in the standard library\'s block', async () => {
    const text = 'import requests\n\n\nasync def get(url):\n    x = requests.get(url, timeout=5)\n    return x\n';
    assert.equal(await rewrite(text, 'CL101'), 'import asyncio\n\nimport requests\n\n\nasync def get(url):\n    x = await asyncio.to_thread(requests.get, url, timeout=5)\n    return x\n');
  });

  void it('CL101: the to_thread wrap keeps the call\'s layout of arguments, as PEP 8 wants continuation lines', async () => {
    const head = 'import asyncio\n\nimport requests\n\n\nasync def get(url):\n';
    // Hanging: the callee gets a line of its own, indented as the arguments.
    assert.equal(
      await rewrite(`${head}    x = requests.get(\n        url,\n        timeout=5,\n    )\n    return x\n`, 'CL101'),
      `${head}    x = await asyncio.to_thread(\n        requests.get,\n        url,\n        timeout=5,\n    )\n    return x\n`,
    );
    // Aligned with the bracket: the continuation lines move under the callee, the first element now.
    assert.equal(
      await rewrite(`${head}    x = requests.get(url,\n                     timeout=5)\n    return x\n`, 'CL101'),
      `${head}    x = await asyncio.to_thread(requests.get, url,\n                                timeout=5)\n    return x\n`,
    );
    // A callee longer than `await asyncio.to_thread(`: the lines move left.
    const helper = 'import asyncio\n\nimport requests\n\n\ndef fetch_everything_from_the_server(url, timeout):\n    return requests.get(url, timeout=timeout).text\n\n\nasync def get(url):\n';
    assert.equal(
      await rewrite(`${helper}    x = fetch_everything_from_the_server(url,\n                                         timeout=5)\n    return x\n`, 'CL101'),
      `${helper}    x = await asyncio.to_thread(fetch_everything_from_the_server, url,\n                                timeout=5)\n    return x\n`,
    );
    // A string spanning lines among the arguments: moving its lines would change it; nothing moves.
    assert.equal(
      await rewrite(`${head}    x = requests.post(url, data='''a\n  b''',\n                      timeout=5)\n    return x\n`, 'CL101'),
      `${head}    x = await asyncio.to_thread(requests.post, url, data='''a\n  b''',\n                      timeout=5)\n    return x\n`,
    );
  });

  void it('CL101 in an independent loop of async def: a second fix, asyncio.gather over asyncio.to_thread', async () => {
    const head = 'import asyncio\n\nimport requests\n\n\nasync def get_all(urls):\n';
    const gathered = async (body: string): Promise<string[]> => {
      const finding = await theFinding('case.py', head + body, 'CL101');
      assert.ok(finding.fixes[0].preferred && /^Run `requests.get` in a worker thread/.test(finding.fixes[0].title), 'the one-call wrap stays preferred');
      return finding.fixes.slice(1).map((f) => applyEdits(head + body, f.edits).slice(head.length));
    };
    const gather = 'await asyncio.gather(*(asyncio.to_thread(requests.get, u, timeout=5) for u in urls))';
    assert.deepEqual(await gathered('    out = []\n    for u in urls:\n        out.append(requests.get(u, timeout=5))\n    return out\n'), [`    out = []\n    out.extend(${gather})\n    return out\n`]);
    assert.deepEqual(await gathered('    return [requests.get(u, timeout=5) for u in urls]\n'), [`    return ${gather}\n`]);
    assert.deepEqual(await gathered('    return {requests.get(u, timeout=5) for u in urls}\n'), [`    return set(${gather})\n`]);
    assert.deepEqual(await gathered('    for u in urls:\n        requests.get(u, timeout=5)\n'), [`    ${gather}\n`]);
    // Not the whole per-item work, a carried variable, an await in the loop: the one-call wrap alone.
    assert.deepEqual(await gathered('    return [requests.get(u, timeout=5).text for u in urls]\n'), []);
    assert.deepEqual(await gathered('    last = None\n    for u in urls:\n        last = requests.get(u, timeout=last)\n    return last\n'), []);
    assert.deepEqual(await gathered('    out = []\n    for u in urls:\n        out.append(requests.get(await asyncio.sleep(0, u)))\n    return out\n'), []);
  });

  void it('CL301: append loop → out.extend(pool.map(f, xs)); comprehension → list(pool.map(f, xs))', async () => {
    const head = '"""Downloads."""\nimport requests\n\n\n';
    const imported = '"""Downloads."""\nfrom concurrent.futures import ThreadPoolExecutor\n\nimport requests\n\n\n';
    assert.equal(
      await rewrite(`${head}def get_all(urls):\n    out = []\n    for u in urls:\n        out.append(requests.get(u))\n    return out\n`, 'CL301'),
      `${imported}def get_all(urls):\n    out = []\n    with ThreadPoolExecutor() as pool:\n        out.extend(pool.map(requests.get, urls))\n    return out\n`,
    );
    assert.equal(
      await rewrite(`${head}def get_all(urls):\n    results = [requests.get(u) for u in urls]\n    return results\n`, 'CL301'),
      `${imported}def get_all(urls):\n    with ThreadPoolExecutor() as pool:\n        results = list(pool.map(requests.get, urls))\n    return results\n`,
    );
  });

  void it('CL301: the loop\'s comments are kept (the header\'s on the new header, the others above the new statement)', async () => {
    const text = 'import shutil\n\n\ndef copy_all(pairs):\n    for src, dst in pairs:  # one per pair\n        # a comment inside\n        shutil.copy(src, dst)\n';
    assert.equal(
      await rewrite(text, 'CL301'),
      'import shutil\nfrom concurrent.futures import ThreadPoolExecutor\n\n\ndef copy_all(pairs):\n    with ThreadPoolExecutor() as pool:  # one per pair\n        # a comment inside\n        list(pool.map(lambda args: shutil.copy(*args), pairs))\n',
    );
  });

  void it('CL302: append loop and comprehension → asyncio.gather over a generator', async () => {
    const head = 'import asyncio\n\n\nasync def fetch(u):\n    await asyncio.sleep(0.01)\n    return u\n\n\n';
    assert.equal(
      await rewrite(`${head}async def fetch_all(urls):\n    out = []\n    for u in urls:\n        out.append(await fetch(u))\n    return out\n`, 'CL302'),
      `${head}async def fetch_all(urls):\n    out = []\n    out.extend(await asyncio.gather(*(fetch(u) for u in urls)))\n    return out\n`,
    );
    assert.equal(
      await rewrite(`${head}async def fetch_all(urls):\n    results = [await fetch(u) for u in urls]\n    return results\n`, 'CL302'),
      `${head}async def fetch_all(urls):\n    results = await asyncio.gather(*(fetch(u) for u in urls))\n    return results\n`,
    );
  });

  void it('CL201: ThreadPoolExecutor( → ProcessPoolExecutor( where the pool is built, importing it next to the thread pool', async () => {
    const text = readFileSync(join(FIXTURES, 'process_pool/with_map.py'), 'utf8');
    const fixed = await rewrite(text, 'CL201');
    assert.ok(fixed.includes('from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor\n'));
    assert.ok(fixed.includes('    with ProcessPoolExecutor(max_workers=2) as pool:\n        return list(pool.map(collatz_steps, limits))\n'));
  });
});

/** The findings of one code in a program, with their fixes. */
async function fixesFor(text: string, code: DiagnosticCode): Promise<Diagnostic[]> {
  const { diagnostics } = await findings('case.py', text);
  return diagnostics.filter((d) => d.code === code);
}

void describe('Python quick fixes are only offered when their preconditions hold', () => {
  const loopHeader = 'import pathlib\n\n\n';

  // A generator's call, a @contextmanager one's too, does none of its work: it runs where the
  // result is iterated or entered, on the event loop still. Moving the call alone moves nothing.
  const generators =
    'import contextlib\nimport pathlib\n\n\n@contextlib.contextmanager\ndef scratch(path):\n    pathlib.Path(path).write_text("")\n    yield path\n\n\n' +
    'def lines(path):\n    yield from pathlib.Path(path).read_text().splitlines()\n\n\n' +
    'def squares(n):\n    for i in range(n):\n        for j in range(n):\n            yield i * j\n\n\n' +
    'def read(path):\n    return pathlib.Path(path).read_text()\n\n\n';

  void it('CL101: the call of a generator or a @contextmanager function gets no to_thread fix (a plain helper does)', async () => {
    const text = `${generators}async def job(path):\n    with scratch(path) as p:\n        for line in lines(p):\n            print(line)\n    return read(path)\n`;
    const found = await fixesFor(text, 'CL101');
    // Three findings: entering scratch, iterating lines, and read; only read's call can move.
    assert.equal(found.length, 3, JSON.stringify(found.map((d) => d.message)));
    const fixed = found.filter((d) => d.fixes.length > 0);
    assert.deepEqual(fixed.map((d) => d.fixes.map((f) => f.title.slice(0, 17))), [['Run `read` in a w']]);
  });

  void it('CL301 and CL202: a loop calling a generator function gets no pool fix', async () => {
    const io = `${generators}def all_lines(paths):\n    out = []\n    for p in paths:\n        out.append(lines(p))\n    return out\n`;
    assert.equal((await fixesFor(io, 'CL301')).length, 1, 'the finding is there');
    assert.deepEqual((await fixesFor(io, 'CL301')).flatMap((d) => d.fixes), []);
    const cpu = `${generators}def tables(sizes):\n    return [squares(n) for n in sizes]\n`;
    assert.equal((await fixesFor(cpu, 'CL202')).length, 1, 'the finding is there');
    assert.deepEqual((await fixesFor(cpu, 'CL202')).flatMap((d) => d.fixes), []);
    // The same loop over the plain helper keeps its fix.
    assert.equal((await fixesFor(io.replace('out.append(lines(p))', 'out.append(read(p))'), 'CL301'))[0].fixes.length, 1);
  });

  void it('CL301: a loop with a carried variable gets no fix', async () => {
    const text = `${loopHeader}def total_size(paths):\n    total = 0\n    for p in paths:\n        total += len(pathlib.Path(p).read_bytes())\n    return total\n`;
    assert.deepEqual((await fixesFor(text, 'CL301')).flatMap((d) => d.fixes), []);
  });

  void it('CL301: a loop that may break gets no fix', async () => {
    const text = `${loopHeader}def first_texts(paths):\n    found = []\n    for p in paths:\n        found.append(pathlib.Path(p).read_text())\n        if len(found) > 3:\n            break\n    return found\n`;
    assert.deepEqual((await fixesFor(text, 'CL301')).flatMap((d) => d.fixes), []);
  });

  void it('CL301: shapes it does not rewrite get the finding but no fix', async () => {
    const cases = [
      // two statements per item
      'def copy_logged(pairs, log):\n    for src, dst in pairs:\n        shutil.copy(src, dst)\n        log.append(dst)\n',
      // the loop variable is read after the loop
      'def copy_last(pairs):\n    for pair in pairs:\n        shutil.copy(pair[0], pair[1])\n    return pair\n',
      // an else clause
      'def copy_all(pairs):\n    for pair in pairs:\n        shutil.copy(pair[0], pair[1])\n    else:\n        print("done")\n',
      // a filtered comprehension: map cannot filter
      'def copies(pairs):\n    return [shutil.copy(a, b) for a, b in pairs if a]\n',
    ];
    for (const body of cases) {
      const found = await fixesFor(`import shutil\n\n\n${body}`, 'CL301');
      assert.equal(found.length, 1, body);
      assert.deepEqual(found[0].fixes, [], body);
    }
  });

  void it('CL201: a lambda handed to the thread pool gets no process-pool fix', async () => {
    const text = [
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      '',
      'def cpu(n):',
      '    total = 0',
      '    for i in range(n):',
      '        for j in range(n):',
      '            total += i * j % 7',
      '    return total',
      '',
      '',
      'def run_all(xs):',
      '    with ThreadPoolExecutor() as pool:',
      '        return list(pool.map(lambda x: cpu(x), xs))',
      '',
    ].join('\n');
    const found = await fixesFor(text, 'CL201');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes, []);
  });

  void it('CL201: no fix when the pool also runs a lambda, for asyncio.to_thread, for a local function, for thread-only options', async () => {
    const cpu = 'def cpu(n):\n    total = 0\n    for i in range(n):\n        for j in range(n):\n            total += i * j % 7\n    return total\n\n\n';
    const cases = [
      'def run_all(xs):\n    with ThreadPoolExecutor() as pool:\n        first = pool.submit(lambda: 1)\n        return list(pool.map(cpu, xs)), first.result()\n',
      'async def run_one(x):\n    return await asyncio.to_thread(cpu, x)\n',
      'def run_all(xs):\n    def work(n):\n        return cpu(n)\n\n    with ThreadPoolExecutor() as pool:\n        return list(pool.map(work, xs))\n',
      'def run_all(xs):\n    with ThreadPoolExecutor(thread_name_prefix="cpu") as pool:\n        return list(pool.map(cpu, xs))\n',
    ];
    for (const body of cases) {
      const text = `import asyncio\nfrom concurrent.futures import ThreadPoolExecutor\n\n\n${cpu}${body}`;
      const found = await fixesFor(text, 'CL201');
      assert.equal(found.length, 1, body);
      assert.deepEqual(found[0].fixes, [], body);
    }
  });

  void it('CL101: no to_thread fix inside a generator expression or for a callee that is not a plain name', async () => {
    const cases = [
      'async def total(urls):\n    return sum(len(requests.get(u).content) for u in urls)\n',
      'async def get(url):\n    return requests.Session().get(url)\n',
    ];
    for (const body of cases) {
      const found = await fixesFor(`import requests\n\n\n${body}`, 'CL101');
      assert.equal(found.length, 1, body);
      assert.deepEqual(found[0].fixes, [], body);
    }
  });

  void it('CL302: no gather fix when the call awaits something else first', async () => {
    const text =
      'import asyncio\n\n\nasync def fetch(u):\n    await asyncio.sleep(0.01)\n    return u\n\n\nasync def fetch_all(urls):\n    out = []\n    for u in urls:\n        out.append(await fetch(await fetch(u)))\n    return out\n';
    assert.deepEqual((await fixesFor(text, 'CL302')).flatMap((d) => d.fixes), []);
  });
});
