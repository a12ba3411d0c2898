/**
 * The project environment in the editor: what a project declares on disk (`pyproject.toml`,
 * `requirements.txt`), `concurrencyLens.python.freeThreaded` and the interpreter's probe reach
 * the analysis (what each run hands the engine for a file, read through the extension's API) and
 * the hover's advice, and follow changes on disk and in the settings without a reload.
 *
 * The project is a folder of its own written into the workspace (code-server runs the suite on a
 * scratch copy of the examples), removed afterwards. The interpreter setting points at a path
 * that does not exist first, so only the files count whatever Python the machine has; the
 * probe's own test then names Debian's python3, which has Dask. Every wait is on an analysis run
 * (a signal), bounded.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ProjectEnvironment } from '../../src/core';
import { EnvironmentService } from '../../src/extension/environment';
import type { ConcurrencyLensApi } from '../../src/extension/extension';
import { SettingsReader } from '../../src/extension/settings';
import { hoverAt, lineOf, open, removeScratch, scratchFolder } from './support';

/** Debian's python3 with python3-distributed installed: the probe finds `dask` and `distributed` there. */
const DEBIAN_PYTHON = '/usr/bin/python3';
const DEBIAN_DISTRIBUTED = '/usr/lib/python3/dist-packages/distributed/__init__.py';

/** The repository (this bundle runs as out/test/integration/*.cjs): the fixture is read there, never written. */
const REPO = resolve(__dirname, '../../..');
/** A pure-Python computation: CPU-bound under the GIL. */
const CRUNCH_PY = join(REPO, 'test/fixtures/environment/editor/crunch.py');

const PYPROJECT_WITH_DASK = `[project]
name = "scratch"
version = "0.1.0"
dependencies = ["dask>=2023.1", "numpy"]
`;

const PYPROJECT_WITHOUT = `[project]
name = "scratch"
version = "0.1.0"
dependencies = ["numpy"]
`;

