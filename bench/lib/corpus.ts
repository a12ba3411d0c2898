/**
 * The Python benchmark corpus: the standard library that pyodide ships as
 * `python_stdlib.zip`. It is real, large, pinned (pyodide is a pinned devDependency)
 * and needs no network. Files are decoded in memory; nothing is written to disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { SourceFile } from '../../src/core/model';

export interface Corpus {
  /** Where the files came from, for the report. */
  source: string;
  files: SourceFile[];
  /** Total size of the files as UTF-8, which is what both tools read. */
  bytes: number;
  /** Hash of every path and text: the parent checks that both tools saw the same input. */
  fingerprint: string;
  /** JS corpus: the folder the paths are relative to (node_modules; ESLint's cwd). */
  root?: string;
  /** JS corpus: folders (relative to `root`) whose `.js` files are ES modules. */
  esModuleDirs?: string[];
}

const ZIP_IN_PACKAGE = 'node_modules/pyodide/python_stdlib.zip';

/** How many files `--quick` keeps (of each corpus). */
export const QUICK_FILES = 60;

/**
 * The bundle runs from `out/bench/`; the zip sits in the project's node_modules.
 * Search upwards rather than trusting the working directory.
 */
export function findStdlibZip(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, ZIP_IN_PACKAGE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`python_stdlib.zip not found above ${__dirname}; run npm install (pyodide) or pass --zip PATH`);
}

/** The pyodide version that shipped the zip, when the zip is the one in node_modules. */
function pyodideVersion(zipPath: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(zipPath), 'package.json'), 'utf8')) as { name?: string; version?: string };
    return manifest.name === 'pyodide' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A small subset that still exercises async code: files that contain `async def`
 * come first (the stdlib has few), then the rest, in path order.
 */
function quickSubset(files: SourceFile[], count: number): SourceFile[] {
  const hasAsync = (f: SourceFile) => f.text.includes('async def');
  const picked = [...files.filter(hasAsync), ...files.filter((f) => !hasAsync(f))].slice(0, count);
  return picked.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function fingerprintOf(files: SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update('\0').update(file.text).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Every `.py` file of the zip, sorted by path (zip order is an accident of packaging),
 * with paths relative to the zip root so that `asyncio/tasks.py` resolves as `asyncio.tasks`.
 */
export function loadCorpus(options: { zipPath?: string; quick?: boolean; limit?: number }): Corpus {
  const zipPath = options.zipPath ?? findStdlibZip();
  const entries = unzipSync(readFileSync(zipPath), { filter: (entry) => entry.name.endsWith('.py') });
  let files: SourceFile[] = Object.keys(entries)
    .sort()
    .map((path) => ({ path, text: strFromU8(entries[path]) }));
  if (options.quick) files = quickSubset(files, QUICK_FILES);
  if (options.limit !== undefined) files = files.slice(0, options.limit);

  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text, 'utf8'), 0);
  const version = pyodideVersion(zipPath);
  const source = version ? `Python stdlib from pyodide ${version}` : zipPath;
  return { source, files, bytes, fingerprint: fingerprintOf(files) };
}
