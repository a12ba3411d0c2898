/**
 * A workspace with over 1 MB of source: the extension's runs parse it on worker threads (the
 * engine's choice for large inputs), with the environment callback and the extraction cache kept
 * in the extension host. The findings are those of a small workspace: a chain across files, a
 * fix that depends on the project's declared environment.
 *
 * The modules are written into a folder of their own in the workspace (code-server runs the suite
 * on a scratch copy of the examples) and indexed with Re-analyze Workspace; the folder is removed
 * afterwards and the workspace indexed again, so later suites analyze what they did before.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { codeOn, codeValue, lineOf, open, quickFixesWhen, removeScratch, scratchFolder, waitForDiagnostics } from './support';

/** The repository (this bundle runs as out/test/integration/*.cjs): the fixture is read there, never written. */
const REPO = resolve(__dirname, '../../..');
const MODULES = 40;

describe('a workspace with over 1 MB of source (parsed on worker threads)', () => {
  let folder = '';

  before(async function () {
    this.timeout(60_000);
    ({ folder } = await scratchFolder('large'));
    const filler = Array.from({ length: 600 }, (_, i) => `def helper_${i}(values):\n    return [v * ${i} for v in values]\n\n\n`).join('');
    let size = 0;
    const write = (path: string, text: string): void => {
      mkdirSync(join(folder, path, '..'), { recursive: true });
      writeFileSync(join(folder, path), text);
      size += text.length;
    };
    write('pyproject.toml', '[project]\nname = "large"\nversion = "1"\ndependencies = ["dask[distributed]"]\n');
    for (let i = 0; i < MODULES; i++) write(`pkg/mod_${i}.py`, `import requests\n\n\n${filler}def fetch_${i}(url):\n    return requests.get(url).text\n`);
    write('pkg/__init__.py', '');
    write('pkg/app.py', 'from .mod_7 import fetch_7\n\n\nasync def refresh():\n    return fetch_7("https://x")\n');
    write('pkg/crunch.py', readFileSync(join(REPO, 'test/fixtures/editor/scaling/dask/collatz.py'), 'utf8'));
    assert.ok(size > 1024 * 1024, `${size} bytes of source`);
    await vscode.commands.executeCommand(Commands.reanalyzeWorkspace);
  });

  after(async function () {
    this.timeout(60_000);
    await removeScratch(folder);
    await vscode.commands.executeCommand(Commands.reanalyzeWorkspace);
  });

  it('follows a call into another of its modules: CL101 in refresh through fetch_7', async function () {
    this.timeout(60_000);
    const app = await open(join(folder, 'pkg/app.py'));
    const diagnostics = await waitForDiagnostics(app.uri, codeOn('CL101', lineOf(app, 'fetch_7("https://x")')), 'CL101 on the call of fetch_7', 45_000);
    const found = diagnostics.find((d) => codeValue(d) === 'CL101');
    assert.match(found?.message ?? '', /requests\.get/);
  });

  it('offers the fixes its declared environment allows: Dask beside the process pool', async function () {
    this.timeout(60_000);
    const crunch = await open(join(folder, 'pkg/crunch.py'));
    const line = lineOf(crunch, 'return [longest_chain(limit)');
    await waitForDiagnostics(crunch.uri, codeOn('CL202', line), 'CL202 on the loop', 45_000);
    const actions = await quickFixesWhen(crunch, 'CL202', line, (found) => found.some((a) => /with Dask/.test(a.title)), 'the Dask fix');
    assert.ok(actions.some((a) => a.isPreferred && /in parallel processes/.test(a.title)), actions.map((a) => a.title.slice(0, 60)).join(' | '));
  });
});
