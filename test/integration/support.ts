/**
 * What the integration tests share: where the examples are, opening files, reading this
 * extension's diagnostics and hovers, and waiting on the diagnostics to change (a signal,
 * bounded), never on a sleep.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../src/extension/diagnostics';
import type { ConcurrencyLensApi } from '../../src/extension/extension';
import { commandLine, environment, liveProcesses } from '../support/proc';

export const FETCH_PY = 'examples/python/page_archiver/fetch.py';
export const SERVER_MJS = 'examples/node/src/server.mjs';

/**
 * The folder holding examples/: above the workspace folder first (code-server opens a scratch
 * copy of the examples, where tests may write), else above this bundle (out/test/integration/).
 */
function examplesRoot(): string {
  const candidates = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), resolve(__dirname, '../../..')];
  for (const start of candidates) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, FETCH_PY)) && existsSync(join(dir, SERVER_MJS))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`the examples were not found above ${candidates.join(' or ')}`);
}

export const ROOT = examplesRoot();

/** The workspace folder the suite runs in (examples/python, or its scratch copy). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const [folder] = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folder, 'a workspace folder is open');
  return folder;
}

/** The extension's diagnostics on a document. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function codeValue(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

/**
 * Resolves with the extension's diagnostics on `uri` once `condition` holds for them: checked
 * now and on every change of that document's diagnostics, for at most `timeoutMs`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  condition: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolvePromise, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolvePromise(ours(uri));
    };
    const check = (): void => {
      if (condition(ours(uri))) finish();
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const seen = ours(uri).map((d) => `${codeValue(d)}@${d.range.start.line + 1}`);
      finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (has: ${seen.join(', ') || 'none'})`));
    }, timeoutMs);
    check();
  });
}

/**
 * Opens a file (relative to ROOT, or absolute) in an editor tab of its own, as a user keeping it
 * open does: a preview tab would be replaced by the next file opened, and a document no tab shows
 * has no diagnostics.
 */
export async function open(path: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.startsWith('/') ? path : join(ROOT, path)));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The 0-based line of the first line containing `text`. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const index = document.getText().split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" is in ${document.fileName}`);
  return index;
}

/** A diagnostic with this code on a 0-based line. */
export function codeOn(code: string, line: number): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => codeValue(d) === code && d.range.start.line === line);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Every hover's text at a position (all providers'; ours is the one with a verdict). */
export async function hoverAt(document: vscode.TextDocument, line: number, column: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
  return hoverText(hovers);
}

/** Numbers each {@link runProgram} run's marker. */
let programRuns = 0;

/** What a program run by {@link runProgram} printed, and how it ended. */
export interface ProgramRun {
  stdout: string;
  stderr: string;
  /** The exit code; null when a signal ended it (the time limit's). */
  status: number | null;
}

/**
 * Runs a program in `cwd` to its end, without blocking the extension host (the editor keeps
 * analyzing meanwhile), in a process group of its own killed whole at `timeoutMs`. Then proves
 * it left nothing behind: every process it started inherits a marker variable, and any marked
 * process still alive a few seconds after it ended (a pool's worker, a Dask nanny) is killed and
 * fails the test.
 */
export async function runProgram(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<ProgramRun> {
  const id = `${process.pid}-${++programRuns}`;
  const marker = `CL_INTEGRATION_RUN=${id}`;
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', CL_INTEGRATION_RUN: id },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  const status = await new Promise<number | null>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code));
  }).finally(() => clearTimeout(timer));
  const marked = (): number[] => liveProcesses((pid) => pid !== process.pid && environment(pid).includes(marker));
  // A pool's processes may still be exiting as the program returns: a bounded wait for them to go.
  for (let waited = 0; marked().length > 0 && waited < 5_000; waited += 100) await new Promise((done) => setTimeout(done, 100));
  const left = marked();
  for (const pid of left) process.kill(pid, 'SIGKILL');
  assert.deepEqual(left.map((pid) => `${pid}: ${commandLine(pid)}`), [], `${command} ${args.join(' ')} left no process behind`);
  return { stdout, stderr, status };
}

/**
 * The quick fixes the editor offers for the diagnostic with `code` on a 0-based line, once
 * `condition` holds for them: asked now and again after every change of the document's
 * diagnostics (an analysis run, e.g. after its project environment changed), for at most
 * `timeoutMs`.
 */
export async function quickFixesWhen(
  document: vscode.TextDocument,
  code: string,
  line: number,
  condition: (actions: vscode.CodeAction[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    // Subscribed before asking, so a change while the provider answers is not missed.
    let subscription: vscode.Disposable | undefined;
    const changed = new Promise<void>((resolvePromise) => {
      subscription = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => uri.toString() === document.uri.toString())) resolvePromise();
      });
    });
    try {
      const diagnostic = ours(document.uri).find((d) => codeValue(d) === code && d.range.start.line === line);
      if (diagnostic) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        // Ours are every quick fix for this range: the actions' `diagnostics` do not survive the command.
        if (condition(actions)) return actions;
        seen = actions.map((action) => `${action.isPreferred ? '(preferred) ' : ''}${action.title.slice(0, 60)}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (fixes: ${seen.join(' | ') || 'none'})`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([changed, new Promise((done) => (timer = setTimeout(done, left)))]);
      clearTimeout(timer);
    } finally {
      subscription?.dispose();
    }
  }
}

const EXTENSION_ID = 'concurrency-lens.concurrency-lens';

/**
 * For suites that write project files: the extension activated, the interpreter the probe asks
 * pointed at nothing (a test that wants one sets `bench.pythonPath` itself), and an empty scratch
 * folder `<name>_scratch_<pid>` in the workspace. {@link removeScratch} undoes it.
 */
export async function scratchFolder(name: string): Promise<{ api: ConcurrencyLensApi; folder: string }> {
  const extension = vscode.extensions.getExtension<ConcurrencyLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  const config = vscode.workspace.getConfiguration('concurrencyLens');
  await config.update('bench.pythonPath', join(workspaceFolder().uri.fsPath, 'no-such-python'), vscode.ConfigurationTarget.Global);
  const folder = join(workspaceFolder().uri.fsPath, `${name}_scratch_${process.pid}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  return { api, folder };
}

/** Restores the settings the environment suites change, closes the editors, removes the scratch folder. */
export async function removeScratch(folder: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('concurrencyLens');
  await config.update('python.freeThreaded', undefined, vscode.ConfigurationTarget.Global);
  await config.update('bench.pythonPath', undefined, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  rmSync(folder, { recursive: true, force: true });
}

/**
 * Writes a file and says whether the editor's own file watcher reported the change (a watcher of
 * this suite's, beside the extension's). code-server's watcher delivers no event at all for some
 * scratch folders of this suite, write after write: the write is repeated (at most `attempts`
 * times) until one is seen; false when none was, and then the extension cannot know either.
 */
export async function writeSeenByEditor(path: string, text: string, attempts = 3, waitMs = 5_000): Promise<boolean> {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)));
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const seen = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), waitMs);
        const subscriptions = [watcher.onDidChange, watcher.onDidCreate].map((event) => event(() => done(true)));
        function done(result: boolean): void {
          clearTimeout(timer);
          for (const subscription of subscriptions) subscription.dispose();
          resolve(result);
        }
      });
      writeFileSync(path, text);
      if (await seen) return true;
    }
    return false;
  } finally {
    watcher.dispose();
  }
}
