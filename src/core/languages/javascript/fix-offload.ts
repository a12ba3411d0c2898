/**
 * What moving a CPU-heavy call off the event loop needs, whatever runs it (a `worker_threads`
 * worker, fix-worker.ts; a piscina pool, fix-piscina.ts): the call and the function it sits
 * in, arguments that survive a structured clone, and what a new module must hold to define
 * the function — a copy of it (and of the module-level functions and literal constants it
 * uses) when it is defined in this file, since importing this file from a worker would run
 * its top-level code again, or an import when it comes from another module.
 *
 * Preconditions: a plain call `name(args)`; a synchronous function that uses no `this`
 * and reads nothing from the module but other such functions and literal constants;
 * arguments that look like plain data (no functions, no `new` objects, no calls); the
 * enclosing function is async or can become so. Not for TypeScript files: the new module
 * would need compiling.
 */
import type { FixContext } from '../../fixes';
import type { Span, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import {
  awaitableFunction,
  eolOf,
  evidenceAt,
  FUNCTION_TYPES,
  isAsync,
  isEsModule,
  moduleImports,
  nodeAtSpan,
  prefersNodePrefix,
  preferredQuote,
  usesSemicolons,
  type ModuleImport,
} from './fix-support';

/** Globals a copied function may use: they exist in a worker and hold no state of this thread. */
const SAFE_GLOBALS = new Set([
  'Math', 'JSON', 'Number', 'String', 'Boolean', 'Array', 'Object', 'BigInt', 'Map', 'Set', 'Symbol', 'Error', 'TypeError', 'RangeError',
  'Infinity', 'NaN', 'undefined', 'isNaN', 'isFinite', 'parseInt', 'parseFloat', 'Uint8Array', 'Uint16Array', 'Uint32Array', 'Int8Array',
  'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray', 'ArrayBuffer',
  'DataView', 'RegExp', 'Date', 'Intl', 'TextEncoder', 'TextDecoder', 'structuredClone', 'encodeURIComponent', 'decodeURIComponent', 'arguments',
]);

/** A CPU-heavy call that can move off the event loop, and what the module running it needs. */
export interface OffloadPlan {
  root: Node;
  /** The call `name(args)` and the span the diagnostic's evidence gives it. */
  call: Node;
  span: Span;
  name: string;
  args: Node[];
  /** The edit making the enclosing function async (none when it is). */
  hostEdits: TextEdit[];
  /** Import lines and copied definitions that give a new module `name`. */
  needs: { imports: string[]; definitions?: string };
  esm: boolean;
  imports: ModuleImport[];
  eol: string;
  /** `;` when the file ends statements with one, else empty. */
  semicolon: string;
  /** `node:` when the file writes built-in modules so. */
  prefix: string;
  quote: string;
}

/** The plan for the diagnostic's call, or undefined when a precondition fails. */
export async function offloadPlan(context: FixContext): Promise<OffloadPlan | undefined> {
  const { diagnostic, evidence, lines, file } = context;
  if (/\.[cm]?tsx?$/i.test(file.path)) return undefined;
  const top = evidenceAt(evidence, diagnostic).find((e) => e.via.length > 0);
  // A generator's call (`function*`) does none of its work, and a worker cannot send a generator back.
  if (!top || top.lazy) return undefined;
  const root = await context.tree();
  const call = nodeAtSpan(root, lines, top.span, 'call_expression');
  const callee = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment');
  if (!call || callee?.type !== 'identifier' || !args) return undefined;
  const name = callee.text;
  const host = awaitableFunction(call);
  if (!host) return undefined;
  const localFunctions = functionNames(root);
  if (!args.every((a) => isPlainData(a, localFunctions))) return undefined;

  const esm = isEsModule(root, file.path);
  const imports = moduleImports(root);
  const semicolon = usesSemicolons(root) ? ';' : '';
  const quote = preferredQuote(imports);
  let needs: OffloadPlan['needs'] | undefined;
  if (topLevelDefinitions(root).has(name)) {
    if (top.via[0] !== name) return undefined;
    needs = copiedDefinitions(root, imports, name, eolOf(lines.text), semicolon);
  } else {
    const line = reimport(imports, name, esm, quote, semicolon);
    needs = line === undefined ? undefined : { imports: [line] };
  }
  if (!needs) return undefined;
  return { root, call, span: top.span, name, args, hostEdits: host.edits, needs, esm, imports, eol: eolOf(lines.text), semicolon, prefix: prefersNodePrefix(imports) ? 'node:' : '', quote };
}

/** A new module's text: its header, the copied definitions, and what it exports or runs. */
export function moduleText(plan: OffloadPlan, header: readonly string[], last: string): string {
  const sections = [[...header, ...plan.needs.imports].join(plan.eol), ...(plan.needs.definitions ? [plan.needs.definitions] : []), last];
  return sections.join(plan.eol + plan.eol) + plan.eol;
}

/** Module-level function declarations and `const` bindings, by name: the statement that defines each. */
function topLevelDefinitions(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const child of root.namedChildren) {
    const statement = child.type === 'export_statement' ? (child.childForFieldName('declaration') ?? child) : child;
    if (statement.type === 'function_declaration' || statement.type === 'generator_function_declaration' || statement.type === 'class_declaration') {
      const name = statement.childForFieldName('name')?.text;
      if (name) out.set(name, statement);
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const name = declarator.childForFieldName('name');
        if (declarator.type === 'variable_declarator' && name?.type === 'identifier') out.set(name.text, declarator);
      }
    }
  }
  return out;
}

