/**
 * Finds the files to analyze under the paths given on the command line: files as
 * they are, folders recursed in a stable order, skipping dependencies, VCS folders,
 * virtual environments and caches. Symbolic links to folders are not followed (no loops).
 */
import { existsSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { languageForPath } from '../core';

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.eggs',
  'dist-packages',
]);

/** What discovery found: the files, and the paths that do not exist. */
export interface Discovery {
  files: string[];
  missing: string[];
}

/** TypeScript declaration files hold types only: no function runs there. */
function isDeclarationFile(name: string): boolean {
  return /\.d\.(ts|mts|cts)$/i.test(name);
}

/** True for a folder that is a Python virtual environment (it has `pyvenv.cfg`). */
function isVirtualEnvironment(dir: string): boolean {
  return existsSync(join(dir, 'pyvenv.cfg'));
}

async function walk(dir: string, into: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: nothing to analyze there
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || isVirtualEnvironment(path)) continue;
      await walk(path, into);
    } else if (entry.isFile() && languageForPath(entry.name) && !isDeclarationFile(entry.name)) {
      into.push(path);
    }
  }
}

/** Expands the command line's paths into source files, without duplicates. */
export async function discover(paths: readonly string[]): Promise<Discovery> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      missing.push(path);
      continue;
    }
    if (info.isDirectory()) await walk(path, files);
    else files.push(path); // named explicitly: analyzed (or reported as unsupported) whatever its extension
  }
  return { files: [...new Set(files)], missing };
}
