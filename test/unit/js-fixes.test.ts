/**
 * The JavaScript/TypeScript quick fixes, checked on fixture programs
 * (test/fixtures/fixes/js/<kind>/): each program has one spot that triggers the kind's
 * diagnostic; its one preferred fix is applied (created files written beside it), the
 * result must parse with the finding gone, and run with node it must print what the
 * original printed. TypeScript fixtures are checked for parsing and the finding only
 * (node 20 does not run .ts). Helper modules live in a `lib/` folder of the kind.
 *
 * A kind whose fix needs an npm package (piscina) lists it: the fixers see it as declared in
 * the project's package.json, and the copies that run get this repository's node_modules, so
 * the rewritten program runs against the real library (a devDependency for that reason).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFiles, EMPTY_ENVIRONMENT, type DiagnosticCode, type FileResult, type Fix, type ProjectEnvironment, type SourceFile } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import { repoRoot } from '../support/repo';


const root = repoRoot();
const FIXTURES = 'test/fixtures/fixes/js';

interface Kind {
  folder: string;
  code: DiagnosticCode;
  /** The preferred fix's title. */
  title: RegExp;
  /** npm packages the project declares (the fixers' environment; linked into the copies that run). */
  packages?: string[];
  /** Titles of the fixes offered after the preferred one, in order. */
  others?: RegExp[];
}

const WORKER_TITLE = /^Run `\w+` in a worker thread .*structured clone.*a Worker starts per call/;
const PISCINA_TITLE = /^Run `\w+` in a piscina worker pool \(creates \w+\.piscina\.[cm]js and one pool for this module\): .*structured clone.*stay alive between calls until `\w+\.destroy\(\)`/;

/** The environment of a project declaring these npm packages. */
function declaring(packages: readonly string[] = []): ProjectEnvironment {
  return { ...EMPTY_ENVIRONMENT, nodePackages: new Set(packages) };
}