/**
 * The source of the function and of everything at module level it uses, with the imports
 * of packages and built-in modules it reads (the worker imports them again); undefined
 * when it uses something that cannot be copied (module state, `this`, a relative import).
 */
function copiedDefinitions(root: Node, imports: readonly ModuleImport[], name: string, eol: string, semicolon: string): { imports: string[]; definitions: string } | undefined {
  const definitions = topLevelDefinitions(root);
  const copied = new Map<string, string>();
  const imported = new Map<ModuleImport, Set<string>>();
  const pending = [name];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (copied.has(current)) continue;
    const source = imports.find((i) => i.wholes.includes(current) || [...i.named.values()].includes(current));
    if (source) {
      if (source.specifier.startsWith('.') || source.specifier.startsWith('/')) return undefined;
      let names = imported.get(source);
      if (!names) imported.set(source, (names = new Set()));
      names.add(current);
      continue;
    }
    const definition = definitions.get(current);
    if (!definition) return undefined;
    let text: string;
    let fn: Node | undefined;
    if (definition.type === 'function_declaration') {
      fn = definition;
      text = definition.text;
    } else if (definition.type === 'variable_declarator') {
      const statement = definition.parent;
      const value = definition.childForFieldName('value');
      const isConst = statement?.type === 'lexical_declaration' && statement.childForFieldName('kind')?.text === 'const';
      if (!isConst || !value || !statement) return undefined;
      if (FUNCTION_TYPES.has(value.type)) fn = value;
      else if (!isLiteral(value)) return undefined;
      text = `const ${definition.text}${semicolon}`;
    } else return undefined;
    if (fn) {
      if (isAsync(fn) || fn.type.startsWith('generator') || fn.children.some((c) => c.type === '*')) return undefined;
      const free = freeNames(fn);
      if (!free) return undefined;
      for (const used of free) {
        if (SAFE_GLOBALS.has(used) || used === current) continue;
        pending.push(used);
      }
    }
    copied.set(current, text);
  }
  const lines: string[] = [];
  for (const [entry, names] of imported) {
    const statements = importOf(entry, names, semicolon);
    if (!statements) return undefined;
    lines.push(...statements);
  }
  // In source order, as the file has them.
  const definitionsText = [...copied.entries()]
    .sort((a, b) => definitions.get(a[0])!.startIndex - definitions.get(b[0])!.startIndex)
    .map(([, text]) => text)
    .join(eol + eol);
  return { imports: lines, definitions: definitionsText };
}

