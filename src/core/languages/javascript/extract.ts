/**
 * JavaScript/TypeScript extraction: from a syntax tree to {@link ModuleFacts}, on the
 * same model as Python. Function naming follows the CLI contract: `Class.method`,
 * `outer.inner`, `obj.method`, the variable of `const f = () => ...`, and for callbacks
 * passed inline, the callee (`app.get handler`, `emitter.on callback`).
 *
 * Callbacks handed to array methods and to `new Promise` run right away, on the caller:
 * their work is the caller's. Other callbacks run later and are functions of their own.
 */
import { entryWeight, type Catalog, type PoolKind } from '../../catalog';
import { isIoCategory } from '../../categories';
import type { CallFact, FunctionFacts, LocalEvidence, ModuleFacts, ProjectRef } from '../../facts';
import type { Category, Span } from '../../model';
import { countSyntaxErrors, spanBetween, spanOf } from '../../parse/syntax';
import type { SyntaxNode as Node } from '../../parse/tree';
import { LITERAL_COLLECTION, Scope, UNKNOWN, type Value } from '../values';
import { localEvidence, LoopShapes } from '../shapes';
import { analyzeLoopBody, identifiersIn } from './loops';
import { bindImport, bindPattern, isRelative, propertyValue, resolveExpression, stringValue, workerModuleOf } from './scope';

/** Pool calls that run a task in the pool's worker module, and where the export is named: a `name` option or the first argument. */
const POOL_TASKS: Readonly<Record<string, 'options' | 'method'>> = {
  'piscina.Piscina.run': 'options',
  'tinypool.Tinypool.run': 'options',
  'workerpool.Pool.exec': 'method',
};

