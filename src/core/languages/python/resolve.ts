/**
 * Python module resolution across the files analyzed together: absolute imports
 * match the module path by its trailing components (nearest file wins), relative
 * imports walk up from the importing file's package, and names re-exported by a
 * module's own imports (`from .impl import fetch` in `__init__.py`) are followed.
 */
import type { ModuleFacts, ProjectRef } from '../../facts';
import { functionId, type FunctionId, type ModuleResolver } from '../resolver';

const MAX_REEXPORT_DEPTH = 6;

function normalize(path: string): string {
  return path.replace(/\\/g, '/');
}

/** `a/b/c.py` -> `a/b/c`; `a/b/__init__.py` -> `a/b`. */
function modulePath(path: string): string {
  const withoutExtension = normalize(path).replace(/\.pyi?$/, '');
  return withoutExtension.endsWith('/__init__') ? withoutExtension.slice(0, -'/__init__'.length) : withoutExtension;
}

function directoryOf(path: string): string {
  const normalized = normalize(path);
  const slash = normalized.lastIndexOf('/');
  return slash >= 0 ? normalized.slice(0, slash) : '';
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export class PythonModuleResolver implements ModuleResolver {
  /** Dotted suffix (`c`, `b.c`, `a.b.c`) -> the files that are that module. */
  private readonly bySuffix = new Map<string, string[]>();
  /** Module path (`a/b/c`) -> file. */
  private readonly byModulePath = new Map<string, string>();
  private readonly functions = new Set<FunctionId>();
  private readonly modules = new Map<string, ModuleFacts>();

  constructor(modules: readonly ModuleFacts[]) {
    for (const module of modules) {
      this.modules.set(module.path, module);
      for (const fn of module.functions) this.functions.add(functionId(module.path, fn.name));
      const path = modulePath(module.path);
      // A module file beats a package of the same name only by order; both rarely coexist.
      if (!this.byModulePath.has(path)) this.byModulePath.set(path, module.path);
      const parts = path.split('/').filter((p) => p && p !== '.' && p !== '..');
      for (let i = parts.length - 1; i >= 0; i--) {
        const suffix = parts.slice(i).join('.');
        const list = this.bySuffix.get(suffix);
        if (list) list.push(module.path);
        else this.bySuffix.set(suffix, [module.path]);
      }
    }
  }

  resolve(fromPath: string, ref: ProjectRef, depth = 0): FunctionId | undefined {
    if (depth > MAX_REEXPORT_DEPTH) return undefined;
    if (ref.level < 0) return this.inModule(fromPath, ref.dotted, depth);
    const parts = ref.dotted.split('.');
    if (ref.level === 0) {
      for (let k = parts.length - 1; k >= 1; k--) {
        const file = this.nearest(parts.slice(0, k).join('.'), fromPath);
        if (file) {
          const found = this.inModule(file, parts.slice(k).join('.'), depth);
          if (found) return found;
        }
      }
      return undefined;
    }
    let base = directoryOf(fromPath);
    for (let up = 1; up < ref.level; up++) base = directoryOf(base);
    for (let k = parts.length - 1; k >= 0; k--) {
      const sub = parts.slice(0, k).join('/');
      const path = sub ? (base ? `${base}/${sub}` : sub) : base;
      const file = this.byModulePath.get(path);
      if (file) {
        const found = this.inModule(file, parts.slice(k).join('.'), depth);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A qualified name inside a module file, following the module's own imports. */
  private inModule(file: string, name: string, depth: number): FunctionId | undefined {
    if (!name) return undefined;
    for (const candidate of [name, `${name}.__init__`, `${name}.__call__`]) {
      const id = functionId(file, candidate);
      if (this.functions.has(id)) return id;
    }
    const module = this.modules.get(file);
    const [head, ...rest] = name.split('.');
    const reexport = module?.reexports.get(head);
    if (!reexport) return undefined;
    const dotted = [reexport.dotted, ...rest].join('.');
    return this.resolve(file, { level: reexport.level, dotted }, depth + 1);
  }

  /** Of the files that are module `dotted`, the one nearest to `fromPath`. */
  private nearest(dotted: string, fromPath: string): string | undefined {
    const files = this.bySuffix.get(dotted);
    if (!files || files.length === 0) return undefined;
    if (files.length === 1) return files[0];
    const from = normalize(fromPath);
    let best = files[0];
    let bestScore = -1;
    for (const file of files) {
      const score = commonPrefixLength(normalize(file), from);
      if (score > bestScore) {
        best = file;
        bestScore = score;
      }
    }
    return best;
  }
}
