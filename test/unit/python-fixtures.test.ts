/**
 * Checks the analyzer against the labelled Python fixtures in test/fixtures/python/.
 *
 * Each immediate subfolder of test/fixtures/python is one project, analyzed in one
 * `analyzeFiles` call (so cross-file propagation works inside it). Fixtures carry their
 * expected verdicts as trailing comments:
 *
 *   def fetch(url):  # expect: io network:requests.get
 *   def fetch_all(urls):  # expect: io network:requests.get@get_json  # expect-name: fetch_all
 *       for url in urls:  # diag: CL301
 *
 * Grammar of `# expect:` (on the `def` line; for a lambda, on its assignment line):
 *   KIND [CATEGORY[:CALL][@VIA1>VIA2...]] ...
 * KIND is io|cpu|mixed|neither; CATEGORY one of the model's categories; CALL the resolved
 * dotted call name the evidence must carry; VIA the project functions the chain passes
 * through, outermost first, exactly as reported. Every listed evidence item must be present
 * (the function may have more). `# expect-name:` asserts the qualified name.
 * `# diag: CODE...` goes on the line where the offending call or loop starts. Diagnostics
 * are strict both ways per file, for the codes in DIAG_CODES.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { analyzeFiles } from '../../src/core';
import type { Category, DiagnosticCode, Evidence, FileResult, FunctionResult, Kind } from '../../src/core';

// ---------------------------------------------------------------------------------------
// Vocabulary (checked against the model's types at compile time)

const KINDS = ['io', 'cpu', 'mixed', 'neither'] as const satisfies readonly Kind[];
const CATEGORIES = [
  'network',
  'file',
  'database',
  'process',
  'wait',
  'offload',
  'hashing',
  'compression',
  'serialization',
  'regex',
  'numeric',
  'image',
  'loops',
  'nested-loops',
  'recursion',
  'comprehension',
  'arithmetic',
  'string-building',
  'sorting',
] as const satisfies readonly Category[];
const DIAG_CODES = ['CL101', 'CL102', 'CL201', 'CL301', 'CL302'] as const satisfies readonly DiagnosticCode[];

/** Fails to compile if the model gains a kind, category or code these lists lack. */
const VOCABULARY_IS_EXHAUSTIVE: [
  Exclude<Kind, (typeof KINDS)[number]>,
  Exclude<Category, (typeof CATEGORIES)[number]>,
  Exclude<DiagnosticCode, (typeof DIAG_CODES)[number]>,
] extends [never, never, never]
  ? true
  : false = true;

const isKind = (s: string): s is Kind => (KINDS as readonly string[]).includes(s);
const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);
const isDiagCode = (s: string): s is DiagnosticCode => (DIAG_CODES as readonly string[]).includes(s);

// ---------------------------------------------------------------------------------------
// Annotation grammar

interface ExpectedEvidence {
  category: Category;
  call?: string;
  via?: string[];
}