const FUNCTION_TYPES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition']);
const INLINE_ARRAY_METHODS = new Set(['from', 'map', 'filter', 'reduce', 'reduceRight', 'forEach', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'toSorted']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options']);
const ARITHMETIC = new Set(['*', '/', '%', '**', '-', '+', '<<', '>>', '>>>', '&', '|', '^']);
const STRINGS = new Set(['string', 'template_string']);
const REGEX_METHODS = new Set(['replace', 'replaceAll', 'split']);
const ALWAYS_REGEX_METHODS = new Set(['match', 'matchAll', 'search']);

/** Extracts the facts of one JavaScript or TypeScript file. */
export function extractJavaScript(root: Node, path: string, catalog: Catalog): ModuleFacts {
  const extractor = new ModuleExtractor(catalog);
  const scope = new Scope('module', '');
  collectBindings(root, scope, catalog);
  extractor.visitStatements(root, scope, '');
  return {
    path,
    language: path.match(/\.(ts|tsx|mts|cts)$/i) ? 'typescript' : 'javascript',
    functions: extractor.functions,
    reexports: extractor.reexports,
    exports: extractor.exports,
    starExports: extractor.starExports,
    syntaxErrors: countSyntaxErrors(root),
  };
}

/** The identifier-like name of a method or property key (`get`, `#secret`, `'quoted'`). */
function keyName(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return node.text.slice(1, -1);
  if (node.type === 'computed_property_name') return `[${node.text.slice(1, -1)}]`;
  return node.text;
}

/** `module.exports.x`, `exports.x`: the export name `x`; `module.exports`: `default`. */
function exportTarget(left: Node): string | undefined {
  const text = left.text.replace(/\s+/g, '');
  if (text === 'module.exports') return 'default';
  const match = /^(?:module\.)?exports\.([\w$]+)$/.exec(text);
  return match?.[1];
}

class ModuleExtractor {
  readonly functions: FunctionFacts[] = [];
  readonly reexports = new Map<string, ProjectRef>();
  /** Export name → the qualified name of the local function or class it is. */
  readonly exports = new Map<string, string>();
  readonly starExports: string[] = [];
  private readonly used = new Set<string>();

  constructor(readonly catalog: Catalog) {}

  /** A unique qualified name: later functions with a taken name get their line appended. */
  uniqueName(name: string, line: number): string {
    const unique = this.used.has(name) ? `${name} (line ${line})` : name;
    this.used.add(unique);
    return unique;
  }

  /** Statements at module level (or in a class's static blocks): definitions and callbacks. */
  visitStatements(node: Node, scope: Scope, prefix: string): void {
    if (node.tooDeep) return;
    for (const child of node.children) this.visitStatement(child, scope, prefix);
  }

  private visitStatement(node: Node, scope: Scope, prefix: string): void {
    switch (node.type) {
      case 'function_declaration':
      case 'generator_function_declaration':
        this.extractFunction(node, scope, prefix, node.childForFieldName('name')?.text);
        return;
      case 'class_declaration':
      case 'abstract_class_declaration':
        this.extractClass(node, scope, prefix, node.childForFieldName('name')?.text);
        return;
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const declarator of node.namedChildren) {
          if (declarator.type !== 'variable_declarator') continue;
          const name = declarator.childForFieldName('name');
          const value = declarator.childForFieldName('value');
          if (name?.type === 'identifier' && value) this.visitNamedValue(value, scope, prefix, name.text, name);
          else if (value) this.visitExpression(value, scope, prefix);
        }
        return;
      case 'export_statement':
        this.visitExport(node, scope, prefix);
        return;
      case 'expression_statement': {
        const expression = node.namedChildren[0];
        if (expression?.type === 'assignment_expression') {
          const left = expression.childForFieldName('left');
          const right = expression.childForFieldName('right');
          if (left && right) {
            const exported = exportTarget(left);
            const name = exported && exported !== 'default' ? exported : exported === 'default' ? undefined : memberName(left);
            if (exported === 'default' && right.type === 'object') {
              this.visitObject(right, scope, prefix, undefined, true);
              return;
            }
            const qual = this.visitNamedValue(right, scope, prefix, name ?? (right.type === 'identifier' ? undefined : 'module.exports'));
            if (exported) this.exports.set(exported, qual ?? (right.type === 'identifier' ? right.text : ''));
            return;
          }
        }
        if (expression) this.visitExpression(expression, scope, prefix);
        return;
      }
      default:
        if (node.namedChildCount > 0 && !FUNCTION_TYPES.has(node.type)) {
          // Blocks, if/try/loops at module level: look inside for definitions and callbacks.
          if (/statement|block|clause|program|declaration_list|module|namespace|body/.test(node.type)) this.visitStatements(node, scope, prefix);
          else this.visitExpression(node, scope, prefix);
        }
    }
  }

  private visitExport(node: Node, scope: Scope, prefix: string): void {
    const source = stringValue(node.childForFieldName('source'));
    const declaration = node.childForFieldName('declaration');
    const value = node.childForFieldName('value');
    const isDefault = node.children.some((c) => c.type === 'default');
    if (declaration) {
      const before = this.functions.length;
      this.visitStatement(declaration, scope, prefix);
      const name = declaration.childForFieldName('name')?.text;
      if (name) this.exports.set(isDefault ? 'default' : name, this.functions[before]?.name ?? name);
      for (const declarator of declaration.namedChildren) {
        const declared = declarator.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
        if (declared?.type === 'identifier') this.exports.set(declared.text, declared.text);
      }
      return;
    }
    if (value) {
      const qual = this.visitNamedValue(value, scope, prefix, value.type === 'identifier' ? undefined : 'default');
      this.exports.set('default', qual ?? value.text);
      return;
    }
    const clause = node.namedChildren.find((c) => c.type === 'export_clause');
    if (!clause) {
      if (source !== undefined && isRelative(source)) this.starExports.push(source);
      return;
    }
    for (const specifier of clause.namedChildren) {
      if (specifier.type !== 'export_specifier') continue;
      const name = specifier.childForFieldName('name')?.text;
      const alias = specifier.childForFieldName('alias')?.text ?? name;
      if (!name || !alias) continue;
      if (source !== undefined) {
        if (isRelative(source)) this.reexports.set(alias, { level: 0, dotted: name, specifier: source });
      } else {
        this.exports.set(alias, name);
      }
    }
  }

  /** A value bound to a name: a function, a class, an object of methods, or anything else. Returns the function's name. */
  visitNamedValue(value: Node, scope: Scope, prefix: string, given: string | undefined, nameNode?: Node): string | undefined {
    const inner = unwrap(value);
    // `module.exports = class SkipCursor {}`: the class's own name reads better than a synthetic one.
    const own = inner.childForFieldName('name')?.text;
    const name = own && (given === 'module.exports' || given === 'default') ? own : given;
    if (FUNCTION_TYPES.has(inner.type) && name) return this.extractFunction(inner, scope, prefix, name, undefined, false, undefined, nameNode)?.name;
    if ((inner.type === 'class' || inner.type === 'class_declaration') && name) {
      this.extractClass(inner, scope, prefix, name);
      return name;
    }
    if (inner.type === 'object' && name) {
      this.visitObject(inner, scope, prefix, name, false);
      return undefined;
    }
    this.visitExpression(inner, scope, prefix);
    return undefined;
  }

  /** Object literal methods: `obj.method` (or just `method` for `module.exports = {...}`). */
  visitObject(object: Node, scope: Scope, prefix: string, name: string | undefined, exported: boolean): void {
    const base = prefix ? (name ? `${prefix}.${name}` : prefix) : (name ?? '');
    // In an object literal's methods, `this` is the object: `this.read()` is `obj.read`.
    const self = base ? { name: base, scope: new Scope('class', base, scope), selfNames: new Set(['this']) } : undefined;
    for (const property of object.namedChildren) {
      if (property.type === 'method_definition') {
        const key = keyName(property.childForFieldName('name'));
        const fn = key ? this.extractFunction(property, scope, base, key, self) : undefined;
        if (exported && key && fn) this.exports.set(key, fn.name);
      } else if (property.type === 'pair') {
        const key = keyName(property.childForFieldName('key'));
        const value = property.childForFieldName('value');
        if (!key || !value) continue;
        const qual = this.visitNamedValue(value, scope, base, key);
        if (exported && qual) this.exports.set(key, qual);
        else if (exported && value.type === 'identifier') this.exports.set(key, value.text);
      } else if (property.type === 'shorthand_property_identifier' && exported) {
        this.exports.set(property.text, property.text);
      } else {
        this.visitExpression(property, scope, base);
      }
    }
  }

  /** Any expression at module level: finds functions passed as callbacks and the like. */
  visitExpression(node: Node, scope: Scope, prefix: string): void {
    if (node.tooDeep) return;
    if (node.type === 'call_expression') {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn) this.visitExpression(fn, scope, prefix);
      for (const arg of args?.children ?? []) {
        const inner = unwrap(arg);
        if (fn && args && FUNCTION_TYPES.has(inner.type)) {
          const { name, handler } = callbackRole(fn, args, inner);
          this.extractFunction(inner, scope, prefix, name, undefined, handler);
        } else this.visitExpression(arg, scope, prefix);
      }
      return;
    }
    if (FUNCTION_TYPES.has(node.type)) {
      this.extractFunction(node, scope, prefix, callbackName(node));
      return;
    }
    if (node.type === 'pair' || node.type === 'method_definition') {
      // Functions in an object literal passed along (`new Map({ a: () => ... })`): named by key.
      const key = keyName(node.childForFieldName('key') ?? node.childForFieldName('name'));
      const value = node.type === 'pair' ? node.childForFieldName('value') : node;
      if (key && value && FUNCTION_TYPES.has(unwrap(value).type)) {
        this.extractFunction(unwrap(value), scope, prefix, key);
        return;
      }
    }
    if (node.type === 'class') {
      this.extractClass(node, scope, prefix, node.childForFieldName('name')?.text ?? `<class> (line ${node.startPosition.row + 1})`);
      return;
    }
    for (const child of node.children) this.visitExpression(child, scope, prefix);
  }

  extractClass(node: Node, parent: Scope, prefix: string, name: string | undefined): void {
    const body = node.childForFieldName('body');
    if (!name || !body) return;
    const qual = prefix ? `${prefix}.${name}` : name;
    const classScope = new Scope('class', qual, parent);
    collectThisAttributes(body, classScope, this.catalog);
    for (const member of body.namedChildren) {
      if (member.type === 'method_definition') {
        const key = keyName(member.childForFieldName('name'));
        if (key) this.extractFunction(member, classScope, qual, key, { name: qual, scope: classScope, selfNames: new Set(['this']) });
      } else if (member.type === 'public_field_definition' || member.type === 'field_definition') {
        const key = keyName(member.childForFieldName('name') ?? member.childForFieldName('property'));
        const value = member.childForFieldName('value');
        if (key && value && FUNCTION_TYPES.has(unwrap(value).type)) {
          this.extractFunction(unwrap(value), classScope, qual, key, { name: qual, scope: classScope, selfNames: new Set(['this']) });
        }
      } else if (member.type === 'class_static_block') {
        this.visitStatements(member, classScope, qual);
      }
    }
  }

  /** Extracts one function and, through its body, what it contains. */
  extractFunction(
    node: Node,
    parent: Scope,
    prefix: string,
    name: string | undefined,
    selfClass?: Scope['selfClass'],
    handler = false,
    firstParam?: Value,
    boundTo?: Node,
  ): FunctionFacts | undefined {
    const body = node.childForFieldName('body');
    if (!body) return undefined;
    const line = node.startPosition.row + 1;
    // The contract's line is the name's: the function's own, or the variable it is bound to.
    const nameNode = node.childForFieldName('name') ?? boundTo ?? null;
    const baseName = name ?? nameNode?.text ?? `<anonymous>`;
    const qual = this.uniqueName(prefix ? `${prefix}.${baseName}` : baseName, line);
    const scope = new Scope('function', qual, parent, selfClass);
    const params = parameters(node);
    params.forEach((param, i) => {
      const given = i === 0 ? firstParam : undefined;
      if (param.pattern.type === 'identifier') {
        scope.bind(param.pattern.text, param.type ? typeValue(param.type, parent, this.catalog) : (given ?? UNKNOWN));
      } else bindPattern(param.pattern, given ?? UNKNOWN, scope);
    });
    collectBindings(body, scope, this.catalog);
    const nameSpan = spanOf(nameNode ?? node);
    const facts: FunctionFacts = {
      name: qual,
      line: nameNode ? nameNode.startPosition.row + 1 : line,
      endLine: node.endPosition.row + 1,
      nameSpan: nameNode ? nameSpan : { ...nameSpan, endLine: nameSpan.line, endColumn: nameSpan.column },
      async: node.children.some((c) => c.type === 'async'),
      params: params.map((p) => p.pattern.text),
      evidence: [],
      calls: [],
      loops: [],
      handler: handler || undefined,
    };
    // `function*`, and generator methods (`*items() {}`).
    if (node.type === 'generator_function_declaration' || node.type === 'generator_function' || (node.type === 'method_definition' && node.children.some((c) => c.type === '*'))) facts.generator = true;
    this.functions.push(facts);
    const walker = new BodyWalker(this, facts, scope);
    if (body.type === 'statement_block') walker.walkChildren(body);
    else walker.walk(body); // an arrow function's expression body
    walker.finish();
    return facts;
  }
}

