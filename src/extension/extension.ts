/**
 * Entry point of the VS Code extension: thin glue between the editor and the analyzer in
 * `src/core`.
 *
 * Activation must stay cheap (it runs when a Python file opens): it creates the log channel and
 * registers commands, and nothing else. The tree-sitter grammars are loaded by the core on first
 * use, never here.
 */
import * as vscode from 'vscode';
import { Commands } from './commands';

/** Name of the extension's single output channel, as shown in the Output view. */
export const OUTPUT_CHANNEL_NAME = 'Concurrency Lens';

/**
 * Called by VS Code the first time an activation event fires.
 *
 * Everything created here is pushed to `context.subscriptions`, so VS Code disposes of it when
 * the extension is deactivated.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);

  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  log.info(`activated (version ${version})`);

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showOutput, () => {
      // preserveFocus: the user is reading code; the log appears beside it.
      log.show(true);
    }),
  );
}

/** Called by VS Code on shutdown; the subscriptions are disposed by VS Code itself. */
export function deactivate(): void {
  // Nothing beyond `context.subscriptions` to release yet.
}
