/**
 * Python name binding and expression resolution: which import, project function,
 * class or typed object a name or a dotted expression stands for. Deliberately simple
 * (no flow analysis): enough to resolve calls through imports and simple receivers.
 */
import type { SyntaxNode as Node } from '../../parse/tree';
import type { Catalog } from '../../catalog';
import { kids, namedKids } from '../../parse/syntax';
import { callResult, LITERAL_COLLECTION, member, Scope, UNKNOWN, type Value } from '../values';

export { callResult, LITERAL_COLLECTION, member, Scope, UNKNOWN, type TypeRef, type Value } from '../values';

/** Resolves an expression node to a value. */
export function resolveExpression(node: Node, scope: Scope, catalog: Catalog): Value {
  if (node.tooDeep) return UNKNOWN;
  switch (node.type) {
    case 'identifier': {
      const name = node.text;
      const selfContext = scope.selfContext(name);
      if (selfContext) return { kind: 'self', cls: selfContext.name };
      const bound = scope.lookup(name);
      if (bound) return bound;
      // Not bound anywhere in the file: a builtin (open, input, sorted) or a star import.
      return { kind: 'dotted', level: 0, dotted: name, imported: false };
    }
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (!object || !attr) return UNKNOWN;
      let base = resolveExpression(object, scope, catalog);
      if (base.kind === 'dotted' && base.level === 0 && object.type === 'attribute') {
        const entry = catalog.lookup(base.dotted);
        if (entry?.attribute && entry.returns) base = { kind: 'instance', type: { kind: 'catalog', name: entry.returns } };
      }
      if (base.kind === 'self') {
        const selfContext = scope.selfContext(object.text);
        const typed = selfContext?.scope.attributes.get(attr.text);
        if (typed) return typed;
      }
      return member(base, attr.text);
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (!fn) return UNKNOWN;
      const callee = resolveExpression(fn, scope, catalog);
      const chosen = keywordReturns(node, callee, catalog);
      if (chosen) return chosen;
      const actor = actorHandle(fn, scope, catalog);
      if (actor) return actor;
      return callResult(catalogDunder(callee, catalog) ?? callee, catalog);
    }
    case 'subscript': {
      // `frame["amount"]`: a column of a catalog frame type is that type again.
      const value = namedKids(node)[0];
      const base = value ? resolveExpression(value, scope, catalog) : UNKNOWN;
      const item = catalogDunder(base, catalog, '__getitem__');
      return item ? callResult(item, catalog) : UNKNOWN;
    }
    case 'await':
    case 'parenthesized_expression': {
      const inner = namedKids(node)[0];
      return inner ? resolveExpression(inner, scope, catalog) : UNKNOWN;
    }
    case 'string':
    case 'concatenated_string':
      return { kind: 'instance', type: { kind: 'catalog', name: 'str' } };
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'instance', type: { kind: 'catalog', name: LITERAL_COLLECTION } };
    default:
      return UNKNOWN;
  }
}

/**
 * What calling (or indexing, with `__getitem__`) an object of a catalog type stands for:
 * the catalog's `Type.__call__` (`Parallel(n_jobs=2)(tasks)`, `delayed(f)(x)`), when the
 * catalog knows it.
 */
export function catalogDunder(value: Value, catalog: Catalog, dunder = '__call__'): Value | undefined {
  if (value.kind !== 'instance' || value.type.kind !== 'catalog') return undefined;
  const dotted = `${value.type.name}.${dunder}`;
  return catalog.lookup(dotted) ? { kind: 'dotted', level: 0, dotted, imported: true } : undefined;
}

/**
 * An attribute that is itself an object (`spark.sparkContext`, `client.db`) as the
 * object, so a name bound to it resolves its methods (`sc = spark.sparkContext`).
 */
export function attributeObject(value: Value, catalog: Catalog): Value {
  if (value.kind !== 'dotted' || value.level !== 0) return value;
  const entry = catalog.lookup(value.dotted);
  return entry?.attribute && entry.returns ? { kind: 'instance', type: { kind: 'catalog', name: entry.returns } } : value;
}

