/**
 * The editor-free parts of the extension: position arithmetic, which files are analyzed, the
 * settings' checks (and that package.json declares what the reader reads), finding results
 * from a place in the code, and the Markdown of hovers and explanations, on the examples'
 * real analysis.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFiles, type DiagnosticCode, type FileResult, type FunctionResult } from '../../src/core';
import { DEFAULT_SEVERITY } from '../../src/core/diagnostics';
import { discover } from '../../src/cli/discover';
import { BENCHMARKS_VIEW, Commands, FOCUS_BENCHMARKS_VIEW } from '../../src/extension/commands';
import { DIAGNOSTICS_DOC, sectionLines } from '../../src/extension/diagnostic-docs';
import { FileFilter, globToRegExp, SKIPPED_DIRECTORIES_GLOB } from '../../src/extension/file-filter';
import { calleeAt, chainStep, functionAtLine, functionAtName, functionNamed } from '../../src/extension/lookup';
import { adviceFor, explainMarkdown, hoverMarkdown, verdictLabel, type Links } from '../../src/extension/markdown';
import {
  BENCH_LIMITS,
  CATEGORIES,
  DEFAULT_SETTINGS,
  normalizeCount,
  normalizeExclude,
  normalizeExtraCalls,
  normalizeMaxFileSize,
  normalizePath,
  normalizeSeverity,
  normalizeStartMethod,
  START_METHODS,
} from '../../src/extension/settings-values';
import { compareSpanSize, spanContains, toCoreCounting, zeroBasedSpan } from '../../src/extension/spans';
import { repoRoot } from '../support/repo';


const ROOT = repoRoot();

interface ContributedProperty {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  scope?: string;
  markdownDescription?: string;
  description?: string;
  properties?: Record<string, { enum?: string[]; additionalProperties?: { enum?: string[] } }>;
}

interface PackageJson {
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus?: { commandPalette?: Array<{ command: string; when?: string }>; 'view/title'?: Array<{ command: string; when?: string }> };
    views?: Record<string, Array<{ id: string }>>;
    configuration: { properties: Record<string, ContributedProperty> };
  };
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

/** Links as plain strings, so the Markdown can be checked without an editor. */
const LINKS: Links = {
  location: (path, line, column) => `file://${path}#L${line},${column}`,
  explain: (_file, fn) => `command:explain?${fn.name}`,
};

