/**
 * The editor's project environments: for each analyzed file, the libraries its project declares
 * (nearest `pyproject.toml` / `requirements*.txt` and `package.json` up to its workspace folder),
 * what the selected Python interpreter can import, and whether it runs without the GIL (probed,
 * or `concurrencyLens.python.freeThreaded`).
 *
 * The probe runs a program the workspace may have chosen (its interpreter), so only in a trusted
 * workspace, and never during activation: the first analysis reads the files alone and starts
 * the probe; its answer, like an edited project file, a changed setting or another interpreter
 * selected in the Python extension, fires {@link EnvironmentService.onDidChange} and the
 * analysis runs again.
 */
import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import { EMPTY_ENVIRONMENT, type ProjectEnvironment } from '../core';
import { DeclaredFiles, type Declared } from '../env/declared';
import { ProbeCache, ProbeError, type InterpreterFacts } from '../env/probe';
import { projectEnvironment } from '../env/project-environment';
import { pythonInterpreter } from './bench-interpreter';
import type { SettingsReader } from './settings';
import { familyOf } from './workspace-index';

/** Gives the environments of a run's files, read before it starts. */
export type EnvironmentFor = (path: string) => ProjectEnvironment;

/** The files whose change changes what a project declares. */
const PROJECT_FILES_GLOB = '**/{pyproject.toml,requirements*.txt,package.json}';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads project files, probes interpreters, and says when either changes. */
export class EnvironmentService implements vscode.Disposable {
  private readonly declared = new DeclaredFiles();
  /** Aborted on dispose: a probe under way when the extension shuts down is killed. */
  private readonly shutdown = new AbortController();
  private readonly probes = new ProbeCache({ signal: this.shutdown.signal });
  /** Counts the times the known answers were dropped: a probe started before answers for an older interpreter. */
  private generation = 0;
  /** Per scope (a workspace folder's URI, or a loose file's): the interpreter's last answer, or undefined when it gave none. */
  private readonly facts = new Map<string, InterpreterFacts | undefined>();
  /**
   * Scopes whose answer in {@link facts} predates a Re-analyze Workspace: still used, so the
   * runs meanwhile give the same advice, until the probe it starts answers (a change only when
   * the answer differs: an unchanged environment costs no second run).
   */
  private readonly stale = new Set<string>();
  /** The probes under way, by scope. */
  private readonly probing = new Map<string, Promise<void>>();
  /** Problems already logged, so a broken file is not logged on every run. */
  private readonly reported = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Subscribed to the Python extension's selection once it was asked for an interpreter. */
  private watchingSelection = false;
  private disposed = false;

  /** Fires when an environment may have changed: the analysis should run again. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_FILES_GLOB);
    const changed = (uri: vscode.Uri): void => {
      this.declared.forget(uri.fsPath);
      this.emitter.fire();
    };
    this.disposables.push(
      this.emitter,
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      watcher.onDidDelete(changed),
      settings.onDidChange((change) => {
        if (!change.environment) return;
        this.forgetInterpreters();
        this.emitter.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.emitter.fire()),
    );
  }

  /**
   * The environments of the files of one run, in `folder` (undefined: files outside the
   * workspace, each looked up in its own folder). Reads the project files that apply (cached);
   * starts the probe of the folder's interpreter when Python files are among them and it has not
   * answered yet (or not since Re-analyze Workspace), without waiting for it.
   */
  async prepare(folder: vscode.WorkspaceFolder | undefined, paths: readonly string[]): Promise<EnvironmentFor> {
    const byPath = new Map<string, ProjectEnvironment>();
    const pythonFile = paths.find((p) => familyOf(p) === 'python');
    const scope = folder?.uri ?? (pythonFile ? vscode.Uri.file(pythonFile) : undefined);
    const freeThreaded = this.settings.read(scope).python.freeThreaded;
    const facts = scope ? this.facts.get(scope.toString()) : undefined;
    const answered = scope !== undefined && this.facts.has(scope.toString()) && !this.stale.has(scope.toString());
    if (scope && pythonFile && this.isTrusted() && !answered) this.probe(scope, folder);
    const readings = await Promise.all(paths.map((path) => this.declared.forFile(path, folder?.uri.fsPath ?? vscode.Uri.joinPath(vscode.Uri.file(path), '..').fsPath)));
    // Files of one folder share one reading, and so one environment.
    const environments = new Map<Declared, ProjectEnvironment>();
    const probed = this.isTrusted() ? facts : undefined;
    paths.forEach((path, i) => {
      let environment = environments.get(readings[i]);
      if (!environment) {
        this.report(readings[i]);
        environments.set(readings[i], (environment = projectEnvironment(readings[i], probed, freeThreaded)));
      }
      byPath.set(path, environment);
    });
    return (path) => byPath.get(path) ?? EMPTY_ENVIRONMENT;
  }

