/**
 * Which files are source to analyze, shared by the CLI's discovery and the extension's
 * workspace index: folders that hold dependencies, version control, caches and virtual
 * environments are skipped by name, and TypeScript declaration files hold no code.
 */

/** Folders never analyzed, by name. */
export const SKIPPED_DIRECTORIES: readonly string[] = [
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
];

/** TypeScript declaration files hold types only: no function runs there. */
export function isDeclarationFile(path: string): boolean {
  return /\.d\.(ts|mts|cts)$/i.test(path);
}
