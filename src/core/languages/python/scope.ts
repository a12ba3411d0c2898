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
      return callResult(resolveExpression(fn, scope, catalog), catalog);
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
