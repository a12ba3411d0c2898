/**
 * What names and expressions stand for, shared by every language: imports, project
 * functions and classes, typed objects. Deliberately simple (no flow analysis): enough
 * to resolve calls through imports and simple receivers.
 */
import type { Catalog } from '../catalog';

/** A value a name or expression may stand for. */
export type Value =
  /** Reached through an import or a builtin: `requests.get`, `.helpers.fetch` (level 1), `open`. */
  | { kind: 'dotted'; level: number; dotted: string; imported: boolean; specifier?: string }
  /** A function or class defined in this file, by qualified name (and what the function returns, when known). */
  | { kind: 'local'; qual: string; isClass: boolean; returns?: Value }
  /** An object whose type is known: a catalog type, or a project class. */
  | { kind: 'instance'; type: TypeRef }
  /** `self` or `cls` inside the methods of a class. */
  | { kind: 'self'; cls: string }
  | { kind: 'unknown' };

/** The type of an object. */
export type TypeRef =
  | { kind: 'catalog'; name: string }
  | { kind: 'local'; qual: string }
  | { kind: 'ref'; level: number; dotted: string; specifier?: string };

export const UNKNOWN: Value = { kind: 'unknown' };

/** The pseudo-type of a name bound to a literal list, tuple or set (a fixed trip count). */
export const LITERAL_COLLECTION = '<literal collection>';

/** One lexical scope. Class scopes are skipped when a nested function looks a name up. */
export class Scope {
  readonly bindings = new Map<string, Value>();
  /** Attribute types set through `self.x = ...` (class scopes only). */
  readonly attributes = new Map<string, Value>();
  /** When set, every {@link bind} call is appended here (to be replayed: see python/module-bindings.ts). */
  journal: Array<[string, Value]> | undefined;

  constructor(
    readonly kind: 'module' | 'class' | 'function',
    /** Qualified name prefix of things defined here (`Class`, `outer`), empty at module level. */
    readonly qual: string,
    readonly parent?: Scope,
    /** For methods: the class they belong to (for `self` / `cls`). */
    readonly selfClass?: { name: string; scope: Scope; selfNames: Set<string> },
  ) {}

  /** Python's lookup: this scope, then enclosing function scopes, then the module. */
  lookup(name: string): Value | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let scope: Scope | undefined = this;
    let first = true;
    while (scope) {
      if (first || scope.kind !== 'class') {
        const value = scope.bindings.get(name);
        if (value) return value;
      }
      first = false;
      scope = scope.parent;
    }
    return undefined;
  }

  /** The nearest class context for `self`/`cls`. */
  selfContext(name: string): Scope['selfClass'] {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let scope: Scope | undefined = this;
    while (scope) {
      if (scope.selfClass?.selfNames.has(name)) return scope.selfClass;
      if (scope.kind === 'function' && scope.bindings.has(name)) return undefined;
      scope = scope.parent;
    }
    return undefined;
  }

  /** Binds a name, keeping the better-known value when a name is bound twice. */
  bind(name: string, value: Value): void {
    this.journal?.push([name, value]);
    const existing = this.bindings.get(name);
    if (existing && existing.kind !== 'unknown' && value.kind === 'unknown') return;
    this.bindings.set(name, value);
  }
}

/** Appends an attribute to a value: `requests` + `get`, `Session()` + `get`. */
export function member(value: Value, attr: string): Value {
  switch (value.kind) {
    case 'dotted':
      return { ...value, dotted: `${value.dotted}.${attr}` };
    case 'local':
      return { kind: 'local', qual: `${value.qual}.${attr}`, isClass: false };
    case 'self': {
      return { kind: 'local', qual: `${value.cls}.${attr}`, isClass: false };
    }
    case 'instance': {
      const type = value.type;
      // A catalog type the catalog has no entry for may still be a project class
      // imported by absolute path; the workspace resolver decides.
      if (type.kind === 'catalog') return { kind: 'dotted', level: 0, dotted: `${type.name}.${attr}`, imported: true };
      if (type.kind === 'local') return { kind: 'local', qual: `${type.qual}.${attr}`, isClass: false };
      return { kind: 'dotted', level: type.level, dotted: `${type.dotted}.${attr}`, imported: true, specifier: type.specifier };
    }
    default:
      return UNKNOWN;
  }
}

/** What calling a value returns, as far as receivers go. */
export function callResult(value: Value, catalog: Catalog): Value {
  switch (value.kind) {
    case 'dotted': {
      if (value.level === 0) {
        const entry = catalog.lookup(value.dotted);
        if (entry?.returns) return { kind: 'instance', type: { kind: 'catalog', name: entry.returns } };
        if (entry || catalog.knows(value.dotted)) return UNKNOWN;
      }
      // An imported name the catalog does not know may be a project class: keep the path
      // so `Client().fetch()` can still resolve to `Client.fetch` across files.
      return value.imported ? { kind: 'instance', type: { kind: 'ref', level: value.level, dotted: value.dotted, specifier: value.specifier } } : UNKNOWN;
    }
    case 'local':
      return value.isClass ? { kind: 'instance', type: { kind: 'local', qual: value.qual } } : (value.returns ?? UNKNOWN);
    default:
      return UNKNOWN;
  }
}

