/**
 * The `concurrencyLens.*` settings, changed while documents are open, applied without a reload:
 * per-language enable, CodeLens on/off, extra catalog calls, exclude globs and the maximum file
 * size. (Severities, `off` included, are in editor.test.ts.) Each test puts the setting back in
 * a `finally` and waits for the findings to return, so the next starts from the defaults.
 *
 * Settings are changed in the user settings (Global): the workspace folder's own settings file
 * is never written.
 */
import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { codeOn, codeValue, FETCH_PY, hoverAt, lineOf, open, SERVER_MJS, waitForDiagnostics } from './support';

/** The repository (this bundle runs as out/test/integration/*.cjs): the editor fixtures are read there, never written. */
const REPO = resolve(__dirname, '../../..');
const REPORTS_PY = join(REPO, 'test/fixtures/editor/python/reports.py');

/** Sets a `concurrencyLens.*` user setting for the duration of `body`, then removes it. */
async function withSetting(key: string, value: unknown, body: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('concurrencyLens');
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    await body();
  } finally {
    await vscode.workspace.getConfiguration('concurrencyLens').update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

const none = (diagnostics: vscode.Diagnostic[]): boolean => diagnostics.length === 0;

/** Our lenses on a document (other providers' lenses, if any, left out). */
async function verdictLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
  return lenses.filter((lens) => lens.command?.command === Commands.explainClassification);
}

describe('settings, applied as they change', () => {
  let fetchPy: vscode.TextDocument;
  let serverMjs: vscode.TextDocument;
  let sleepLine: number;
  let readLine: number;

  before(async () => {
    serverMjs = await open(SERVER_MJS);
    fetchPy = await open(FETCH_PY);
    sleepLine = lineOf(fetchPy, 'time.sleep(');
    readLine = lineOf(serverMjs, 'fs.readFileSync(');
    await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'CL101 on fetch.py');
    await waitForDiagnostics(serverMjs.uri, codeOn('CL101', readLine), 'CL101 on server.mjs');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('enable.python / enable.javascript: each language is switched off on its own', async () => {
    await withSetting('enable.python', false, async () => {
      await waitForDiagnostics(fetchPy.uri, none, 'fetch.py\'s findings to go with Python off');
      const line = lineOf(fetchPy, 'async def fetch_with_retry');
      const hover = await hoverAt(fetchPy, line, fetchPy.lineAt(line).text.indexOf('fetch_with_retry') + 2);
      assert.doesNotMatch(hover, /I\/O-bound/, 'no verdict hover on a Python file');
      assert.deepEqual(await verdictLenses(fetchPy), []);
      // JavaScript is still analyzed.
      assert.ok(codeOn('CL101', readLine)((await waitForDiagnostics(serverMjs.uri, codeOn('CL101', readLine), 'server.mjs\'s CL101'))));
    });
    await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'fetch.py\'s CL101 back with Python on');

    await withSetting('enable.javascript', false, async () => {
      await waitForDiagnostics(serverMjs.uri, none, 'server.mjs\'s findings to go with JavaScript off');
      await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'fetch.py\'s CL101 kept');
    });
    await waitForDiagnostics(serverMjs.uri, codeOn('CL101', readLine), 'server.mjs\'s CL101 back with JavaScript on');
  });

  it('codeLens.enabled: the verdict lenses go and come back', async () => {
    const downloadLine = lineOf(fetchPy, 'def download(');
    const before = await verdictLenses(fetchPy);
    assert.ok(
      before.some((lens) => lens.range.start.line === downloadLine && /I\/O-bound/.test(lens.command?.title ?? '')),
      'a verdict lens on download to start with',
    );
    await withSetting('codeLens.enabled', false, async () => {
      assert.deepEqual(await verdictLenses(fetchPy), []);
      // Only the lenses: the diagnostics stay.
      await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'fetch.py\'s CL101 kept');
    });
    assert.equal((await verdictLenses(fetchPy)).length, before.length);
  });

  it('extraCalls: a call added to the catalog makes its callers I/O-bound, and blocking in async code', async () => {
    const reports = await open(REPORTS_PY);
    const queryLine = lineOf(reports, 'mycompany.db.query(');
    const defLine = lineOf(reports, 'async def daily_report');
    const column = reports.lineAt(defLine).text.indexOf('daily_report') + 2;
    // Unknown to the catalog: nothing to say.
    await waitForDiagnostics(reports.uri, none, 'no findings on reports.py');
    assert.doesNotMatch(await hoverAt(reports, defLine, column), /I\/O-bound/);

    await withSetting('extraCalls', { python: { 'mycompany.db.query': 'database' } }, async () => {
      const [diagnostic] = (await waitForDiagnostics(reports.uri, codeOn('CL101', queryLine), 'CL101 on the query once it is in the catalog')).filter(
        (d) => codeValue(d) === 'CL101',
      );
      assert.match(diagnostic.message, /mycompany\.db\.query/);
      assert.match(diagnostic.message, /database/);
      assert.match(await hoverAt(reports, defLine, column), /I\/O-bound · database/);
    });
    await waitForDiagnostics(reports.uri, none, 'the finding to go with the setting');
  });

  it('exclude: a matching open file is no longer analyzed', async () => {
    await vscode.window.showTextDocument(fetchPy);
    await withSetting('exclude', ['**/fetch.py'], async () => {
      await waitForDiagnostics(fetchPy.uri, none, 'fetch.py\'s findings to go once it is excluded');
      assert.deepEqual(await verdictLenses(fetchPy), []);
    });
    await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'fetch.py\'s CL101 back');
  });

  it('maxFileSizeKB: a file over the limit is not analyzed', async () => {
    assert.ok(Buffer.byteLength(fetchPy.getText()) > 1024, 'fetch.py is over 1 KB');
    await withSetting('maxFileSizeKB', 1, async () => {
      await waitForDiagnostics(fetchPy.uri, none, 'fetch.py\'s findings to go once it is over the limit');
    });
    await waitForDiagnostics(fetchPy.uri, codeOn('CL101', sleepLine), 'fetch.py\'s CL101 back');
  });
});
