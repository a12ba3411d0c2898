/**
 * The labelled-fixture machinery shared by python-fixtures.test.ts and js-fixtures.test.ts:
 * the annotation grammar, fixture discovery, one `analyzeFiles` run per project, and the
 * strict comparisons (kinds, evidence, names, diagnostics, coverage).
 *
 * Fixtures carry their expected verdicts as trailing comments; only the comment marker
 * differs between languages (`#` for Python, `//` for JavaScript/TypeScript):
 *
 *   def fetch(url):  # expect: io network:requests.get
 *   async function getUser(id) {  // expect: io network:fetch  // expect-name: getUser
 *     for (const u of urls) {  // diag: CL302
 *
 * Grammar of `expect:` (on the function's line: the `def` line in Python, the line of the
 * name in JS/TS, the line where an anonymous function starts):
 *   KIND [CATEGORY[:CALL][@VIA1>VIA2...]] ...
 * KIND is io|cpu|mixed|neither; CATEGORY one of the model's categories; CALL the resolved
 * dotted call name the evidence must carry; VIA the project functions the chain passes
 * through, outermost first, exactly as reported. Every listed evidence item must be present
 * (the function may have more). `expect-name:` asserts the qualified name (it runs to the
 * next marker, so JS names such as `app.get handler (line 12)` may hold spaces).
 * `diag: CODE...` goes on the line where the offending call or loop starts. Diagnostics
 * are strict both ways per file, for the codes in DIAG_CODES.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { analyzeFiles } from '../../src/core';
import type { Category, DiagnosticCode, Evidence, FileResult, FunctionResult, Kind, LanguageId } from '../../src/core';

// ---------------------------------------------------------------------------------------
// Vocabulary (checked against the model's types at compile time)

export const KINDS = ['io', 'cpu', 'mixed', 'neither'] as const satisfies readonly Kind[];
export const CATEGORIES = [
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
export const DIAG_CODES = ['CL101', 'CL102', 'CL201', 'CL202', 'CL301', 'CL302'] as const satisfies readonly DiagnosticCode[];

/** Fails to compile if the model gains a kind, category or code these lists lack. */
export const VOCABULARY_IS_EXHAUSTIVE: [
  Exclude<Kind, (typeof KINDS)[number]>,
  Exclude<Category, (typeof CATEGORIES)[number]>,
  Exclude<DiagnosticCode, (typeof DIAG_CODES)[number]>,
] extends [never, never, never]
  ? true
  : false = true;

const isKind = (s: string): s is Kind => (KINDS as readonly string[]).includes(s);
const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);
export const isDiagCode = (s: string): s is DiagnosticCode => (DIAG_CODES as readonly string[]).includes(s);

// ---------------------------------------------------------------------------------------
// Per-language comment syntax

/** What differs between the languages' fixtures. */
export interface AnnotationSyntax {
  /** The line-comment marker: `#` or `//`. */
  readonly comment: '#' | '//';
  /** Resolved call names (`requests.get`, `better-sqlite3.Statement.all`). */
  readonly callName: RegExp;
  /** One step of a `@via` chain: a qualified function name. */
  readonly viaStep: RegExp;
  /** The value of `expect-name:`. */
  readonly qualifiedName: RegExp;
  /** Whether an `expect:` may sit on this line (a function starts or is named here). */
  isFunctionLine: (line: string) => boolean;
  /** Says where `expect:` belongs, for the error message. */
  readonly functionLineRule: string;
  /** A best-effort name for the function on this line, for test titles. */
  nameOnLine: (line: string) => string;
}