/** What a function standing alone in an expression is called: its own name, or `<anonymous>`. */
function callbackName(node: Node): string {
  return node.childForFieldName('name')?.text ?? '<anonymous>';
}

/** `a.b.c` for naming assigned functions (`Foo.prototype.bar` → `Foo.bar`). */
function memberName(node: Node): string | undefined {
  if (node.type !== 'member_expression') return undefined;
  return node.text.replace(/\s+/g, '').replace('.prototype.', '.');
}

function unwrap(node: Node): Node {
  let current = node;
  while ((current.type === 'parenthesized_expression' || current.type === 'as_expression' || current.type === 'satisfies_expression') && current.namedChildren[0]) {
    current = current.namedChildren[0];
  }
  return current;
}

interface Parameter {
  pattern: Node;
  type?: Node;
}

function parameters(fn: Node): Parameter[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [{ pattern: single }];
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: Parameter[] = [];
  for (const param of list.namedChildren) {
    if (param.type === 'required_parameter' || param.type === 'optional_parameter') {
      const pattern = param.childForFieldName('pattern');
      const annotation = param.childForFieldName('type');
      if (pattern) out.push({ pattern: pattern.type === 'rest_pattern' ? (pattern.namedChildren[0] ?? pattern) : pattern, type: annotation?.namedChildren[0] });
    } else if (param.type === 'assignment_pattern') {
      const left = param.childForFieldName('left');
      if (left) out.push({ pattern: left });
    } else if (param.type === 'rest_pattern') {
      out.push({ pattern: param.namedChildren[0] ?? param });
    } else if (param.type === 'identifier' || param.type === 'object_pattern' || param.type === 'array_pattern') {
      out.push({ pattern: param });
    }
  }
  return out;
}

