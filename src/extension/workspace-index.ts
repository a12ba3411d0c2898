/**
 * The workspace's source files as the analyzer sees them on disk, so that chains cross files:
 * found in the background (window progress) when the extension starts and when the settings
 * that choose files change, kept current by a file system watcher. Open documents' texts take
 * precedence over these (see analysis-service.ts).
 */
import * as vscode from 'vscode';
import { languageForPath, SOURCE_EXTENSIONS } from '../core';
import { FileFilter, SKIPPED_DIRECTORIES, SKIPPED_DIRECTORIES_GLOB } from './file-filter';
import type { SettingsReader } from './settings';

/** A source file read from disk. */
export interface IndexedFile {
  uri: vscode.Uri;
  /** The path handed to the analyzer (the file system path). */
  path: string;
  text: string;
  /** The workspace folder's URI, as a string. */
  folder: string;
}

/** More files than this in one folder are left out of the index (and the log says so). */
const MAX_FILES_PER_FOLDER = 20_000;
/** Files read at once while indexing. */
const READ_BATCH = 32;

/** The analyzer's language family for a path, if it reads such files. */
export function familyOf(path: string): 'python' | 'javascript' | undefined {
  const language = languageForPath(path);
  if (!language) return undefined;
  return language === 'python' ? 'python' : 'javascript';
}

/** Where a URI sits: its workspace folder and the path relative to it (`/`-separated). */
function placeOf(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; relative: string } | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  return { folder, relative: vscode.workspace.asRelativePath(uri, false) };
}

/** The disk side of the workspace: files by URI, per workspace folder. */
export class WorkspaceIndex implements vscode.Disposable {
  private readonly files = new Map<string, IndexedFile>();
  /** Virtual environments found per folder (relative paths), skipped like node_modules. */
  private readonly venvs = new Map<string, string[]>();
  /** Compiled filters by folder and globs; cleared when the virtual environments found change. */
  private readonly filters = new Map<string, FileFilter>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  private building: Promise<void> | undefined;