async function analyzeFolder(folder: string): Promise<FileResult[]> {
  const { files } = await discover([join(ROOT, folder)]);
  return analyzeFiles(files.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
}

function fileNamed(results: readonly FileResult[], suffix: string): FileResult {
  const file = results.find((r) => r.path.endsWith(suffix));
  assert.ok(file, `${suffix} was analyzed`);
  return file;
}

function fnNamed(file: FileResult, name: string): FunctionResult {
  const fn = functionNamed(file, name);
  assert.ok(fn, `${name} in ${file.path}`);
  return fn;
}

void describe('spans: the core counts from 1, the editor from 0', () => {
  const span = { line: 95, column: 13, endLine: 95, endColumn: 53 };

  void it('shifts both ends by one, in the same UTF-16 units', () => {
    assert.deepEqual(zeroBasedSpan(span), { start: { line: 94, character: 12 }, end: { line: 94, character: 52 } });
    assert.deepEqual(toCoreCounting({ line: 94, character: 12 }), { line: 95, column: 13 });
  });

  void it('contains both of its ends (a cursor right after a name still points at it), nothing outside', () => {
    assert.ok(spanContains(span, { line: 95, column: 13 }));
    assert.ok(spanContains(span, { line: 95, column: 53 }));
    assert.ok(!spanContains(span, { line: 95, column: 12 }));
    assert.ok(!spanContains(span, { line: 95, column: 54 }));
    assert.ok(!spanContains(span, { line: 94, column: 20 }));
    const multi = { line: 10, column: 5, endLine: 12, endColumn: 2 };
    assert.ok(spanContains(multi, { line: 11, column: 1 }));
    assert.ok(spanContains(multi, { line: 10, column: 80 }));
    assert.ok(!spanContains(multi, { line: 12, column: 3 }));
  });

  void it('orders nested spans innermost first', () => {
    const outer = { line: 1, column: 1, endLine: 1, endColumn: 40 };
    const inner = { line: 1, column: 10, endLine: 1, endColumn: 20 };
    assert.ok(compareSpanSize(inner, outer) < 0);
    assert.ok(compareSpanSize({ line: 1, column: 1, endLine: 3, endColumn: 1 }, outer) > 0);
  });
});

void describe('file filter: what the workspace index reads', () => {
  void it('translates globs as files.exclude does', () => {
    const cases: Array<[string, string, boolean]> = [
      ['**/generated/**', 'src/generated/api.py', true],
      ['**/generated/**', 'generated/api.py', true],
      ['**/generated/**', 'src/generator.py', false],
      ['*.py', 'setup.py', true],
      ['*.py', 'pkg/setup.py', false],
      ['**/*.test.{js,ts}', 'src/a/b.test.ts', true],
      ['**/*.test.{js,ts}', 'src/a/b.test.py', false],
      ['src/{a,b{1,2}}/**', 'src/b2/x.js', true],
      ['src/{a,b{1,2}}/**', 'src/b3/x.js', false],
      ['file?.py', 'file1.py', true],
      ['[!a]*.py', 'b.py', true],
      ['[!a]*.py', 'a.py', false],
      ['legacy.v2/**', 'legacy.v2/x.py', true],
      ['legacy.v2/**', 'legacyXv2/x.py', false],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globToRegExp(glob).test(path), expected, `${glob} on ${path}`);
  });

  void it('skips dependencies, caches, virtual environments and declaration files; a pattern on a folder covers its files', () => {
    const filter = new FileFilter(['build', '**/fixtures/**'], ['tools/env']);
    assert.ok(filter.excludes('node_modules/lib/index.js'));
    assert.ok(filter.excludes('pkg/__pycache__/x.py'));
    assert.ok(filter.excludes('.venv/lib/site.py'));
    assert.ok(filter.excludes('tools/env/lib/python3.12/os.py'));
    assert.ok(filter.excludes('src/types.d.ts'));
    assert.ok(filter.excludes('build/out.js'));
    assert.ok(filter.excludes('test/fixtures/a.py'));
    assert.ok(!filter.excludes('src/app.py'));
    assert.ok(!filter.excludes('tools/environment.py'));
    assert.ok(!filter.excludes('src/build.py'));
    assert.ok(!new FileFilter([' ']).excludes('main.py'), 'a blank glob excludes nothing');
  });

  void it('gives findFiles one glob for the skipped folders', () => {
    assert.ok(globToRegExp(SKIPPED_DIRECTORIES_GLOB).test('a/node_modules/b/c.js'));
    assert.ok(!globToRegExp(SKIPPED_DIRECTORIES_GLOB).test('a/modules/c.js'));
  });
});

void describe('settings: the reader checks what users type, package.json declares what it reads', () => {
  void it('fills codes left out with the core defaults, drops invalid ones and says why', () => {
    const problems: string[] = [];
    const severity = normalizeSeverity({ CL101: 'warning', CL301: 'off', CL999: 'hint', CL102: 'loud' }, problems);
    assert.deepEqual(severity, { ...DEFAULT_SEVERITY, CL101: 'warning', CL301: 'off' });
    assert.equal(problems.length, 2);
    assert.match(problems.join('\n'), /CL999/);
    assert.match(problems.join('\n'), /"loud"/);
    assert.deepEqual(normalizeSeverity(undefined, []), DEFAULT_SEVERITY);
  });

  void it('keeps extra calls with a known category, per language family', () => {
    const problems: string[] = [];
    const extra = normalizeExtraCalls(
      { python: { 'mycompany.db.query': 'database', 'mycompany.x': 'slow' }, javascript: { '@acme/db.query': 'database' }, ruby: {} },
      problems,
    );
    assert.deepEqual(extra, { python: { 'mycompany.db.query': 'database' }, javascript: { '@acme/db.query': 'database' } });
    assert.equal(problems.length, 2);
    assert.deepEqual(normalizeExtraCalls('nonsense', []), { python: {}, javascript: {} });
  });

  void it('accepts only glob strings and a positive size', () => {
    const problems: string[] = [];
    assert.deepEqual(normalizeExclude(['**/gen/**', 3], problems), ['**/gen/**']);
    assert.equal(normalizeMaxFileSize(-1, problems), DEFAULT_SETTINGS.maxFileSizeKB);
    assert.equal(normalizeMaxFileSize(64, problems), 64);
    assert.equal(problems.length, 2);
  });

  void it('declares every setting the reader reads, with a description, a scope and the same default', () => {
    const properties = pkg.contributes.configuration.properties;
    const expected: Record<string, unknown> = {
      'concurrencyLens.enable.python': DEFAULT_SETTINGS.enable.python,
      'concurrencyLens.enable.javascript': DEFAULT_SETTINGS.enable.javascript,
      'concurrencyLens.severity': DEFAULT_SETTINGS.severity,
      'concurrencyLens.codeLens.enabled': DEFAULT_SETTINGS.codeLens.enabled,
      'concurrencyLens.extraCalls': DEFAULT_SETTINGS.extraCalls,
      'concurrencyLens.exclude': DEFAULT_SETTINGS.exclude,
      'concurrencyLens.maxFileSizeKB': DEFAULT_SETTINGS.maxFileSizeKB,
      'concurrencyLens.python.freeThreaded': DEFAULT_SETTINGS.python.freeThreaded,
      'concurrencyLens.bench.pythonPath': DEFAULT_SETTINGS.bench.pythonPath,
      'concurrencyLens.bench.nodePath': DEFAULT_SETTINGS.bench.nodePath,
      'concurrencyLens.bench.timeoutSeconds': DEFAULT_SETTINGS.bench.timeoutSeconds,
      'concurrencyLens.bench.tasks': DEFAULT_SETTINGS.bench.tasks,
      'concurrencyLens.bench.workers': DEFAULT_SETTINGS.bench.workers,
      'concurrencyLens.bench.startMethod': DEFAULT_SETTINGS.bench.startMethod,
      'concurrencyLens.bench.strategies': DEFAULT_SETTINGS.bench.strategies,
      'concurrencyLens.bench.daskScheduler': DEFAULT_SETTINGS.bench.daskScheduler,
    };
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(properties[key].default, value, `default of ${key}`);
      assert.ok(properties[key].markdownDescription ?? properties[key].description, `${key} has a description`);
      assert.ok(properties[key].scope, `${key} has a scope`);
    }
    assert.deepEqual(Object.keys(properties['concurrencyLens.severity'].properties ?? {}).sort(), Object.keys(DEFAULT_SEVERITY).sort());
    for (const family of ['python', 'javascript']) {
      assert.deepEqual(properties['concurrencyLens.extraCalls'].properties?.[family].additionalProperties?.enum, CATEGORIES);
    }
  });

  void it('declares the bench settings\' limits and choices as the reader checks them; interpreter paths machine-overridable', () => {
    const properties = pkg.contributes.configuration.properties;
    for (const [name, { minimum, maximum }] of Object.entries(BENCH_LIMITS)) {
      const property = properties[`concurrencyLens.bench.${name}`];
      assert.equal(property.type, 'integer', name);
      assert.deepEqual([property.minimum, property.maximum], [minimum, maximum], name);
    }
    assert.deepEqual(properties['concurrencyLens.bench.startMethod'].enum, [...START_METHODS]);
    for (const name of ['pythonPath', 'nodePath']) assert.equal(properties[`concurrencyLens.bench.${name}`].scope, 'machine-overridable', name);
  });

  void it('checks bench settings: paths trimmed, whole numbers within limits, known start methods', () => {
    const problems: string[] = [];
    assert.equal(normalizePath('bench.pythonPath', ' /opt/py/bin/python3 ', problems), '/opt/py/bin/python3');
    assert.equal(normalizePath('bench.pythonPath', 3, problems), '');
    assert.equal(normalizeCount('tasks', 16, problems), 16);
    assert.equal(normalizeCount('tasks', 0, problems), DEFAULT_SETTINGS.bench.tasks);
    assert.equal(normalizeCount('workers', 0, problems), 0);
    assert.equal(normalizeCount('timeoutSeconds', 2.5, problems), DEFAULT_SETTINGS.bench.timeoutSeconds);
    assert.equal(normalizeStartMethod('spawn', problems), 'spawn');
    assert.equal(normalizeStartMethod('vfork', problems), 'default');
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /pythonPath.*string/);
    assert.match(problems.join('\n'), /tasks: 0 is not a whole number from 1 to 1000/);
    assert.match(problems.join('\n'), /"vfork" is not one of default, fork, spawn, forkserver/);
  });

  void it('contributes every command of the table with a category, and activates on each analyzed language', () => {
    const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    assert.deepEqual([...contributed.keys()].sort(), Object.values(Commands).sort());
    for (const command of contributed.values()) assert.equal(command.category, 'Concurrency Lens', command.command);
    for (const command of [Commands.explainClassification, Commands.benchmarkFunction, Commands.benchmarkFile]) {
      const entry = pkg.contributes.menus?.commandPalette?.find((m) => m.command === command);
      assert.match(entry?.when ?? '', /editorLangId/, command);
    }
    assert.equal(contributed.get(Commands.benchmarkFunction)?.title, 'Benchmark Function at Cursor');
    assert.equal(contributed.get(Commands.benchmarkFile)?.title, 'Benchmark All Functions in File');
    assert.equal(contributed.get(Commands.showBenchmarkPanel)?.title, 'Show Benchmark Panel');
    assert.equal(contributed.get(Commands.clearBenchmarkHistory)?.title, 'Clear Benchmark History');
    for (const language of ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact']) {
      assert.ok(pkg.activationEvents.includes(`onLanguage:${language}`), language);
    }
  });
});