/** The type an annotation names, for receivers (`pool: pg.Pool`, `client: Client`). */
function typeValue(type: Node, scope: Scope, catalog: Catalog): Value {
  const text = type.text;
  if (!/^[\w$.]+$/.test(text)) return UNKNOWN;
  const parts = text.split('.');
  let value = scope.lookup(parts[0]);
  if (!value) return UNKNOWN;
  for (const part of parts.slice(1)) value = value.kind === 'dotted' ? { ...value, dotted: `${value.dotted}.${part}` } : UNKNOWN;
  if (value.kind === 'dotted' && value.imported) {
    if (value.specifier) return { kind: 'instance', type: { kind: 'ref', level: 0, dotted: value.dotted, specifier: value.specifier } };
    const entry = catalog.lookup(value.dotted);
    return { kind: 'instance', type: { kind: 'catalog', name: entry?.returns ?? value.dotted } };
  }
  if (value.kind === 'local' && value.isClass) return { kind: 'instance', type: { kind: 'local', qual: value.qual } };
  return UNKNOWN;
}

/**
 * Binds every name a block declares, in source order, without entering nested functions
 * or classes (their names are bound; their bodies are their own scopes).
 */
export function collectBindings(node: Node, scope: Scope, catalog: Catalog): void {
  if (node.tooDeep) return;
  for (const child of node.children) {
    switch (child.type) {
      case 'import_statement':
        bindImport(child, scope);
        continue;
      case 'function_declaration':
      case 'generator_function_declaration': {
        const name = child.childForFieldName('name');
        if (name) {
          const returns = returnedValue(child, scope, catalog);
          scope.bind(name.text, { kind: 'local', qual: scope.qual ? `${scope.qual}.${name.text}` : name.text, isClass: false, ...(returns ? { returns } : {}) });
        }
        continue;
      }
      case 'class_declaration':
      case 'abstract_class_declaration': {
        const name = child.childForFieldName('name');
        if (name) scope.bind(name.text, { kind: 'local', qual: scope.qual ? `${scope.qual}.${name.text}` : name.text, isClass: true });
        continue;
      }
      case 'variable_declarator': {
        const name = child.childForFieldName('name');
        const value = child.childForFieldName('value');
        if (value) collectBindings(value, scope, catalog);
        if (!name) continue;
        const inner = value ? unwrap(value) : undefined;
        if (name.type === 'identifier' && inner && FUNCTION_TYPES.has(inner.type)) {
          scope.bind(name.text, { kind: 'local', qual: scope.qual ? `${scope.qual}.${name.text}` : name.text, isClass: false });
        } else if (name.type === 'identifier' && inner?.type === 'class') {
          scope.bind(name.text, { kind: 'local', qual: scope.qual ? `${scope.qual}.${name.text}` : name.text, isClass: true });
        } else if (name.type === 'identifier' && inner?.type === 'object' && hasMethods(inner)) {
          // An object of methods is a namespace: `store.read()` is the function `store.read`.
          scope.bind(name.text, { kind: 'local', qual: scope.qual ? `${scope.qual}.${name.text}` : name.text, isClass: false });
        } else {
          bindPattern(name, value ? resolveExpression(value, scope, catalog) : UNKNOWN, scope);
        }
        continue;
      }
      case 'for_in_statement': {
        const left = child.childForFieldName('left');
        if (left) bindPattern(left, UNKNOWN, scope);
        break;
      }
      case 'catch_clause': {
        const parameter = child.childForFieldName('parameter');
        if (parameter) bindPattern(parameter, UNKNOWN, scope);
        break;
      }
      default:
        if (FUNCTION_TYPES.has(child.type) || child.type === 'class') continue;
    }
    if (child.namedChildCount > 0) collectBindings(child, scope, catalog);
  }
}

/**
 * What a small function returns, when it is a module or a typed object: accessors and
 * factories (`function fs() { const data = require('graceful-fs'); ...; return data; }`,
 * `function db() { return new Pool(); }`), so `fs().readFileSync` resolves.
 */
function returnedValue(fn: Node, scope: Scope, catalog: Catalog): Value | undefined {
  const body = fn.childForFieldName('body');
  if (!body || body.type !== 'statement_block' || body.namedChildCount > 6) return undefined;
  const local = new Scope('function', scope.qual, scope);
  collectBindings(body, local, catalog);
  let result: Value | undefined;
  for (const statement of body.namedChildren) {
    if (statement.type !== 'return_statement') continue;
    const expression = statement.namedChildren[0];
    if (!expression) return undefined;
    const value = resolveExpression(expression, local, catalog);
    if (value.kind === 'unknown' || value.kind === 'local') return undefined;
    result = value;
  }
  return result;
}

