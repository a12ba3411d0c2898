/**
 * The workspace model: when to analyze, what, and the latest results.
 *
 * Analysis runs off the typing path: edits ask for a run after a debounce, requests that
 * arrive meanwhile are merged into the next run (only one runs at a time), and a run's results
 * are kept per document version, so a provider never reads results computed for other text.
 * A run covers one workspace folder (its indexed files, with open documents' texts over the
 * disk's), so chains cross files; files outside any folder are analyzed with the other open ones.
 */
import * as vscode from 'vscode';
import { analyzeWithoutFixes, ExtractionCache, type Analysis, type Diagnostic, type FileResult, type Fix, type ProjectEnvironment, type SourceFile } from '../core';
import type { EnvironmentFor, EnvironmentService } from './environment';
import type { SettingsReader } from './settings';
import { familyOf, type WorkspaceIndex } from './workspace-index';

/** Wait after the last keystroke before re-analyzing. */
export const EDIT_DEBOUNCE_MS = 300;
/**
 * A folder whose sources add up to more than this is not re-analyzed whole on every edit:
 * such runs take the open documents, their folders' files and the files their chains reach.
 */
const WHOLE_FOLDER_BUDGET_BYTES = 4 * 1024 * 1024;
/** The editor's language ids of the documents analyzed (as activation and the providers' selector list them). */
export const ANALYZED_LANGUAGES: readonly string[] = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
/** Files outside every workspace folder. */
const LOOSE = 'loose';

/** The results that apply to one document, with the results of the files analyzed with it. */
export interface Snapshot {
  /** Its diagnostics carry no fixes: ask {@link fixes} for those of the ones the user acts on. */
  file: FileResult;
  /** Every file of the same run, for following chains into other files. */
  files: readonly FileResult[];
  /**
   * The checked quick fixes of one of `file`'s diagnostics, computed on the first request (not
   * on the typing path: a run computes none) and kept with the run. Their edits fit the text
   * the run read.
   */
  fixes(diagnostic: Diagnostic): Promise<Fix[]>;
  /** The project environment the run gave the engine for a file of it (the advice follows it too). */
  environmentFor(path: string): ProjectEnvironment;
}

/** The latest run of one group (a workspace folder, or the loose files). */
interface GroupResults {
  files: FileResult[];
  byPath: Map<string, FileResult>;
  /** Versions of the open documents the run read, by URI string. */
  versions: Map<string, number>;
  analysis: Analysis;
  /** Fixes asked for so far, by diagnostic. */
  fixes: Map<Diagnostic, Promise<Fix[]>>;
  /** What the run handed the engine as each file's project environment. */
  environmentFor: EnvironmentFor;
}

/** What a finished run changed. */
export interface AnalysisEvent {
  /** The group's files' URIs. */
  uris: vscode.Uri[];
  /** Milliseconds the analysis took, in the extension host (after the debounce, before publishing). */
  ms: number;
}

function groupOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? LOOSE;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A document's view of its group's run; fixes are computed once per diagnostic and run. */
function snapshotOf(group: GroupResults, file: FileResult): Snapshot {
  return {
    file,
    files: group.files,
    fixes: (diagnostic) => {
      let fixes = group.fixes.get(diagnostic);
      if (!fixes) group.fixes.set(diagnostic, (fixes = group.analysis.fixes(file.path, diagnostic)));
      return fixes;
    },
    environmentFor: group.environmentFor,
  };
}

/** Schedules analysis runs and holds their results. */
export class AnalysisService implements vscode.Disposable {
  private readonly groups = new Map<string, GroupResults>();
  /** Per group, the facts of its files' texts: a run extracts again only the files that changed. */
  private readonly caches = new Map<string, ExtractionCache>();
  /** Groups asked for, waiting for the debounce timer. */
  private readonly pending = new Set<string>();
  /** Groups whose timer fired, waiting for the running loop. */
  private readonly due = new Set<string>();
  /** Analysis errors already logged (a too-large open file would otherwise be logged on every edit). */
  private readonly reportedErrors = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<AnalysisEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private running = false;
  private waiters: Array<() => void> = [];
  private disposed = false;

