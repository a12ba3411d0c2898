/**
 * Scaling out, end to end in the editor: a project's environment choosing CL202's and CL102's
 * quick fixes, and the fixes applied as a user applies them (the code action's `WorkspaceEdit`,
 * then a save) giving programs that print what the originals printed.
 *
 * - test/fixtures/editor/scaling/dask: `pyproject.toml` declares `dask[distributed]`; collatz.py
 *   maps a pure-Python CPU-bound function over a few limits (CL202). The process pool is the
 *   preferred fix, "Distribute with Dask" is offered beside it; applied and saved, the file runs
 *   with Debian's `/usr/bin/python3` (which has dask and distributed) through a real local Dask
 *   cluster, prints the same, and leaves no process behind.
 * - the same module in a sibling project declaring something else: no Dask fix; the dask
 *   declaration removed from `pyproject.toml` on disk: the Dask fix goes, and comes back.
 * - `concurrencyLens.python.freeThreaded: "on"`: the thread pool first and preferred.
 * - test/fixtures/editor/scaling/piscina: `package.json` declares piscina; a CPU-heavy call on
 *   the event loop (CL102) gets the piscina pool (preferred) and the worker fix second; applied,
 *   the task module is created and the program, run with `node` against this repository's
 *   piscina (a `node_modules` link, as the unit tests do), prints the same.
 *
 * The projects are copied into a scratch folder of the workspace (code-server runs the suite on
 * a scratch copy of the examples), removed afterwards. The interpreter setting points at a path
 * that does not exist, so only the project files decide what the fixes see (the machine's
 * `python3` is never probed into the answer). Every wait is on a signal (diagnostics changing),
 * bounded.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ConcurrencyLensApi } from '../../src/extension/extension';
import { codeOn, codeValue, hoverAt, lineOf, open, quickFixesWhen, removeScratch, runProgram, scratchFolder, waitForDiagnostics, writeSeenByEditor } from './support';

/** Debian's python3 with python3-distributed installed: the Dask rewrite runs there. */
const DEBIAN_PYTHON = '/usr/bin/python3';
const DEBIAN_DISTRIBUTED = '/usr/lib/python3/dist-packages/distributed/__init__.py';

/** The repository (this bundle runs as out/test/integration/*.cjs): fixtures are read there, never written. */
const REPO = resolve(__dirname, '../../..');
const FIXTURES = join(REPO, 'test/fixtures/editor/scaling');

const TITLES = {
  processes: /^Run the `longest_chain` calls in parallel processes \(`ProcessPoolExecutor\.map`\)/,
  dask: /^Distribute the `longest_chain` calls with Dask \(`client\.map`\)/,
  threads: /^Run the iterations in a thread pool \(`ThreadPoolExecutor\.map`\): this Python runs without the GIL/,
  piscina: /^Run `abundantBelow` in a piscina worker pool \(creates abundantBelow\.piscina\.mjs/,
  worker: /^Run `abundantBelow` in a worker thread \(creates abundantBelow\.worker\.mjs\)/,
};

/** The titles of the actions, the preferred ones marked, for assertion messages. */
function listed(actions: vscode.CodeAction[]): string {
  return actions.map((a) => `${a.isPreferred ? '(preferred) ' : ''}${a.title}`).join(' | ');
}

const titled = (actions: vscode.CodeAction[], title: RegExp): vscode.CodeAction | undefined => actions.find((a) => title.test(a.title));

/** The one preferred action, which must match `title`. */
function preferredIs(actions: vscode.CodeAction[], title: RegExp): boolean {
  const preferred = actions.filter((a) => a.isPreferred);
  return preferred.length === 1 && title.test(preferred[0].title);
}

/** Resolves once the document's text satisfies `condition`: checked now and on each of its changes, for at most `timeoutMs`. */
function textWhen(document: vscode.TextDocument, condition: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolvePromise();
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && condition(document.getText())) finish();
    });
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    if (condition(document.getText())) finish();
  });
}

/** Resolves when the document is next saved, within `timeoutMs`. */
function savedOnce(document: vscode.TextDocument, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${document.fileName} was not saved within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = vscode.workspace.onDidSaveTextDocument((saved) => {
      if (saved !== document) return;
      clearTimeout(timer);
      subscription.dispose();
      resolvePromise();
    });
  });
}

const PYPROJECT_WITHOUT_DASK = `[project]
name = "collatz"
version = "0.1.0"
dependencies = ["numpy"]
`;

