/**
 * What a project declares it uses, read from the text of its files: the Python distributions of
 * `pyproject.toml` (PEP 621, Poetry, PEP 735 dependency groups) and `requirements*.txt`
 * (PEP 508 lines), mapped to the top-level modules they install, and the npm packages of
 * `package.json`. Text in, names out: the front ends find and read the files.
 *
 * A malformed file gives no names and a reason, never a throw: a typo in `pyproject.toml` must
 * not cost the analysis, only the fixes that depend on what the file would have declared.
 */
import { dirname, join, relative } from 'node:path';
import { parse as parseToml } from 'smol-toml';

/** A Python requirement: the distribution's name as written and the extras asked for. */
export interface Requirement {
  name: string;
  extras: string[];
}

/** What one Python project file declares, and why it declares nothing when it cannot be read. */
export interface PythonDeclaration {
  requirements: Requirement[];
  /** Other requirements files it includes (`-r other.txt`), as written (relative to its folder). */
  includes: string[];
  problem?: string;
}

/** What a `package.json` declares. */
export interface NodeDeclaration {
  packages: string[];
  problem?: string;
}

/**
 * Distributions whose modules are not their own normalized name, or whose extras install other
 * distributions that matter to the fixes (`dask[distributed]` brings `distributed`). Keys are
 * normalized names (PEP 503); any other distribution `foo-bar` installs the module `foo_bar`.
 */
export const DISTRIBUTION_MODULES: Readonly<Record<string, { modules: readonly string[]; extras?: Readonly<Record<string, readonly string[]>> }>> = {
  dask: { modules: ['dask'], extras: { distributed: ['distributed'], complete: ['distributed'] } },
  'scikit-learn': { modules: ['sklearn'] },
  pillow: { modules: ['PIL'] },
  pyyaml: { modules: ['yaml'] },
  'beautifulsoup4': { modules: ['bs4'] },
  'opencv-python': { modules: ['cv2'] },
  'opencv-python-headless': { modules: ['cv2'] },
  'python-dateutil': { modules: ['dateutil'] },
  'pyspark-connect': { modules: ['pyspark'] },
};

/** PEP 503: lower case, runs of `-`, `_` and `.` as one `-`. */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The top-level modules the requirements install (sorted, without duplicates). */
export function modulesOf(requirements: readonly Requirement[]): string[] {
  const modules = new Set<string>();
  for (const requirement of requirements) {
    const name = normalizeDistribution(requirement.name);
    const known = DISTRIBUTION_MODULES[name];
    for (const module of known?.modules ?? [name.replace(/-/g, '_')]) modules.add(module);
    for (const extra of requirement.extras) for (const module of known?.extras?.[normalizeDistribution(extra)] ?? []) modules.add(module);
  }
  return [...modules].sort();
}

/** A PEP 508 name (letters, digits, `.-_`, starting and ending with a letter or digit) and its extras. */
const REQUIREMENT = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/**
 * The name and extras of a PEP 508 requirement (`dask[distributed]>=2023.1; python_version >= "3.9"`,
 * `ray @ https://...`); undefined for text that does not start with a name (a URL, a path).
 */
export function parseRequirement(text: string): Requirement | undefined {
  const match = REQUIREMENT.exec(text);
  if (!match) return undefined;
  // A URL or a path starts like a name ("https", "./pkg"): what follows the name tells.
  const rest = text.slice(match[0].length).trimStart();
  if (/^(:\/\/|:|\/|\\)/.test(rest) || (rest.startsWith('.') && !rest.startsWith('.*'))) return undefined;
  const extras = (match[2] ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return { name: match[1], extras };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** PEP 508 strings of a list (PEP 621, PEP 735); tables in it (`{include-group = ...}`) are skipped. */
function requirementList(value: unknown): Requirement[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const requirement = typeof item === 'string' ? parseRequirement(item) : undefined;
    return requirement ? [requirement] : [];
  });
}

/** Poetry's `name = "^1.0"` / `name = { version = ..., extras = [...] }` tables, without `python` itself. */
function poetryTable(value: unknown): Requirement[] {
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .filter(([name]) => normalizeDistribution(name) !== 'python')
    .map(([name, spec]) => {
      // A list of constraints (per Python version) may name extras in any of them.
      const specs = Array.isArray(spec) ? spec : [spec];
      const extras = specs.flatMap((s) => (isRecord(s) && Array.isArray(s.extras) ? s.extras.filter((e): e is string => typeof e === 'string') : []));
      return { name, extras };
    });
}

/**
 * The distributions `pyproject.toml` declares: `[project] dependencies` and
 * `optional-dependencies`, Poetry's dependencies, dev-dependencies and groups, and PEP 735
 * `[dependency-groups]`. Every group counts: a fix is worth offering when any part of the
 * project can import the library.
 */
