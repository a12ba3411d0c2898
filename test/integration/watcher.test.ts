/**
 * Files changed on disk, not through the editor (another tool, a `git checkout`), reach the
 * analysis through the workspace's file watcher: an open caller's diagnostics and hover follow
 * a closed helper's new text, and a deleted helper's results go away.
 *
 * The files are written into a folder of their own inside the workspace (code-server runs the
 * suite on a scratch copy of the examples), removed afterwards: `runner.py`, the open caller,
 * and `remote.py`, the closed helper, written just after their folder is made (the editor's
 * watcher may then report the folder alone, or nothing for files written before it watches it). Every wait is on the caller's diagnostics changing,
 * bounded.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { codeOn, codeValue, hoverAt, lineOf, open, waitForDiagnostics, workspaceFolder } from './support';

/** The helper, doing network I/O: its caller in async code blocks the event loop through it. */
const REMOTE_NETWORK = `"""Where a job's input comes from."""
import urllib.request


def load(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()
`;

/** The same helper, no longer doing I/O (the input now comes with the job). */
const REMOTE_LOCAL = `"""Where a job's input comes from."""


def load(url):
    return url.encode()
`;

/** The caller, open in the editor; it never changes. */
const RUNNER = `"""Runs a job on the event loop."""
from remote import load


async def run_job(url):
    data = load(url)
    return len(data)
`;

describe('the file watcher: helpers changed on disk', () => {
  let folder = '';
  let remote = '';
  let runner: vscode.TextDocument;
  let callLine: number;
  let nameColumn: number;
  const blocking = (): ((diagnostics: vscode.Diagnostic[]) => boolean) => codeOn('CL101', callLine);

  before(async () => {
    folder = join(workspaceFolder().uri.fsPath, `watcher_scratch_${process.pid}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    remote = join(folder, 'remote.py');
    writeFileSync(remote, REMOTE_NETWORK);
    writeFileSync(join(folder, 'runner.py'), RUNNER);
    runner = await open(join(folder, 'runner.py'));
    callLine = lineOf(runner, 'data = load(url)');
    nameColumn = runner.lineAt(lineOf(runner, 'async def run_job')).text.indexOf('run_job') + 2;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('indexes a folder made with its files: the call blocks the event loop through its helper (CL101, the chain in the hover)', async () => {
    const [diagnostic] = (await waitForDiagnostics(runner.uri, blocking(), 'CL101 on the call to load')).filter(
      (d) => codeValue(d) === 'CL101',
    );
    assert.match(diagnostic.message, /`load` → `urllib\.request\.urlopen`/);
    const hover = await hoverAt(runner, lineOf(runner, 'async def run_job'), nameColumn);
    assert.match(hover, /I\/O-bound · network/);
    assert.match(hover, /urllib\.request\.urlopen/);
  });

  it('follows the helper rewritten on disk (no more I/O): the finding and the verdict go, and come back', async () => {
    await waitForDiagnostics(runner.uri, blocking(), 'CL101 to start with');
    writeFileSync(remote, REMOTE_LOCAL);
    await waitForDiagnostics(runner.uri, (diagnostics) => diagnostics.length === 0, 'the findings to go once load does no I/O');
    const hover = await hoverAt(runner, lineOf(runner, 'async def run_job'), nameColumn);
    assert.doesNotMatch(hover, /I\/O-bound/);
    assert.doesNotMatch(hover, /urlopen/);
    assert.equal(runner.isDirty, false, 'the caller itself was not touched');

    writeFileSync(remote, REMOTE_NETWORK);
    await waitForDiagnostics(runner.uri, codeOn('CL101', callLine), 'CL101 back once load does network I/O again');
  });

  it('drops a deleted helper\'s results: no chain through it is left', async () => {
    await waitForDiagnostics(runner.uri, blocking(), 'CL101 to start with');
    unlinkSync(remote);
    await waitForDiagnostics(runner.uri, (diagnostics) => diagnostics.length === 0, 'the findings through the deleted file to go');
    const hover = await hoverAt(runner, lineOf(runner, 'async def run_job'), nameColumn);
    assert.doesNotMatch(hover, /urlopen|remote\.py/);
    // The explanation, built from the latest results, no longer cites the deleted file either.
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.explainClassification, {
      uri: runner.uri.toString(),
      name: 'run_job',
    });
    assert.ok(uri);
    assert.doesNotMatch((await vscode.workspace.openTextDocument(uri)).getText(), /urlopen|remote\.py/);
  });

  it('keeps closed helpers that are excluded or over maxFileSizeKB out of the index', async () => {
    // Back on disk (a file created in a folder that exists), and over 2 KB (a long comment)
    // while the caller stays small.
    writeFileSync(remote, `${REMOTE_NETWORK}\n${'# padding\n'.repeat(300)}`);
    await waitForDiagnostics(runner.uri, codeOn('CL101', callLine), 'CL101 once the helper is back');
    for (const [key, value] of [
      ['exclude', [`watcher_scratch_${process.pid}/remote.py`]],
      ['maxFileSizeKB', 2],
    ] as const) {
      const config = vscode.workspace.getConfiguration('concurrencyLens');
      await config.update(key, value, vscode.ConfigurationTarget.Global);
      try {
        await waitForDiagnostics(runner.uri, (diagnostics) => diagnostics.length === 0, `the chain through remote.py to go with ${key} = ${JSON.stringify(value)}`);
      } finally {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
      await waitForDiagnostics(runner.uri, codeOn('CL101', callLine), `CL101 back without ${key}`);
    }
  });

  it('drops the files of a deleted folder (reported as the folder alone)', async () => {
    await waitForDiagnostics(runner.uri, blocking(), 'CL101 to start with');
    // The whole folder: the caller stays open in the editor (its text in memory), the helper goes.
    rmSync(folder, { recursive: true });
    await waitForDiagnostics(runner.uri, (diagnostics) => diagnostics.length === 0, 'the chain through remote.py to go with its folder');
  });
});