  /**
   * Reads and probes everything again (the user asked to re-analyze the workspace): project
   * files are read afresh; the interpreters' last answers stand until their new probes answer.
   */
  clear(): void {
    this.declared.clear();
    this.probes.clear();
    for (const key of this.facts.keys()) this.stale.add(key);
    // A probe under way may predate what changed (a library installed since): its answer is not stored.
    this.generation++;
    this.reported.clear();
  }

  /** Drops the interpreters' answers; probes under way will not store theirs. */
  private forgetInterpreters(): void {
    this.facts.clear();
    this.stale.clear();
    this.generation++;
  }

  private report(declared: Declared): void {
    for (const { file, problem } of declared.problems) {
      const text = `${file}: ${problem}`;
      if (this.reported.has(text)) continue;
      this.reported.add(text);
      this.log.warn(`project environment: ${text} (it declares nothing until fixed)`);
    }
  }

  /** Resolves once no probe is under way (each has a time limit). */
  async settled(): Promise<void> {
    while (this.probing.size > 0) await Promise.all(this.probing.values());
  }

  /** Starts asking the scope's interpreter, unless that is under way. */
  private probe(scope: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): void {
    const key = scope.toString();
    if (this.probing.has(key)) return;
    this.probing.set(key, this.ask(key, scope, folder).finally(() => this.probing.delete(key)));
  }

  /** Asks the scope's interpreter; fires a change when its answer differs from what was known. */
  private async ask(key: string, scope: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): Promise<void> {
    const generation = this.generation;
    try {
      const interpreter = await pythonInterpreter(scope, this.settings.read(scope).bench, this.log);
      this.watchSelection();
      let facts: InterpreterFacts | undefined;
      try {
        facts = await this.probes.get(interpreter.path, folder?.uri.fsPath);
        this.log.info(`project environment: ${interpreter.path} (${interpreter.source}) is Python ${facts.version}${facts.gilEnabled === false ? ', free-threaded' : ''}; imports ${facts.modules.join(', ') || 'none'} of the libraries fixes use`);
      } catch (error) {
        if (!(error instanceof ProbeError)) throw error;
        this.log.warn(`project environment: cannot ask ${interpreter.path} (${interpreter.source}) what it can import: ${error.message}`);
      }
      if (this.disposed) return;
      if (generation !== this.generation) {
        // The setting or the selection changed meanwhile: this answer may be the old interpreter's; ask again.
        this.emitter.fire();
        return;
      }
      const before = this.facts.get(key);
      this.facts.set(key, facts);
      this.stale.delete(key);
      if (JSON.stringify(before) !== JSON.stringify(facts)) this.emitter.fire();
    } catch (error) {
      this.log.error(`project environment: the interpreter probe failed: ${message(error)}`);
    }
  }

  /** Another environment selected in the Python extension: probe again. Subscribed on the first probe, not at activation. */
  private watchSelection(): void {
    if (this.watchingSelection || !vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return;
    this.watchingSelection = true;
    PythonExtension.api().then(
      (api) => {
        if (this.disposed) return;
        this.disposables.push(
          api.environments.onDidChangeActiveEnvironmentPath(() => {
            this.forgetInterpreters();
            this.emitter.fire();
          }),
        );
      },
      (error: unknown) => this.log.warn(`project environment: the Python extension's selection is not followed (${message(error)})`),
    );
  }

  dispose(): void {
    this.disposed = true;
    this.shutdown.abort();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