export function readPyproject(text: string): PythonDeclaration {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    return { requirements: [], includes: [], problem: `not valid TOML: ${message(error)}` };
  }
  const requirements: Requirement[] = [];
  const project = data.project;
  if (isRecord(project)) {
    requirements.push(...requirementList(project.dependencies));
    if (isRecord(project['optional-dependencies'])) for (const list of Object.values(project['optional-dependencies'])) requirements.push(...requirementList(list));
  }
  const groups = data['dependency-groups'];
  if (isRecord(groups)) for (const list of Object.values(groups)) requirements.push(...requirementList(list));
  const poetry = isRecord(data.tool) ? data.tool.poetry : undefined;
  if (isRecord(poetry)) {
    requirements.push(...poetryTable(poetry.dependencies), ...poetryTable(poetry['dev-dependencies']));
    if (isRecord(poetry.group)) for (const group of Object.values(poetry.group)) if (isRecord(group)) requirements.push(...poetryTable(group.dependencies));
  }
  return { requirements, includes: [] };
}

/**
 * The distributions of a `requirements*.txt` file, and the files it includes (`-r` /
 * `--requirement`). Comments, blank lines, continuation lines, options and URLs are handled as
 * pip does; an editable install names its distribution only through `#egg=name`.
 */
export function readRequirements(text: string): PythonDeclaration {
  const requirements: Requirement[] = [];
  const includes: string[] = [];
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const raw of joined.split(/\r?\n/)) {
    // pip's comments start a line or follow whitespace (a URL's `#egg=` fragment is not one).
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(?:-r|--requirement)(?:\s+|=)?(\S+)/.exec(line);
    if (include) {
      includes.push(include[1]);
      continue;
    }
    const editable = /^(?:-e|--editable)(?:\s+|=)?(\S+)/.exec(line);
    if (editable) {
      const egg = /[#&]egg=([A-Za-z0-9._-]+(?:\[[^\]]*\])?)/.exec(editable[1]);
      const requirement = egg ? parseRequirement(egg[1]) : undefined;
      if (requirement) requirements.push(requirement);
      continue;
    }
    // Other options (`-c constraints.txt`, `--index-url URL`) install nothing themselves.
    if (line.startsWith('-')) continue;
    const requirement = parseRequirement(line);
    if (requirement) requirements.push(requirement);
  }
  return { requirements, includes };
}

/** The dependency fields of `package.json` that put a package within the project's reach. */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** The npm packages `package.json` declares, in any dependency field. */
export function readPackageJson(text: string): NodeDeclaration {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { packages: [], problem: `not valid JSON: ${message(error)}` };
  }
  if (!isRecord(data)) return { packages: [], problem: 'not a JSON object' };
  const packages = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = data[field];
    if (isRecord(deps)) for (const name of Object.keys(deps)) packages.add(name);
  }
  return { packages: [...packages].sort() };
}

/** Which project files a language family reads. */
export type ProjectFamily = 'python' | 'javascript';

/** True for the files that declare a Python project's dependencies. */
export function isPythonProjectFile(name: string): boolean {
  return name === 'pyproject.toml' || /^requirements.*\.txt$/i.test(name);
}

/** True for the file that declares a Node project's dependencies. */
export function isNodeProjectFile(name: string): boolean {
  return name === 'package.json';
}

/** True for a file whose change changes some project's environment. */
export function isProjectFile(name: string): boolean {
  return isPythonProjectFile(name) || isNodeProjectFile(name);
}

/**
 * The nearest folder holding the family's project files, from the source file's folder up to
 * `root` (included), and those files' names; undefined when there is none. `entriesOf` lists a
 * folder's file names (undefined for a folder that cannot be read); a file outside `root` is
 * looked up in its own folder alone.
 */
export function nearestProjectFolder(
  filePath: string,
  root: string,
  family: ProjectFamily,
  entriesOf: (folder: string) => readonly string[] | undefined,
): { folder: string; files: string[] } | undefined {
  const wanted = family === 'python' ? isPythonProjectFile : isNodeProjectFile;
  const inside = (dir: string): boolean => {
    const rel = relative(root, dir);
    return rel === '' || (!rel.startsWith('..') && !/^([A-Za-z]:|[\\/])/.test(rel));
  };
  let dir = dirname(filePath);
  const stop = inside(dir) ? root : dir;
  for (;;) {
    const files = (entriesOf(dir) ?? []).filter(wanted).sort();
    if (files.length > 0) return { folder: dir, files: files.map((f) => join(dir, f)) };
    if (relative(stop, dir) === '' || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}