/** `this.x = new Y()` anywhere in the class: the type of `this.x`, for receivers. */
function collectThisAttributes(body: Node, classScope: Scope, catalog: Catalog): void {
  for (const assignment of body.descendantsOfType('assignment_expression')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'member_expression' || !right || left.childForFieldName('object')?.type !== 'this') continue;
    const property = left.childForFieldName('property')?.text;
    if (!property) continue;
    const value = resolveExpression(right, classScope, catalog);
    if (value.kind === 'instance') classScope.attributes.set(property, value);
  }
}

/** Walks one function body (not into functions defined in it) collecting evidence and calls. */
class BodyWalker {
  private readonly shapes = new LoopShapes();
  private inPromiseExecutor = false;
  private scope: Scope;

  constructor(
    private readonly module: ModuleExtractor,
    private readonly facts: FunctionFacts,
    scope: Scope,
  ) {
    this.scope = scope;
  }

  private get catalog(): Catalog {
    return this.module.catalog;
  }

  walkChildren(node: Node): void {
    for (const child of node.children) this.walk(child);
  }

  walk(node: Node): void {
    if (node.tooDeep) return;
    switch (node.type) {
      case 'function_declaration':
      case 'generator_function_declaration':
        this.module.extractFunction(node, this.scope, this.facts.name, node.childForFieldName('name')?.text);
        return;
      case 'class_declaration':
      case 'class':
        this.module.extractClass(node, this.scope, this.facts.name, node.childForFieldName('name')?.text ?? '<class>');
        return;
      case 'variable_declarator': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (name?.type === 'identifier' && value && (FUNCTION_TYPES.has(unwrap(value).type) || unwrap(value).type === 'class')) {
          this.module.visitNamedValue(value, this.scope, this.facts.name, name.text, name);
          return;
        }
        if (name?.type === 'identifier' && value && unwrap(value).type === 'object' && hasMethods(unwrap(value))) {
          this.module.visitObject(unwrap(value), this.scope, this.facts.name, name.text, false);
          return;
        }
        break;
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function':
        // A function value not passed to a call: its own function.
        this.module.extractFunction(node, this.scope, this.facts.name, callbackName(node));
        return;
      case 'pair': {
        const key = keyName(node.childForFieldName('key'));
        const value = node.childForFieldName('value');
        if (key && value && FUNCTION_TYPES.has(unwrap(value).type)) {
          this.module.extractFunction(unwrap(value), this.scope, this.facts.name, key);
          return;
        }
        break;
      }
      case 'call_expression':
        this.walkCall(node);
        return;
      case 'new_expression':
        this.walkNew(node);
        return;
      case 'for_statement':
        this.walkFor(node);
        return;
      case 'for_in_statement':
        this.walkForIn(node);
        return;
      case 'while_statement':
      case 'do_statement':
        this.walkWhile(node);
        return;
      case 'augmented_assignment_expression':
        this.noteAugmented(node);
        break;
      case 'binary_expression':
        this.noteBinary(node);
        break;
      case 'await_expression':
        if (this.shapes.depth > 0) this.shapes.awaitsInLoops = true;
        break;
      default:
        break;
    }
    for (const child of node.children) this.walk(child);
  }

  /** Adds the evidence that only shows once the whole body was seen. */
  finish(): void {
    this.facts.evidence.push(...this.shapes.evidence(this.facts.async || this.facts.handler === true));
  }

  private addEvidence(span: Span, call: string, category: Category, weight: 1 | 2 | 3, extra?: Partial<LocalEvidence>): void {
    this.facts.evidence.push(localEvidence(span, call, category, weight, extra));
  }

  private addCall(call: CallFact): void {
    this.facts.calls.push(call);
  }

  private loopUsing(args: Node | null): number | undefined {
    return args && this.shapes.loops.length > 0 ? this.shapes.loopUsing(identifiersIn(args)) : undefined;
  }

