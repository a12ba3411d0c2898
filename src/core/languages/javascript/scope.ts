/**
 * JavaScript/TypeScript name binding and expression resolution: ESM imports, CommonJS
 * `require` (whole, destructured, member), TypeScript `import x = require()`, classes,
 * `this`, and objects made by known constructors.
 *
 * Project modules (relative specifiers) resolve to `dotted` values carrying the
 * specifier; their `dotted` path starts with the export name (`default`, `getJson`) or
 * `*` for the whole module (namespace import, `require`).
 */
import type { Catalog } from '../../catalog';
import type { SyntaxNode as Node } from '../../parse/tree';
import { callResult, LITERAL_COLLECTION, member, type Scope, UNKNOWN, type Value } from '../values';

/** Packages that are another module under a different name (drop-in replacements). */
const MODULE_ALIASES: Readonly<Record<string, string>> = { 'graceful-fs': 'fs', 'original-fs': 'fs' };

/** `node:fs` → `fs`; `fs/promises` → `fs.promises`; relative specifiers stay as they are. */
export function canonicalModule(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  return (MODULE_ALIASES[bare] ?? bare).replace(/\//g, '.');
}

/** Compilers' import helpers (Babel, TypeScript, esbuild): they hand back the module they wrap. */
const INTEROP_HELPERS = /^(_interopRequireWildcard|_interopRequireDefault|__importStar|__importDefault|__toESM|__toCommonJS)$/;

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

/** The text of a string literal node, without quotes. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

/** The value of a whole module: `import * as m`, `require('m')`, `import m = require('m')`. */
export function moduleValue(specifier: string): Value {
  if (isRelative(specifier)) return { kind: 'dotted', level: 0, dotted: '*', imported: true, specifier };
  return { kind: 'dotted', level: 0, dotted: canonicalModule(specifier), imported: true };
}

/** The value of one export of a module: `import { x } from 'm'`, `import x from 'm'` (`default`). */
export function exportValue(specifier: string, name: string): Value {
  if (isRelative(specifier)) return { kind: 'dotted', level: 0, dotted: name, imported: true, specifier };
  // A package's default export is the package itself (`import axios from 'axios'`).
  if (name === 'default') return moduleValue(specifier);
  return { kind: 'dotted', level: 0, dotted: `${canonicalModule(specifier)}.${name}`, imported: true };
}

/** Binds the names an `import` statement introduces. */
export function bindImport(node: Node, scope: Scope): void {
  const source = stringValue(node.childForFieldName('source'));
  for (const child of node.namedChildren) {
    if (child.type === 'import_require_clause') {
      const name = child.namedChildren.find((c) => c.type === 'identifier');
      const specifier = stringValue(child.childForFieldName('source'));
      if (name && specifier !== undefined) scope.bind(name.text, moduleValue(specifier));
      continue;
    }
    if (child.type !== 'import_clause' || source === undefined) continue;
    for (const part of child.namedChildren) {
      if (part.type === 'identifier') scope.bind(part.text, exportValue(source, 'default'));
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c.type === 'identifier');
        if (name) scope.bind(name.text, moduleValue(source));
      } else if (part.type === 'named_imports') {
        for (const specifier of part.namedChildren) {
          if (specifier.type !== 'import_specifier') continue;
          const name = specifier.childForFieldName('name');
          const alias = specifier.childForFieldName('alias') ?? name;
          if (name && alias) scope.bind(alias.text, exportValue(source, name.text));
        }
      }
    }
  }
}

