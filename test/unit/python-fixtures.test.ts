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
 * The grammar and the checks live in fixture-annotations.ts (shared with the JS/TS fixtures,
 * which use `//` instead of `#`).
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
import { annotationParser, defineFixtureSuite, PYTHON_SYNTAX, VOCABULARY_IS_EXHAUSTIVE } from './fixture-annotations';

const { parseExpectation, parseAnnotationLine } = annotationParser(PYTHON_SYNTAX);

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
});

defineFixtureSuite({
  label: 'python',
  root: 'test/fixtures/python',
  syntax: PYTHON_SYNTAX,
  extensions: ['.py'],
  skipDirs: ['__pycache__'],
  languageOf: () => 'python',
  syntaxErrorFile: 'test/fixtures/python/syntax/broken.py',
  minAnnotated: 80,
});
