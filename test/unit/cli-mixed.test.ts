/**
 * End-to-end tests of the built CLI on mixed Python + JavaScript/TypeScript input: one run over
 * examples/ (examples/python and examples/node together) keeps BRIEF.md "The CLI contract" for
 * every language, flags the Node example's deliberate mistakes next to the Python example's,
 * follows the Node example's cross-file chains, writes SARIF for both, and handles JS/TS
 * specifics (syntax errors, `.d.ts` declaration files, --fail-on).
 *
 * The CLI is built from the real esbuild.mjs into a private folder, not into dist/: cli.test.ts
 * rebuilds dist/ in its own `before` hook, and `node --test` runs test files in parallel, so
 * running dist/ here could load a cli.cjs or grammar that the other file is rewriting.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonFile, JsonReport, SarifLog, Run } from '../support/cli-json';
import { fileEndingWith, functionNamed, lineOf, runAnalyzeJson, runCli } from '../support/cli-run';
import { repoRoot } from '../support/repo';



const ROOT = repoRoot();
const NODE_SRC = join(ROOT, 'examples', 'node', 'src');
const PYTHON_EXAMPLE = join(ROOT, 'examples', 'python', 'page_archiver');

let temp = '';
let cliPath = '';

before(() => {
  temp = mkdtempSync(join(tmpdir(), 'concurrency-lens-cli-mixed-'));
  // A private build root: esbuild.mjs writes dist/ and copies the grammars relative to its own
  // folder and the working directory; sources and dependencies are linked from the repository.
  const build = join(temp, 'build');
  mkdirSync(build);
  for (const file of ['esbuild.mjs', 'package.json']) copyFileSync(join(ROOT, file), join(build, file));
  for (const folder of ['src', 'node_modules']) symlinkSync(join(ROOT, folder), join(build, folder), 'junction');
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: build, stdio: 'pipe' });
  cliPath = join(build, 'dist', 'cli.cjs');
});

after(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** Runs the built CLI; never throws on a non-zero exit. */
function cli(args: readonly string[], cwd: string = ROOT): Run {
  return runCli(cliPath, args, cwd);
}

/** Runs `analyze ... --format json`, expecting the given exit code, and parses stdout. */
function analyzeJson(args: readonly string[], cwd: string = ROOT, expectedStatus = 0): JsonReport {
  return runAnalyzeJson(cliPath, args, cwd, expectedStatus);
}

function normalized(path: string): string {
  return path.replace(/\\/g, '/');
}

/** A file's diagnostics as [code, line, function] triples, for assertion messages. */
function codesAndLines(file: JsonFile): string {
  return JSON.stringify(file.diagnostics.map((d) => [d.code, d.line, d.function]));
}

