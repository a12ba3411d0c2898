/**
 * JS/TS module resolution across the files analyzed together: relative specifiers with
 * Node's and TypeScript's rules (exact file, added extensions, `./x.js` written for
 * `./x.ts`, `index` files), then the export named by the import (`default`, a name, or a
 * member of a namespace `*`), following `export { x } from` and `export * from`.
 */
import type { ModuleFacts, ProjectRef } from '../../facts';
import { functionId, type FunctionId, type ModuleResolver } from '../resolver';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const MAX_DEPTH = 6;

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '.' || part === '') {
      if (parts.length === 0 && path.startsWith('/')) parts.push('');
      continue;
    }
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..' && parts[parts.length - 1] !== '') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function directoryOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash >= 0 ? normalized.slice(0, slash) : '.';
}

export class JavaScriptModuleResolver implements ModuleResolver {
  /** Normalized path → the path as given. */
  private readonly files = new Map<string, string>();
  private readonly modules = new Map<string, ModuleFacts>();
  private readonly functions = new Set<FunctionId>();

  constructor(modules: readonly ModuleFacts[]) {
    for (const module of modules) {
      this.files.set(normalize(module.path), module.path);
      this.modules.set(module.path, module);
      for (const fn of module.functions) this.functions.add(functionId(module.path, fn.name));
    }
  }

  resolve(fromPath: string, ref: ProjectRef, depth = 0): FunctionId | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (ref.level < 0) return this.local(fromPath, ref.dotted);
    if (ref.specifier === undefined) return undefined;
    const file = this.file(fromPath, ref.specifier);
    if (!file) return undefined;
    const path = ref.dotted.startsWith('*.') ? ref.dotted.slice(2) : ref.dotted;
    if (path === '*' || path === '') return undefined;
    return this.exported(file, path, depth);
  }

  /** A qualified name in one file (`Class.method`; a class alone means its constructor). */
  private local(file: string, name: string): FunctionId | undefined {
    for (const candidate of [name, `${name}.constructor`]) {
      const id = functionId(file, candidate);
      if (this.functions.has(id)) return id;
    }
    return undefined;
  }

  /** `name.rest` exported by a file: a local function, a re-export, or a star export. */
  private exported(file: string, path: string, depth: number): FunctionId | undefined {
    const module = this.modules.get(file);
    if (!module) return undefined;
    const [head, ...rest] = path.split('.');
    const local = module.exports?.get(head);
    if (local) {
      const found = this.local(file, [local, ...rest].join('.'));
      if (found) return found;
    }
    const reexport = module.reexports.get(head);
    if (reexport) return this.resolve(file, { ...reexport, dotted: [reexport.dotted, ...rest].join('.') }, depth + 1);
    // CommonJS files without explicit exports, and functions exported under their own name.
    if (!local) {
      const found = this.local(file, path);
      if (found && (module.exports === undefined || module.exports.size === 0 || module.exports.has(head))) return found;
    }
    for (const star of module.starExports ?? []) {
      const found = this.resolve(file, { level: 0, dotted: path, specifier: star }, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The analyzed file a relative specifier names, by Node's and TypeScript's rules. */
  private file(fromPath: string, specifier: string): string | undefined {
    const base = normalize(`${directoryOf(fromPath)}/${specifier}`);
    const candidates = [base];
    const jsExtension = /\.(m|c)?jsx?$/.exec(base);
    if (jsExtension) {
      const stem = base.slice(0, -jsExtension[0].length);
      const ts = jsExtension[1] === 'm' ? '.mts' : jsExtension[1] === 'c' ? '.cts' : '.ts';
      candidates.push(stem + ts, `${stem}.tsx`);
    }
    for (const extension of EXTENSIONS) candidates.push(base + extension);
    for (const extension of EXTENSIONS) candidates.push(`${base}/index${extension}`);
    for (const candidate of candidates) {
      const file = this.files.get(candidate);
      if (file) return file;
    }
    return undefined;
  }
}