interface Expectation {
  kind: Kind;
  evidence: ExpectedEvidence[];
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const ITEM = /^([A-Za-z_-]+)(?::([^@]*))?(?:@(.*))?$/;

/** Parses the text after `# expect:`. Throws on anything it does not understand. */
function parseExpectation(body: string): Expectation {
  const tokens = body.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new Error('empty expectation: a kind (io|cpu|mixed|neither) is required');
  const [kindToken, ...items] = tokens;
  if (!isKind(kindToken)) throw new Error(`unknown kind "${kindToken}" (expected one of ${KINDS.join(', ')})`);
  if (kindToken === 'neither' && items.length > 0) throw new Error('"neither" takes no evidence');
  const evidence = items.map((item): ExpectedEvidence => {
    const m = ITEM.exec(item);
    if (!m) throw new Error(`malformed evidence "${item}" (expected CATEGORY[:CALL][@VIA1>VIA2...])`);
    const [, category, call, via] = m;
    if (!isCategory(category)) throw new Error(`unknown category "${category}" in "${item}"`);
    const expected: ExpectedEvidence = { category };
    if (call !== undefined) {
      if (!DOTTED.test(call)) throw new Error(`malformed call name "${call}" in "${item}"`);
      expected.call = call;
    }
    if (via !== undefined) {
      const steps = via.split('>');
      for (const step of steps) {
        if (!DOTTED.test(step)) throw new Error(`malformed via step "${step}" in "${item}"`);
      }
      expected.via = steps;
    }
    return expected;
  });
  return { kind: kindToken, evidence };
}

interface LineAnnotation {
  expect?: { source: string; expectation: Expectation };
  expectName?: string;
  diags: DiagnosticCode[];
}

const MARKER = /#\s*((?:expect|diag)[\w-]*)(\s*:)?/g;
const DEF_LINE = /^\s*(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(/;
const LAMBDA_LINE = /^\s*[A-Za-z_][\w.]*\s*=\s*lambda\b/;

/**
 * Parses the annotations on one source line. Returns undefined when there are none;
 * throws on a misspelt or misplaced marker, so a typo cannot silently assert nothing.
 */
function parseAnnotationLine(line: string): LineAnnotation | undefined {
  const markers: { word: string; start: number; end: number }[] = [];
  for (const m of line.matchAll(MARKER)) {
    const word = m[1];
    const known = word === 'expect' || word === 'expect-name' || word === 'diag';
    if (!m[2]) {
      if (known) throw new Error(`"# ${word}" needs a colon: "# ${word}: ..."`);
      continue; // ordinary prose such as "# diagnostics follow"
    }
    if (!known) throw new Error(`unknown annotation marker "# ${word}:" (expected "# expect:", "# expect-name:" or "# diag:")`);
    markers.push({ word, start: m.index, end: m.index + m[0].length });
  }
  if (markers.length === 0) return undefined;
  const result: LineAnnotation = { diags: [] };
  const seen = new Set<string>();
  for (const marker of markers) {
    if (seen.has(marker.word)) throw new Error(`"# ${marker.word}:" appears twice on one line`);
    seen.add(marker.word);
    const next = line.indexOf('#', marker.end);
    const value = line.slice(marker.end, next < 0 ? undefined : next).trim();
    if (marker.word === 'expect') {
      if (!DEF_LINE.test(line) && !LAMBDA_LINE.test(line)) {
        throw new Error('"# expect:" must sit on a `def` line or a `name = lambda` line');
      }
      result.expect = { source: value, expectation: parseExpectation(value) };
    } else if (marker.word === 'expect-name') {
      if (!DOTTED.test(value)) throw new Error(`malformed qualified name "${value}" after "# expect-name:"`);
      result.expectName = value;
    } else {
      const codes = value.split(/\s+/).filter(Boolean);
      if (codes.length === 0) throw new Error('"# diag:" needs at least one code');
      for (const code of codes) {
        if (!isDiagCode(code)) throw new Error(`unknown diagnostic code "${code}" (expected one of ${DIAG_CODES.join(', ')})`);
        result.diags.push(code);
      }
    }
  }
  if (result.expectName !== undefined && !result.expect) throw new Error('"# expect-name:" without "# expect:" on the same line');
  return result;
}

// ---------------------------------------------------------------------------------------
// Fixture discovery

interface FixtureFunction {
  line: number;
  defName: string;
  source: string;
  expectation: Expectation;
  expectName?: string;
}

interface FixtureFile {
  /** Repository-relative, forward slashes: what the analyzer is given and reports. */
  path: string;
  text: string;
  functions: Map<number, FixtureFunction>;
  diags: { line: number; code: DiagnosticCode }[];
}

interface FixtureProject {
  name: string;
  files: FixtureFile[];
}

function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const manifestJson = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (manifestJson.name === 'concurrency-lens') return dir;
      } catch {
        // not the manifest we want; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json named "concurrency-lens" above ${__dirname}`);
    dir = parent;
  }
}

const REPO_ROOT = findRepoRoot();
const FIXTURE_ROOT = join(REPO_ROOT, 'test', 'fixtures', 'python');
const SYNTAX_ERROR_FILE = 'test/fixtures/python/syntax/broken.py';
const MIN_ANNOTATED = 80;

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === '__pycache__' ? [] : pythonFiles(full);
      return entry.isFile() && entry.name.endsWith('.py') ? [full] : [];
    });
}

const annotationErrors: string[] = [];

function loadFile(absolute: string): FixtureFile {
  const path = relative(REPO_ROOT, absolute).split(sep).join('/');
  const text = readFileSync(absolute, 'utf8');
  const file: FixtureFile = { path, text, functions: new Map(), diags: [] };
  text.split(/\r?\n/).forEach((lineText, index) => {
    const line = index + 1;
    let annotation: LineAnnotation | undefined;
    try {
      annotation = parseAnnotationLine(lineText);
    } catch (error) {
      annotationErrors.push(`${path}:${line}: ${(error as Error).message}\n    ${lineText.trim()}`);
      return;
    }
    if (!annotation) return;
    for (const code of annotation.diags) file.diags.push({ line, code });
    if (annotation.expect) {
      const defName = /def\s+([A-Za-z_]\w*)/.exec(lineText)?.[1] ?? /([A-Za-z_][\w.]*)\s*=\s*lambda/.exec(lineText)?.[1] ?? '?';
      file.functions.set(line, {
        line,
        defName,
        source: annotation.expect.source,
        expectation: annotation.expect.expectation,
        expectName: annotation.expectName,
      });
    }
  });
  return file;
}

