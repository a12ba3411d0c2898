/**
 * Activation: opening a Python file activates the extension (activationEvents
 * `onLanguage:python`), which then provides its commands.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';

const EXTENSION_ID = 'concurrency-lens.concurrency-lens';

/**
 * Resolves once `condition()` holds. VS Code has no event for "extension activated", so the
 * check runs after each change of the active editor or document and on a short interval,
 * bounded by `timeoutMs`.
 */
function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const finish = (error?: Error): void => {
      clearInterval(interval);
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      if (condition()) finish();
    };
    const interval = setInterval(check, 50);
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    subscriptions.push(vscode.window.onDidChangeActiveTextEditor(check), vscode.workspace.onDidOpenTextDocument(check));
    check();
  });
}

describe('activation', () => {
  it('is installed from the working tree and not active before a Python file opens', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    assert.equal(extension.isActive, false);
  });

  it('activates when a Python file of the workspace opens', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);

    const [file] = await vscode.workspace.findFiles('**/*.py', undefined, 1);
    assert.ok(file, 'examples/python should be the open workspace');
    const document = await vscode.workspace.openTextDocument(file);
    assert.equal(document.languageId, 'python');
    await vscode.window.showTextDocument(document);

    await waitUntil(() => extension.isActive, `${EXTENSION_ID} to activate`);
  });

  it('registers the showOutput command, which runs', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(Commands.showOutput), `${Commands.showOutput} is not registered`);
    await vscode.commands.executeCommand(Commands.showOutput);
  });
});
