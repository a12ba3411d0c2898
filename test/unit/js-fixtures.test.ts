/**
 * Checks the analyzer against the labelled JavaScript/TypeScript fixtures in test/fixtures/js/.
 *
 * Each immediate subfolder of test/fixtures/js is one project, analyzed in one `analyzeFiles`
 * call (so cross-file propagation and module resolution work inside it). The annotations are
 * those of the Python fixtures (grammar in fixture-annotations.ts) behind `//`:
 *
 *   async function getUser(id) {  // expect: io network:fetch
 *   const api = { async get(id) {  // expect: io network:fetch  // expect-name: api.get
 *     for (const u of urls) {  // diag: CL302
 *
 * `// expect:` goes on the line of the function's name (for an anonymous function, the line
 * where it starts); `// diag:` on the line where the offending call or loop starts.
 * Naming conventions the analyzer must follow (see the fixtures for examples):
 * - `Class.method`, `Class.#private`, getters/setters by their property name;
 *   `outer.inner` for nested named functions; `obj.method` for object-literal methods;
 *   the variable name for `const f = () => ...`; `handler` for `module.exports.handler = ...`
 *   and `exports.handler = ...`;
 * - route handlers passed inline (`app.get('/u', async (req, res) => ...)`) are named
 *   `app.get handler`; other inline callbacks `<callee text> callback` (`emitter.on callback`,
 *   `setTimeout callback`); repeated names in one file get ` (line N)` after the first;
 * - nested callbacks are qualified by their enclosing function (`getStatus.https.get callback`);
 * - synchronous callbacks of array methods (`Array.from`'s mapper included) and the
 *   `new Promise` executor are not functions of their own: their work is the caller's; an
 *   async callback of an array method is (`fetchAll.urls.map callback`).
 *
 * TypeScript fixtures start with `// @ts-nocheck`: the project's tsconfig includes test/, and
 * the fixtures import packages (pg, express, ...) that are not installed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { annotationParser, defineFixtureSuite, JS_SYNTAX } from './fixture-annotations';

const { parseExpectation, parseAnnotationLine } = annotationParser(JS_SYNTAX);

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

void describe('expect-annotation grammar (JS/TS, `//` comments)', () => {
  void it('parses package call names with dashes and digits, private names in chains', () => {
    assert.deepEqual(parseExpectation('io database:better-sqlite3.Statement.all network:node-fetch'), {
      kind: 'io',
      evidence: [
        { category: 'database', call: 'better-sqlite3.Statement.all' },
        { category: 'network', call: 'node-fetch' },
      ],
    });
    assert.deepEqual(parseExpectation('cpu nested-loops@Cache.#rebuild>scoreAll'), {
      kind: 'cpu',
      evidence: [{ category: 'nested-loops', via: ['Cache.#rebuild', 'scoreAll'] }],
    });
    assert.throws(() => parseExpectation('io network:fetch@app.get handler'), /unknown category "handler"/);
    assert.throws(() => parseExpectation('io network:.fetch'), /malformed call name/);
  });

  void it('reads expect, expect-name and diag behind //', () => {
    assert.deepEqual(parseAnnotationLine('async function getUser(id) {  // expect: io network:fetch  // expect-name: getUser'), {
      expect: { source: 'io network:fetch', expectation: { kind: 'io', evidence: [{ category: 'network', call: 'fetch' }] } },
      expectName: 'getUser',
      diags: [],
    });
    assert.deepEqual(parseAnnotationLine("app.get('/u/:id', (req, res) => {  // expect: io file:fs.readFileSync  // expect-name: app.get handler (line 12)  // diag: CL101"), {
      expect: {
        source: 'io file:fs.readFileSync',
        expectation: { kind: 'io', evidence: [{ category: 'file', call: 'fs.readFileSync' }] },
      },
      expectName: 'app.get handler (line 12)',
      diags: ['CL101'],
    });
    assert.deepEqual(parseAnnotationLine('  for (const u of urls) {  // diag: CL302'), { diags: ['CL302'] });
    assert.deepEqual(parseAnnotationLine('  #evict(key) {  // expect: neither  // expect-name: Cache.#evict')?.expectName, 'Cache.#evict');
    assert.deepEqual(parseAnnotationLine('  static get total() {  // expect: neither')?.expect?.expectation, { kind: 'neither', evidence: [] });
    assert.deepEqual(parseAnnotationLine('export const f = async (a) => {  // expect: neither')?.expect?.source, 'neither');
    assert.equal(parseAnnotationLine("const url = 'https://example.com/api';  // a URL is not a marker"), undefined);
    assert.equal(parseAnnotationLine('// diagnostics for the loop below'), undefined);
    assert.equal(parseAnnotationLine('def f():  # expect: io'), undefined);
  });

  void it('rejects misspelt, misplaced or incomplete markers', () => {
    assert.throws(() => parseAnnotationLine('function f() {  // expects: io'), /unknown annotation marker/);
    assert.throws(() => parseAnnotationLine('function f() {  // expect io'), /needs a colon/);
    assert.throws(() => parseAnnotationLine('  fs.readFileSync(p);  // diag CL101'), /needs a colon/);
    assert.throws(() => parseAnnotationLine('  fs.readFileSync(p);  // diag: CL999'), /unknown diagnostic code "CL999"/);
    assert.throws(() => parseAnnotationLine('  const x = fetch(url);  // expect: io'), /must sit on a line where a function/);
    assert.throws(() => parseAnnotationLine('  for (const x of xs) {  // expect: cpu'), /must sit on a line where a function/);
    assert.throws(() => parseAnnotationLine('function f() {  // expect: io  // expect: cpu'), /appears twice/);
    assert.throws(() => parseAnnotationLine('function f() {  // expect-name: f'), /without "\/\/ expect:"/);
    assert.throws(() => parseAnnotationLine('function f() {  // expect: neither  // expect-name: a b c'), /malformed qualified name/);
  });
});

defineFixtureSuite({
  label: 'js',
  root: 'test/fixtures/js',
  syntax: JS_SYNTAX,
  extensions: ['.js', '.mjs', '.cjs', ...TS_EXTENSIONS],
  skipDirs: ['node_modules'],
  languageOf: (path) => (TS_EXTENSIONS.some((ext) => path.endsWith(ext)) ? 'typescript' : 'javascript'),
  syntaxErrorFile: 'test/fixtures/js/syntax/broken.js',
  minAnnotated: 80,
});