  /** Fires after each run, with the files it analyzed. */
  readonly onDidAnalyze = this.emitter.event;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
    private readonly environments: EnvironmentService,
  ) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (this.accepts(document)) this.request(document.uri, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.accepts(event.document)) this.request(event.document.uri, EDIT_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        // Its text is the disk's again: other files' chains through it may change.
        if (this.accepts(document) && document.getText() !== this.index.get(document.uri)?.text) this.request(document.uri, EDIT_DEBOUNCE_MS);
      }),
      index.onDidChange((uris) => {
        // A rebuild reports every file: decide once per group, not once per file.
        const groups = new Map<string, vscode.Uri>();
        for (const uri of uris) if (!groups.has(groupOf(uri))) groups.set(groupOf(uri), uri);
        for (const [group, uri] of groups) if (this.hasOpenDocuments(group)) this.request(uri, EDIT_DEBOUNCE_MS);
      }),
      settings.onDidChange((change) => {
        if (change.analysis) void this.reanalyzeWorkspace();
      }),
      // A project file edited, the interpreter's answer, free-threading set: fixes and advice may change.
      environments.onDidChange(() => {
        for (const document of vscode.workspace.textDocuments) if (this.accepts(document)) this.request(document.uri, EDIT_DEBOUNCE_MS);
      }),
    );
  }

  /** Starts the background indexing and analyzes the documents already open. */
  start(): void {
    for (const document of vscode.workspace.textDocuments) if (this.accepts(document)) this.request(document.uri, 0);
    void this.index.rebuild();
  }

  /** Re-reads the workspace, then re-analyzes every group with open documents; resolves when done. */
  async reanalyzeWorkspace(): Promise<void> {
    for (const group of [...this.groups.keys()]) this.dropResults(group);
    this.environments.clear();
    await this.index.rebuild();
    for (const document of vscode.workspace.textDocuments) if (this.accepts(document)) this.request(document.uri, 0);
    await this.nextRun();
  }

  /**
   * Whether this document is analyzed at all: in one of the analyzed languages (a `.js` file
   * switched to plain text is not), its family enabled, the file not excluded.
   */
  accepts(document: vscode.TextDocument): boolean {
    return ANALYZED_LANGUAGES.includes(document.languageId) && this.index.accepts(document.uri);
  }

  /** The results for the document's current text, if the last run read this version. */
  current(document: vscode.TextDocument): Snapshot | undefined {
    const group = this.groups.get(groupOf(document.uri));
    if (!group || group.versions.get(document.uri.toString()) !== document.version) return undefined;
    const file = group.byPath.get(document.uri.fsPath);
    return file ? snapshotOf(group, file) : undefined;
  }

  /** The latest results for a file, whatever text they were computed from (for closed files). */
  latest(uri: vscode.Uri): Snapshot | undefined {
    const group = this.groups.get(groupOf(uri));
    const file = group?.byPath.get(uri.fsPath);
    return group && file ? snapshotOf(group, file) : undefined;
  }

  /**
   * The results for the document's current text, analyzing it if needed. `urgent` (a hover, a
   * quick fix: the user is waiting) runs the analysis now; otherwise (CodeLens, which the editor
   * asks for on every edit) it waits for the debounced run. Undefined when the document is not
   * analyzed or the request is cancelled.
   */
  async resultFor(document: vscode.TextDocument, token: vscode.CancellationToken | undefined, urgent: boolean): Promise<Snapshot | undefined> {
    if (!this.accepts(document)) return undefined;
    // A few rounds: the text may change again while a run is under way.
    for (let round = 0; round < 5; round++) {
      const snapshot = this.current(document);
      if (snapshot) return snapshot;
      if (token?.isCancellationRequested || this.disposed) return undefined;
      this.request(document.uri, urgent ? 0 : EDIT_DEBOUNCE_MS, !urgent);
      await this.nextRun();
    }
    return this.current(document);
  }

  /**
   * Asks for a run of the uri's group within `delayMs`. A request while the timer is pending
   * moves it (debounce: typing keeps pushing the run back), unless `keepEarlier` and it is
   * already due sooner.
   */
  request(uri: vscode.Uri, delayMs: number, keepEarlier = false): void {
    if (this.disposed) return;
    this.pending.add(groupOf(uri));
    const due = Date.now() + delayMs;
    if (this.timer && keepEarlier && this.timerDue <= due) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      for (const group of this.pending) this.due.add(group);
      this.pending.clear();
      void this.runDue();
    }, delayMs);
  }

  /** Resolves after the next run ends (at once when nothing is pending or running). */
  private nextRun(): Promise<void> {
    if (!this.running && this.pending.size === 0 && this.due.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Runs the groups whose time has come, one after another; one loop at a time. */
  private async runDue(): Promise<void> {
    if (this.running || this.disposed) return; // the running loop picks them up
    this.running = true;
    try {
      while (this.due.size > 0 && !this.disposed) {
        const groups = [...this.due];
        this.due.clear();
        for (const group of groups) {
          try {
            await this.run(group);
          } catch (error) {
            this.log.error(`analysis failed: ${message(error)}`);
          }
        }
        this.wakeWaiters();
      }
    } finally {
      this.running = false;
      // Waiters for a request still in its debounce wait for that run.
      if (this.pending.size === 0) this.wakeWaiters();
    }
  }

  private hasOpenDocuments(group: string): boolean {
    return vscode.workspace.textDocuments.some((d) => groupOf(d.uri) === group && this.accepts(d));
  }

  /** Analyzes one group: its indexed files with the open documents' texts over them. */
  private async run(group: string): Promise<void> {
    const open = vscode.workspace.textDocuments.filter((d) => groupOf(d.uri) === group && this.accepts(d));
    if (open.length === 0) {
      this.dropResults(group);
      this.caches.get(group)?.dispose();
      this.caches.delete(group);
      return;
    }
    const folder = group === LOOSE ? undefined : vscode.workspace.getWorkspaceFolder(open[0].uri);
    const settings = this.settings.read(folder);
    const texts = new Map<string, SourceFile>();
    const versions = new Map<string, number>();
    if (folder) for (const file of this.selectDiskFiles(folder, open)) texts.set(file.path, { path: file.path, text: file.text });
    for (const document of open) {
      texts.set(document.uri.fsPath, { path: document.uri.fsPath, text: document.getText() });
      versions.set(document.uri.toString(), document.version);
    }
    // In path order, as the CLI discovers them: the same input gives the same evidence order.
    const files = [...texts.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // Read first: the run's timings stay the analysis's own (the project files are cached after the first run).
    const environmentFor = await this.environments.prepare(folder, files.map((f) => f.path));
    if (this.disposed) return;
    const started = performance.now();
    let cache = this.caches.get(group);
    if (!cache) this.caches.set(group, (cache = new ExtractionCache()));
    const analysis = await analyzeWithoutFixes(files, { extraCalls: settings.extraCalls, maxFileBytes: settings.maxFileSizeKB * 1024, cache, environmentFor });
    const ms = performance.now() - started;
    if (this.disposed) {
      analysis.release();
      return;
    }
    const results = analysis.files;
    this.dropResults(group);
    this.groups.set(group, { files: results, byPath: new Map(results.map((r) => [r.path, r])), versions, analysis, fixes: new Map(), environmentFor });
    for (const result of results) {
      const report = `${result.path}: ${result.error}`;
      if (result.error === undefined || this.reportedErrors.has(report)) continue;
      this.reportedErrors.add(report);
      this.log.warn(report);
    }
    const { extractMs, evaluateMs } = analysis.timings;
    this.log.debug(`analyzed ${files.length} files (${folder?.name ?? 'outside the workspace'}) in ${ms.toFixed(1)} ms (extraction ${extractMs.toFixed(1)} ms, propagation and findings ${evaluateMs.toFixed(1)} ms)`);
    this.emitter.fire({ uris: results.map((r) => vscode.Uri.file(r.path)), ms });
  }

  /**
   * The disk files a run of this folder reads: all of them, or, past the budget, the open
   * documents' folders and the files the last run's chains reached.
   */
  private selectDiskFiles(folder: vscode.WorkspaceFolder, open: readonly vscode.TextDocument[]): Array<{ path: string; text: string }> {
    const families = new Set(open.map((d) => familyOf(d.uri.fsPath)));
    const all = this.index.filesIn(folder).filter((f) => families.has(familyOf(f.path)));
    const bytes = all.reduce((sum, f) => sum + f.text.length, 0);
    if (bytes <= WHOLE_FOLDER_BUDGET_BYTES) return all;
    const dirs = new Set(open.map((d) => vscode.Uri.joinPath(d.uri, '..').fsPath));
    const reached = new Set<string>();
    for (const result of this.groups.get(folder.uri.toString())?.files ?? []) {
      for (const fn of result.functions) for (const e of fn.evidence) reached.add(e.origin.path);
    }
    return all.filter((f) => reached.has(f.path) || dirs.has(vscode.Uri.joinPath(f.uri, '..').fsPath));
  }

  /** Forgets a group's results (and frees the parses its fixes made). */
  private dropResults(group: string): void {
    this.groups.get(group)?.analysis.release();
    this.groups.delete(group);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const group of [...this.groups.keys()]) this.dropResults(group);
    // A run under way finds the service disposed and frees its own results; its cache is gone.
    for (const cache of this.caches.values()) cache.dispose();
    this.caches.clear();
    this.wakeWaiters();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