  /** A call to something: the catalog, a project function, or a callback-taking API. */
  private walkCall(node: Node): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn) return;
    const awaited = unwrapParent(node)?.type === 'await_expression';
    const span = spanOf(node);
    // The loop variable may sit in the arguments or in the receiver (`Path(d, name).read_bytes()`).
    const loop = this.loopUsing(node);
    const value = resolveExpression(fn, this.scope, this.catalog);
    const method = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
    const recorded = this.record(value, span, awaited, loop);
    if (method && !recorded) this.noteMethodShape(method, fn, args, span);
    if (fn.type !== 'identifier') this.walk(fn);
    const offload = value.kind === 'dotted' && !value.specifier ? this.catalog.lookup(value.dotted)?.offload : undefined;
    const handedOver = args && offload && typeof offload.arg === 'number' ? args.namedChildren.filter((c) => c.type !== 'comment')[offload.arg] : undefined;
    const pool = handedOver && offload ? { node: handedOver, pool: offload.pool } : undefined;
    if (pool) this.offloadedValue(pool.node, pool.pool);
    if (args && value.kind === 'dotted' && !value.specifier) this.poolTask(fn, args, value.dotted, span);
    if (args) this.walkArguments(node, fn, args, method, pool);
  }

  /**
   * A task run on a pool whose worker module this file names (`pool.run(data, { name })` of
   * piscina and tinypool, `pool.exec('method', args)` of workerpool): an offloaded call of the
   * module's export, so the graph links the pool to the function that does the work.
   */
  private poolTask(fn: Node, args: Node, api: string, span: Span): void {
    const form = POOL_TASKS[api];
    const object = form && fn.type === 'member_expression' ? fn.childForFieldName('object') : undefined;
    const module = object ? workerModuleOf(resolveExpression(object, this.scope, this.catalog)) : undefined;
    if (!form || !module) return;
    const [first, second] = args.namedChildren.filter((c) => c.type !== 'comment');
    const name = form === 'method' ? stringValue(first) : ((second?.type === 'object' ? stringValue(propertyValue(second, 'name')) : undefined) ?? module.name);
    if (name) this.addCall({ span, ref: { level: 0, dotted: name, specifier: module.specifier }, awaited: false, offloaded: 'worker' });
  }

  /**
   * A named function a pool runs elsewhere (`pool.exec(fib, [n])`): an offloaded call, so the
   * graph knows who hands it over while its work stays off this function. (An inline function
   * is linked the same way by {@link walkArguments}, which extracts it.)
   */
  private offloadedValue(callable: Node, pool: PoolKind): void {
    const inner = unwrap(callable);
    if (FUNCTION_TYPES.has(inner.type)) return;
    const value = resolveExpression(inner, this.scope, this.catalog);
    const span = spanOf(inner);
    if (value.kind === 'local') this.addCall({ span, ref: { level: -1, dotted: value.qual }, awaited: false, offloaded: pool });
    else if (value.kind === 'dotted' && value.specifier) this.addCall({ span, ref: { level: 0, dotted: value.dotted, specifier: value.specifier }, awaited: false, offloaded: pool });
  }

  private walkNew(node: Node): void {
    const constructor = node.childForFieldName('constructor');
    const args = node.childForFieldName('arguments');
    if (!constructor) return;
    const value = resolveExpression(constructor, this.scope, this.catalog);
    const span = spanOf(node);
    if (value.kind === 'dotted' && value.dotted === 'Promise' && !value.imported) {
      // The executor runs right away: its timers are this function's waits.
      const executor = args?.namedChildren[0];
      const saved = this.inPromiseExecutor;
      this.inPromiseExecutor = true;
      if (executor && FUNCTION_TYPES.has(executor.type)) this.walkInline(executor);
      this.inPromiseExecutor = saved;
      return;
    }
    const target: Value = value.kind === 'local' ? { ...value, qual: `${value.qual}.constructor` } : value;
    this.record(target, span, unwrapParent(node)?.type === 'await_expression', this.loopUsing(args));
    if (args) for (const arg of args.children) this.walk(arg);
  }

  /** Evidence or a project call for a resolved callee; false when the callee is unknown. */
  private record(value: Value, span: Span, awaited: boolean, loop: number | undefined): boolean {
    if (value.kind === 'local') {
      this.addCall({ span, ref: { level: -1, dotted: value.qual }, awaited, loop });
      if (value.qual === this.facts.name && !this.facts.async) this.addEvidence(span, `${value.qual} (recursive call)`, 'recursion', 2);
      return true;
    }
    if (value.kind !== 'dotted') return false;
    if (value.specifier) {
      this.addCall({ span, ref: { level: 0, dotted: value.dotted, specifier: value.specifier }, awaited, loop });
      return true;
    }
    const entry = this.catalog.lookup(value.dotted);
    if (!entry) return false;
    if (!entry.category) return true;
    if (entry.inPromiseOnly && !this.inPromiseExecutor) return true;
    const io = isIoCategory(entry.category);
    let weight = entryWeight(entry);
    if (!io && this.shapes.repeated > 0) weight = Math.min(3, weight + 1) as 1 | 2 | 3;
    this.addEvidence(span, value.dotted, entry.category, weight, { blocking: io && !entry.awaitable, awaited, loop });
    return true;
  }

  /** Methods on receivers of unknown type whose shape says what they do (`.sort()`, regex). */
  private noteMethodShape(method: string, fn: Node, args: Node | null, span: Span): void {
    const object = fn.childForFieldName('object');
    if (method === 'sort' || method === 'toSorted') {
      this.addEvidence(span, `Array.${method}`, 'sorting', this.shapes.repeated > 0 ? 2 : 1);
      return;
    }
    const firstArg = args?.namedChildren[0];
    const objectValue = object ? resolveExpression(object, this.scope, this.catalog) : UNKNOWN;
    const regexReceiver = object?.type === 'regex' || (objectValue.kind === 'instance' && objectValue.type.kind === 'catalog' && objectValue.type.name === 'RegExp');
    const regexArg = firstArg?.type === 'regex' || (firstArg?.type === 'identifier' && isRegexBound(firstArg, this.scope));
    if ((method === 'exec' || method === 'test') && regexReceiver) {
      this.addEvidence(span, `RegExp.${method}`, 'regex', this.shapes.repeated > 0 ? 2 : 1);
    } else if (ALWAYS_REGEX_METHODS.has(method) && firstArg) {
      // String.prototype.match/matchAll/search turn any argument into a RegExp.
      this.addEvidence(span, `String.${method}`, 'regex', this.shapes.repeated > 0 ? 2 : 1);
    } else if (REGEX_METHODS.has(method) && regexArg) {
      this.addEvidence(span, `String.${method}`, 'regex', this.shapes.repeated > 0 ? 2 : 1);
    }
  }

  /**
   * Arguments: functions given to array methods or a Promise run here (walked inline, as
   * a loop for array methods); async ones, and callbacks of other APIs, are functions of
   * their own (route handlers get `handler: true`).
   */
  private walkArguments(call: Node, fn: Node, args: Node, method: string | undefined, offload?: { node: Node; pool: PoolKind }): void {
    for (const arg of args.children) {
      const inner = unwrap(arg);
      if (!FUNCTION_TYPES.has(inner.type)) {
        this.walk(arg);
        continue;
      }
      if (offload && arg.id === offload.node.id) {
        const { name } = callbackRole(fn, args, inner);
        const extracted = this.module.extractFunction(inner, this.scope, this.facts.name, name);
        if (extracted) this.addCall({ span: spanOf(inner), ref: { level: -1, dotted: extracted.name }, awaited: false, offloaded: offload.pool });
        continue;
      }
      const isAsync = inner.children.some((c) => c.type === 'async');
      if (method !== undefined && INLINE_ARRAY_METHODS.has(method) && !isAsync) {
        this.walkArrayCallback(call, inner, method);
        continue;
      }
      const { name, handler } = callbackRole(fn, args, inner);
      // `fetch(u).then((res) => res.json())`: the callback receives what the promise holds.
      const receives = method === 'then' ? promisedValue(fn, this.scope, this.catalog) : undefined;
      const extracted = this.module.extractFunction(inner, this.scope, this.facts.name, name, this.scope.selfContext('this'), handler, receives);
      // Async callbacks of array methods start right away (`Promise.all(xs.map(async ...))`).
      if (extracted && method !== undefined && INLINE_ARRAY_METHODS.has(method)) {
        this.addCall({ span: spanOf(inner), ref: { level: -1, dotted: extracted.name }, awaited: true });
      }
    }
  }

  /** `xs.map((x) => ...)`: the callback is this function's loop body. */
  private walkArrayCallback(call: Node, callback: Node, method: string): void {
    const params = parameters(callback).flatMap((p) => identifiersIn(p.pattern));
    const span = spanOf(call);
    const body = callback.childForFieldName('body');
    if (!body) return;
    const analysis = analyzeLoopBody(body, params);
    const index = this.facts.loops.push({ span, independent: analysis.independent && method !== 'reduce' && method !== 'reduceRight', dependence: analysis.dependence, region: span }) - 1;
    if (method !== 'sort' && method !== 'toSorted') this.addEvidence(span, `Array.${method}`, 'comprehension', this.shapes.repeated > 0 ? 2 : 1, { region: span });
    this.shapes.open({ index, vars: analysis.loopVars, span, region: span }, true);
    const saved = this.scope;
    this.scope = new Scope('function', this.facts.name, saved);
    for (const name of params) this.scope.bind(name, UNKNOWN);
    collectBindings(body, this.scope, this.catalog);
    this.walk(body);
    this.shapes.close();
    this.scope = saved;
  }

  /** A function run right away (a Promise executor): its body is this function's. */
  private walkInline(fn: Node): void {
    const saved = this.scope;
    this.scope = new Scope('function', this.facts.name, saved);
    for (const p of parameters(fn)) bindPattern(p.pattern, UNKNOWN, this.scope);
    const body = fn.childForFieldName('body');
    if (body) {
      collectBindings(body, this.scope, this.catalog);
      this.walk(body);
    }
    this.scope = saved;
  }

  private walkFor(node: Node): void {
    const initializer = node.childForFieldName('initializer');
    const condition = node.childForFieldName('condition');
    const increment = node.childForFieldName('increment');
    const body = node.childForFieldName('body');
    if (initializer) this.walk(initializer);
    if (!body) return;
    const header = spanBetween(node, condition ?? initializer ?? node);
    const vars = initializer ? identifiersIn(initializer).filter((n) => initializer.text.includes(n)) : [];
    const analysis = analyzeLoopBody(body, vars);
    const fixedCount = condition !== null && /^\s*[\w$]+\s*<=?\s*\d+\s*;?\s*$/.test(condition.text);
    const region = spanOf(node);
    const index = this.facts.loops.push({ span: header, independent: analysis.independent, dependence: analysis.dependence, fixedCount, region }) - 1;
    this.shapes.open({ index, vars: analysis.loopVars, span: header, region }, !fixedCount);
    if (condition) this.walk(condition);
    this.walk(body);
    if (increment) this.walk(increment);
    this.shapes.close();
  }

  private walkForIn(node: Node): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    if (right) this.walk(right);
    if (!body) return;
    const header = spanBetween(node, right ?? node);
    const isAwait = node.children.some((c) => c.type === 'await');
    const analysis = analyzeLoopBody(body, left ? identifiersIn(left) : []);
    const fixedCount = right?.type === 'array' || (right?.type === 'identifier' && isLiteralBound(right, this.scope));
    const independent = analysis.independent && !isAwait;
    const region = spanOf(node);
    const index = this.facts.loops.push({ span: header, independent, dependence: isAwait ? '`for await` reads one item at a time' : analysis.dependence, fixedCount, region }) - 1;
    if (isAwait) this.shapes.awaitsInLoops = true;
    this.shapes.open({ index, vars: analysis.loopVars, span: header, region }, !fixedCount);
    this.walk(body);
    this.shapes.close();
  }

  private walkWhile(node: Node): void {
    const condition = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    const header = spanBetween(node, condition ?? node);
    const region = spanOf(node);
    this.facts.loops.push({ span: header, independent: false, dependence: 'a while loop', region });
    this.shapes.open({ index: -1, vars: new Set(), span: header, region }, true);
    if (condition) this.walk(condition);
    if (body) this.walk(body);
    this.shapes.close();
  }

  private noteAugmented(node: Node): void {
    if (this.shapes.depth === 0) return;
    const operator = node.childForFieldName('operator')?.text ?? '';
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (operator === '+=' && left && right && this.isStringy(left, right)) {
      this.shapes.noteStringBuilding(spanOf(node));
      return;
    }
    if ((operator === '+=' || operator === '-=') && (left?.type !== 'identifier' || right?.type !== 'binary_expression')) return;
    if (ARITHMETIC.has(operator.slice(0, -1))) this.shapes.countArithmetic();
  }

  private noteBinary(node: Node): void {
    if (this.shapes.depth === 0) return;
    const operator = node.childForFieldName('operator')?.text ?? '';
    if (!ARITHMETIC.has(operator)) return;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (operator === '+' && (STRINGS.has(left?.type ?? '') || STRINGS.has(right?.type ?? ''))) return;
    // `i + 1`, `n - 1`: stepping an index, not computing.
    if ((operator === '+' || operator === '-') && (left?.text === '1' || right?.text === '1')) return;
    this.shapes.countArithmetic();
  }

  private isStringy(left: Node, right: Node): boolean {
    if (STRINGS.has(right.type)) return true;
    if (right.type === 'binary_expression' && [right.childForFieldName('left'), right.childForFieldName('right')].some((n) => STRINGS.has(n?.type ?? ''))) return true;
    if (right.type === 'call_expression' && /^(String|JSON\.stringify)$/.test(right.childForFieldName('function')?.text ?? '')) return true;
    if (left.type === 'identifier') {
      const bound = this.scope.lookup(left.text);
      return bound?.kind === 'instance' && bound.type.kind === 'catalog' && bound.type.name === 'String';
    }
    return false;
  }
}