/** Binds a destructuring pattern (`{ a, b: c }`, `[x, y]`) against the value it destructures. */
export function bindPattern(pattern: Node, value: Value, scope: Scope): void {
  switch (pattern.type) {
    case 'identifier':
      scope.bind(pattern.text, value);
      return;
    case 'object_pattern':
      for (const property of pattern.namedChildren) {
        if (property.type === 'shorthand_property_identifier_pattern') scope.bind(property.text, member(value, property.text));
        else if (property.type === 'pair_pattern') {
          const key = property.childForFieldName('key');
          const target = property.childForFieldName('value');
          if (key && target) bindPattern(target, member(value, key.text.replace(/^['"]|['"]$/g, '')), scope);
        } else if (property.type === 'object_assignment_pattern') {
          const left = property.childForFieldName('left');
          if (left) bindPattern(left, left.type === 'shorthand_property_identifier_pattern' ? member(value, left.text) : UNKNOWN, scope);
        } else {
          for (const name of property.descendantsOfType('identifier')) scope.bind(name.text, UNKNOWN);
        }
      }
      return;
    case 'assignment_pattern': {
      const left = pattern.childForFieldName('left');
      if (left) bindPattern(left, value, scope);
      return;
    }
    default:
      for (const name of pattern.descendantsOfType('identifier')) scope.bind(name.text, UNKNOWN);
  }
}

const TRANSPARENT = new Set(['parenthesized_expression', 'await_expression', 'as_expression', 'non_null_expression', 'satisfies_expression', 'type_assertion']);

/** Resolves an expression node to a value. */
export function resolveExpression(node: Node, scope: Scope, catalog: Catalog): Value {
  if (node.tooDeep) return UNKNOWN;
  if (TRANSPARENT.has(node.type)) {
    const inner = node.namedChildren.find((c) => c.type !== 'type_annotation' && !c.type.endsWith('_type') && c.type !== 'type_identifier');
    return inner ? resolveExpression(inner, scope, catalog) : UNKNOWN;
  }
  switch (node.type) {
    case 'identifier': {
      const bound = scope.lookup(node.text);
      if (bound) return bound;
      // Not bound in the file: a global (fetch, JSON, setTimeout, Atomics).
      return { kind: 'dotted', level: 0, dotted: node.text, imported: false };
    }
    case 'this': {
      const self = scope.selfContext('this');
      return self ? { kind: 'self', cls: self.name } : UNKNOWN;
    }
    case 'member_expression': {
      const object = node.childForFieldName('object');
      const property = node.childForFieldName('property');
      if (!object || !property) return UNKNOWN;
      const base = resolveExpression(object, scope, catalog);
      // `_interopRequireDefault(require('fs')).default` and `import x = require()` styles.
      if (property.text === 'default' && base.kind === 'dotted' && base.imported && !base.specifier) return base;
      if (base.kind === 'self') {
        const typed = scope.selfContext('this')?.scope.attributes.get(property.text);
        if (typed) return typed;
      }
      return member(base, property.text);
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (!fn) return UNKNOWN;
      if ((fn.type === 'identifier' && fn.text === 'require') || fn.type === 'import') {
        const specifier = stringValue(args?.namedChildren[0]);
        return specifier !== undefined ? moduleValue(specifier) : UNKNOWN;
      }
      if (fn.type === 'identifier' && INTEROP_HELPERS.test(fn.text)) {
        const wrapped = args?.namedChildren[0];
        return wrapped ? resolveExpression(wrapped, scope, catalog) : UNKNOWN;
      }
      const callee = resolveExpression(fn, scope, catalog);
      // `promisify(zlib.gzip)` is zlib.gzip, awaited: calls to it do what zlib.gzip does.
      if (callee.kind === 'dotted' && callee.dotted === 'util.promisify') {
        const wrapped = args?.namedChildren[0];
        return wrapped ? resolveExpression(wrapped, scope, catalog) : UNKNOWN;
      }
      return withWorkerModule(callResult(callee, catalog), args, scope, catalog);
    }
    case 'new_expression': {
      const constructor = node.childForFieldName('constructor');
      const args = node.childForFieldName('arguments');
      return constructor ? withWorkerModule(callResult(asClass(resolveExpression(constructor, scope, catalog)), catalog), args, scope, catalog) : UNKNOWN;
    }
    case 'string':
    case 'template_string':
      return { kind: 'instance', type: { kind: 'catalog', name: 'String' } };
    case 'regex':
      return { kind: 'instance', type: { kind: 'catalog', name: 'RegExp' } };
    case 'array':
      return { kind: 'instance', type: { kind: 'catalog', name: LITERAL_COLLECTION } };
    default:
      return UNKNOWN;
  }
}

/** `new X()` on a local name: X is a class even when declared as `const X = class {}`. */
function asClass(value: Value): Value {
  return value.kind === 'local' ? { ...value, isClass: true } : value;
}

/** The module a worker pool runs its tasks in (a relative specifier), and the export it calls unless told. */
export interface WorkerModule {
  specifier: string;
  /** piscina's `name` option (`default` when absent); none for workerpool, whose `exec` names a registered method. */
  name?: string;
}

/**
 * Pools whose worker module is named where they are made, and where: piscina's and tinypool's
 * `filename` option (and the export to call by `name`), workerpool's script argument.
 */
const POOLS_WITH_MODULES: Readonly<Record<string, 'options' | 'script'>> = {
  'piscina.Piscina': 'options',
  'tinypool.Tinypool': 'options',
  'workerpool.Pool': 'script',
};

/**
 * The worker module of each pool value made in this extraction, by the value's identity: a
 * pool bound to a name (`const pool = new Piscina(...)`, `this.pool = ...`) is looked up as the
 * same object wherever the name is used, so `pool.run(...)` finds its module.
 */
const workerModules = new WeakMap<Value, WorkerModule>();

/** The worker module of a pool value, when it was made with one this file names. */
export function workerModuleOf(value: Value): WorkerModule | undefined {
  return workerModules.get(value);
}

function withWorkerModule(made: Value, args: Node | null, scope: Scope, catalog: Catalog): Value {
  const form = made.kind === 'instance' && made.type.kind === 'catalog' ? POOLS_WITH_MODULES[made.type.name] : undefined;
  const first = args?.namedChildren.find((c) => c.type !== 'comment');
  if (!form || !first) return made;
  let module: WorkerModule | undefined;
  if (form === 'script') {
    const specifier = workerPath(first, scope, catalog);
    if (specifier) module = { specifier };
  } else if (first.type === 'object') {
    const filename = propertyValue(first, 'filename');
    const specifier = filename ? workerPath(filename, scope, catalog) : undefined;
    if (specifier) module = { specifier, name: stringValue(propertyValue(first, 'name')) ?? 'default' };
  }
  if (!module) return made;
  const pool: Value = { ...made };
  workerModules.set(pool, module);
  return pool;
}

/** The value of `key: value` in an object literal. */
export function propertyValue(object: Node, key: string): Node | undefined {
  for (const pair of object.namedChildren) {
    if (pair.type === 'pair' && pair.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === key) return pair.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/**
 * A worker file named relative to this file, as a relative specifier: `'./w.mjs'`,
 * `new URL('./w.mjs', import.meta.url)` (`.href`, `fileURLToPath(...)`), `path.resolve(__dirname,
 * 'w.js')`, `path.join(__dirname, 'workers', 'w.js')`, `require.resolve('./w')`. (A bare relative
 * string is resolved by Node against the working directory; taken here relative to the file, as
 * the two are the same when the program starts from its own folder.)
 */
function workerPath(node: Node, scope: Scope, catalog: Catalog): string | undefined {
  if (node.type === 'parenthesized_expression') return node.namedChildren[0] ? workerPath(node.namedChildren[0], scope, catalog) : undefined;
  if (node.type === 'string') {
    const text = stringValue(node);
    return text !== undefined && isRelative(text) ? text : undefined;
  }
  if (node.type === 'member_expression' && node.childForFieldName('property')?.text === 'href') {
    const object = node.childForFieldName('object');
    return object ? workerPath(object, scope, catalog) : undefined;
  }
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (node.type === 'new_expression') {
    const constructor = node.childForFieldName('constructor');
    const url = constructor ? resolveExpression(constructor, scope, catalog) : UNKNOWN;
    const isUrl = url.kind === 'dotted' && (url.dotted === 'URL' || url.dotted === 'url.URL');
    return isUrl && args.length === 2 && args[1].text.replace(/\s+/g, '') === 'import.meta.url' ? workerPath(args[0], scope, catalog) : undefined;
  }
  if (node.type !== 'call_expression') return undefined;
  const fn = node.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.text.replace(/\s+/g, '') === 'require.resolve' && scope.lookup('require') === undefined) return args[0] ? workerPath(args[0], scope, catalog) : undefined;
  const callee = resolveExpression(fn, scope, catalog);
  if (callee.kind !== 'dotted') return undefined;
  if (callee.dotted === 'url.fileURLToPath') return args[0] ? workerPath(args[0], scope, catalog) : undefined;
  if (callee.dotted !== 'path.resolve' && callee.dotted !== 'path.join') return undefined;
  if (args[0]?.type !== 'identifier' || args[0].text !== '__dirname' || scope.lookup('__dirname') !== undefined) return undefined;
  const parts = args.slice(1).map((a) => stringValue(a));
  if (parts.length === 0 || parts.some((p) => p === undefined || p.startsWith('/'))) return undefined;
  const joined = parts.join('/');
  return isRelative(joined) ? joined : `./${joined}`;
}
