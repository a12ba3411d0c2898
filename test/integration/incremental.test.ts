/**
 * Analysis while typing, in a real editor: runs reuse the facts of unchanged files and compute no
 * quick fixes, so these check what that must not change. Quick fixes are still offered, for the
 * current text, after edits moved the finding, and apply there; an edit in one file changes the
 * findings and the hover of another file whose chain goes through it, and undoing the edit brings
 * the old results back.
 *
 * Two Python files in a temporary folder outside the workspace (open documents outside every
 * folder are analyzed together): app.py calls helpers.slow from an async function. Every wait is
 * on a signal (the diagnostics changing) or on a request that analyzes the current text.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { bigPythonModule, EDIT_LINE, EDIT_TARGET } from '../../bench/lib/big-python';
import { codeOn, codeValue, hoverAt, lineOf, ours, waitForDiagnostics as waitFor } from './support';

const APP = ['import time', '', 'from helpers import slow', '', '', 'async def handler(n):', '    return slow(n)', '', '', 'async def pause(n):', '    time.sleep(n)', '    return n', ''].join('\n');
const HELPERS = ['def slow(n):', '    return n * 2', ''].join('\n');
/** helpers.slow made blocking: what the edit in helpers.py turns it into. */
const BLOCKING_HELPERS = ['import time', '', '', 'def slow(n):', '    time.sleep(n)', '    return n * 2', ''].join('\n');

const cl101On = (line: number): ((diagnostics: vscode.Diagnostic[]) => boolean) => codeOn('CL101', line);

/** Replaces the whole text of a document (as a paste or an undo would). */
async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(document.getText(), text);
}

async function quickFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

/** The hover's text at `name` on `line`. */
function hoverOn(document: vscode.TextDocument, line: number, name: string): Promise<string> {
  return hoverAt(document, line, document.lineAt(line).text.indexOf(name) + 2);
}

describe('while typing: fixes on request and chains across files after edits', () => {
  let folder: string;
  let app: vscode.TextDocument;
  let helpers: vscode.TextDocument;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cl-incremental-'));
    writeFileSync(join(folder, 'app.py'), APP);
    writeFileSync(join(folder, 'helpers.py'), HELPERS);
    helpers = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'helpers.py')));
    await vscode.window.showTextDocument(helpers, { preview: false });
    app = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'app.py')));
    await vscode.window.showTextDocument(app, { preview: false });
    await waitFor(app.uri, cl101On(lineOf(app, 'time.sleep(n)')), 'CL101 on the time.sleep line of app.py');
  });

  after(async () => {
    for (const document of [app, helpers]) {
      if (!document.isDirty) continue;
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  it('offers and applies the quick fix at the finding\'s new place after edits above it', async () => {
    const before = lineOf(app, 'time.sleep(n)');
    // Two edits, as typing makes them: the finding moves down two lines.
    for (const comment of ['# one\n', '# two\n']) {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(app.uri, new vscode.Position(0, 0), comment);
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    const moved = before + 2;
    const [diagnostic] = (await waitFor(app.uri, cl101On(moved), 'CL101 two lines down')).filter((d) => d.range.start.line === moved);
    assert.equal(app.getText(diagnostic.range), 'time.sleep(n)');
    const actions = await quickFixes(app, diagnostic);
    const fix = actions.find((a) => a.isPreferred && /asyncio\.sleep/.test(a.title));
    assert.ok(fix?.edit, `a preferred asyncio.sleep fix among: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // The fix's edits fit the current text: the call rewritten where it now is, one import added above.
    assert.match(app.getText(), /^import asyncio$/m);
    assert.equal(app.lineAt(moved + 1).text, '    await asyncio.sleep(n)');
    await waitFor(app.uri, (d) => !d.some((x) => codeValue(x) === 'CL101' && app.getText(x.range).includes('sleep')), 'the fixed finding to go');
    await setText(app, APP);
    await waitFor(app.uri, cl101On(before), 'CL101 back on its line after the text is restored');
  });

  it('follows an edit in helpers.py into app.py\'s findings and hover, and back', async () => {
    const call = lineOf(app, 'return slow(n)');
    const handler = lineOf(app, 'async def handler');
    // The hover asks for the current results: app.py as it is, helpers.slow pure.
    assert.match(await hoverOn(app, handler, 'handler'), /No significant I\/O or CPU work/);
    assert.ok(!cl101On(call)(ours(app.uri)), 'no finding on the call while slow is pure');

    await setText(helpers, BLOCKING_HELPERS);
    const [finding] = (await waitFor(app.uri, cl101On(call), 'CL101 on the call to slow in app.py')).filter((d) => d.range.start.line === call);
    assert.match(finding.message, /slow/);
    assert.match(finding.message, /time\.sleep/);
    const hover = await hoverOn(app, handler, 'handler');
    assert.match(hover, /I\/O-bound/);
    assert.match(hover, /slow/);
    assert.match(hover, /time\.sleep/);
    // The other finding's fix is still computed for the current texts.
    const [sleep] = ours(app.uri).filter((d) => d.range.start.line === lineOf(app, 'time.sleep(n)'));
    assert.ok(sleep, 'the time.sleep finding is still there');
    assert.ok((await quickFixes(app, sleep)).some((a) => a.isPreferred && /asyncio\.sleep/.test(a.title)), 'its fix is offered');

    await setText(helpers, HELPERS);
    await waitFor(app.uri, (d) => !cl101On(call)(d), 'the finding on the call to go once slow is pure again');
    assert.match(await hoverOn(app, handler, 'handler'), /No significant I\/O or CPU work/);
  });

  it('offers the quick fix of a finding a one-line edit adds to a 5,000-line file', async function () {
    this.timeout(60_000);
    writeFileSync(join(folder, 'big_module.py'), bigPythonModule());
    const big = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'big_module.py')));
    await vscode.window.showTextDocument(big, { preview: false });
    const count = (await waitFor(big.uri, (d) => d.length > 100, 'the big module\'s findings')).length;
    const line = lineOf(big, EDIT_TARGET) + 1;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(big.uri, new vscode.Position(line, 0), EDIT_LINE);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [added] = (await waitFor(big.uri, (d) => d.length === count + 1 && cl101On(line)(d), 'one CL101 more, on the inserted line')).filter((d) => d.range.start.line === line);
    const actions = await quickFixes(big, added);
    assert.ok(
      actions.some((a) => a.isPreferred && /asyncio\.sleep/.test(a.title)),
      `a preferred asyncio.sleep fix among: ${actions.map((a) => a.title).join(' | ') || 'none'}`,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