const KINDS: Kind[] = [
  { folder: 'fs-promises', code: 'CL101', title: /^Use `await .*(promises|readFile|readdir).*: (other work runs on the event loop|the same true\/false)/ },
  { folder: 'child-process', code: 'CL101', title: /^Use `await (execAsync|execFileAsync|spawnAsync)\(\.\.\.\)`.*other work runs on the event loop while the command runs/ },
  { folder: 'promise-all', code: 'CL302', title: /`Promise\.all`: all calls start at once and the results keep their order; the first rejection rejects the whole/ },
  { folder: 'worker', code: 'CL102', title: WORKER_TITLE },
  { folder: 'piscina', code: 'CL102', title: PISCINA_TITLE, packages: ['piscina'], others: [WORKER_TITLE] },
];

/** What a fixed program must contain (the shape of the rewrite, beyond "prints the same"). */
const EXPECTED_TEXT: Record<string, string[]> = {
  'fs-promises/default-import.mjs': ["const text = await fs.promises.readFile(p, 'utf8');"],
  'fs-promises/named-import.mjs': ["import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\n", "return (await readFile(p, 'utf8')).split"],
  'fs-promises/exists.mjs': ['const found = await fs.promises.access(path.join(dir, name)).then(() => true, () => false);'],
  'fs-promises/existing-promises.mjs': ["import { writeFile, readFile } from 'node:fs/promises';", 'const back = await readFile(file);'],
  'fs-promises/handler.mjs': ["app.get('/', async (req, res) => {", "res.send(await fs.promises.readFile(page, 'utf8'));"],
  'fs-promises/require.cjs': ['await fs.promises.writeFile(file, JSON.stringify(data));'],
  'fs-promises/destructure.cjs': ["require('node:fs');\nconst { readdir } = require('node:fs/promises');\n", 'const names = await readdir(folder);'],
  'fs-promises/typescript.ts': ["import { readFile } from 'node:fs/promises';", "await readFile(path, 'utf8')"],
  'child-process/exec-tostring.mjs': ["import { execSync, exec } from 'node:child_process';", "import { promisify } from 'node:util';", 'const execAsync = promisify(exec);', '(await execAsync(`echo hello ${name}`)).stdout.trim()'],
  'child-process/exec-buffer.mjs': ['const execAsync = promisify(cp.exec);', "(await execAsync('printf abc', { cwd: '.', encoding: 'buffer' })).stdout"],
  'child-process/execfile.cjs': ['const execFileAsync = util.promisify(childProcess.execFile);', "(await execFileAsync(process.execPath, ['-e', script], { encoding: 'utf8' })).stdout"],
  'child-process/exec-stdio.mjs': ["value = (await execAsync('echo 1a2b3c4; echo warning >&2', {", '})).stdout.trim();'],
  'child-process/spawn.mjs': ['function spawnAsync(command, args, options) {', "await spawnAsync(process.execPath, ['-e', code], { encoding: 'utf8' })"],
  'promise-all/push.mjs': ['results.push(...(await Promise.all(ids.map((id) => fetchScore(id)))));'],
  'promise-all/set-iterable.mjs': ['out.push(...(await Promise.all(Array.from(words, (word) => lookup(word)))));'],
  'promise-all/side-effects.mjs': ['await Promise.all(Array.from(records, (record) => save(record)));'],
  'promise-all/counting-loop.mjs': ['out.push(...(await Promise.all(Array.from({ length: ids.length }, async (_, i) => {', '    return rows[0].label;\n  }))));'],
  'promise-all/typescript.ts': ['results.push(...(await Promise.all(urls.map((url) => getJson(url)))));'],
  'worker/same-file.mjs': ["await runInWorker(new URL('./checksum.worker.mjs', import.meta.url), [request.size])"],
  'worker/imported.mjs': ["await runInWorker(new URL('./countPrimes.worker.mjs', import.meta.url), [limit])"],
  'worker/commonjs.cjs': ["await runInWorker(require.resolve('./collatzSteps.worker.cjs'), [limit])"],
  'worker/builtin-import.mjs': ["await runInWorker(new URL('./stretch.worker.mjs', import.meta.url), [`${user.name}:${user.password}`, 20000])"],
  'piscina/same-file.mjs': [
    "// one pool for this module.\n\nimport Piscina from 'piscina';\n\n/** Threads that run `strongest` (strongest.piscina.mjs), started once for this module; `strongestPool.destroy()` stops them. */\nconst strongestPool = new Piscina({ filename: new URL('./strongest.piscina.mjs', import.meta.url).href });\n\nconst ROUNDS = 3;",
    'const winner = await strongestPool.run([request.words, request.limit]);',
  ],
  'piscina/imported.mjs': ["import { largestPalindromeProduct } from './lib/palindromes.mjs';\nimport Piscina from 'piscina';\n", 'const best = await largestPalindromeProductPool.run([limit]);'],
  'piscina/commonjs.cjs': ["const Piscina = require('piscina');", "const stretchPool = new Piscina({ filename: require.resolve('./stretch.piscina.cjs') });", 'const key = await stretchPool.run([`${user.name}:${user.password}`, 30000]);'],
  'piscina/existing-pool.mjs': ["const collatzStepsPool = new Piscina({ filename: new URL('./collatzSteps.piscina.mjs', import.meta.url).href });", 'const steps = await collatzStepsPool.run([limit]);'],
};

/** What created files must contain. */
const EXPECTED_CREATED: Record<string, string[]> = {
  'worker/same-file.mjs': ['const MODULUS = 1_000_003;', 'function mix(a, b)', 'function checksum(n)', 'parentPort.postMessage(checksum(...workerData));'],
  'worker/imported.mjs': ["import { countPrimes } from './lib/primes.mjs';"],
  'worker/builtin-import.mjs': ["import { createHash } from 'node:crypto';", 'function stretch(secret, rounds) {'],
  'worker/commonjs.cjs': ["const { parentPort, workerData } = require('node:worker_threads');"],
  'piscina/same-file.mjs': ['const ROUNDS = 3;', 'function scramble(word, seed)', 'function strongest(words, limit)', 'export default (args) => strongest(...args);'],
  'piscina/imported.mjs': ["import { largestPalindromeProduct } from './lib/palindromes.mjs';", 'export default (args) => largestPalindromeProduct(...args);'],
  'piscina/commonjs.cjs': ["const crypto = require('node:crypto');", 'module.exports = (args) => stretch(...args);'],
};

/** Every source file of a kind's folder (programs and lib/ helpers), by repository-relative path. */
function folderFiles(folder: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(mjs|cjs|js|ts)$/.test(entry.name)) out.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, FIXTURES, folder));
  return out;
}

function programsOf(folder: string): string[] {
  return readdirSync(join(root, FIXTURES, folder), { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(mjs|cjs|ts)$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

function resultFor(results: FileResult[], path: string): FileResult {
  const found = results.find((r) => r.path === path);
  assert.ok(found, `${path} analyzed`);
  return found;
}

/** The fixed program and the files the fix creates, by repository-relative path. */
function applyFix(file: SourceFile, fix: Fix): SourceFile[] {
  const fixed = { path: file.path, text: applyEdits(file.text, fix.edits) };
  const created = (fix.createFiles ?? []).map((c) => ({ path: join(dirname(file.path), c.path), text: c.text }));
  return [fixed, ...created];
}

const scratch = mkdtempSync(join(tmpdir(), 'cl-js-fixes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A copy of the kind's folder with some files replaced or added; returns the copy's folder.
 * With `packages`, the copy sees this repository's node_modules (where they are installed).
 */
function materialize(folder: string, label: string, files: readonly SourceFile[], packages: readonly string[] = []): string {
  const dir = join(scratch, `${folder}-${label}-${Math.random().toString(36).slice(2, 8)}`);
  cpSync(join(root, FIXTURES, folder), dir, { recursive: true });
  if (packages.length > 0) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const file of files) {
    const target = join(dir, relative(join(FIXTURES, folder), file.path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  return dir;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  seconds: number;
}

function runNode(dir: string, program: string): Run {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [program], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { stdout: child.stdout, stderr: child.stderr, status: child.status, seconds };
}

for (const kind of KINDS) {
  void describe(`JS fixes: ${kind.folder} (${kind.code})`, () => {
    let files: SourceFile[] = [];
    let results: FileResult[] = [];
    const environmentFor = (): ProjectEnvironment => declaring(kind.packages);
    before(async () => {
      files = folderFiles(kind.folder);
      results = await analyzeFiles(files, { workers: 1, environmentFor });
    });

    for (const program of programsOf(kind.folder)) {
      const key = `${kind.folder}/${program}`;
      void it(`${program}: one preferred fix; the result parses, the finding is gone${program.endsWith('.ts') ? '' : ', and node prints the same'}`, async () => {
        const path = join(FIXTURES, kind.folder, program);
        const file = files.find((f) => f.path === path)!;
        const result = resultFor(results, path);
        assert.equal(result.syntaxErrors, undefined);
        assert.deepEqual(
          result.diagnostics.map((d) => d.code),
          [kind.code],
          `one spot per program: ${result.diagnostics.map((d) => `${d.code} ${d.line}: ${d.message}`).join('; ')}`,
        );
        const [diagnostic] = result.diagnostics;
        const others = kind.others ?? [];
        assert.equal(diagnostic.fixes.length, 1 + others.length, `fixes: ${diagnostic.fixes.map((f) => f.title).join(' | ')}`);
        const [fix, ...rest] = diagnostic.fixes;
        assert.equal(fix.preferred, true);
        assert.match(fix.title, kind.title);
        rest.forEach((other, i) => {
          assert.equal(other.preferred, false);
          assert.match(other.title, others[i]);
        });

        const changed = applyFix(file, fix);
        const [fixed, ...created] = changed;
        for (const expected of EXPECTED_TEXT[key] ?? []) assert.ok(fixed.text.includes(expected), `${key} should contain ${expected}\n---\n${fixed.text}`);
        for (const expected of EXPECTED_CREATED[key] ?? []) assert.ok(created.some((c) => c.text.includes(expected)), `a created file should contain ${expected}`);
        if (kind.code === 'CL102') assert.equal(created.length, 1, 'the worker module is created');

        // Re-analyzed with the rest of the folder: parses, and the finding is gone.
        const after = await analyzeFiles([...files.filter((f) => f.path !== path), ...changed], { workers: 1, environmentFor });
        for (const changedFile of changed) {
          const again = resultFor(after, changedFile.path);
          assert.equal(again.error, undefined);
          assert.equal(again.syntaxErrors, undefined, `${changedFile.path} parses:\n${changedFile.text}`);
        }
        const remaining = resultFor(after, path).diagnostics.filter((d) => d.code === kind.code && d.functionName === diagnostic.functionName);
        assert.deepEqual(remaining.map((d) => d.message), [], 'the finding is gone');

        if (program.endsWith('.ts')) return;
        const original = runNode(materialize(kind.folder, 'original', [], kind.packages), program);
        const rewritten = runNode(materialize(kind.folder, 'fixed', changed, kind.packages), program);
        assert.equal(original.status, 0, `the original runs: ${original.stderr}`);
        assert.notEqual(original.stdout.trim(), '', 'the original prints something');
        assert.equal(rewritten.status, 0, `the fixed program runs: ${rewritten.stderr}\n---\n${fixed.text}`);
        assert.equal(rewritten.stdout, original.stdout);
      });
    }
  });
}

void describe('JS fixes: the concurrent version is not slower on an I/O fixture', () => {
  void it('promise-all/push.mjs (ten sequential 50 ms waits) runs no slower once fixed', async (t) => {
    const files = folderFiles('promise-all');
    const path = join(FIXTURES, 'promise-all', 'push.mjs');
    const [result] = await analyzeFiles(files.filter((f) => f.path === path), { workers: 1 });
    const fix = result.diagnostics.find((d) => d.code === 'CL302')?.fixes[0];
    assert.ok(fix);
    const original = runNode(materialize('promise-all', 'timing-original', []), 'push.mjs');
    const rewritten = runNode(materialize('promise-all', 'timing-fixed', applyFix(files.find((f) => f.path === path)!, fix)), 'push.mjs');
    assert.equal(original.status, 0);
    assert.equal(rewritten.status, 0);
    assert.equal(rewritten.stdout, original.stdout);
    t.diagnostic(`original ${original.seconds.toFixed(3)} s, fixed ${rewritten.seconds.toFixed(3)} s`);
    // A sanity bound that holds on a noisy machine; the expected figures are ~0.6 s vs ~0.1 s.
    assert.ok(rewritten.seconds <= original.seconds * 1.5 + 0.5, `fixed ${rewritten.seconds} s vs original ${original.seconds} s`);
  });
});

/** Analyzes one inline file and returns its result. */
async function analyzeText(path: string, text: string, environment = EMPTY_ENVIRONMENT): Promise<FileResult> {
  const [result] = await analyzeFiles([{ path, text }], { workers: 1, environmentFor: () => environment });
  return result;
}

function fixesFor(result: FileResult, code: DiagnosticCode): Fix[] {
  return result.diagnostics.filter((d) => d.code === code).flatMap((d) => d.fixes);
}

const WAIT = `import { setTimeout as delay } from 'node:timers/promises';\nasync function get(id, n = 0) { await delay(1); return id + n; }\n`;

void describe('JS fixes: preconditions', () => {
  void it('a loop with `break` gets no Promise.all fix', async () => {
    const result = await analyzeText('break.mjs', `${WAIT}export async function firstSmall(ids) {\n  const out = [];\n  for (const id of ids) {\n    const v = await get(id);\n    if (v > 10) break;\n    out.push(v);\n  }\n  return out;\n}\n`);
    assert.deepEqual(fixesFor(result, 'CL302'), []);
  });

  void it('a loop with a carried variable gets no Promise.all fix', async () => {
    const result = await analyzeText('carried.mjs', `${WAIT}export async function total(ids) {\n  let sum = 0;\n  for (const id of ids) {\n    sum += await get(id);\n  }\n  return sum;\n}\n`);
    assert.deepEqual(fixesFor(result, 'CL302'), []);
  });

  void it('a loop whose call reads the results array gets no Promise.all fix', async () => {
    const result = await analyzeText('reads-results.mjs', `${WAIT}export async function chain(ids) {\n  const out = [];\n  for (const id of ids) {\n    out.push(await get(id, out.length));\n  }\n  return out;\n}\n`);
    assert.ok(result.diagnostics.some((d) => d.code === 'CL302'), 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL302'), []);
  });

  const HEAVY_BODY = 'let t = 0;\n  for (let i = 0; i < n; i++) {\n    for (let j = 0; j < n; j++) t = (t + i * j) % 1000003;\n  }\n  return t';

  void it('a CPU function using `this` gets no worker fix', async () => {
    const result = await analyzeText('this.mjs', `function heavy(n) {\n  ${HEAVY_BODY} + (this?.offset ?? 0);\n}\nexport async function handle(n) {\n  return heavy(n);\n}\n`);
    assert.equal(result.diagnostics.filter((d) => d.code === 'CL102').length, 1, 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL102'), []);
  });

  void it('a CPU function reading module state gets no worker fix', async () => {
    const result = await analyzeText('state.mjs', `let calls = 0;\nfunction heavy(n) {\n  calls++;\n  ${HEAVY_BODY};\n}\nexport async function handle(n) {\n  return heavy(n) + calls;\n}\n`);
    assert.equal(result.diagnostics.filter((d) => d.code === 'CL102').length, 1, 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL102'), []);
  });

  void it('a CPU generator function (function*) gets no worker fix, defined here or imported: its call does none of the work', async () => {
    const heavy = `function heavy(n) {\n  ${HEAVY_BODY};\n}\n`;
    const generator = `function* tables(n) {\n  for (let k = 0; k < 3; k++) yield heavy(n + k);\n}\n`;
    const handle = 'export async function handle(n) {\n  const rows = tables(n);\n  return Array.from(rows);\n}\n';
    const here = await analyzeText('generator.mjs', `${generator}${heavy}${handle}`);
    assert.equal(here.diagnostics.filter((d) => d.code === 'CL102').length, 1, 'the finding is there');
    assert.deepEqual(fixesFor(here, 'CL102'), []);
    // Imported, the worker would import it and send back what it returns: a generator, which cannot be cloned.
    const files = [
      { path: '/project/tables.mjs', text: `export ${generator}export function plain(n) {\n  return heavy(n);\n}\n${heavy}` },
      { path: '/project/app.mjs', text: `import { plain, tables } from './tables.mjs';\n${handle}export async function direct(n) {\n  return plain(n);\n}\n` },
    ];
    const [, app] = await analyzeFiles(files, { workers: 1 });
    const findings = app.diagnostics.filter((d) => d.code === 'CL102');
    assert.equal(findings.length, 2, 'both calls are findings');
    const [ofGenerator, ofPlain] = [...findings].sort((a, b) => a.line - b.line);
    assert.deepEqual(ofGenerator.fixes, []);
    assert.ok(ofPlain.fixes.length > 0, 'the plain function gets the worker fix');
  });

  void it('a CPU function given a function argument gets no worker fix', async () => {
    const result = await analyzeText('callback.mjs', `function heavy(n, f) {\n  ${HEAVY_BODY} + f(n);\n}\nexport async function handle(n) {\n  return heavy(n, (x) => x * 2);\n}\n`);
    assert.deepEqual(fixesFor(result, 'CL102'), []);
  });

  void it('a sync call inside a callback of the async function gets no await fix', async () => {
    const result = await analyzeText('callback-fs.mjs', `import fs from 'node:fs';\nexport async function readAll(paths) {\n  return paths.map((p) => fs.readFileSync(p, 'utf8'));\n}\n`);
    assert.ok(result.diagnostics.some((d) => d.code === 'CL101'), 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL101'), []);
  });

  void it('execSync with `stdio` or `input` (no promisified equivalent) gets no fix', async () => {
    const result = await analyzeText('stdio.mjs', `import { execSync } from 'node:child_process';\nexport async function build() {\n  execSync('make', { stdio: 'inherit' });\n  return execSync('cat', { input: 'x' });\n}\n`);
    assert.equal(result.diagnostics.filter((d) => d.code === 'CL101').length, 2);
    assert.deepEqual(fixesFor(result, 'CL101'), []);
  });

  void it('a handler that returns a value is not made async', async () => {
    const result = await analyzeText('returns.mjs', `import fs from 'node:fs';\nconst app = { get() {} };\napp.get('/x', (req, res) => {\n  return res.send(fs.readFileSync('x'));\n});\n`);
    assert.ok(result.diagnostics.some((d) => d.code === 'CL101'), 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL101'), []);
  });

  void it('a named readFileSync goes through the existing `fs` binding when `readFile` is taken', async () => {
    const result = await analyzeText('own.mjs', `import fs from 'node:fs';\nimport { readFileSync } from 'node:fs';\nconst readFile = 1;\nexport async function load(p) {\n  return readFileSync(p) + readFile;\n}\n`);
    const [fix] = fixesFor(result, 'CL101');
    assert.ok(fix, 'a fix that reuses the default import');
    assert.match(applyEdits(`import fs from 'node:fs';\nimport { readFileSync } from 'node:fs';\nconst readFile = 1;\nexport async function load(p) {\n  return readFileSync(p) + readFile;\n}\n`, fix.edits), /return await fs\.promises\.readFile\(p\) \+ readFile;/);
  });

  void it('a user function named `runInWorker` is neither reused nor shadowed', async () => {
    const result = await analyzeText('own-helper.mjs', `function runInWorker(x) {\n  return x;\n}\nfunction heavy(n) {\n  ${HEAVY_BODY};\n}\nexport async function handle(n) {\n  return runInWorker(heavy(n));\n}\n`);
    assert.equal(result.diagnostics.filter((d) => d.code === 'CL102').length, 1, 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL102'), []);
  });
});

void describe('JS fixes: the piscina pool only where the project declares piscina', () => {
  const HEAVY = 'function heavy(n) {\n  let t = 0;\n  for (let i = 0; i < n; i++) {\n    for (let j = 0; j < n; j++) t = (t + i * j) % 1000003;\n  }\n  return t;\n}\n';

  void it('without piscina in package.json, the same programs get the worker_threads fix alone', async () => {
    const files = folderFiles('piscina');
    const results = await analyzeFiles(files, { workers: 1, environmentFor: () => declaring(['tinypool', 'workerpool']) });
    const programs = programsOf('piscina');
    for (const program of programs) {
      const fixes = fixesFor(resultFor(results, join(FIXTURES, 'piscina', program)), 'CL102');
      assert.deepEqual(fixes.map((f) => WORKER_TITLE.test(f.title) && f.preferred), [true], `${program}: ${fixes.map((f) => f.title).join(' | ')}`);
    }
  });

  void it('with piscina declared, the worker fixtures get the pool first and the worker second', async () => {
    const files = folderFiles('worker');
    const results = await analyzeFiles(files, { workers: 1, environmentFor: () => declaring(['piscina']) });
    for (const program of programsOf('worker')) {
      const fixes = fixesFor(resultFor(results, join(FIXTURES, 'worker', program)), 'CL102');
      assert.equal(fixes.length, 2, `${program}: ${fixes.map((f) => f.title).join(' | ')}`);
      assert.match(fixes[0].title, PISCINA_TITLE);
      assert.equal(fixes[0].preferred, true);
      assert.match(fixes[1].title, WORKER_TITLE);
      assert.equal(fixes[1].preferred, false);
    }
  });

  void it('a TypeScript file gets no pool fix (the task module would need compiling)', async () => {
    const result = await analyzeText('heavy.ts', `${HEAVY}export async function handle(n: number): Promise<number> {\n  return heavy(n);\n}\n`, declaring(['piscina']));
    assert.equal(result.diagnostics.filter((d) => d.code === 'CL102').length, 1, 'the finding is there');
    assert.deepEqual(fixesFor(result, 'CL102'), []);
  });

  void it('a file whose own `Piscina` is something else gets the worker fix alone', async () => {
    const result = await analyzeText('own-piscina.mjs', `const Piscina = { note: 'not the library' };\n${HEAVY}export async function handle(n) {\n  return heavy(n) + Piscina.note.length;\n}\n`, declaring(['piscina']));
    assert.deepEqual(fixesFor(result, 'CL102').map((f) => WORKER_TITLE.test(f.title)), [true]);
  });

  void it('a taken `<name>Pool` gives the pool another name', async () => {
    const text = `import Piscina from 'piscina';\nconst heavyPool = [];\n${HEAVY}export async function handle(n) {\n  heavyPool.push(n);\n  return heavy(n);\n}\n`;
    const [fix] = fixesFor(await analyzeText('taken.mjs', text, declaring(['piscina'])), 'CL102');
    assert.ok(fix && PISCINA_TITLE.test(fix.title), fix?.title);
    const fixed = applyEdits(text, fix.edits);
    assert.ok(fixed.includes("const heavyPiscina = new Piscina({ filename: new URL('./heavy.piscina.mjs', import.meta.url).href });"), fixed);
    assert.ok(fixed.includes('return await heavyPiscina.run([n]);'), fixed);
    assert.equal(fixed.split("from 'piscina'").length - 1, 1, 'the existing import serves');
  });
});

void describe('JS fixes: applied one after another', () => {
  /** Applies the first fix offered, re-analyzes, and again, until none is left. */
  async function applyAll(path: string, text: string, environment = EMPTY_ENVIRONMENT): Promise<SourceFile[]> {
    let files: SourceFile[] = [{ path, text }];
    for (let round = 0; round < 6; round++) {
      const results = await analyzeFiles(files, { workers: 1, environmentFor: () => environment });
      const fix = resultFor(results, path).diagnostics.flatMap((d) => d.fixes)[0];
      if (!fix) return files;
      const [fixed, ...created] = applyFix(files[0], fix);
      files = [fixed, ...files.slice(1).filter((f) => !created.some((c) => c.path === f.path)), ...created];
    }
    assert.fail('fixes kept coming');
  }

  function count(text: string, part: string): number {
    return text.split(part).length - 1;
  }

  /** Writes the files into a fresh folder (seeing this repository's node_modules when asked) and runs the two programs in it. */
  function runBoth(files: Record<string, string>, before: string, after: string, withPackages = false): { before: Run; after: Run } {
    const dir = mkdtempSync(join(scratch, 'sequential-'));
    if (withPackages) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return { before: runNode(dir, before), after: runNode(dir, after) };
  }

  void it('share one promisified `exec` and one `promisify` import, and print the same', async () => {
    const path = join(FIXTURES, 'sequential-exec.mjs');
    const text = `import { execSync } from 'node:child_process';\n\nasync function first() {\n  return execSync('echo one').toString().trim();\n}\n\nasync function second() {\n  return execSync('echo two', { encoding: 'utf8' }).trim();\n}\n\nconsole.log(await first(), await second());\n`;
    const [fixed] = await applyAll(path, text);
    assert.equal(count(fixed.text, 'const execAsync = promisify(exec);'), 1, fixed.text);
    assert.equal(count(fixed.text, "import { promisify } from 'node:util';"), 1);
    assert.equal(count(fixed.text, 'execSync('), 0);
    const { before, after } = runBoth({ 'before.mjs': text, 'after.mjs': fixed.text }, 'before.mjs', 'after.mjs');
    assert.equal(before.stdout, 'one two\n');
    assert.equal(after.stdout, before.stdout, after.stderr);
  });

  void it('share one `runInWorker` helper and one worker module per function', async () => {
    const path = join(FIXTURES, 'sequential-worker.mjs');
    const text = `function heavy(n) {\n  let t = 0;\n  for (let i = 0; i < n; i++) {\n    for (let j = 0; j < n; j++) t = (t + i * j) % 1000003;\n  }\n  return t;\n}\n\nasync function a(n) {\n  return heavy(n);\n}\n\nasync function b(n) {\n  return heavy(n * 2);\n}\n\nconsole.log(await a(300), await b(300));\n`;
    const files = await applyAll(path, text);
    const [fixed, ...created] = files;
    assert.equal(count(fixed.text, 'function runInWorker('), 1, fixed.text);
    assert.equal(count(fixed.text, "import { Worker } from 'node:worker_threads';"), 1);
    assert.equal(count(fixed.text, "await runInWorker(new URL('./heavy.worker.mjs', import.meta.url)"), 2);
    assert.deepEqual(created.map((c) => c.path), [join(FIXTURES, 'heavy.worker.mjs')]);
    const { before, after } = runBoth({ 'before.mjs': text, 'after.mjs': fixed.text, 'heavy.worker.mjs': created[0].text }, 'before.mjs', 'after.mjs');
    assert.equal(before.status, 0);
    assert.equal(after.stdout, before.stdout, after.stderr);
  });

  void it('share one piscina pool, one import and one task module per function, and print the same', async () => {
    const path = join(FIXTURES, 'sequential-piscina.cjs');
    const text = `function heavy(n) {\n  let t = 0;\n  for (let i = 0; i < n; i++) {\n    for (let j = 0; j < n; j++) t = (t + i * j) % 1000003;\n  }\n  return t;\n}\n\nasync function a(n) {\n  return heavy(n);\n}\n\nasync function b(n) {\n  return heavy(n * 2) + 1;\n}\n\nPromise.all([a(300), b(300)]).then((results) => console.log(results.join(' ')));\n`;
    const files = await applyAll(path, text, declaring(['piscina']));
    const [fixed, ...created] = files;
    assert.equal(count(fixed.text, "const Piscina = require('piscina');"), 1, fixed.text);
    assert.equal(count(fixed.text, 'new Piscina('), 1);
    assert.equal(count(fixed.text, 'await heavyPool.run(['), 2);
    assert.deepEqual(created.map((c) => c.path), [join(FIXTURES, 'heavy.piscina.cjs')]);
    const { before, after } = runBoth({ 'before.cjs': text, 'after.cjs': fixed.text, 'heavy.piscina.cjs': created[0].text }, 'before.cjs', 'after.cjs', true);
    assert.equal(before.status, 0);
    assert.equal(after.status, 0, after.stderr);
    assert.equal(after.stdout, before.stdout);
  });
});