/** The import statements giving the worker the names this file imported, in this file's style. */
function importOf(entry: ModuleImport, names: ReadonlySet<string>, semicolon: string): string[] | undefined {
  const specifier = `${entry.quote}${entry.specifier}${entry.quote}`;
  const out: string[] = [];
  for (const whole of entry.wholes.filter((w) => names.has(w))) {
    if (entry.style === 'require') out.push(`const ${whole} = require(${specifier})${semicolon}`);
    else {
      const namespace = new RegExp(`\\*\\s*as\\s+${whole.replace(/\$/g, '\\$')}\\b`).test(entry.statement.text);
      out.push(namespace ? `import * as ${whole} from ${specifier}${semicolon}` : `import ${whole} from ${specifier}${semicolon}`);
    }
  }
  const bindings = [...entry.named.entries()].filter(([, local]) => names.has(local));
  if (bindings.length > 0) {
    const list = bindings.map(([imported, local]) => (imported === local ? local : entry.style === 'import' ? `${imported} as ${local}` : `${imported}: ${local}`)).join(', ');
    out.push(entry.style === 'import' ? `import { ${list} } from ${specifier}${semicolon}` : `const { ${list} } = require(${specifier})${semicolon}`);
  }
  return out.length > 0 ? out : undefined;
}

/** Syntax of a number, string, boolean, `null` or `undefined`. */
const PRIMITIVE_LITERALS = new Set(['number', 'string', 'true', 'false', 'null', 'undefined']);

/** A literal constant (copying it copies its value). */
function isLiteral(node: Node): boolean {
  if (PRIMITIVE_LITERALS.has(node.type)) return true;
  switch (node.type) {
    case 'template_string':
      return !node.namedChildren.some((c) => c.type === 'template_substitution');
    case 'unary_expression':
      return node.namedChildren.length === 1 && isLiteral(node.namedChildren[0]);
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      return !!left && !!right && isLiteral(left) && isLiteral(right);
    }
    default:
      return false;
  }
}

/**
 * Names a function reads but does not declare (approximately: a name declared anywhere in
 * it counts as its own). Undefined when it uses `this`, `super`, `import.meta` or `new.target`.
 */
function freeNames(fn: Node): Set<string> | undefined {
  const declared = new Set<string>();
  const read = new Set<string>();
  const ownName = fn.childForFieldName('name');
  if (ownName) declared.add(ownName.text);
  const stack: Node[] = [fn];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'this':
      case 'super':
      case 'meta_property':
        return undefined;
      case 'formal_parameters':
        for (const param of node.namedChildren) for (const id of patternNames(param)) declared.add(id);
        break;
      case 'variable_declarator': {
        const target = node.childForFieldName('name');
        if (target) for (const id of patternNames(target)) declared.add(id);
        break;
      }
      case 'function_declaration':
      case 'class_declaration':
      case 'function_expression':
      case 'class': {
        const own = node.childForFieldName('name');
        if (own) declared.add(own.text);
        break;
      }
      case 'catch_clause': {
        const param = node.childForFieldName('parameter');
        if (param) for (const id of patternNames(param)) declared.add(id);
        break;
      }
      case 'for_in_statement': {
        const left = node.childForFieldName('left');
        if (left && node.childForFieldName('kind')) for (const id of patternNames(left)) declared.add(id);
        break;
      }
      case 'arrow_function': {
        const single = node.childForFieldName('parameter');
        if (single) declared.add(single.text);
        break;
      }
      case 'identifier':
      case 'shorthand_property_identifier':
        read.add(node.text);
        break;
      default:
        break;
    }
    stack.push(...node.children);
  }
  return new Set([...read].filter((n) => !declared.has(n)));
}