/**
 * What a function passed to a call is: a request handler (`app.get('/x', ...)`,
 * `http.createServer(...)`, `(req, res) => ...`) named `app.get handler`, or another
 * callback named `emitter.on callback` (a named function expression keeps its name).
 */
function callbackRole(fn: Node, args: Node, callback: Node): { name: string; handler: boolean } {
  const calleeText = fn.text.replace(/\s+/g, '');
  const method = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
  // `app.get`, `runner.once`, `describe`: the callee's last two plain segments.
  const object = fn.type === 'member_expression' ? fn.childForFieldName('object') : null;
  const objectName = object?.type === 'identifier' || object?.type === 'this' ? object.text : object?.type === 'member_expression' ? object.childForFieldName('property')?.text : undefined;
  const callee = fn.type === 'identifier' ? fn.text : method ? (objectName ? `${objectName}.${method}` : method) : '<call>';
  const routeLike = method !== undefined && ROUTE_METHODS.has(method) && args.namedChildren.some((a) => STRINGS.has(a.type) || a.type === 'regex');
  const serverLike = /(^|\.)create(Secure)?Server$/.test(calleeText) || (method === 'on' && stringValue(args.namedChildren[0]) === 'request');
  const handler = routeLike || serverLike || looksLikeHandler(callback);
  const name = callback.childForFieldName('name')?.text ?? `${callee} ${handler ? 'handler' : 'callback'}`;
  return { name, handler };
}

