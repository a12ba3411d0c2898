/**
 * The extension in a real editor, on the examples: diagnostics with their codes, the verdict
 * hover, quick fixes offered and applied, CodeLens, the explanation view, settings applied as
 * they change, and diagnostics cleared when a document closes. Every wait is on a signal (the
 * diagnostics changing), bounded; never a sleep.
 *
 * The workspace is examples/python (both hosts open it; code-server a scratch copy of examples/);
 * examples/node/src/server.mjs is opened from outside the workspace, which the extension
 * analyzes on its own.
 */
import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { codeOn, codeValue, FETCH_PY, hoverText, lineOf, open, SERVER_MJS, waitForDiagnostics } from './support';

/** The repository (this bundle runs as out/test/integration/*.cjs): fixtures are read there, never written. */
const REPO = resolve(__dirname, '../../..');

/** A CL101 diagnostic on a line. */
const cl101On = (line: number): ((diagnostics: vscode.Diagnostic[]) => boolean) => codeOn('CL101', line);

describe('in the editor: Python (examples/python/page_archiver/fetch.py)', () => {
  let document: vscode.TextDocument;
  let sleepLine: number;

  before(async () => {
    document = await open(FETCH_PY);
    sleepLine = lineOf(document, 'time.sleep(');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports CL101 on the time.sleep line, with its code, source, severity and documentation link', async () => {
    const diagnostics = await waitForDiagnostics(document.uri, cl101On(sleepLine), 'CL101 on the time.sleep line');
    const diagnostic = diagnostics.find((d) => codeValue(d) === 'CL101' && d.range.start.line === sleepLine);
    assert.ok(diagnostic);
    assert.equal(document.getText(diagnostic.range), 'time.sleep(backoff * 2 ** (attempt - 1))');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /time\.sleep/);
    const code = diagnostic.code;
    assert.ok(typeof code === 'object', 'the code carries a documentation link');
    assert.equal(code.value, 'CL101');
    assert.match(code.target.path, /docs\/diagnostics\.md$/);
    assert.match(code.target.fragment, /^L\d+$/);
  });

  it('hovers fetch_with_retry with its verdict, confidence, evidence and advice', async () => {
    const line = lineOf(document, 'async def fetch_with_retry');
    const column = document.lineAt(line).text.indexOf('fetch_with_retry') + 3;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
    const text = hoverText(hovers);
    assert.match(text, /I\/O-bound/);
    assert.match(text, /high confidence/);
    assert.match(text, /time\.sleep/);
    assert.match(text, /asyncio\.to_thread/);
  });

  it('hovers a call to a project function with the callee\'s verdict', async () => {
    // HttpClient.get_text: `return download(url, ...)`
    const line = lineOf(document, 'return download(');
    const column = document.lineAt(line).text.indexOf('download(') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
    const text = hoverText(hovers);
    assert.match(text, /I\/O-bound · network/);
    assert.match(text, /`download`/);
    assert.match(text, /urllib\.request\.urlopen/);
  });

  it('offers "await asyncio.sleep" as the preferred quick fix, which applies', async () => {
    const [diagnostic] = (await waitForDiagnostics(document.uri, cl101On(sleepLine), 'CL101')).filter((d) => d.range.start.line === sleepLine);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.equal(actions.filter((action) => action.isPreferred).length, 1, 'one preferred fix');
    const fix = actions.find((action) => action.isPreferred && /asyncio\.sleep/.test(action.title));
    assert.ok(fix, `a preferred asyncio.sleep fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(fix.edit, 'the fix carries its edit');
    const original = document.getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.getText(), /await asyncio\.sleep\(backoff \* 2 \*\* \(attempt - 1\)\)/);
      // The fixed text is analyzed again: the finding goes away.
      await waitForDiagnostics(document.uri, (diagnostics) => !cl101On(sleepLine)(diagnostics), 'CL101 to go after the fix');
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.getText(), original);
    assert.equal(document.isDirty, false);
    await waitForDiagnostics(document.uri, cl101On(sleepLine), 'CL101 back after the revert');
  });

  it('shows a CodeLens with the verdict above download, opening the explanation', async () => {
    const line = lineOf(document, 'def download(');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const lens = lenses.find((l) => l.range.start.line === line);
    assert.ok(lens?.command, `a lens on line ${line + 1} among lines ${lenses.map((l) => l.range.start.line + 1).join(', ')}`);
    assert.match(lens.command.title, /^I\/O-bound · network · Explain$/);
    assert.equal(lens.command.command, Commands.explainClassification);
    // No lens on a function that neither waits nor computes.
    const quiet = lineOf(document, 'def __init__(self, rate');
    assert.ok(!lenses.some((l) => l.range.start.line === quiet));
  });

  it('explains a classification with the whole chain, its findings and fixes', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.explainClassification, {
      uri: document.uri.toString(),
      name: 'fetch_with_retry',
    });
    assert.ok(uri, 'the command returns the explanation it opened');
    const explanation = await vscode.workspace.openTextDocument(uri);
    const text = explanation.getText();
    assert.match(text, /^# `fetch_with_retry`: I\/O-bound/);
    assert.match(text, /`time\.sleep`/);
    assert.match(text, /\*\*CL101\*\*/);
    assert.match(text, /Quick fix \(preferred\)/);
  });

  it('explains the function at the cursor from the command palette', async () => {
    const editor = await vscode.window.showTextDocument(document);
    const line = lineOf(document, 'return response.text');
    editor.selection = new vscode.Selection(line, 8, line, 8);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.explainClassification);
    assert.ok(uri);
    assert.match((await vscode.workspace.openTextDocument(uri)).getText(), /^# `HttpClient\.get_text`/);
  });

  it('follows chains across the workspace\'s files once it is indexed (Re-analyze Workspace)', async () => {
    await vscode.commands.executeCommand(Commands.reanalyzeWorkspace);
    const cli = await open('examples/python/page_archiver/cli.py');
    const line = lineOf(cli, 'def cmd_archive(');
    const column = cli.lineAt(line).text.indexOf('cmd_archive') + 1;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cli.uri, new vscode.Position(line, column));
    const text = hoverText(hovers);
    assert.match(text, /`cmd_archive` → \[`archive_site`\]\([^)]*pipeline\.py#L\d+/);
    // The whole chain, in the explanation: cmd_archive → archive_site (pipeline.py) →
    // download_pages → download (fetch.py) → urllib.request.urlopen.
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.explainClassification, { uri: cli.uri.toString(), name: 'cmd_archive' });
    assert.ok(uri);
    const explanation = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(explanation, /\[`download_pages`\]\([^)]*pipeline\.py#L\d+[^)]*\) → \[`download`\]\([^)]*fetch\.py#L33[^)]*\) → \[`urllib\.request\.urlopen`\]/);
    await vscode.window.showTextDocument(document);
  });

  it('applies severity settings as they change', async () => {
    const config = vscode.workspace.getConfiguration('concurrencyLens');
    try {
      await config.update('severity', { CL101: 'warning' }, vscode.ConfigurationTarget.Global);
      await waitForDiagnostics(
        document.uri,
        (diagnostics) => diagnostics.some((d) => codeValue(d) === 'CL101' && d.severity === vscode.DiagnosticSeverity.Warning),
        'CL101 as a warning',
      );
      await config.update('severity', { CL101: 'off' }, vscode.ConfigurationTarget.Global);
      await waitForDiagnostics(document.uri, (diagnostics) => !diagnostics.some((d) => codeValue(d) === 'CL101'), 'CL101 hidden');
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostics(document.uri, cl101On(sleepLine), 'CL101 back at its default');
  });
});

describe('in the editor: JavaScript (examples/node/src/server.mjs)', () => {
  let document: vscode.TextDocument;
  let readLine: number;

  before(async () => {
    document = await open(SERVER_MJS);
    readLine = lineOf(document, 'fs.readFileSync(');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports CL101 on the readFileSync line', async () => {
    const diagnostics = await waitForDiagnostics(document.uri, cl101On(readLine), 'CL101 on the readFileSync line');
    const diagnostic = diagnostics.find((d) => codeValue(d) === 'CL101' && d.range.start.line === readLine);
    assert.ok(diagnostic);
    assert.match(document.getText(diagnostic.range), /^fs\.readFileSync\(/);
  });

  it('offers "await fs.promises.readFile" as the preferred quick fix, which applies', async () => {
    const [diagnostic] = (await waitForDiagnostics(document.uri, cl101On(readLine), 'CL101')).filter((d) => d.range.start.line === readLine);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.equal(actions.filter((action) => action.isPreferred).length, 1, 'one preferred fix');
    const fix = actions.find((action) => action.isPreferred && /fs\.promises/.test(action.title));
    assert.ok(fix?.edit, `a preferred fs.promises fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const original = document.getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.getText(), /await fs\.promises\.readFile\(store\.indexPath, 'utf8'\)/);
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.getText(), original);
  });

  it('clears its diagnostics when the document closes (here: by leaving the analyzed languages)', async () => {
    const plain = await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
    await waitForDiagnostics(plain.uri, (diagnostics) => diagnostics.length === 0, 'the diagnostics to clear');
    document = await vscode.languages.setTextDocumentLanguage(plain, 'javascript');
    await waitForDiagnostics(document.uri, cl101On(readLine), 'CL101 back as JavaScript');
  });
});

describe('in the editor: closing a document', () => {
  // VS Code (code-server 1.139 here) does not close a document when its last tab closes (it keeps
  // the model; microsoft/vscode#13363): the extension follows the tabs as well as the documents.
  it('clears the diagnostics of a document once its last editor tab closes, and shows them again when it reopens', async () => {
    // A file no other test opens (outside the workspace), so nothing else holds it open.
    const document = await open(join(REPO, 'test/fixtures/editor/python/heartbeat.py'));
    const line = lineOf(document, 'time.sleep(');
    await waitForDiagnostics(document.uri, cl101On(line), 'CL101 on heartbeat.py');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitForDiagnostics(document.uri, (diagnostics) => diagnostics.length === 0, 'the diagnostics to clear after the tab closed', 25_000);
    await open(join(REPO, 'test/fixtures/editor/python/heartbeat.py'));
    await waitForDiagnostics(document.uri, cl101On(line), 'CL101 back once the file shows again');
  });
});