void describe('workspace trust and the Benchmarks view', () => {
  void it('declares limited support in untrusted workspaces, with the interpreter paths restricted', () => {
    const trust = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.match(trust?.description ?? '', /trusted/);
    assert.deepEqual(trust?.restrictedConfigurations?.sort(), ['concurrencyLens.bench.daskScheduler', 'concurrencyLens.bench.nodePath', 'concurrencyLens.bench.pythonPath']);
    for (const key of trust?.restrictedConfigurations ?? []) assert.ok(pkg.contributes.configuration.properties[key], key);
  });

  void it('reveals the view that package.json contributes', () => {
    const views = Object.values(pkg.contributes.views ?? {}).flat().map((v) => v.id);
    assert.ok(views.includes(BENCHMARKS_VIEW));
    assert.equal(FOCUS_BENCHMARKS_VIEW, `${BENCHMARKS_VIEW}.focus`);
  });
});

void describe('diagnostics documentation', () => {
  void it('has a section per code, which diagnostics link to by line', () => {
    const lines = sectionLines(readFileSync(join(ROOT, DIAGNOSTICS_DOC), 'utf8'));
    for (const code of Object.keys(DEFAULT_SEVERITY) as DiagnosticCode[]) assert.ok(lines.get(code), `${code} has a section`);
    assert.equal(sectionLines('# T\n\n## CL101 x\n\ntext\n## CL102 y').get('CL102'), 6);
  });
});