/** For `X.then(cb)`: what the promise X holds, when X is a call the catalog types (`fetch(u)`). */
function promisedValue(thenCallee: Node, scope: Scope, catalog: Catalog): Value | undefined {
  const object = thenCallee.childForFieldName('object');
  if (!object || (object.type !== 'call_expression' && object.type !== 'identifier')) return undefined;
  const value = resolveExpression(object, scope, catalog);
  return value.kind === 'instance' ? value : undefined;
}

/** `(req, res)`, `(request, reply)`, `(ctx, next)`: a request handler's signature. */
function looksLikeHandler(fn: Node): boolean {
  const names = parameters(fn).map((p) => p.pattern.text);
  return (names[0] === 'req' && names[1] === 'res') || (names[0] === 'request' && (names[1] === 'response' || names[1] === 'reply'));
}

function hasMethods(object: Node): boolean {
  return object.namedChildren.some((p) => p.type === 'method_definition' || (p.type === 'pair' && FUNCTION_TYPES.has(unwrap(p.childForFieldName('value') ?? p).type)));
}

function isLiteralBound(node: Node, scope: Scope): boolean {
  const bound = scope.lookup(node.text);
  return bound?.kind === 'instance' && bound.type.kind === 'catalog' && bound.type.name === LITERAL_COLLECTION;
}

function isRegexBound(node: Node, scope: Scope): boolean {
  const bound = scope.lookup(node.text);
  return bound?.kind === 'instance' && bound.type.kind === 'catalog' && bound.type.name === 'RegExp';
}

/** The parent, skipping parentheses and TypeScript assertions. */
function unwrapParent(node: Node): Node | null {
  let parent = node.parent;
  while (parent && (parent.type === 'parenthesized_expression' || parent.type === 'non_null_expression' || parent.type === 'as_expression')) parent = parent.parent;
  return parent;
}
