/**
 * End-to-end tests of the built CLI (dist/cli.cjs): the contract of BRIEF.md "The CLI
 * contract" — JSON shape, text and SARIF output, exit codes, robustness against bad input,
 * cross-file propagation and UTF-16 columns. Each test spawns the real bundle with Node.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonReport, SarifLog, Run } from '../support/cli-json';
import { fileEndingWith, functionNamed, lineOf, runAnalyzeJson, runCli } from '../support/cli-run';
import { repoRoot } from '../support/repo';



const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const EXAMPLE = join(ROOT, 'examples', 'python', 'page_archiver');

/** Runs the built CLI; never throws on a non-zero exit. */
function cli(args: readonly string[], cwd: string = ROOT): Run {
  return runCli(CLI, args, cwd);
}

/** Runs `analyze ... --format json`, expecting the given exit code, and parses stdout. */
function analyzeJson(args: readonly string[], cwd: string = ROOT, expectedStatus = 0): JsonReport {
  return runAnalyzeJson(CLI, args, cwd, expectedStatus);
}

const ANSI = /\x1b\[[0-9;]*m/; // eslint-disable-line no-control-regex

let temp = '';

before(() => {
  // Build the bundle once, so the test never depends on an earlier (possibly stale) build.
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
  temp = mkdtempSync(join(tmpdir(), 'concurrency-lens-cli-'));
});

after(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** A fresh folder under the test's temp folder, with `files` (relative path → content) in it. */
function project(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

void describe('concurrency-lens analyze --format json (examples/python)', () => {
  void it('follows the version 1 contract for every file, function and diagnostic', () => {
    const report = analyzeJson(['examples/python']);
    assert.equal(report.version, 1);
    assert.ok(report.files.length >= 8, `the example's files are all reported (got ${report.files.length})`);
    for (const file of report.files) {
      assert.equal(typeof file.path, 'string');
      assert.ok(file.path.endsWith('.py'), file.path);
      assert.equal(file.language, 'python');
      assert.ok(Array.isArray(file.functions));
      assert.ok(Array.isArray(file.diagnostics));
      assert.equal(file.error, undefined, `${file.path} has no error`);
      for (const fn of file.functions) {
        const where = `${file.path}: ${fn.name}`;
        assert.equal(typeof fn.name, 'string');
        assert.ok(fn.name.length > 0, where);
        assert.ok(Number.isInteger(fn.line) && fn.line >= 1, `${where} line ${fn.line}`);
        assert.ok(Number.isInteger(fn.endLine) && fn.endLine >= fn.line, `${where} endLine ${fn.endLine}`);
        assert.ok(['io', 'cpu', 'mixed', 'neither'].includes(fn.kind), `${where} kind ${fn.kind}`);
        assert.ok(['high', 'medium', 'low'].includes(fn.confidence), `${where} confidence ${fn.confidence}`);
        assert.equal(typeof fn.async, 'boolean', where);
        assert.ok(Array.isArray(fn.evidence), where);
        for (const e of fn.evidence) {
          assert.ok(Number.isInteger(e.line) && e.line >= 1, `${where} evidence line ${e.line}`);
          assert.equal(typeof e.call, 'string', where);
          assert.ok(e.call.length > 0, where);
          assert.equal(typeof e.category, 'string', where);
          assert.ok(Array.isArray(e.via), `${where} evidence via is an array`);
          for (const step of e.via) assert.equal(typeof step, 'string', where);
        }
      }
      for (const d of file.diagnostics) {
        const where = `${file.path}: ${d.code} at ${d.line}`;
        assert.match(d.code, /^CL\d{3}$/);
        for (const n of [d.line, d.column, d.endLine, d.endColumn]) assert.ok(Number.isInteger(n) && n >= 1, `${where}: ${n} is 1-based`);
        assert.ok(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), `${where}: the range ends after it starts`);
        assert.ok(['hint', 'information', 'warning'].includes(d.severity), `${where} severity ${d.severity}`);
        assert.equal(typeof d.message, 'string');
        assert.ok(d.message.length > 0, where);
        assert.ok(Array.isArray(d.fixes), `${where} fixes is an array`);
      }
    }
  });

  void it('flags the three deliberate mistakes and classifies the chain to urlopen', () => {
    const report = analyzeJson(['examples/python']);

    // fetch.fetch_with_retry: time.sleep inside async def → CL101 on that call's line.
    const fetchText = readFileSync(join(EXAMPLE, 'fetch.py'), 'utf8');
    const sleepLine = lineOf(fetchText, 'time.sleep(', lineOf(fetchText, 'async def fetch_with_retry'));
    const fetchFile = fileEndingWith(report, 'page_archiver/fetch.py');
    const retry = functionNamed(fetchFile, 'fetch_with_retry');
    assert.equal(retry.async, true);
    const cl101 = fetchFile.diagnostics.filter((d) => d.code === 'CL101');
    assert.ok(
      cl101.some((d) => d.line === sleepLine),
      `a CL101 on line ${sleepLine} (got ${JSON.stringify(cl101.map((d) => d.line))})`,
    );
    const sleep = cl101.find((d) => d.line === sleepLine)!;
    assert.equal(sleep.column, fetchText.split('\n')[sleepLine - 1].indexOf('time.sleep') + 1, 'the range starts at the call');
    assert.match(sleep.message, /time\.sleep/);

    // pipeline.download_pages: network I/O through download → urllib.request.urlopen.
    const pipelineText = readFileSync(join(EXAMPLE, 'pipeline.py'), 'utf8');
    const pipeline = fileEndingWith(report, 'page_archiver/pipeline.py');
    const downloadPages = functionNamed(pipeline, 'download_pages');
    assert.equal(downloadPages.kind, 'io');
    assert.ok(
      downloadPages.evidence.some((e) => e.call === 'urllib.request.urlopen' && e.category === 'network' && e.via.includes('download')),
      `evidence urlopen via download (got ${JSON.stringify(downloadPages.evidence)})`,
    );

    // ...and its loop of independent downloads → CL301 on the `for` line.
    const loopLine = lineOf(pipelineText, 'for url in urls', lineOf(pipelineText, 'def download_pages'));
    assert.ok(
      pipeline.diagnostics.some((d) => d.code === 'CL301' && d.line === loopLine),
      `a CL301 on line ${loopLine} (got ${JSON.stringify(pipeline.diagnostics.map((d) => [d.code, d.line]))})`,
    );

    // images: resize_image is CPU-bound; make_thumbnails hands it to a thread pool → CL201.
    const imagesText = readFileSync(join(EXAMPLE, 'images.py'), 'utf8');
    const images = fileEndingWith(report, 'page_archiver/images.py');
    assert.equal(functionNamed(images, 'resize_image').kind, 'cpu');
    const thumbnails = functionNamed(images, 'make_thumbnails');
    const cl201 = images.diagnostics.filter((d) => d.code === 'CL201');
    assert.equal(cl201.length, 1, JSON.stringify(images.diagnostics));
    assert.ok(cl201[0].line >= thumbnails.line && cl201[0].line <= thumbnails.endLine, 'the CL201 is inside make_thumbnails');
    assert.equal(cl201[0].line, lineOf(imagesText, 'resize_image', thumbnails.line));
    assert.match(cl201[0].message, /resize_image/);

    // The correct offloads are left alone: no CL101 anywhere but on the time.sleep line.
    const allCl101 = report.files.flatMap((f) => f.diagnostics.filter((d) => d.code === 'CL101').map((d) => `${f.path}:${d.line}`));
    assert.deepEqual(allCl101, [`${fetchFile.path}:${sleepLine}`]);
  });

  void it("gives a decorated function the line of its def keyword, not of its decorators", () => {
    // In the example: `@classmethod` above `def from_env`.
    const configText = readFileSync(join(EXAMPLE, 'config.py'), 'utf8');
    const config = fileEndingWith(analyzeJson(['examples/python']), 'page_archiver/config.py');
    assert.equal(functionNamed(config, 'ArchiverConfig.from_env').line, lineOf(configText, 'def from_env'));

    // Multi-line and stacked decorators, and an async method under a decorator.
    const source = [
      'import functools',
      '',
      '',
      '@functools.lru_cache(',
      '    maxsize=None,',
      ')',
      '@staticmethod',
      'def decorated(n):',
      '    return n',
      '',
      '',
      'class Service:',
      '    @property',
      '    @functools.cache',
      '    async def ready(self):',
      '        return True',
      '',
    ].join('\n');
    const dir = project('decorators', { 'deco.py': source });
    const file = fileEndingWith(analyzeJson(['deco.py'], dir), 'deco.py');
    const decorated = functionNamed(file, 'decorated');
    assert.equal(decorated.line, lineOf(source, 'def decorated'));
    assert.equal(decorated.endLine, lineOf(source, 'return n'));
    const ready = functionNamed(file, 'Service.ready');
    assert.equal(ready.line, lineOf(source, 'async def ready'));
    assert.equal(ready.async, true);
  });
});

void describe('concurrency-lens analyze --format text', () => {
  void it('lists every file and ends with a summary, without colour under --no-color', () => {
    const report = analyzeJson(['examples/python']);
    const run = cli(['analyze', 'examples/python', '--no-color']);
    assert.equal(run.status, 0, run.stderr);
    for (const file of report.files.filter((f) => f.functions.length > 0 || f.diagnostics.length > 0)) {
      assert.ok(run.stdout.includes(file.path), `the text names ${file.path}`);
    }
    assert.match(run.stdout, /^\d+ files · \d+ functions \(.*\) · \d+ diagnostics \(.*\)$/m);
    assert.ok(!ANSI.test(run.stdout), 'no escape codes with --no-color');
    assert.match(run.stdout, /fetch_with_retry/);
    assert.match(run.stdout, /CL101/);
  });

  void it('adds ANSI escapes with --color, even when stdout is not a terminal', () => {
    const run = cli(['analyze', 'examples/python', '--color']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(ANSI.test(run.stdout), 'escape codes with --color');
    const plain = cli(['analyze', 'examples/python', '--no-color']);
    assert.equal(run.stdout.replace(/\x1b\[[0-9;]*m/g, ''), plain.stdout, 'colour changes nothing but the escapes'); // eslint-disable-line no-control-regex
  });
});

void describe('concurrency-lens analyze --format sarif', () => {
  void it('writes a SARIF 2.1.0 log whose results carry the rule ids', () => {
    const run = cli(['analyze', 'examples/python', '--format', 'sarif']);
    assert.equal(run.status, 0, run.stderr);
    const log = JSON.parse(run.stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.ok(Array.isArray(log.runs) && log.runs.length === 1);
    const results = log.runs[0].results;
    assert.ok(Array.isArray(results));
    const ids = new Set(results.map((r) => r.ruleId));
    for (const id of ['CL101', 'CL201', 'CL301']) assert.ok(ids.has(id), `a ${id} result (got ${[...ids].join(', ')})`);
    const cl101 = results.find((r) => r.ruleId === 'CL101')!;
    assert.match(cl101.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '', /page_archiver\/fetch\.py$/);
  });
});

void describe('concurrency-lens exit codes', () => {
  void it('exits 1 when findings reach --fail-on, 0 when they do not', () => {
    const information = cli(['analyze', 'examples/python', '--fail-on', 'information', '--format', 'json']);
    assert.equal(information.status, 1, information.stderr);
    assert.ok(JSON.parse(information.stdout), 'the report is still written');
    const hint = cli(['analyze', 'examples/python', '--fail-on=hint', '--format', 'json']);
    assert.equal(hint.status, 1, hint.stderr);
    const warning = cli(['analyze', 'examples/python', '--fail-on', 'warning', '--format', 'json']);
    assert.equal(warning.status, 0, warning.stderr);
    const none = cli(['analyze', 'examples/python', '--format', 'json']);
    assert.equal(none.status, 0, 'findings alone never fail the run without --fail-on');
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['an unknown option', ['analyze', 'examples/python', '--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['frobnicate', 'examples/python'], /unknown command 'frobnicate'/],
    ['no PATH', ['analyze'], /PATH/],
    ['no PATH, only options', ['analyze', '--format', 'json'], /PATH/],
    ['a bad --format', ['analyze', 'examples/python', '--format', 'xml'], /--format.*xml/],
    ['--format without a value', ['analyze', 'examples/python', '--format'], /--format needs a value/],
    ['a bad --fail-on', ['analyze', 'examples/python', '--fail-on', 'error'], /--fail-on/],
    ['a bad --max-file-size', ['analyze', 'examples/python', '--max-file-size', '-1'], /--max-file-size/],
  ];
  for (const [what, args, message] of usageErrors) {
    void it(`exits 2 on ${what}, with the reason on stderr and nothing on stdout`, () => {
      const run = cli(args);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage:/);
    });
  }

  void it('exits 2 on a path that does not exist, naming it on stderr', () => {
    const missing = join(temp, 'does-not-exist');
    const run = cli(['analyze', 'examples/python', missing, '--format', 'json']);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(missing), run.stderr);
  });

  void it('prints the usage on --help and -h, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = cli([flag]);
      assert.equal(run.status, 0);
      assert.match(run.stdout, /^Usage:/);
      assert.match(run.stdout, /concurrency-lens analyze PATH/);
      assert.equal(run.stderr, '');
    }
  });

  void it("prints package.json's version on --version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = cli(['--version']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), version);
  });
});

void describe('concurrency-lens analyze on bad input', () => {
  let dir = '';
  let report: JsonReport;

  before(() => {
    const venvFunction = 'import requests\n\n\ndef vendored():\n    return requests.get("https://x")\n';
    dir = project('bad-input', {
      'good.py': 'import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n',
      'binary.py': Buffer.from('def f():\n    return 1\0\0\0\n', 'latin1'),
      'big.py': '# padding\n'.repeat(300) + 'def big():\n    return 1\n', // ~3 KB > 0.001 MB
      'syntax.py': 'def valid(a, b):\n    return a + b\n\n\ndef broken(:\n    pass )(\n\nclass = 3\n',
      'latin.py': Buffer.from('# caf\xe9 cr\xe8me\ndef latin():\n    return "\xe9t\xe9"\n', 'latin1'),
      'empty.py': '',
      'node_modules/dep/dep.py': venvFunction,
      '.venv/pyvenv.cfg': 'home = /usr/bin\n',
      '.venv/lib/site.py': venvFunction,
      'env/pyvenv.cfg': 'home = /usr/bin\n', // a virtual environment under any name
      'env/lib/vendored.py': venvFunction,
      '.git/hooks/hook.py': venvFunction,
      'sub/inner.py': 'def inner():\n    return 0\n',
    });
    symlinkSync('..', join(dir, 'sub', 'loop')); // sub/loop → the project itself: a cycle
    report = analyzeJson(['.', '--max-file-size', '0.001'], dir);
  });

  void it('finishes with exit 0 and reports each analyzable file exactly once', () => {
    const paths = report.files.map((f) => f.path.replace(/\\/g, '/')).sort();
    assert.deepEqual(paths, ['big.py', 'binary.py', 'empty.py', 'good.py', 'latin.py', 'sub/inner.py', 'syntax.py']);
  });

  void it('skips node_modules, .git and virtual environments (by name or by pyvenv.cfg)', () => {
    for (const file of report.files) assert.ok(!/node_modules|\.venv|env\/|\.git/.test(file.path), file.path);
    assert.ok(!report.files.some((f) => f.functions.some((fn) => fn.name === 'vendored')));
  });

  void it('reports binary and too-large files with an error that says why', () => {
    const binary = fileEndingWith(report, 'binary.py');
    assert.match(binary.error ?? '', /binary|NUL/i);
    assert.deepEqual(binary.functions, []);
    const big = fileEndingWith(report, 'big.py');
    assert.match(big.error ?? '', /too large/i);
    assert.deepEqual(big.functions, []);
  });

  void it('states the file size and the limit distinguishably, even for limits far below 1 MB', () => {
    // ~3 KB over a 0.001 MB (1049-byte) limit: rounding both to 0.1 MB would print the same size twice.
    const big = fileEndingWith(report, 'big.py');
    const sizes = (big.error ?? '').match(/\d+(?:\.\d+)? ?(?:bytes|[KMG]i?B)\b/g) ?? [];
    assert.equal(sizes.length, 2, `the size and the limit are both in "${big.error}"`);
    assert.notEqual(sizes[0], sizes[1], `"${big.error}" gives the same size twice`);
  });

  void it('analyzes the rest without an error: good, syntax errors, latin-1, empty', () => {
    for (const name of ['good.py', 'syntax.py', 'latin.py', 'empty.py', 'sub/inner.py']) {
      assert.equal(fileEndingWith(report, name).error, undefined, `${name} has no error`);
    }
    const good = functionNamed(fileEndingWith(report, 'good.py'), 'fetch');
    assert.equal(good.kind, 'io');
    assert.ok(good.evidence.some((e) => e.call === 'requests.get' && e.category === 'network'), JSON.stringify(good.evidence));

    const syntax = fileEndingWith(report, 'syntax.py');
    assert.ok((syntax.syntaxErrors ?? 0) > 0, `syntaxErrors is reported (got ${syntax.syntaxErrors})`);
    const valid = functionNamed(syntax, 'valid');
    assert.equal(valid.line, 1);
    assert.equal(valid.kind, 'neither');

    assert.equal(functionNamed(fileEndingWith(report, 'latin.py'), 'latin').line, 2);
    const empty = fileEndingWith(report, 'empty.py');
    assert.deepEqual([empty.functions, empty.diagnostics], [[], []]);
  });
});

void describe('concurrency-lens analyze across files', () => {
  let dir = '';

  before(() => {
    dir = project('cross-file', {
      'pkg/__init__.py': '',
      'pkg/net.py': 'import requests\n\n\ndef get_json(url):\n    return requests.get(url).json()\n',
      'pkg/app.py': 'from .net import get_json\n\n\nasync def refresh():\n    return get_json("https://x")\n',
    });
  });

  void it('follows a call into another file of the folder: CL101 in refresh through get_json', () => {
    const report = analyzeJson(['.'], dir);
    const app = fileEndingWith(report, 'pkg/app.py');
    const refresh = functionNamed(app, 'refresh');
    assert.equal(refresh.async, true);
    assert.equal(refresh.kind, 'io');
    const evidence = refresh.evidence.find((e) => e.call === 'requests.get');
    assert.ok(evidence, JSON.stringify(refresh.evidence));
    assert.deepEqual(evidence.via, ['get_json']);
    assert.equal(evidence.category, 'network');

    const appText = readFileSync(join(dir, 'pkg', 'app.py'), 'utf8');
    const callLine = lineOf(appText, 'get_json("https://x")');
    const cl101 = app.diagnostics.filter((d) => d.code === 'CL101');
    assert.equal(cl101.length, 1, JSON.stringify(app.diagnostics));
    assert.equal(cl101[0].line, callLine);
    assert.equal(cl101[0].column, appText.split('\n')[callLine - 1].indexOf('get_json') + 1);
    assert.match(cl101[0].message, /get_json/);
    assert.match(cl101[0].message, /requests\.get/);

    const net = functionNamed(fileEndingWith(report, 'pkg/net.py'), 'get_json');
    assert.equal(net.kind, 'io');
    assert.deepEqual(net.evidence.find((e) => e.call === 'requests.get')?.via, []);
  });

  void it('propagates only over the files given: app.py alone knows nothing of get_json', () => {
    const report = analyzeJson([join('pkg', 'app.py')], dir);
    assert.equal(report.files.length, 1);
    const app = report.files[0];
    const refresh = functionNamed(app, 'refresh');
    assert.ok(!refresh.evidence.some((e) => e.call === 'requests.get' || e.via.includes('get_json')), JSON.stringify(refresh.evidence));
    assert.ok(!app.diagnostics.some((d) => d.code === 'CL101'), JSON.stringify(app.diagnostics));
  });

  void it('propagates over several paths given together, as over one folder', () => {
    const report = analyzeJson([join('pkg', 'app.py'), join('pkg', 'net.py')], dir);
    const refresh = functionNamed(fileEndingWith(report, 'pkg/app.py'), 'refresh');
    assert.ok(refresh.evidence.some((e) => e.call === 'requests.get' && e.via.join() === 'get_json'), JSON.stringify(refresh.evidence));
  });
});

void describe('concurrency-lens analyze on a large project', () => {
  void it('parses over 1 MB of source on worker threads by default, and gives what one thread gives (--jobs 1), environment-dependent fixes included', () => {
    // 40 modules of ~30 KB each, and the cross-file example: the size that starts the workers.
    const filler = Array.from({ length: 600 }, (_, i) => `def helper_${i}(values):\n    return [v * ${i} for v in values]\n\n\n`).join('');
    const files: Record<string, string> = { 'pyproject.toml': '[project]\nname = "big"\nversion = "1"\ndependencies = ["dask[distributed]"]\n' };
    for (let i = 0; i < 40; i++) files[`pkg/mod_${i}.py`] = `import requests\n\n\n${filler}def fetch_${i}(url):\n    return requests.get(url).text\n`;
    files['pkg/app.py'] = 'from .mod_7 import fetch_7\n\n\nasync def refresh():\n    return fetch_7("https://x")\n';
    files['pkg/crunch.py'] = readFileSync(join(ROOT, 'test/fixtures/editor/scaling/dask/collatz.py'), 'utf8');
    const dir = project('large', files);
    const size = Object.values(files).reduce((sum, text) => sum + text.length, 0);
    assert.ok(size > 1024 * 1024, `${size} bytes`);
    const parallel = analyzeJson(['.'], dir);
    assert.deepEqual(parallel, analyzeJson(['.', '--jobs', '1'], dir));
    assert.equal(parallel.files.length, 42);
    assert.ok(parallel.files.every((f) => f.error === undefined));
    const refresh = functionNamed(fileEndingWith(parallel, 'pkg/app.py'), 'refresh');
    assert.deepEqual(refresh.evidence.find((e) => e.call === 'requests.get')?.via, ['fetch_7']);
    // The project declares dask: the Dask fix is among the loop's fixes.
    const crunch = fileEndingWith(parallel, 'pkg/crunch.py');
    assert.ok(crunch.diagnostics.some((d) => d.code === 'CL202' && (d.fixes as Array<{ title: string }>).some((f) => /with Dask/.test(f.title))), JSON.stringify(crunch.diagnostics));
  });
});

void describe('concurrency-lens columns', () => {
  void it('counts columns in UTF-16 code units, as VS Code does', () => {
    const line = '    x = "é😀"; time.sleep(1)';
    const source = `import time\n\n\nasync def tick():\n${line}\n    return x\n`;
    const dir = project('columns', { 'cols.py': source });
    const file = fileEndingWith(analyzeJson(['cols.py'], dir), 'cols.py');
    const cl101 = file.diagnostics.find((d) => d.code === 'CL101');
    assert.ok(cl101, JSON.stringify(file.diagnostics));
    const start = line.indexOf('time.sleep') + 1; // UTF-16: é is 1 unit, 😀 is 2 (in UTF-8 they are 2 and 4 bytes)
    assert.equal(cl101.line, 5);
    assert.equal(cl101.column, start);
    assert.equal(cl101.endLine, 5);
    assert.equal(cl101.endColumn, start + 'time.sleep(1)'.length);
    const evidence = functionNamed(file, 'tick').evidence.find((e) => e.call === 'time.sleep');
    assert.equal(evidence?.column, start);
  });
});