function loadProjects(): FixtureProject[] {
  return readdirSync(FIXTURE_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, files: pythonFiles(join(FIXTURE_ROOT, name)).map(loadFile) }));
}

const PROJECTS = loadProjects();
const ANNOTATED_COUNT = PROJECTS.reduce((n, p) => n + p.files.reduce((m, f) => m + f.functions.size, 0), 0);

// ---------------------------------------------------------------------------------------
// Running the analyzer (once per project, shared by that project's tests)

const analyses = new Map<string, Promise<Map<string, FileResult>>>();

function analyzeProject(project: FixtureProject): Promise<Map<string, FileResult>> {
  let analysis = analyses.get(project.name);
  if (!analysis) {
    analysis = analyzeFiles(project.files.map((f) => ({ path: f.path, text: f.text }))).then((results) => {
      assert.equal(results.length, project.files.length, `analyzeFiles returned ${results.length} results for ${project.files.length} files`);
      const byPath = new Map<string, FileResult>();
      results.forEach((result, i) => {
        assert.equal(result.path, project.files[i].path, `result ${i} should be for ${project.files[i].path} (input order)`);
        byPath.set(result.path, result);
      });
      return byPath;
    });
    analyses.set(project.name, analysis);
  }
  return analysis;
}

async function resultFor(project: FixtureProject, file: FixtureFile): Promise<FileResult> {
  const result = (await analyzeProject(project)).get(file.path);
  assert.ok(result, `no result for ${file.path}`);
  return result;
}

// ---------------------------------------------------------------------------------------
// Reporting helpers

function formatEvidence(e: Evidence): string {
  const via = e.via.length > 0 ? `@${e.via.join('>')}` : '';
  const origin = e.origin ? ` origin ${e.origin.path}:${e.origin.line}` : '';
  return `${e.category}:${e.call}${via} (line ${e.span.line}, ${e.blocking ? 'blocking, ' : ''}weight ${e.weight}${origin})`;
}

function formatFunction(fn: FunctionResult): string {
  const evidence = fn.evidence.length > 0 ? fn.evidence.map((e) => `      - ${formatEvidence(e)}`).join('\n') : '      (none)';
  return [
    `    actual: ${fn.name} (line ${fn.line}${fn.async ? ', async' : ''})`,
    `      kind: ${fn.kind} (confidence ${fn.confidence})`,
    `      evidence:`,
    evidence,
  ].join('\n');
}

function formatExpected(e: ExpectedEvidence): string {
  return `${e.category}${e.call ? `:${e.call}` : ''}${e.via ? `@${e.via.join('>')}` : ''}`;
}

function evidenceMatches(actual: Evidence, expected: ExpectedEvidence): boolean {
  if (actual.category !== expected.category) return false;
  if (expected.call !== undefined && actual.call !== expected.call) return false;
  if (expected.via !== undefined) {
    if (actual.via.length !== expected.via.length) return false;
    if (actual.via.some((step, i) => step !== expected.via![i])) return false;
  }
  return true;
}

function functionsAt(result: FileResult, line: number): FunctionResult[] {
  return result.functions.filter((fn) => fn.line === line);
}

// ---------------------------------------------------------------------------------------
// The tests