void describe('lookup and Markdown on the Python example', () => {
  let results: FileResult[];
  let fetch: FileResult;
  before(async () => {
    results = await analyzeFolder('examples/python');
    fetch = fileNamed(results, 'page_archiver/fetch.py');
  });

  void it('finds a function by its name, by a line inside it, and the project function a call leads to', () => {
    const retry = fnNamed(fetch, 'fetch_with_retry');
    assert.equal(functionAtName(fetch, { line: retry.nameSpan.line, column: retry.nameSpan.column + 3 })?.name, 'fetch_with_retry');
    assert.equal(functionAtName(fetch, { line: retry.line + 2, column: 5 }), undefined);
    assert.equal(functionAtLine(fetch, 95)?.name, 'fetch_with_retry');
    // fetch_one is nested in fetch_all: the innermost function wins.
    const fetchOne = fnNamed(fetch, 'fetch_all.fetch_one');
    assert.equal(functionAtLine(fetch, fetchOne.line + 1)?.name, 'fetch_all.fetch_one');

    // HttpClient.get_text calls download(...) on line 59.
    const callee = calleeAt(fetch, { line: 59, column: 24 }, results);
    assert.equal(callee?.fn.name, 'download');
    assert.equal(callee?.file, fetch);
  });

  void it('follows a chain into other files by its leaf call, not by name alone', () => {
    const cli = fileNamed(results, 'page_archiver/cli.py');
    const archive = fnNamed(cli, 'cmd_archive');
    const chain = archive.evidence.find((e) => e.call === 'urllib.request.urlopen' && e.via[0] === 'archive_site');
    assert.ok(chain, 'cmd_archive reaches urlopen through archive_site');
    const steps = chain.via.map((_, i) => chainStep(chain, i, results, cli));
    assert.deepEqual(
      steps.map((s) => s && `${relative(join(ROOT, 'examples/python/page_archiver'), s.file.path)}:${s.fn.name}`),
      ['pipeline.py:archive_site', 'pipeline.py:download_pages', 'fetch.py:download'],
    );
    const onCall = calleeAt(cli, { line: chain.span.line, column: chain.span.column + 1 }, results);
    assert.equal(onCall?.fn.name, 'archive_site');
  });

  void it('hovers with the verdict, the confidence, linked evidence and what to use instead', () => {
    const retry = fnNamed(fetch, 'fetch_with_retry');
    const markdown = hoverMarkdown(fetch, retry, results, LINKS);
    assert.match(markdown, /^\*\*I\/O-bound · wait/);
    assert.match(markdown, /high confidence/);
    assert.ok(markdown.includes(`[\`time.sleep\`](file://${fetch.path}#L95,13)`), markdown);
    assert.match(markdown, /wait, blocking · line 95/);
    assert.match(markdown, /asyncio\.to_thread/);

    const getText = fnNamed(fetch, 'HttpClient.get_text');
    const chained = hoverMarkdown(fetch, getText, results, LINKS);
    const download = fnNamed(fetch, 'download');
    assert.ok(chained.includes(`\`HttpClient.get_text\` → [\`download\`](file://${fetch.path}#L${download.nameSpan.line},${download.nameSpan.column}) → [\`urllib.request.urlopen\`]`), chained);
  });

  void it('says plainly when a function neither waits nor computes', () => {
    const init = fnNamed(fetch, 'RateLimiter.__init__');
    assert.equal(verdictLabel(init), 'No significant I/O or CPU work');
    const markdown = hoverMarkdown(fetch, init, results, LINKS);
    assert.match(markdown, /^\*\*No significant I\/O or CPU work\*\*/);
    assert.doesNotMatch(markdown, /confidence/);
  });

  void it('advises processes for pure-Python CPU work and threads for native work', () => {
    const images = fileNamed(results, 'page_archiver/images.py');
    assert.match(adviceFor(fnNamed(images, 'resize_image'), 'python'), /ProcessPoolExecutor/);
    const store = fileNamed(results, 'page_archiver/store.py');
    assert.match(adviceFor(fnNamed(store, 'content_hash'), 'python'), /threads \(`ThreadPoolExecutor`\) can run it in parallel/);
  });

  void it('leaves text plain where the editor has no link target (a file outside the workspace, in the preview)', () => {
    const retry = fnNamed(fetch, 'fetch_with_retry');
    const markdown = explainMarkdown(fetch, retry, results, { location: () => undefined });
    assert.doesNotMatch(markdown, /\]\(/);
    assert.match(markdown, /`time\.sleep` · wait, blocking · line 95/);
  });

  void it('explains every evidence item, the findings and their quick fixes', () => {
    const retry = fnNamed(fetch, 'fetch_with_retry');
    const markdown = explainMarkdown(fetch, retry, results, LINKS);
    assert.match(markdown, /^# `fetch_with_retry`: I\/O-bound/);
    for (const e of retry.evidence) assert.ok(markdown.includes(`\`${e.call}\``), e.call);
    assert.match(markdown, /\*\*CL101\*\* at \[line 95\]/);
    assert.match(markdown, /Quick fix \(preferred\): Use `await asyncio\.sleep/);
    assert.match(markdown, /parameters `url`, `timeout`, `attempts`, `backoff`/);
  });
});

void describe('Markdown on the Node example', () => {
  void it('advises worker_threads for CPU work and the promise API for blocking calls', async () => {
    const results = await analyzeFolder('examples/node');
    const report = fileNamed(results, 'src/report.mjs');
    const build = fnNamed(report, 'buildReport');
    assert.equal(build.kind, 'cpu');
    assert.match(hoverMarkdown(report, build, results, LINKS), /worker_threads/);
    const server = fileNamed(results, 'src/server.mjs');
    assert.match(adviceFor(fnNamed(server, 'handleStatus'), server.language), /promise API/);
  });
});