/** A fresh folder under the test's temp folder, with `files` (relative path → content) in it. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

void describe('concurrency-lens analyze examples --format json (Python + JS/TS in one run)', () => {
  let report: JsonReport;

  before(() => {
    report = analyzeJson(['examples']);
  });

  void it('reports Python, JavaScript and TypeScript files, each by its extension, none with an error', () => {
    assert.equal(report.version, 1);
    const languages = new Set(report.files.map((f) => f.language));
    assert.deepEqual([...languages].sort(), ['javascript', 'python', 'typescript']);
    for (const file of report.files) {
      const path = normalized(file.path);
      if (file.language === 'python') assert.match(path, /^examples\/python\/.*\.py$/);
      else if (file.language === 'javascript') assert.match(path, /^examples\/node\/.*\.(?:js|mjs|cjs)$/);
      else assert.match(path, /^examples\/node\/.*\.(?:ts|tsx|mts|cts)$/);
      assert.equal(file.error, undefined, `${file.path} has no error (${file.error})`);
      assert.ok(!path.endsWith('.d.ts'), `${path}: declaration files are not analyzed`);
    }
    for (const suffix of ['page_archiver/fetch.py', 'src/server.mjs', 'src/similarity.mjs', 'src/client.ts']) fileEndingWith(report, suffix);
  });

  void it('follows the version 1 contract for every file, function, evidence item and diagnostic', () => {
    for (const file of report.files) {
      assert.equal(typeof file.path, 'string');
      assert.ok(['python', 'javascript', 'typescript'].includes(file.language), `${file.path}: language ${file.language}`);
      assert.ok(Array.isArray(file.functions), file.path);
      assert.ok(Array.isArray(file.diagnostics), file.path);
      if (file.syntaxErrors !== undefined) assert.ok(Number.isInteger(file.syntaxErrors) && file.syntaxErrors >= 0, file.path);
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
          assert.ok(Number.isInteger(e.column) && e.column >= 1, `${where} evidence column ${e.column}`);
          assert.equal(typeof e.call, 'string', where);
          assert.ok(e.call.length > 0, where);
          assert.equal(typeof e.category, 'string', where);
          assert.ok(e.category.length > 0, where);
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

  void it("gives JS/TS functions the line of their name", () => {
    // Every named JS/TS function: the last part of its qualified name is on its `line`.
    let checked = 0;
    for (const file of report.files.filter((f) => f.language !== 'python')) {
      const lines = readFileSync(join(ROOT, file.path), 'utf8').split('\n');
      for (const fn of file.functions) {
        if (fn.name.includes(' ')) continue; // `x.then callback`, `(line N)`: anonymous or renamed
        const own = fn.name.split('.').pop()!;
        assert.ok(lines[fn.line - 1]?.includes(own), `${file.path}: ${fn.name} on line ${fn.line}: "${lines[fn.line - 1]}"`);
        checked++;
      }
    }
    assert.ok(checked >= 30, `the example's named functions were checked (${checked})`);

    // A few exactly, against the source text.
    const expected: Array<[string, string, string]> = [
      ['src/server.mjs', 'handleStatus', 'async function handleStatus('],
      ['src/server.mjs', 'createServer', 'export function createServer('],
      ['src/similarity.mjs', 'levenshtein', 'export function levenshtein('],
      ['src/client.ts', 'LinkwatchClient.request', 'private async request<T>('],
      ['src/client.ts', 'LinkwatchClient.crawlAll', 'async crawlAll('],
    ];
    for (const [path, name, needle] of expected) {
      const text = readFileSync(join(NODE_SRC, path.slice('src/'.length)), 'utf8');
      assert.equal(functionNamed(fileEndingWith(report, path), name).line, lineOf(text, needle), `${path}: ${name}`);
    }
  });

  void it('flags the Node example\'s four deliberate mistakes at their lines', () => {
    // server.handleStatus: fs.readFileSync in a request handler → CL101 on that line, at the call.
    const serverText = readFileSync(join(NODE_SRC, 'server.mjs'), 'utf8');
    const server = fileEndingWith(report, 'src/server.mjs');
    const handleStatus = functionNamed(server, 'handleStatus');
    const readLine = lineOf(serverText, 'fs.readFileSync(', handleStatus.line);
    const readSync = server.diagnostics.find((d) => d.code === 'CL101' && d.line === readLine);
    assert.ok(readSync, `a CL101 on server.mjs line ${readLine} (got ${codesAndLines(server)})`);
    assert.equal(readSync.column, serverText.split('\n')[readLine - 1].indexOf('fs.readFileSync') + 1, 'the range starts at the call');
    assert.ok(readLine <= handleStatus.endLine, 'the CL101 is inside handleStatus');
    assert.match(readSync.message, /readFileSync/);

    // config.buildInfo: execSync in an async function → CL101 on that line.
    const configText = readFileSync(join(NODE_SRC, 'config.mjs'), 'utf8');
    const config = fileEndingWith(report, 'src/config.mjs');
    const buildInfo = functionNamed(config, 'buildInfo');
    assert.equal(buildInfo.async, true);
    const execLine = lineOf(configText, 'execSync(', buildInfo.line);
    const exec = config.diagnostics.find((d) => d.code === 'CL101' && d.line === execLine);
    assert.ok(exec, `a CL101 on config.mjs line ${execLine} (got ${codesAndLines(config)})`);
    assert.equal(exec.column, configText.split('\n')[execLine - 1].indexOf('execSync') + 1, 'the range starts at the call');
    assert.match(exec.message, /execSync/);

    // report.buildReport: quadratic levenshtein comparison on the event loop → CL102 inside it.
    const reportFile = fileEndingWith(report, 'src/report.mjs');
    const buildReport = functionNamed(reportFile, 'buildReport');
    assert.ok(
      reportFile.diagnostics.some((d) => d.code === 'CL102' && d.line >= buildReport.line && d.line <= buildReport.endLine),
      `a CL102 in buildReport (lines ${buildReport.line}-${buildReport.endLine}; got ${codesAndLines(reportFile)})`,
    );

    // fetcher.fetchPages: awaits fetchPage once per URL in a for...of → CL302 on the `for` line.
    const fetcherText = readFileSync(join(NODE_SRC, 'fetcher.mjs'), 'utf8');
    const fetcher = fileEndingWith(report, 'src/fetcher.mjs');
    const fetchPages = functionNamed(fetcher, 'fetchPages');
    const loopLine = lineOf(fetcherText, 'for (', fetchPages.line);
    assert.ok(loopLine <= fetchPages.endLine, 'the loop is inside fetchPages');
    const cl302 = fetcher.diagnostics.filter((d) => d.code === 'CL302');
    assert.ok(cl302.some((d) => d.line === loopLine), `a CL302 on fetcher.mjs line ${loopLine} (got ${codesAndLines(fetcher)})`);
    assert.match(cl302.find((d) => d.line === loopLine)!.message, /fetchPage/);
  });

  void it('follows the cross-file chain handleCrawl → crawlSite → fetchPage → fetch', () => {
    const handleCrawl = functionNamed(fileEndingWith(report, 'src/server.mjs'), 'handleCrawl');
    assert.ok(
      handleCrawl.evidence.some((e) => e.call === 'fetch' && e.category === 'network' && e.via[0] === 'crawlSite'),
      `evidence fetch via crawlSite (got ${JSON.stringify(handleCrawl.evidence.map((e) => [e.call, e.via]))})`,
    );
    assert.ok(['io', 'mixed'].includes(handleCrawl.kind), `handleCrawl waits on the network (got ${handleCrawl.kind})`);
  });

  void it(
    'classifies handleCrawl as I/O: the crawler\'s frontier loop drives its fetches',
    () => {
      const handleCrawl = functionNamed(fileEndingWith(report, 'src/server.mjs'), 'handleCrawl');
      assert.equal(handleCrawl.kind, 'io', JSON.stringify(handleCrawl.evidence.map((e) => [e.call, e.category, e.via])));
      assert.equal(functionNamed(fileEndingWith(report, 'src/crawler.mjs'), 'crawlSite').kind, 'io');
    },
  );

  void it('classifies levenshtein as CPU, the worker offload as waiting (not CPU), and finds createServer', () => {
    const similarity = fileEndingWith(report, 'src/similarity.mjs');
    assert.equal(functionNamed(similarity, 'levenshtein').kind, 'cpu');
    const offload = functionNamed(similarity, 'findDuplicatesInWorker');
    assert.equal(offload.kind, 'io', JSON.stringify(offload.evidence));
    assert.notEqual(offload.kind, 'cpu');
    assert.ok(offload.evidence.some((e) => e.category === 'offload'), `offload evidence (got ${JSON.stringify(offload.evidence)})`);
    assert.ok(!similarity.diagnostics.some((d) => d.code === 'CL102' && d.line >= offload.line && d.line <= offload.endLine), codesAndLines(similarity));
    functionNamed(fileEndingWith(report, 'src/server.mjs'), 'createServer');
  });

  void it("keeps the Python example's CL101 in fetch_with_retry in the same run", () => {
    const fetchText = readFileSync(join(PYTHON_EXAMPLE, 'fetch.py'), 'utf8');
    const sleepLine = lineOf(fetchText, 'time.sleep(', lineOf(fetchText, 'async def fetch_with_retry'));
    const fetchFile = fileEndingWith(report, 'page_archiver/fetch.py');
    assert.equal(fetchFile.language, 'python');
    assert.equal(functionNamed(fetchFile, 'fetch_with_retry').async, true);
    assert.ok(
      fetchFile.diagnostics.some((d) => d.code === 'CL101' && d.line === sleepLine),
      `a CL101 on fetch.py line ${sleepLine} (got ${codesAndLines(fetchFile)})`,
    );
  });

  void it('gives the same Node findings as a run over examples/node alone', () => {
    const alone = analyzeJson(['examples/node']);
    const findings = (r: JsonReport): string[] =>
      r.files
        .filter((f) => f.language !== 'python')
        .flatMap((f) => f.diagnostics.map((d) => `${normalized(f.path)}:${d.line}:${d.column} ${d.code}`))
        .sort();
    assert.deepEqual(findings(report), findings(alone));
  });
});

void describe('concurrency-lens analyze examples --format sarif', () => {
  void it('writes SARIF 2.1.0 with results for both a .py and a .mjs file', () => {
    const run = cli(['analyze', 'examples', '--format', 'sarif']);
    assert.equal(run.status, 0, run.stderr);
    const log = JSON.parse(run.stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    const uris = log.runs.flatMap((r) => r.results.map((res) => res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''));
    assert.ok(uris.some((u) => u.endsWith('.py')), `a result for a .py file (got ${uris.join(', ')})`);
    assert.ok(uris.some((u) => u.endsWith('.mjs')), `a result for a .mjs file (got ${uris.join(', ')})`);
    const rules = (suffix: string): Set<string> =>
      new Set(log.runs.flatMap((r) => r.results.filter((res) => (res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '').endsWith(suffix)).map((res) => res.ruleId)));
    assert.ok(rules('fetch.py').has('CL101'), 'the Python CL101');
    assert.ok(rules('server.mjs').has('CL101'), 'the Node CL101');
  });
});

void describe('concurrency-lens analyze on JS/TS specifics', () => {
  void it('exits 1 on examples/node under --fail-on information, still writing the report', () => {
    const run = cli(['analyze', 'examples/node', '--fail-on', 'information', '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.ok(report.files.some((f) => f.diagnostics.length > 0));
  });

  void it('reports a .ts file with a syntax error, and still analyzes its valid function', () => {
    const source = [
      "import fs from 'node:fs';",
      '',
      'const = ;',
      '',
      'export async function ok() {',
      "  return fs.readFileSync('x');",
      '}',
      '',
    ].join('\n');
    const dir = project('ts-syntax', { 'broken.ts': source });
    const file = fileEndingWith(analyzeJson(['.'], dir), 'broken.ts');
    assert.equal(file.language, 'typescript');
    assert.equal(file.error, undefined, 'a syntax error is not a file error');
    assert.ok((file.syntaxErrors ?? 0) > 0, `syntaxErrors is reported (got ${file.syntaxErrors})`);
    const ok = functionNamed(file, 'ok');
    assert.equal(ok.line, lineOf(source, 'async function ok'));
    assert.equal(ok.async, true);
    assert.equal(ok.kind, 'io');
    const callLine = lineOf(source, 'fs.readFileSync');
    const cl101 = file.diagnostics.filter((d) => d.code === 'CL101');
    assert.equal(cl101.length, 1, codesAndLines(file));
    assert.equal(cl101[0].line, callLine);
    assert.equal(cl101[0].column, source.split('\n')[callLine - 1].indexOf('fs.readFileSync') + 1);
  });

  void it('gives multi-line, decorated and anonymous JS/TS functions the line of their name (or start)', () => {
    const source = [
      'function dec(_t: unknown, _k: string): void {}',
      '',
      'export',
      'async function',
      '  late(): Promise<void> {',
      '  await Promise.resolve();',
      '}',
      '',
      'class Service {',
      '  @dec',
      '  async ready(): Promise<boolean> {',
      '    return true;',
      '  }',
      '}',
      '',
      'export default function () {',
      '  return 2;',
      '}',
      '',
    ].join('\n');
    const dir = project('ts-names', { 'names.ts': source });
    const file = fileEndingWith(analyzeJson(['names.ts'], dir), 'names.ts');
    const late = functionNamed(file, 'late');
    assert.equal(late.line, lineOf(source, '  late('));
    assert.equal(late.async, true);
    const ready = functionNamed(file, 'Service.ready');
    assert.equal(ready.line, lineOf(source, 'async ready('));
    assert.equal(ready.async, true);
    const anonymous = file.functions.find((f) => f.line === lineOf(source, 'export default function'));
    assert.ok(anonymous, `the anonymous default export starts on its line (got ${JSON.stringify(file.functions.map((f) => [f.name, f.line]))})`);
  });

  void it('skips .d.ts declaration files in discovery', () => {
    const dir = project('dts', {
      'types.d.ts': 'export interface Page { url: string }\nexport declare function load(): Promise<Page>;\n',
      'a.ts': "import type { Page } from './types';\n\nexport function title(page: Page): string {\n  return page.url;\n}\n",
    });
    const report = analyzeJson(['.'], dir);
    assert.deepEqual(report.files.map((f) => normalized(f.path)), ['a.ts']);
    assert.equal(report.files[0].language, 'typescript');
    functionNamed(report.files[0], 'title');
  });
});