void describe('expect-annotation grammar', () => {
  void it('parses a kind alone', () => {
    assert.deepEqual(parseExpectation('neither'), { kind: 'neither', evidence: [] });
  });

  void it('parses category, call and via', () => {
    assert.deepEqual(parseExpectation('io network:requests.get'), {
      kind: 'io',
      evidence: [{ category: 'network', call: 'requests.get' }],
    });
    assert.deepEqual(parseExpectation('  mixed  network:requests.get@fetch_docs   nested-loops@smoothed_chart>smooth_series>moving_average '), {
      kind: 'mixed',
      evidence: [
        { category: 'network', call: 'requests.get', via: ['fetch_docs'] },
        { category: 'nested-loops', via: ['smoothed_chart', 'smooth_series', 'moving_average'] },
      ],
    });
    assert.deepEqual(parseExpectation('io network@Poller.poll_once wait:asyncio.sleep'), {
      kind: 'io',
      evidence: [
        { category: 'network', via: ['Poller.poll_once'] },
        { category: 'wait', call: 'asyncio.sleep' },
      ],
    });
  });

  void it('rejects unknown kinds, unknown categories and malformed items', () => {
    assert.throws(() => parseExpectation(''), /kind .* is required/);
    assert.throws(() => parseExpectation('IO'), /unknown kind "IO"/);
    assert.throws(() => parseExpectation('network:requests.get'), /unknown kind/);
    assert.throws(() => parseExpectation('io netwrk:requests.get'), /unknown category "netwrk"/);
    assert.throws(() => parseExpectation('cpu nested_loops'), /unknown category "nested_loops"/);
    assert.throws(() => parseExpectation('io io'), /unknown category "io"/);
    assert.throws(() => parseExpectation('io network:'), /malformed call name/);
    assert.throws(() => parseExpectation('io network:requests..get'), /malformed call name/);
    assert.throws(() => parseExpectation('io network@'), /malformed via step/);
    assert.throws(() => parseExpectation('io network@a>>b'), /malformed via step/);
    assert.throws(() => parseExpectation('io Network'), /unknown category "Network"/);
    assert.throws(() => parseExpectation('io :requests.get'), /malformed evidence/);
    assert.throws(() => parseExpectation('neither file:open'), /"neither" takes no evidence/);
  });

  void it('reads expect, expect-name and diag from one line', () => {
    assert.deepEqual(parseAnnotationLine('async def f(p):  # expect: io file:open  # expect-name: f  # diag: CL101 CL301'), {
      expect: { source: 'io file:open', expectation: { kind: 'io', evidence: [{ category: 'file', call: 'open' }] } },
      expectName: 'f',
      diags: ['CL101', 'CL301'],
    });
    assert.deepEqual(parseAnnotationLine('    for url in urls:  # diag: CL302'), { diags: ['CL302'] });
    assert.deepEqual(parseAnnotationLine('square = lambda x: x * x  # expect: neither'), {
      expect: { source: 'neither', expectation: { kind: 'neither', evidence: [] } },
      diags: [],
    });
    assert.equal(parseAnnotationLine('    return re.sub(r"\\d{4,}", "####", text)'), undefined);
    assert.equal(parseAnnotationLine('# diagnostics for the loop below'), undefined);
  });

  void it('rejects misspelt, misplaced or incomplete markers', () => {
    assert.throws(() => parseAnnotationLine('def f():  # expects: io'), /unknown annotation marker/);
    assert.throws(() => parseAnnotationLine('def f():  # expect io'), /needs a colon/);
    assert.throws(() => parseAnnotationLine('    time.sleep(1)  # diag CL101'), /needs a colon/);
    assert.throws(() => parseAnnotationLine('    time.sleep(1)  # diag: CL999'), /unknown diagnostic code "CL999"/);
    assert.throws(() => parseAnnotationLine('    time.sleep(1)  # diag:'), /at least one code/);
    assert.throws(() => parseAnnotationLine('    x = fetch(url)  # expect: io'), /must sit on a `def` line/);
    assert.throws(() => parseAnnotationLine('def f():  # expect: io  # expect: cpu'), /appears twice/);
    assert.throws(() => parseAnnotationLine('def f():  # expect-name: f'), /without "# expect:"/);
    assert.throws(() => parseAnnotationLine('def f():  # expect: cpu hashing:hashlib.sha256@'), /malformed via step/);
  });

  void it('knows every kind, category and diagnostic code of the model', () => {
    assert.equal(VOCABULARY_IS_EXHAUSTIVE, true);
  });

  void it('every annotation in the fixtures parses', () => {
    assert.deepEqual(annotationErrors, [], `bad annotations:\n${annotationErrors.join('\n')}`);
  });
});