describe('the project environment: declared files, the free-threading setting, the interpreter', () => {
  let api: ConcurrencyLensApi;
  let folder = '';
  let document: vscode.TextDocument;
  let line = 0;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concurrencyLens');

  /** The environment the last run gave the engine for crunch.py, once `condition` holds for it (checked now and after every run). */
  function environmentWhen(condition: (environment: ProjectEnvironment) => boolean, what: string, timeoutMs = 30_000): Promise<ProjectEnvironment> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const environment = api.analysis.environmentOf(document.uri);
        if (!environment || !condition(environment)) return false;
        clearTimeout(timer);
        subscription.dispose();
        resolve(environment);
        return true;
      };
      const subscription = api.analysis.onDidAnalyze(() => void check());
      const timer = setTimeout(() => {
        subscription.dispose();
        const seen = api.analysis.environmentOf(document.uri);
        reject(new Error(`timed out waiting for ${what} (has: ${seen ? JSON.stringify({ python: [...seen.pythonModules], freeThreaded: seen.freeThreaded }) : 'no analysis'})`));
      }, timeoutMs);
      check();
    });
  }

  const hover = (): Promise<string> => hoverAt(document, line, 6);

  before(async function () {
    this.timeout(60_000);
    ({ api, folder } = await scratchFolder('environment'));
    writeFileSync(join(folder, 'pyproject.toml'), PYPROJECT_WITH_DASK);
    copyFileSync(CRUNCH_PY, join(folder, 'crunch.py'));
    document = await open(join(folder, 'crunch.py'));
    line = lineOf(document, 'def crunch');
  });

  after(() => removeScratch(folder));

  it('a pyproject.toml declaring dask: the run hands the engine dask, and the hover of a CPU-bound function names Dask first', async () => {
    const environment = await environmentWhen((e) => e.pythonModules.has('dask'), 'dask from pyproject.toml');
    assert.deepEqual([...environment.pythonModules].sort(), ['dask', 'numpy']);
    assert.equal(environment.freeThreaded, false);
    const text = await hover();
    assert.match(text, /CPU-bound/);
    assert.match(text, /use processes \(`ProcessPoolExecutor`/);
    assert.match(text, /The project has Dask \(`dask\.delayed`\) to spread the calls over a cluster when one machine is not enough: worth it once each call runs for about 100 ms or more/);
  });

  it('python.freeThreaded "on": the environment is free-threaded and the hover recommends threads', async () => {
    await config().update('python.freeThreaded', 'on', vscode.ConfigurationTarget.Global);
    await environmentWhen((e) => e.freeThreaded, 'a free-threaded environment');
    const text = await hover();
    assert.match(text, /this Python runs without the GIL \(a free-threaded build\): threads \(`ThreadPoolExecutor`\) run its bytecode in parallel/);
    assert.doesNotMatch(text, /use processes/);
    await config().update('python.freeThreaded', undefined, vscode.ConfigurationTarget.Global);
    await environmentWhen((e) => !e.freeThreaded, 'the GIL back with the setting removed');
    assert.match(await hover(), /use processes/);
  });

  it('project files edited, created and deleted on disk: the environment and the advice follow', async function () {
    this.timeout(60_000);
    writeFileSync(join(folder, 'pyproject.toml'), PYPROJECT_WITHOUT);
    writeFileSync(join(folder, 'requirements.txt'), 'ray[default]>=2.9  # the cluster\n');
    await environmentWhen((e) => !e.pythonModules.has('dask') && e.pythonModules.has('ray'), 'dask gone, ray from requirements.txt');
    assert.match(await hover(), /The project has Ray \(`@ray\.remote`\)/);
    unlinkSync(join(folder, 'requirements.txt'));
    await environmentWhen((e) => !e.pythonModules.has('ray'), 'ray gone with requirements.txt');
    const text = await hover();
    assert.match(text, /When the data or the compute outgrow one machine, Dask or Ray spread the calls over a cluster/);
    assert.doesNotMatch(text, /The project has/);
  });

  it('the interpreter probe: Debian\'s python3 can import dask and distributed, so the hover names Dask\'s client.map', async function () {
    if (!existsSync(DEBIAN_PYTHON) || !existsSync(DEBIAN_DISTRIBUTED)) this.skip();
    this.timeout(60_000);
    await config().update('bench.pythonPath', DEBIAN_PYTHON, vscode.ConfigurationTarget.Global);
    const environment = await environmentWhen((e) => e.pythonModules.has('distributed'), 'distributed from the probe of /usr/bin/python3');
    assert.ok(environment.pythonModules.has('dask'));
    assert.equal(environment.freeThreaded, false, 'Python 3.11 has the GIL');
    assert.match(await hover(), /The project has Dask \(`client\.map`\)/);
  });

  it('workspace trust: an untrusted workspace never runs the interpreter (the files alone count); a trusted one probes it once asked', async function () {
    if (!existsSync(DEBIAN_PYTHON) || !existsSync(DEBIAN_DISTRIBUTED)) this.skip();
    this.timeout(60_000);
    writeFileSync(join(folder, 'pyproject.toml'), PYPROJECT_WITHOUT);
    // Debian's python3 behind a wrapper that leaves a mark, the folder it runs in, each time it is
    // started: the extension itself probes it too (this workspace is trusted), in the workspace
    // folder; the service under test is given the scratch folder as its folder.
    const marks = join(folder, 'interpreter-starts.log');
    const wrapper = join(folder, 'python-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\npwd >> '${marks}'\nexec ${DEBIAN_PYTHON} "$@"\n`);
    const ours = (): number => (existsSync(marks) ? readFileSync(marks, 'utf8').split('\n').filter((line) => line === folder).length : 0);
    const scratchWorkspaceFolder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(folder), name: 'scratch', index: 0 };
    chmodSync(wrapper, 0o755);
    await config().update('bench.pythonPath', wrapper, vscode.ConfigurationTarget.Global);
    const log = vscode.window.createOutputChannel('Concurrency Lens environment test', { log: true });
    const settings = new SettingsReader(log);
    const crunch = document.uri.fsPath;
    const modules = async (): Promise<string[]> => [...(await environments.prepare(scratchWorkspaceFolder, [crunch]))(crunch).pythonModules].sort();
    let trusted = false;
    const environments = new EnvironmentService(settings, log, () => trusted);
    try {
      // Its change events also come from the watcher (the pyproject.toml written above): wait for the probe's answer itself.
      let changes = 0;
      environments.onDidChange(() => changes++);
      const probed = async (): Promise<string[]> => {
        for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
          const now = await modules();
          if (changes > 0 && now.includes('dask')) return now;
        }
        return modules();
      };
      assert.deepEqual(await modules(), ['numpy'], 'only what pyproject.toml declares');
      assert.deepEqual(await modules(), ['numpy']);
      // Waiting for something that must not happen: a probe starts within milliseconds of being asked for.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(ours(), 0, 'the interpreter was not started');
      trusted = true;
      assert.deepEqual(await modules(), ['numpy'], 'the first trusted run does not wait for the probe');
      assert.deepEqual(await probed(), ['dask', 'distributed', 'joblib', 'numpy']);
      assert.equal(ours(), 1, 'started once, and answers are cached');

      // Re-analyze Workspace: the interpreter is asked again; its last answer stands meanwhile,
      // and the same answer is no change (no second run, no flicker in the editor).
      const seen = changes;
      environments.clear();
      assert.deepEqual(await modules(), ['dask', 'distributed', 'joblib', 'numpy'], 'the last answer stands until the new one');
      await environments.settled();
      assert.equal(ours(), 2, 'asked again');
      assert.equal(changes, seen, 'the same answer: no change');

      // A different answer is a change: without its site directories (-S) the interpreter imports none of them.
      writeFileSync(wrapper, `#!/bin/sh\npwd >> '${marks}'\nexec ${DEBIAN_PYTHON} -S "$@"\n`);
      environments.clear();
      assert.deepEqual(await modules(), ['dask', 'distributed', 'joblib', 'numpy']);
      await environments.settled();
      assert.equal(ours(), 3);
      assert.equal(changes, seen + 1, 'the new answer is a change');
      assert.deepEqual(await modules(), ['numpy'], 'only what pyproject.toml declares again');
    } finally {
      environments.dispose();
      settings.dispose();
      log.dispose();
    }
  });
});