  /** Fires with the files whose disk contents changed (created, changed, deleted, re-indexed). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const extensions = SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',');
    const watcher = vscode.workspace.createFileSystemWatcher(`**/*.{${extensions}}`);
    // A folder created or deleted with its files (a checkout, an unzip, `rm -r`) can be reported
    // as the folder alone, which the watcher above never sees: folders are watched too.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.refresh(uri)),
      watcher.onDidChange((uri) => void this.refresh(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      folders,
      folders.onDidCreate((uri) => void this.addFolder(uri)),
      folders.onDidDelete((uri) => this.removeFolder(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rebuild()),
      this.emitter,
    );
  }

  /** The indexed files of a workspace folder. */
  filesIn(folder: vscode.WorkspaceFolder): IndexedFile[] {
    const key = folder.uri.toString();
    return [...this.files.values()].filter((f) => f.folder === key);
  }

  /** The disk text of a file, if indexed. */
  get(uri: vscode.Uri): IndexedFile | undefined {
    return this.files.get(uri.toString());
  }

  /**
   * Whether the analyzer reads this file: a file the engine has a language for, in an enabled
   * family, not excluded (skipped folders, virtual environments, `concurrencyLens.exclude`).
   */
  accepts(uri: vscode.Uri): boolean {
    if (uri.scheme !== 'file') return false;
    const family = familyOf(uri.fsPath);
    if (!family) return false;
    const settings = this.settings.read(uri);
    if (!settings.enable[family]) return false;
    const place = placeOf(uri);
    // A file outside every workspace folder was opened on purpose: only declaration files are skipped.
    if (!place) return !this.filterFor('', []).excludes(uri.path.slice(uri.path.lastIndexOf('/') + 1));
    return !this.filterFor(place.folder.uri.toString(), settings.exclude).excludes(place.relative);
  }

  /** The filter of a folder for these user globs (compiled once: `accepts` runs on every edit). */
  private filterFor(folder: string, excludes: readonly string[]): FileFilter {
    const key = `${folder}\n${excludes.join('\n')}`;
    let filter = this.filters.get(key);
    if (!filter) {
      filter = new FileFilter(excludes, this.venvs.get(folder));
      this.filters.set(key, filter);
    }
    return filter;
  }

  /** The running (or last) build. */
  ready(): Promise<void> {
    return this.building ?? this.rebuild();
  }

  /** Reads every workspace folder again, with window progress; a newer build supersedes this one. */
  rebuild(): Promise<void> {
    const generation = ++this.generation;
    const build = vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Concurrency Lens: indexing' }, (progress) =>
      this.build(generation, progress),
    );
    const building = Promise.resolve(build).catch((error: unknown) => {
      this.log.error(`indexing failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.building = building;
    return building;
  }

  private async build(generation: number, progress: vscode.Progress<{ message?: string }>): Promise<void> {
    const started = Date.now();
    const found: IndexedFile[] = [];
    const venvs = new Map<string, string[]>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const settings = this.settings.read(folder);
      const extensions = SOURCE_EXTENSIONS.filter((extension) => {
        const family = familyOf(extension);
        return family !== undefined && settings.enable[family];
      }).map((extension) => extension.slice(1));
      if (extensions.length === 0) continue;
      const markers = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/pyvenv.cfg'), SKIPPED_DIRECTORIES_GLOB);
      const folderVenvs = markers.map((uri) => vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..'), false));
      venvs.set(folder.uri.toString(), folderVenvs);
      const filter = new FileFilter(settings.exclude, folderVenvs);
      const uris = await vscode.workspace.findFiles(
        new vscode.RelativePattern(folder, `**/*.{${extensions.join(',')}}`),
        SKIPPED_DIRECTORIES_GLOB,
        MAX_FILES_PER_FOLDER,
      );
      if (uris.length === MAX_FILES_PER_FOLDER) this.log.warn(`${folder.name}: more than ${MAX_FILES_PER_FOLDER} source files; the rest are not indexed`);
      const wanted = uris.filter((uri) => uri.scheme === 'file' && !filter.excludes(vscode.workspace.asRelativePath(uri, false)));
      const maxBytes = settings.maxFileSizeKB * 1024;
      for (let i = 0; i < wanted.length; i += READ_BATCH) {
        if (generation !== this.generation) return;
        progress.report({ message: `${folder.name} ${i}/${wanted.length}` });
        const batch = await Promise.all(wanted.slice(i, i + READ_BATCH).map((uri) => this.read(uri, folder, maxBytes)));
        for (const file of batch) if (file) found.push(file);
      }
    }
    if (generation !== this.generation) return;
    this.files.clear();
    this.venvs.clear();
    this.filters.clear();
    for (const [key, list] of venvs) this.venvs.set(key, list);
    for (const file of found) this.files.set(file.uri.toString(), file);
    this.log.info(`indexed ${found.length} source files in ${Date.now() - started} ms`);
    this.emitter.fire(found.map((f) => f.uri));
  }

  /** A file's text, or undefined when it is too large or unreadable (logged). */
  private async read(uri: vscode.Uri, folder: vscode.WorkspaceFolder, maxBytes: number): Promise<IndexedFile | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > maxBytes) {
        this.log.debug(`skipped ${uri.fsPath}: ${Math.round(stat.size / 1024)} KB is over concurrencyLens.maxFileSizeKB`);
        return undefined;
      }
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      return { uri, path: uri.fsPath, text, folder: folder.uri.toString() };
    } catch (error) {
      this.log.debug(`could not read ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async refresh(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !this.accepts(uri)) return;
    const file = await this.read(uri, folder, this.settings.read(uri).maxFileSizeKB * 1024);
    const key = uri.toString();
    if (file) {
      if (this.files.get(key)?.text === file.text) return;
      this.files.set(key, file);
    } else if (!this.files.delete(key)) {
      return;
    }
    this.emitter.fire([uri]);
  }

  private remove(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.emitter.fire([uri]);
  }

  /** Reads the source files of a folder that appeared (anything else created is left to the file watcher). */
  private async addFolder(uri: vscode.Uri): Promise<void> {
    if (familyOf(uri.fsPath) || uri.path.split('/').some((segment) => SKIPPED_DIRECTORIES.includes(segment))) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    try {
      if ((await vscode.workspace.fs.stat(uri)).type !== vscode.FileType.Directory) return;
    } catch {
      return; // gone again
    }
    const extensions = SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',');
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, `**/*.{${extensions}}`), SKIPPED_DIRECTORIES_GLOB);
    await Promise.all(uris.map((file) => this.refresh(file)));
  }

  /** Forgets the files under a deleted folder. */
  private removeFolder(uri: vscode.Uri): void {
    const prefix = `${uri.toString()}/`;
    const gone = [...this.files.values()].filter((file) => file.uri.toString().startsWith(prefix));
    for (const file of gone) this.files.delete(file.uri.toString());
    if (gone.length > 0) this.emitter.fire(gone.map((file) => file.uri));
  }

  dispose(): void {
    this.generation++;
    for (const disposable of this.disposables) disposable.dispose();
  }
}
