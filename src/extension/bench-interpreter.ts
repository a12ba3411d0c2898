/**
 * Which interpreter runs a benchmark: for Python, the environment the Python extension has
 * selected for the file when that extension is installed (through its published API,
 * `@vscode/python-extension`), else `concurrencyLens.bench.pythonPath`, else `python3`; for
 * JavaScript and TypeScript, `concurrencyLens.bench.nodePath`, else `node` on the PATH (never
 * the editor's own runtime, which is Electron's).
 *
 * Asked only when a benchmark starts: activating the Python extension is not free.
 */
import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import type { BenchSettings } from './settings';

/** An interpreter and where the choice came from (shown in the output channel). */
export interface Interpreter {
  path: string;
  source: 'Python extension' | 'setting' | 'default';
}

/** The Python extension's selected environment for `resource`, or undefined (not installed, none selected, failed). */
async function selectedPython(resource: vscode.Uri, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath;
  } catch (error) {
    log.warn(`bench: the Python extension gave no interpreter (${error instanceof Error ? error.message : String(error)}); using the setting or python3`);
    return undefined;
  }
}

/** The Python interpreter for a benchmark of a function in `resource`. */
export async function pythonInterpreter(resource: vscode.Uri, settings: BenchSettings, log: vscode.LogOutputChannel): Promise<Interpreter> {
  const selected = await selectedPython(resource, log);
  if (selected) return { path: selected, source: 'Python extension' };
  if (settings.pythonPath) return { path: settings.pythonPath, source: 'setting' };
  return { path: 'python3', source: 'default' };
}

/** The Node.js executable for a benchmark. */
export function nodeInterpreter(settings: BenchSettings): Interpreter {
  return settings.nodePath ? { path: settings.nodePath, source: 'setting' } : { path: 'node', source: 'default' };
}