for (const project of PROJECTS) {
  void describe(`python fixtures: ${project.name}`, () => {
    for (const file of project.files) {
      for (const expected of file.functions.values()) {
        void it(`${file.path}:${expected.line} ${expected.defName} — expect: ${expected.source}`, async () => {
          const result = await resultFor(project, file);
          let candidates = functionsAt(result, expected.line);
          if (expected.expectName !== undefined && candidates.length > 1) {
            candidates = candidates.filter((fn) => fn.name === expected.expectName);
          }
          const actual = candidates[0];
          if (!actual) {
            const reported = result.functions.map((fn) => `${fn.name}@${fn.line}`).join(', ') || '(none)';
            assert.fail(`${file.path}:${expected.line}: no function reported at this line (${expected.defName}); reported: ${reported}`);
          }
          const problems: string[] = [];
          if (expected.expectName !== undefined && actual.name !== expected.expectName) {
            problems.push(`name: expected ${expected.expectName}, got ${actual.name}`);
          }
          if (actual.kind !== expected.expectation.kind) {
            problems.push(`kind: expected ${expected.expectation.kind}, got ${actual.kind}`);
          }
          for (const item of expected.expectation.evidence) {
            if (!actual.evidence.some((e) => evidenceMatches(e, item))) {
              problems.push(`missing evidence ${formatExpected(item)}`);
            }
          }
          if (problems.length > 0) {
            assert.fail(
              `${file.path}:${expected.line} ${actual.name}\n    expected: ${expected.source}\n` +
                problems.map((p) => `    ✗ ${p}`).join('\n') +
                `\n${formatFunction(actual)}`,
            );
          }
        });
      }
    }

    for (const file of project.files) {
      void it(`${file.path} — diagnostics ${DIAG_CODES.join('/')} exactly as annotated`, async () => {
        const result = await resultFor(project, file);
        const expected = [...new Set(file.diags.map((d) => `${d.line} ${d.code}`))];
        const actualDiags = result.diagnostics.filter((d) => isDiagCode(d.code));
        const actual = [...new Set(actualDiags.map((d) => `${d.line} ${d.code}`))];
        const missing = expected.filter((key) => !actual.includes(key));
        const unexpected = actual.filter((key) => !expected.includes(key));
        if (missing.length > 0 || unexpected.length > 0) {
          const lines = file.text.split(/\r?\n/);
          const show = (key: string) => {
            const line = Number(key.split(' ')[0]);
            const detail = actualDiags
              .filter((d) => `${d.line} ${d.code}` === key)
              .map((d) => ` [${d.functionName}: ${d.message}]`)
              .join('');
            return `      line ${key}${detail}\n        ${(lines[line - 1] ?? '').trim()}`;
          };
          assert.fail(
            `${file.path}: diagnostics differ from the annotations\n` +
              (missing.length > 0 ? `    missing:\n${missing.map(show).join('\n')}\n` : '') +
              (unexpected.length > 0 ? `    unexpected:\n${unexpected.map(show).join('\n')}\n` : ''),
          );
        }
      });
    }

    void it(`every file of ${project.name} is analyzed as Python without a fatal error`, async () => {
      const results = await analyzeProject(project);
      const problems: string[] = [];
      for (const file of project.files) {
        const result = results.get(file.path);
        if (!result) problems.push(`${file.path}: no result`);
        else {
          if (result.language !== 'python') problems.push(`${file.path}: language ${result.language}`);
          if (result.error !== undefined) problems.push(`${file.path}: error ${result.error}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  });
}

void describe('python fixtures: coverage', () => {
  void it(`has at least ${MIN_ANNOTATED} annotated functions`, () => {
    assert.ok(ANNOTATED_COUNT >= MIN_ANNOTATED, `only ${ANNOTATED_COUNT} annotated functions`);
  });

  void it('every function the analyzer reports is annotated', async () => {
    const unlabelled: string[] = [];
    for (const project of PROJECTS) {
      const results = await analyzeProject(project);
      for (const file of project.files) {
        for (const fn of results.get(file.path)?.functions ?? []) {
          if (!file.functions.has(fn.line)) unlabelled.push(`${file.path}:${fn.line} ${fn.name} (reported ${fn.kind})`);
        }
      }
    }
    assert.deepEqual(unlabelled, [], `functions reported without a "# expect:" label:\n${unlabelled.join('\n')}`);
  });

  void it('a file with syntax errors reports them and still yields the functions that parse', async () => {
    const project = PROJECTS.find((p) => p.files.some((f) => f.path === SYNTAX_ERROR_FILE));
    assert.ok(project, `fixture ${SYNTAX_ERROR_FILE} is missing`);
    const file = project.files.find((f) => f.path === SYNTAX_ERROR_FILE)!;
    const result = await resultFor(project, file);
    assert.equal(result.error, undefined, `a partly parseable file should not be reported as an error: ${result.error}`);
    assert.ok((result.syntaxErrors ?? 0) > 0, `syntaxErrors should be > 0, got ${result.syntaxErrors}`);
    const reported = new Set(result.functions.map((fn) => fn.line));
    const missing = [...file.functions.values()].filter((fn) => !reported.has(fn.line)).map((fn) => `${fn.defName}@${fn.line}`);
    assert.ok(file.functions.size >= 3, 'the syntax-error fixture should label at least 3 valid functions');
    assert.deepEqual(missing, [], 'valid functions of the syntax-error file were not reported');
  });
});