describe('scaling out in the editor: the project environment chooses the fixes, which run', () => {
  let folder = '';
  let daskDir = '';
  let plainDir = '';
  let piscinaDir = '';
  let collatz: vscode.TextDocument;
  let loopLine = 0;
  let api: ConcurrencyLensApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concurrencyLens');

  /** collatz.py's CL202 fixes once `condition` holds for them. */
  const cl202Fixes = (condition: (actions: vscode.CodeAction[]) => boolean, what: string): Promise<vscode.CodeAction[]> =>
    quickFixesWhen(collatz, 'CL202', loopLine, condition, what);

  before(async function () {
    this.timeout(60_000);
    ({ api, folder } = await scratchFolder('scaling'));
    daskDir = join(folder, 'dask');
    plainDir = join(folder, 'plain');
    piscinaDir = join(folder, 'piscina');
    cpSync(join(FIXTURES, 'dask'), daskDir, { recursive: true });
    mkdirSync(plainDir);
    cpSync(join(FIXTURES, 'dask/collatz.py'), join(plainDir, 'collatz.py'));
    writeFileSync(join(plainDir, 'pyproject.toml'), PYPROJECT_WITHOUT_DASK);
    cpSync(join(FIXTURES, 'piscina'), piscinaDir, { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(piscinaDir, 'node_modules'), 'dir');
    collatz = await open(join(daskDir, 'collatz.py'));
    loopLine = lineOf(collatz, 'return [longest_chain(limit)');
  });

  after(() => removeScratch(folder));

  it('a project declaring dask[distributed]: CL202 on the loop, the process pool preferred and "Distribute with Dask" offered', async function () {
    this.timeout(60_000);
    const diagnostics = await waitForDiagnostics(collatz.uri, codeOn('CL202', loopLine), 'CL202 on the comprehension');
    const finding = diagnostics.find((d) => codeValue(d) === 'CL202' && d.range.start.line === loopLine);
    assert.ok(finding);
    assert.equal(collatz.getText(finding.range), '[longest_chain(limit) for limit in limits]');
    assert.match(finding.message, /`longest_chain`, pure-Python CPU work/);
    const actions = await cl202Fixes((a) => titled(a, TITLES.dask) !== undefined, 'the Dask fix');
    assert.ok(preferredIs(actions, TITLES.processes), `the process pool is the one preferred fix: ${listed(actions)}`);
    assert.deepEqual(
      actions.map((a) => Object.keys(TITLES).find((k) => TITLES[k as keyof typeof TITLES].test(a.title))),
      ['processes', 'dask'],
      listed(actions),
    );
    // The hover on the function advises as the fixes do: processes on this machine, the project's Dask beyond it.
    const hover = await hoverAt(collatz, lineOf(collatz, 'def longest_chain('), 6);
    assert.match(hover, /CPU-bound/);
    assert.match(hover, /use processes \(`ProcessPoolExecutor`/);
    assert.match(hover, /The project has Dask \(`client\.map`\)/);
  });

  it('the same module in a project that does not declare dask: the process pool alone', async function () {
    this.timeout(60_000);
    const plain = await open(join(plainDir, 'collatz.py'));
    await waitForDiagnostics(plain.uri, codeOn('CL202', loopLine), 'CL202 in the sibling project');
    const actions = await quickFixesWhen(plain, 'CL202', loopLine, (a) => a.length > 0, 'a fix');
    assert.equal(actions.length, 1, listed(actions));
    assert.match(actions[0].title, TITLES.processes);
    assert.equal(titled(actions, TITLES.dask), undefined);
    await vscode.window.showTextDocument(collatz);
  });

  it('python.freeThreaded "on": the thread pool first and preferred, the process pool and Dask still offered', async function () {
    this.timeout(60_000);
    try {
      await config().update('python.freeThreaded', 'on', vscode.ConfigurationTarget.Global);
      const actions = await cl202Fixes((a) => preferredIs(a, TITLES.threads), 'the thread pool preferred');
      assert.match(actions[0].title, TITLES.threads, `first: ${listed(actions)}`);
      assert.ok(titled(actions, TITLES.processes), listed(actions));
      assert.ok(titled(actions, TITLES.dask), listed(actions));
    } finally {
      await config().update('python.freeThreaded', undefined, vscode.ConfigurationTarget.Global);
    }
    const actions = await cl202Fixes((a) => preferredIs(a, TITLES.processes), 'the process pool preferred again with the setting removed');
    assert.equal(titled(actions, TITLES.threads), undefined, listed(actions));
  });

  it('pyproject.toml edited on disk: without dask the Dask fix goes; declared again, it is back', async function () {
    this.timeout(90_000);
    const pyproject = join(daskDir, 'pyproject.toml');
    const declared = readFileSync(pyproject, 'utf8');
    // Following a project file edited on disk is the environment suite's test, on its own folder.
    // Here code-server's watcher reports nothing for this folder in about one run in two (nor to a
    // watcher of the test's own): then the user's remedy, Re-analyze Workspace, reads it again.
    // What is checked here either way is that the fixes follow the environment.
    const written = async (text: string): Promise<void> => {
      if (!(await writeSeenByEditor(pyproject, text))) await vscode.commands.executeCommand('concurrencyLens.reanalyzeWorkspace');
    };
    try {
      await written(PYPROJECT_WITHOUT_DASK);
      // On a timeout, the message says whether the last run still had dask (the edit not followed) or not (the fixes stale).
      const actions = await cl202Fixes((a) => a.length > 0 && titled(a, TITLES.dask) === undefined, 'the Dask fix gone').catch((error: Error) => {
        const modules = api.analysis.environmentOf(collatz.uri)?.pythonModules;
        throw new Error(`${error.message}; the last run's environment: ${modules ? [...modules].join(', ') || 'nothing' : 'none'}`);
      });
      assert.ok(preferredIs(actions, TITLES.processes), listed(actions));
    } catch (error) {
      writeFileSync(pyproject, declared);
      throw error;
    }
    await written(declared);
    await cl202Fixes((a) => titled(a, TITLES.dask) !== undefined, 'the Dask fix back');
  });

  it('the Dask fix applied and saved: Debian\'s python3 runs it on a local cluster, prints what the original printed, and leaves no process behind', async function () {
    if (!existsSync(DEBIAN_PYTHON) || !existsSync(DEBIAN_DISTRIBUTED)) this.skip();
    this.timeout(240_000);
    const original = await runProgram(DEBIAN_PYTHON, ['collatz.py'], daskDir);
    assert.equal(original.status, 0, original.stderr);
    assert.match(original.stdout, /^\[\(\d+, \d+\), /);

    const fix = titled(await cl202Fixes((a) => titled(a, TITLES.dask) !== undefined, 'the Dask fix'), TITLES.dask);
    assert.ok(fix?.edit, 'the Dask fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(await collatz.save(), 'saved');
    const saved = readFileSync(join(daskDir, 'collatz.py'), 'utf8');
    assert.match(saved, /^from dask\.distributed import Client$/m);
    assert.match(saved, /^ {4}with Client\(\) as client:\n {8}return client\.gather\(client\.map\(longest_chain, limits\)\)$/m);
    assert.match(saved, /^if __name__ == "__main__":\n {4}print\(longest_chains\(\[1000, 5000, 10000, 20000\]\)\)\n?$/m);
    // The fixed loop is analyzed again: no CL202 left on it.
    await waitForDiagnostics(collatz.uri, (d) => !d.some((x) => codeValue(x) === 'CL202'), 'CL202 gone after the fix');

    const fixed = await runProgram(DEBIAN_PYTHON, ['collatz.py'], daskDir, 180_000);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.equal(fixed.stdout, original.stdout);
  });

  it('a project declaring piscina: CL102 gets the piscina pool (preferred) and the worker second; applied, the task module is created and node prints the same', async function () {
    this.timeout(120_000);
    const original = await runProgram('node', ['abundance.mjs'], piscinaDir);
    assert.equal(original.status, 0, original.stderr);
    assert.match(original.stdout, /^small: \d+ abundant numbers below 20000\nlarge: \d+ abundant numbers below 60000\n$/);

    const document = await open(join(piscinaDir, 'abundance.mjs'));
    const line = lineOf(document, 'const count = abundantBelow(');
    await waitForDiagnostics(document.uri, codeOn('CL102', line), 'CL102 on the call');
    const actions = await quickFixesWhen(document, 'CL102', line, (a) => titled(a, TITLES.piscina) !== undefined, 'the piscina fix');
    assert.ok(preferredIs(actions, TITLES.piscina), `the pool is the one preferred fix: ${listed(actions)}`);
    assert.equal(actions.length, 2, listed(actions));
    assert.match(actions[1].title, TITLES.worker);

    // Applied by the editor, as the light bulb does: an edit that creates a file does not survive
    // the round trip through executeCodeActionProvider ("Could not revive data transfer file").
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, editor.document.lineAt(line).text.indexOf('abundantBelow('), line, editor.document.lineAt(line).text.indexOf('abundantBelow('));
    const changed = textWhen(document, (text) => text.includes('abundantBelowPool.run('), 'the piscina fix applied');
    const savedByEditor = savedOnce(document);
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: vscode.CodeActionKind.QuickFix.value, preferred: true, apply: 'first' });
    await changed;
    // An edit creating a file is saved by the editor with it (files.refactoring.autoSave): a save
    // asked for meanwhile answers false, and the editor's own save is the signal.
    if (!(await document.save())) await savedByEditor;
    assert.equal(document.isDirty, false);
    const task = join(piscinaDir, 'abundantBelow.piscina.mjs');
    assert.ok(existsSync(task), 'the task module is created on disk');
    assert.match(readFileSync(task, 'utf8'), /^export default \(args\) => abundantBelow\(\.\.\.args\);$/m);
    const saved = readFileSync(join(piscinaDir, 'abundance.mjs'), 'utf8');
    assert.match(saved, /^import Piscina from 'piscina';$/m);
    assert.match(saved, /^ {2}const count = await abundantBelowPool\.run\(\[request\.limit\]\);$/m);

    const fixed = await runProgram('node', ['abundance.mjs'], piscinaDir);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.equal(fixed.stdout, original.stdout);
  });
});