/** The names a parameter or pattern binds (not the names its defaults read). */
function patternNames(node: Node): string[] {
  switch (node.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [node.text];
    case 'assignment_pattern':
    case 'object_assignment_pattern': {
      const left = node.childForFieldName('left');
      return left ? patternNames(left) : [];
    }
    case 'pair_pattern': {
      const value = node.childForFieldName('value');
      return value ? patternNames(value) : [];
    }
    case 'required_parameter':
    case 'optional_parameter': {
      const pattern = node.childForFieldName('pattern');
      return pattern ? patternNames(pattern) : [];
    }
    case 'object_pattern':
    case 'array_pattern':
    case 'rest_pattern':
      return node.namedChildren.flatMap(patternNames);
    default:
      return [];
  }
}

/** The import line(s) that give the worker `name` the way this file has it (a relative module only). */
function reimport(imports: readonly ModuleImport[], name: string, esm: boolean, quote: string, semicolon: string): string | undefined {
  for (const entry of imports) {
    if (!entry.specifier.startsWith('./') && !entry.specifier.startsWith('../')) continue;
    const specifier = `${quote}${entry.specifier}${quote}`;
    for (const [imported, local] of entry.named) {
      if (local !== name) continue;
      const binding = imported === local ? local : entry.style === 'import' ? `${imported} as ${local}` : `${imported}: ${local}`;
      if (entry.style === 'import' && imported === 'default') return `import ${local} from ${specifier}${semicolon}`;
      return esm === (entry.style === 'import') ? (esm ? `import { ${binding} } from ${specifier}${semicolon}` : `const { ${binding} } = require(${specifier})${semicolon}`) : undefined;
    }
    // `import heavy from './heavy.mjs'` (the default export); `const heavy = require('./heavy')` (module.exports).
    if (entry.wholes.includes(name) && entry.named.size === 0 && !/\*\s*as/.test(entry.statement.text)) {
      return entry.style === 'import' ? `import ${name} from ${specifier}${semicolon}` : `const ${name} = require(${specifier})${semicolon}`;
    }
  }
  return undefined;
}

/** Names of functions and classes the file defines (an argument naming one is not data). */
function functionNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const node of [...root.descendantsOfType('function_declaration'), ...root.descendantsOfType('class_declaration')]) {
    const name = node.childForFieldName('name');
    if (name) names.add(name.text);
  }
  for (const declarator of root.descendantsOfType('variable_declarator')) {
    const name = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    if (name?.type === 'identifier' && value && (FUNCTION_TYPES.has(value.type) || value.type === 'class' || value.type === 'new_expression')) names.add(name.text);
  }
  return names;
}

/** An argument that is plain data as far as the text shows (structured clone keeps it as it is). */
function isPlainData(node: Node, functions: ReadonlySet<string>): boolean {
  if (PRIMITIVE_LITERALS.has(node.type)) return true;
  switch (node.type) {
    case 'identifier':
      return !functions.has(node.text) && node.text !== 'globalThis' && node.text !== 'process';
    case 'template_string':
      return node.namedChildren.every((c) => c.type !== 'template_substitution' || c.namedChildren.every((e) => isPlainData(e, functions)));
    case 'member_expression':
    case 'subscript_expression': {
      const object = node.childForFieldName('object');
      const index = node.childForFieldName('index');
      return !!object && isPlainData(object, functions) && (!index || isPlainData(index, functions));
    }
    case 'array':
    case 'parenthesized_expression':
    case 'spread_element':
    case 'binary_expression':
    case 'unary_expression':
    case 'ternary_expression':
      return node.namedChildren.every((c) => c.type === 'comment' || isPlainData(c, functions));
    case 'object':
      return node.namedChildren.every((property) => {
        if (property.type === 'shorthand_property_identifier') return !functions.has(property.text);
        if (property.type === 'spread_element') return isPlainData(property, functions);
        const value = property.type === 'pair' ? property.childForFieldName('value') : null;
        return !!value && isPlainData(value, functions);
      });
    default:
      return false;
  }
}