const PY_DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PY_DEF_LINE = /^\s*(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(/;
const PY_LAMBDA_LINE = /^\s*[A-Za-z_][\w.]*\s*=\s*lambda\b/;

export const PYTHON_SYNTAX: AnnotationSyntax = {
  comment: '#',
  callName: PY_DOTTED,
  viaStep: PY_DOTTED,
  qualifiedName: PY_DOTTED,
  isFunctionLine: (line) => PY_DEF_LINE.test(line) || PY_LAMBDA_LINE.test(line),
  functionLineRule: 'a `def` line or a `name = lambda` line',
  nameOnLine: (line) => /def\s+([A-Za-z_]\w*)/.exec(line)?.[1] ?? /([A-Za-z_][\w.]*)\s*=\s*lambda/.exec(line)?.[1] ?? '?',
};

/** A JS identifier, optionally a private name (`#evict`). */
const JS_IDENT = String.raw`#?[A-Za-z_$][\w$]*`;
/** Package names may hold dashes and digits (`better-sqlite3`, `node-fetch`). */
const JS_CALL = /^[A-Za-z_$][\w$-]*(?:\.#?[A-Za-z_$][\w$-]*)*$/;
const JS_QUALIFIED = new RegExp(`^${JS_IDENT}(?:\\.${JS_IDENT})*$`);
/** `Class.method`, `obj.method`, `app.get handler`, `emitter.on callback`, `... (line 12)`. */
const JS_REPORTED_NAME = /^[#A-Za-z_$][^\s]*(?: (?:handler|callback))?(?: \(line \d+\))?$/;
const JS_CONTROL = /^\s*(?:if|for|while|switch|catch|return|do|else|with|await|typeof|new|throw|yield|super)\b/;
/** A method or accessor head: `static async *#name(`, `get total(`, `constructor(`. */
const JS_METHOD_LINE = new RegExp(
  String.raw`^\s*(?:(?:static|async|get|set|public|private|protected|readonly|override|abstract)\s+)*\*?\s*` +
    String.raw`(?:${JS_IDENT}|\[[^\]]+\])\s*(?:<[^>]*>)?\s*\(`,
);

export const JS_SYNTAX: AnnotationSyntax = {
  comment: '//',
  callName: JS_CALL,
  viaStep: JS_QUALIFIED,
  qualifiedName: JS_REPORTED_NAME,
  isFunctionLine: (line) => {
    const code = line.slice(0, line.indexOf('//') < 0 ? undefined : line.indexOf('//'));
    return /\bfunction\b/.test(code) || /=>/.test(code) || (JS_METHOD_LINE.test(code) && !JS_CONTROL.test(code));
  },
  functionLineRule: 'a line where a function is named or starts (`function`, `=>`, or a method head)',
  nameOnLine: (line) =>
    /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/.exec(line)?.[1] ??
    /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/.exec(line)?.[1] ??
    /([A-Za-z_$][\w$.]*)\s*=\s*(?:async\s*)?(?:function|\(|[A-Za-z_$][\w$]*\s*=>)/.exec(line)?.[1] ??
    /([A-Za-z_$][\w$.]*)\(\s*['"`][^'"`]*['"`]\s*,\s*(?:async\s*)?(?:function|\()/.exec(line)?.[1]?.concat(' handler') ??
    /^\s*(?:(?:static|async|get|set|public|private|protected|readonly)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*[(:]/.exec(line)?.[1] ??
    '(anonymous)',
};

// ---------------------------------------------------------------------------------------
// Annotation grammar

export interface ExpectedEvidence {
  category: Category;
  call?: string;
  via?: string[];
}

export interface Expectation {
  kind: Kind;
  evidence: ExpectedEvidence[];
}

export interface LineAnnotation {
  expect?: { source: string; expectation: Expectation };
  expectName?: string;
  diags: DiagnosticCode[];
}

const ITEM = /^([A-Za-z_-]+)(?::([^@]*))?(?:@(.*))?$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The grammar for one comment syntax (plain functions: safe to destructure). */
export interface AnnotationParser {
  parseExpectation: (body: string) => Expectation;
  parseAnnotationLine: (line: string) => LineAnnotation | undefined;
}

export function annotationParser(syntax: AnnotationSyntax): AnnotationParser {
  const c = syntax.comment;
  const marker = new RegExp(`${escapeRegExp(c)}\\s*((?:expect|diag)[\\w-]*)(\\s*:)?`, 'g');

  /** Parses the text after `expect:`. Throws on anything it does not understand. */
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
        if (!syntax.callName.test(call)) throw new Error(`malformed call name "${call}" in "${item}"`);
        expected.call = call;
      }
      if (via !== undefined) {
        const steps = via.split('>');
        for (const step of steps) {
          if (!syntax.viaStep.test(step)) throw new Error(`malformed via step "${step}" in "${item}"`);
        }
        expected.via = steps;
      }
      return expected;
    });
    return { kind: kindToken, evidence };
  }

  /**
   * Parses the annotations on one source line. Returns undefined when there are none;
   * throws on a misspelt or misplaced marker, so a typo cannot silently assert nothing.
   */
  function parseAnnotationLine(line: string): LineAnnotation | undefined {
    const markers: { word: string; start: number; end: number }[] = [];
    for (const m of line.matchAll(marker)) {
      const word = m[1];
      const known = word === 'expect' || word === 'expect-name' || word === 'diag';
      if (!m[2]) {
        if (known) throw new Error(`"${c} ${word}" needs a colon: "${c} ${word}: ..."`);
        continue; // ordinary prose such as "# diagnostics follow"
      }
      if (!known) throw new Error(`unknown annotation marker "${c} ${word}:" (expected "${c} expect:", "${c} expect-name:" or "${c} diag:")`);
      markers.push({ word, start: m.index, end: m.index + m[0].length });
    }
    if (markers.length === 0) return undefined;
    const result: LineAnnotation = { diags: [] };
    const seen = new Set<string>();
    for (const found of markers) {
      if (seen.has(found.word)) throw new Error(`"${c} ${found.word}:" appears twice on one line`);
      seen.add(found.word);
      const next = line.indexOf(c, found.end);
      const value = line.slice(found.end, next < 0 ? undefined : next).trim();
      if (found.word === 'expect') {
        if (!syntax.isFunctionLine(line)) throw new Error(`"${c} expect:" must sit on ${syntax.functionLineRule}`);
        result.expect = { source: value, expectation: parseExpectation(value) };
      } else if (found.word === 'expect-name') {
        if (!syntax.qualifiedName.test(value)) throw new Error(`malformed qualified name "${value}" after "${c} expect-name:"`);
        result.expectName = value;
      } else {
        const codes = value.split(/\s+/).filter(Boolean);
        if (codes.length === 0) throw new Error(`"${c} diag:" needs at least one code`);
        for (const code of codes) {
          if (!isDiagCode(code)) throw new Error(`unknown diagnostic code "${code}" (expected one of ${DIAG_CODES.join(', ')})`);
          result.diags.push(code);
        }
      }
    }
    if (result.expectName !== undefined && !result.expect) throw new Error(`"${c} expect-name:" without "${c} expect:" on the same line`);
    return result;
  }

  return { parseExpectation, parseAnnotationLine };
}

// ---------------------------------------------------------------------------------------
// Fixture discovery

export interface FixtureFunction {
  line: number;
  defName: string;
  source: string;
  expectation: Expectation;
  expectName?: string;
}

export interface FixtureFile {
  /** Repository-relative, forward slashes: what the analyzer is given and reports. */
  path: string;
  text: string;
  functions: Map<number, FixtureFunction>;
  diags: { line: number; code: DiagnosticCode }[];
}

export interface FixtureProject {
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

export const REPO_ROOT = findRepoRoot();

function sourceFiles(dir: string, extensions: readonly string[], skipDirs: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return skipDirs.includes(entry.name) ? [] : sourceFiles(full, extensions, skipDirs);
      return entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)) ? [full] : [];
    });
}

function loadFile(absolute: string, syntax: AnnotationSyntax, annotationErrors: string[]): FixtureFile {
  const { parseAnnotationLine } = annotationParser(syntax);
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
      file.functions.set(line, {
        line,
        defName: annotation.expectName ?? syntax.nameOnLine(lineText),
        source: annotation.expect.source,
        expectation: annotation.expect.expectation,
        expectName: annotation.expectName,
      });
    }
  });
  return file;
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

export function evidenceMatches(actual: Evidence, expected: ExpectedEvidence): boolean {
  if (actual.category !== expected.category) return false;
  if (expected.call !== undefined && actual.call !== expected.call) return false;
  if (expected.via !== undefined) {
    if (actual.via.length !== expected.via.length) return false;
    if (actual.via.some((step, i) => step !== expected.via![i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// The suite

export interface FixtureSuiteOptions {
  /** Used in test titles: `python`, `js`. */
  label: string;
  /** Repository-relative folder whose immediate subfolders are the projects. */
  root: string;
  syntax: AnnotationSyntax;
  /** File name endings the analyzer should read. */
  extensions: readonly string[];
  /** Folder names not to descend into. */
  skipDirs: readonly string[];
  /** The language each file must be reported as. */
  languageOf: (path: string) => LanguageId;
  /** Repository-relative path of the fixture with syntax errors. */
  syntaxErrorFile: string;
  minAnnotated: number;
}

export interface FixtureSuite {
  projects: FixtureProject[];
  annotatedCount: number;
}

/**
 * Registers, per project, one test per labelled function and one diagnostics test per
 * file; then the coverage tests: the annotations parse, enough functions are labelled,
 * every reported function is labelled, and the syntax-error file still yields functions.
 */
export function defineFixtureSuite(options: FixtureSuiteOptions): FixtureSuite {
  const { label, syntax } = options;
  const c = syntax.comment;
  const fixtureRoot = join(REPO_ROOT, ...options.root.split('/'));
  const annotationErrors: string[] = [];
  const projects: FixtureProject[] = readdirSync(fixtureRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      files: sourceFiles(join(fixtureRoot, name), options.extensions, options.skipDirs).map((f) => loadFile(f, syntax, annotationErrors)),
    }));
  const annotatedCount = projects.reduce((n, p) => n + p.files.reduce((m, f) => m + f.functions.size, 0), 0);

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

  for (const project of projects) {
    void describe(`${label} fixtures: ${project.name}`, () => {
      for (const file of project.files) {
        for (const expected of file.functions.values()) {
          void it(`${file.path}:${expected.line} ${expected.defName} — expect: ${expected.source}`, async () => {
            const result = await resultFor(project, file);
            let candidates = result.functions.filter((fn) => fn.line === expected.line);
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

      void it(`every file of ${project.name} is analyzed in its language without a fatal error`, async () => {
        const results = await analyzeProject(project);
        const problems: string[] = [];
        for (const file of project.files) {
          const result = results.get(file.path);
          const language = options.languageOf(file.path);
          if (!result) problems.push(`${file.path}: no result`);
          else {
            if (result.language !== language) problems.push(`${file.path}: language ${result.language}, expected ${language}`);
            if (result.error !== undefined) problems.push(`${file.path}: error ${result.error}`);
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  void describe(`${label} fixtures: coverage`, () => {
    void it('every annotation in the fixtures parses', () => {
      assert.deepEqual(annotationErrors, [], `bad annotations:\n${annotationErrors.join('\n')}`);
    });

    void it(`has at least ${options.minAnnotated} annotated functions`, () => {
      assert.ok(annotatedCount >= options.minAnnotated, `only ${annotatedCount} annotated functions`);
    });

    void it('every function the analyzer reports is annotated', async () => {
      const unlabelled: string[] = [];
      for (const project of projects) {
        const results = await analyzeProject(project);
        for (const file of project.files) {
          for (const fn of results.get(file.path)?.functions ?? []) {
            if (!file.functions.has(fn.line)) unlabelled.push(`${file.path}:${fn.line} ${fn.name} (reported ${fn.kind})`);
          }
        }
      }
      assert.deepEqual(unlabelled, [], `functions reported without a "${c} expect:" label:\n${unlabelled.join('\n')}`);
    });

    void it('a file with syntax errors reports them and still yields the functions that parse', async () => {
      const project = projects.find((p) => p.files.some((f) => f.path === options.syntaxErrorFile));
      assert.ok(project, `fixture ${options.syntaxErrorFile} is missing`);
      const file = project.files.find((f) => f.path === options.syntaxErrorFile)!;
      const result = await resultFor(project, file);
      assert.equal(result.error, undefined, `a partly parseable file should not be reported as an error: ${result.error}`);
      assert.ok((result.syntaxErrors ?? 0) > 0, `syntaxErrors should be > 0, got ${result.syntaxErrors}`);
      const reported = new Set(result.functions.map((fn) => fn.line));
      const missing = [...file.functions.values()].filter((fn) => !reported.has(fn.line)).map((fn) => `${fn.defName}@${fn.line}`);
      assert.ok(file.functions.size >= 3, 'the syntax-error fixture should label at least 3 valid functions');
      assert.deepEqual(missing, [], 'valid functions of the syntax-error file were not reported');
    });
  });

  return { projects, annotatedCount };
}
