/**
 * The libraries a source file's project declares, read from disk: the nearest `pyproject.toml`
 * / `requirements*.txt` folder for the Python side, the nearest `package.json` for the npm
 * side, each up to a root (the workspace folder, the CLI's current folder). Shared by the CLI
 * and the editor, so no `vscode` here.
 *
 * Folder listings and readings are cached: many source files share one project folder. The
 * editor drops a folder's entries when one of its project files changes ({@link forget}).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  isProjectFile,
  modulesOf,
  nearestProjectFolder,
  readPackageJson,
  readPyproject,
  readRequirements,
  type ProjectFamily,
  type Requirement,
} from '../core/environment-files';

/** What a source file's project declares, and the files it came from. */
export interface Declared {
  pythonModules: ReadonlySet<string>;
  nodePackages: ReadonlySet<string>;
  /** The project files read (includes too). */
  files: readonly string[];
  /** Files that could not be read or parsed, with why; their names count as undeclared. */
  problems: readonly FileProblem[];
}

/** A project file that declares nothing because it could not be read or parsed. */
export interface FileProblem {
  file: string;
  problem: string;
}

/** One family's reading of one project folder. */
interface Reading {
  names: ReadonlySet<string>;
  files: string[];
  problems: FileProblem[];
}

/** How deep `-r` includes are followed (a cycle stops earlier: each file is read once). */
const MAX_INCLUDE_DEPTH = 8;

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `cannot read (${code})` : error instanceof Error ? error.message : String(error);
}

/** Reads and caches the project files that apply to source files. */
export class DeclaredFiles {
  private readonly listings = new Map<string, readonly string[] | undefined>();
  /** By family and project folder; `files` is set once the reading is done (for {@link forget}). */
  private readonly readings = new Map<string, { promise: Promise<Reading>; files?: readonly string[] }>();

  /** Per source folder and root: the files of one folder share their projects (the editor asks on every run). */
  private readonly byFolder = new Map<string, Promise<Declared>>();

  /** What the project of `filePath` declares, looking no higher than `root`. */
  forFile(filePath: string, root: string): Promise<Declared> {
    const key = `${resolve(root)}\0${dirname(resolve(filePath))}`;
    let declared = this.byFolder.get(key);
    if (!declared) this.byFolder.set(key, (declared = this.read(filePath, root)));
    return declared;
  }

  private async read(filePath: string, root: string): Promise<Declared> {
    const [python, node] = await Promise.all([this.family(filePath, root, 'python'), this.family(filePath, root, 'javascript')]);
    return {
      pythonModules: python.names,
      nodePackages: node.names,
      files: [...python.files, ...node.files],
      problems: [...python.problems, ...node.problems],
    };
  }

  /**
   * Forgets what was read about `path`'s folder (a project file there was created, changed or
   * deleted), and every reading that included it.
   */
  forget(path: string): void {
    const absolute = resolve(path);
    const folder = dirname(absolute);
    this.byFolder.clear();
    this.listings.delete(folder);
    this.listings.delete(absolute); // a folder created or deleted
    for (const [key, reading] of [...this.readings]) {
      if (key.endsWith(`\0${folder}`) || reading.files?.includes(absolute)) this.readings.delete(key);
    }
  }

  /** Forgets everything (a rebuild). */
  clear(): void {
    this.byFolder.clear();
    this.listings.clear();
    this.readings.clear();
  }

  private family(filePath: string, root: string, family: ProjectFamily): Promise<Reading> {
    const project = nearestProjectFolder(resolve(filePath), resolve(root), family, (dir) => this.list(dir));
    if (!project) return Promise.resolve({ names: new Set<string>(), files: [], problems: [] });
    const key = `${family}\0${project.folder}`;
    const cached = this.readings.get(key);
    if (cached) return cached.promise;
    const entry: { promise: Promise<Reading>; files?: readonly string[] } = { promise: family === 'python' ? readPython(project.files) : readNode(project.files) };
    void entry.promise.then((r) => (entry.files = r.files));
    this.readings.set(key, entry);
    return entry.promise;
  }

  private list(dir: string): readonly string[] | undefined {
    if (this.listings.has(dir)) return this.listings.get(dir);
    let names: string[] | undefined;
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && isProjectFile(e.name))
        .map((e) => e.name);
    } catch {
      names = undefined;
    }
    this.listings.set(dir, names);
    return names;
  }
}

/** The modules a Python project folder's files declare, following `-r` includes. */
async function readPython(files: readonly string[]): Promise<Reading> {
  const requirements: Requirement[] = [];
  const read: string[] = [];
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const visit = async (file: string, depth: number): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    if (depth > MAX_INCLUDE_DEPTH) {
      problems.push({ file, problem: `included more than ${MAX_INCLUDE_DEPTH} levels deep, not read` });
      return;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push({ file, problem: reason(error) });
      return;
    }
    read.push(file);
    const declaration = basename(file) === 'pyproject.toml' ? readPyproject(text) : readRequirements(text);
    if (declaration.problem) problems.push({ file, problem: declaration.problem });
    requirements.push(...declaration.requirements);
    for (const include of declaration.includes) await visit(resolve(dirname(file), include), depth + 1);
  };
  for (const file of files) await visit(file, 0);
  return { names: new Set(modulesOf(requirements)), files: read, problems };
}

/** The packages of a `package.json`. */
async function readNode(files: readonly string[]): Promise<Reading> {
  const [file] = files;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { names: new Set(), files: [], problems: [{ file, problem: reason(error) }] };
  }
  const declaration = readPackageJson(text);
  return { names: new Set(declaration.packages), files: [file], problems: declaration.problem ? [{ file, problem: declaration.problem }] : [] };
}
