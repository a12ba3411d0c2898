/**
 * Functions that run elsewhere when called: those a decorator hands to a cluster
 * (`@ray.remote`, `@dask.delayed`, `@udf`, any catalog offload taking the callable first),
 * and Ray's `.remote(...)` calls of remote functions, actor constructors and actor methods.
 * The decorated function keeps its own verdict; only its callers change.
 */
import type { SyntaxNode as Node } from '../../parse/tree';
import type { Catalog, PoolKind } from '../../catalog';
import type { ProjectRef } from '../../facts';
import { namedKids } from '../../parse/syntax';
import { resolveExpression, type Scope, type Value } from './scope';

/** Qualified names of the file's functions and classes whose calls run elsewhere, and where. */
export type RunsElsewhere = Map<string, PoolKind>;

/** What an offloading decorator makes of a definition: where its calls run, what they return. */
export interface DecoratedOffload {
  pool: PoolKind;
  returns?: string;
}

/**
 * The first decorator of a `def` or `class` that the catalog knows as an offload of its first
 * argument, bare (`@ray.remote`) or configured (`@ray.remote(num_cpus=2)`, `@udf("double")`).
 */
export function decoratedOffload(definition: Node, scope: Scope, catalog: Catalog): DecoratedOffload | undefined {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return undefined;
  for (const decorator of namedKids(parent)) {
    if (decorator.type !== 'decorator') continue;
    let expression: Node | null | undefined = namedKids(decorator)[0];
    if (expression?.type === 'call') expression = expression.childForFieldName('function');
    if (!expression) continue;
    const value = resolveExpression(expression, scope, catalog);
    if (value.kind !== 'dotted' || value.level !== 0) continue;
    const entry = catalog.lookup(value.dotted);
    if (entry?.offload?.arg === 0) return { pool: entry.offload.pool, ...(entry.returns ? { returns: entry.returns } : {}) };
  }
  return undefined;
}

/** Whether the module imports Ray (`import ray`, `from ray import remote`). */
export function importsRay(bindings: ReadonlyMap<string, Value>): boolean {
  for (const value of bindings.values()) {
    if (value.kind === 'dotted' && value.imported && value.level === 0 && /^ray(\.|$)/.test(value.dotted)) return true;
  }
  return false;
}

/** A Ray `.remote(...)` call's target, and the arguments of its `.options(...)` when it has them. */
export interface RemoteCall {
  ref: ProjectRef;
  pool: PoolKind;
  /** `f.options(num_cpus=2).remote(x)`: evaluated here; `f.options` itself is no project call. */
  optionsArgs?: Node;
}

/**
 * The project function a Ray `.remote(...)` call runs on the cluster: `f.remote(x)` runs `f`,
 * `Actor.remote()` the actor's constructor, `handle.method.remote()` the method
 * (`f.options(num_cpus=2).remote(x)` as well). A local function counts when a decorator
 * marked it (or its class) or the file imports ray; an imported one when the file imports ray.
 */
export function remoteCallTarget(
  fn: Node,
  scope: Scope,
  catalog: Catalog,
  runsElsewhere: RunsElsewhere,
  usesRay: boolean,
): RemoteCall | undefined {
  if (fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'remote') return undefined;
  let object = fn.childForFieldName('object');
  const optionsCall = object?.type === 'call' ? object : undefined;
  const options = optionsCall?.childForFieldName('function');
  if (options?.type === 'attribute' && options.childForFieldName('attribute')?.text === 'options') object = options.childForFieldName('object');
  if (!object) return undefined;
  const value = resolveExpression(object, scope, catalog);
  const optionsArgs = object !== fn.childForFieldName('object') ? (optionsCall?.childForFieldName('arguments') ?? undefined) : undefined;
  if (value.kind === 'local') {
    const owner = value.qual.includes('.') ? value.qual.slice(0, value.qual.lastIndexOf('.')) : '';
    const pool = runsElsewhere.get(value.qual) ?? runsElsewhere.get(owner) ?? (usesRay ? 'remote' : undefined);
    return pool ? { ref: { level: -1, dotted: value.isClass ? `${value.qual}.__init__` : value.qual }, pool, optionsArgs } : undefined;
  }
  if (value.kind === 'dotted' && value.imported && usesRay && (value.level > 0 || !catalog.knows(value.dotted))) {
    return { ref: { level: value.level, dotted: value.dotted, ...(value.specifier ? { specifier: value.specifier } : {}) }, pool: 'remote', optionsArgs };
  }
  return undefined;
}
