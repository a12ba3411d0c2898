/**
 * Finds the files to analyze under the paths given on the command line: files as
 * they are, folders recursed in a stable order, skipping dependencies, VCS folders,
 * virtual environments and caches. Symbolic links to folders are not followed (no loops).
 */
import { existsSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { languageForPath } from '../core';
import { isDeclarationFile, SKIPPED_DIRECTORIES } from '../core/sources';

const SKIPPED = new Set(SKIPPED_DIRECTORIES);

/** What discovery found: the files, and the paths that do not exist. */
export interface Discovery {
  files: string[];
  missing: string[];
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
      if (SKIPPED.has(entry.name) || isVirtualEnvironment(path)) continue;
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