/** The type a catalog call returns for its keyword arguments (`Parallel(prefer="threads")`). */
function keywordReturns(call: Node, callee: Value, catalog: Catalog): Value | undefined {
  if (callee.kind !== 'dotted' || callee.level !== 0) return undefined;
  const rules = catalog.lookup(callee.dotted)?.returnsWhen;
  const args = call.childForFieldName('arguments');
  if (!rules || !args) return undefined;
  const keywords = new Map<string, string>();
  for (const arg of namedKids(args)) {
    const name = arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const value = arg.childForFieldName('value');
    if (name && value?.type === 'string') keywords.set(name, stringContent(value));
  }
  const rule = rules.find((r) => {
    const value = keywords.get(r.keyword);
    return value !== undefined && r.values.includes(value);
  });
  return rule ? { kind: 'instance', type: { kind: 'catalog', name: rule.returns } } : undefined;
}

/** The text of a plain string literal, without quotes or prefix. */
export function stringContent(node: Node): string {
  return namedKids(node)
    .filter((c) => c.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

/**
 * `Actor.remote(...)` (Ray) makes a handle to an actor of the class: its methods resolve
 * through the class (`handle.incr.remote()` is `Actor.incr`). A project class only, local
 * or imported by a name that reads as a class.
 */
function actorHandle(fn: Node, scope: Scope, catalog: Catalog): Value | undefined {
  if (fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'remote') return undefined;
  const object = fn.childForFieldName('object');
  const cls = object ? resolveExpression(object, scope, catalog) : UNKNOWN;
  if (cls.kind === 'local' && cls.isClass) return { kind: 'instance', type: { kind: 'local', qual: cls.qual } };
  if (cls.kind === 'dotted' && cls.imported && /^[A-Z]/.test(cls.dotted.split('.').pop() ?? '') && !catalog.knows(cls.dotted)) {
    return { kind: 'instance', type: { kind: 'ref', level: cls.level, dotted: cls.dotted, specifier: cls.specifier } };
  }
  return undefined;
}

/** The dotted text of a `dotted_name` node (`a.b.c`). */
export function dottedText(node: Node): string {
  return kids(node)
    .filter((c) => c.type === 'identifier')
    .map((c) => c.text)
    .join('.');
}

/** Binds the names an import statement introduces into a scope. */
export function bindImport(node: Node, scope: Scope): void {
  if (node.type === 'import_statement') {
    for (const child of namedKids(node)) {
      if (child.type === 'dotted_name') {
        // `import a.b.c` binds `a`, which reaches `a.b.c` by attribute access.
        const first = dottedText(child).split('.')[0];
        scope.bind(first, { kind: 'dotted', level: 0, dotted: first, imported: true });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (name && alias) scope.bind(alias.text, { kind: 'dotted', level: 0, dotted: dottedText(name), imported: true });
      }
    }
    return;
  }
  if (node.type !== 'import_from_statement') return;
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return;
  let level = 0;
  let modulePath = '';
  if (moduleNode.type === 'relative_import') {
    for (const part of kids(moduleNode)) {
      if (part.type === 'import_prefix') level = part.text.length;
      else if (part.type === 'dotted_name') modulePath = dottedText(part);
    }
  } else {
    modulePath = dottedText(moduleNode);
  }
  const join = (name: string): string => (modulePath ? `${modulePath}.${name}` : name);
  for (const child of node.childrenForFieldName('name')) {
    if (!child) continue;
    if (child.type === 'dotted_name') {
      scope.bind(dottedText(child), { kind: 'dotted', level, dotted: join(dottedText(child)), imported: true });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name');
      const alias = child.childForFieldName('alias');
      if (name && alias) scope.bind(alias.text, { kind: 'dotted', level, dotted: join(dottedText(name)), imported: true });
    }
  }
}
