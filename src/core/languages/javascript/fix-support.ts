/**
 * What the JavaScript/TypeScript fixers share: finding the node a diagnostic points at,
 * the function a call sits in, the module's imports (ESM and CommonJS) and where new
 * ones go, free names, and when an `await` needs parentheses.
 */
import type { EngineEvidence } from '../../propagate';
import type { Span, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import type { LineMap } from '../../text';

export const FUNCTION_TYPES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition']);

/** The evidence a diagnostic was raised for: same span. */
export function evidenceAt(evidence: readonly EngineEvidence[], span: Span): EngineEvidence[] {
  return evidence.filter((e) => e.span.line === span.line && e.span.column === span.column && e.span.endLine === span.endLine && e.span.endColumn === span.endColumn);
}

/** The node of one of `types` covering exactly the span (the innermost such node). */
export function nodeAtSpan(root: Node, lines: LineMap, span: Span, types: ReadonlySet<string> | string): Node | undefined {
  const start = lines.offset(span.line, span.column);
  const end = lines.offset(span.endLine, span.endColumn);
  const wanted = typeof types === 'string' ? new Set([types]) : types;
  let found: Node | undefined;
  let node: Node | undefined = root;
  while (node) {
    if (node.startIndex === start && node.endIndex === end && wanted.has(node.type)) found = node;
    node = node.children.find((c) => c.startIndex <= start && c.endIndex >= end);
  }
  return found;
}

/** The innermost function a node sits in. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p;
  return undefined;
}

export function isAsync(fn: Node): boolean {
  return fn.children.some((c) => c.type === 'async');
}

/** Whether a subtree holds a node of one of the types, not looking into nested functions. */
export function containsOwn(node: Node, types: ReadonlySet<string>): boolean {
  const stack = [...node.children];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (types.has(current.type)) return true;
    if (FUNCTION_TYPES.has(current.type)) continue;
    stack.push(...current.children);
  }
  return false;
}

/**
 * The function a blocking call sits in can take an `await`: it is async, or it is a
 * request handler that can become async without anyone noticing: a function or arrow
 * expression passed straight to a route method (`app.get('/x', ...)`) or a server
 * factory, whose block body returns no value (frameworks ignore a handler's return
 * value, so a promise in its place changes nothing they see). Returns the edit that
 * makes it async (none when it already is), or undefined when neither holds.
 */
export function awaitableFunction(call: Node): { fn: Node; edits: TextEdit[] } | undefined {
  const fn = enclosingFunction(call);
  if (!fn) return undefined;
  if (isAsync(fn)) return fn.type === 'generator_function' || fn.type === 'generator_function_declaration' ? undefined : { fn, edits: [] };
  if (!canBecomeAsyncHandler(fn)) return undefined;
  const at = fn.startPosition;
  return { fn, edits: [{ line: at.row + 1, column: at.column + 1, endLine: at.row + 1, endColumn: at.column + 1, newText: 'async ' }] };
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options']);

function canBecomeAsyncHandler(fn: Node): boolean {
  if (fn.type !== 'arrow_function' && fn.type !== 'function_expression' && fn.type !== 'function') return false;
  const body = fn.childForFieldName('body');
  if (body?.type !== 'statement_block') return false;
  const args = fn.parent;
  const call = args?.parent;
  if (args?.type !== 'arguments' || call?.type !== 'call_expression') return false;
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const method = callee.type === 'member_expression' ? callee.childForFieldName('property')?.text : undefined;
  const first = args.namedChildren[0];
  const routeLike = method !== undefined && ROUTE_METHODS.has(method) && args.namedChildren.some((a) => a.type === 'string' || a.type === 'template_string' || a.type === 'regex');
  const serverLike = /(^|\.)create(Secure)?Server$/.test(callee.text.replace(/\s+/g, '')) || (method === 'on' && first?.type === 'string' && first.text.slice(1, -1) === 'request');
  if (!routeLike && !serverLike) return false;
  // `return;` is fine; `return next()` or `return res.json(...)` hands something back.
  const stack = [...body.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (FUNCTION_TYPES.has(node.type) || node.type === 'class' || node.type === 'class_declaration') continue;
    if (node.type === 'return_statement' && node.namedChildCount > 0) return false;
    if (node.type === 'yield_expression') return false;
    stack.push(...node.children);
  }
  return true;
}

/** Parent types where `await x` may stand without parentheses. */
const AWAIT_SAFE_PARENTS = new Set([
  'variable_declarator',
  'expression_statement',
  'return_statement',
  'arguments',
  'array',
  'pair',
  'parenthesized_expression',
  'template_substitution',
  'spread_element',
  'assignment_expression',
  'augmented_assignment_expression',
  'arrow_function',
  'ternary_expression',
  'sequence_expression',
  'unary_expression',
  'throw_statement',
]);

/** `await expression`, parenthesized when the node's place needs it (`(await x).length`). */
export function awaitIn(node: Node, expression: string): string {
  const parent = node.parent;
  let safe = parent !== null && AWAIT_SAFE_PARENTS.has(parent.type);
  // A ternary's condition and an assignment's target are fine too; `a ** b` is not.
  if (parent?.type === 'binary_expression') safe = parent.childForFieldName('operator')?.text !== '**' || parent.childForFieldName('right') === node;
  return safe ? `await ${expression}` : `(await ${expression})`;
}

/** The text of a string literal node without quotes, and its quote character. */
export function stringLiteral(node: Node | null | undefined): { value: string; quote: string } | undefined {
  if (!node || node.type !== 'string') return undefined;
  return { value: node.text.slice(1, -1), quote: node.text[0] };
}

/** One top-level import of a module, ESM or CommonJS. */
export interface ModuleImport {
  statement: Node;
  specifier: string;
  quote: string;
  style: 'import' | 'require';
  /** Local names bound to the module object (`import * as fs`, `import fs`, `const fs = require('fs')`). */
  wholes: string[];
  /** Imported name → local name (`{ readFileSync: rfs }`). */
  named: Map<string, string>;
  /** The `{ ... }` of named imports or the destructuring pattern, to extend. */
  namedNode?: Node;
}

/** `node:fs` and `fs` are the same module. */
export function bareModule(specifier: string): string {
  return specifier.replace(/^node:/, '');
}

function requireSpecifier(value: Node | null): { value: string; quote: string } | undefined {
  if (value?.type !== 'call_expression') return undefined;
  const fn = value.childForFieldName('function');
  if (fn?.type !== 'identifier' || fn.text !== 'require') return undefined;
  const args = value.childForFieldName('arguments')?.namedChildren ?? [];
  return args.length === 1 ? stringLiteral(args[0]) : undefined;
}

/** The module's top-level imports and requires, in source order. */
export function moduleImports(root: Node): ModuleImport[] {
  const out: ModuleImport[] = [];
  for (const statement of root.namedChildren) {
    if (statement.type === 'import_statement') {
      const source = stringLiteral(statement.childForFieldName('source'));
      const entry: ModuleImport = { statement, specifier: source?.value ?? '', quote: source?.quote ?? "'", style: 'import', wholes: [], named: new Map() };
      for (const child of statement.namedChildren) {
        if (child.type === 'import_require_clause') {
          const name = child.namedChildren.find((c) => c.type === 'identifier');
          const spec = stringLiteral(child.childForFieldName('source'));
          if (name && spec) out.push({ statement, specifier: spec.value, quote: spec.quote, style: 'import', wholes: [name.text], named: new Map() });
        }
        if (child.type !== 'import_clause' || !source) continue;
        for (const part of child.namedChildren) {
          if (part.type === 'identifier') entry.wholes.push(part.text);
          else if (part.type === 'namespace_import') {
            const name = part.namedChildren.find((c) => c.type === 'identifier');
            if (name) entry.wholes.push(name.text);
          } else if (part.type === 'named_imports') {
            entry.namedNode = part;
            for (const specifier of part.namedChildren) {
              if (specifier.type !== 'import_specifier') continue;
              const name = specifier.childForFieldName('name');
              const alias = specifier.childForFieldName('alias') ?? name;
              if (name && alias) entry.named.set(name.text, alias.text);
            }
          }
        }
      }
      // `import type { X }` binds nothing at run time.
      if (source && !/^import\s+type\b/.test(statement.text)) out.push(entry);
      continue;
    }
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
    for (const declarator of statement.namedChildren) {
      if (declarator.type !== 'variable_declarator') continue;
      const source = requireSpecifier(declarator.childForFieldName('value'));
      const name = declarator.childForFieldName('name');
      if (!source || !name) continue;
      const entry: ModuleImport = { statement, specifier: source.value, quote: source.quote, style: 'require', wholes: [], named: new Map() };
      if (name.type === 'identifier') entry.wholes.push(name.text);
      else if (name.type === 'object_pattern') {
        entry.namedNode = name;
        for (const property of name.namedChildren) {
          if (property.type === 'shorthand_property_identifier_pattern') entry.named.set(property.text, property.text);
          else if (property.type === 'pair_pattern') {
            const key = property.childForFieldName('key');
            const value = property.childForFieldName('value');
            if (key && value?.type === 'identifier') entry.named.set(key.text.replace(/^['"]|['"]$/g, ''), value.text);
          } else entry.namedNode = undefined; // defaults or rest: leave the pattern alone
        }
      } else continue;
      out.push(entry);
    }
  }
  return out;
}

/** Imports of one module (`fs` matches `node:fs`). */
export function importsOf(imports: readonly ModuleImport[], module: string): ModuleImport[] {
  return imports.filter((i) => bareModule(i.specifier) === module);
}

/** Whether the file is an ES module (imports or exports, or an .mjs/.mts name); else CommonJS. */
export function isEsModule(root: Node, path: string): boolean {
  if (/\.m[jt]s$/i.test(path)) return true;
  if (/\.c[jt]s$/i.test(path)) return false;
  return root.namedChildren.some((s) => (s.type === 'import_statement' && !s.namedChildren.some((c) => c.type === 'import_require_clause')) || s.type === 'export_statement');
}

/** Every identifier-like name written anywhere in the file (to avoid taking one). */
export function namesInUse(root: Node): Set<string> {
  const names = new Set<string>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'identifier' || node.type === 'shorthand_property_identifier' || node.type === 'shorthand_property_identifier_pattern' || node.type === 'type_identifier') {
      names.add(node.text);
    }
    stack.push(...node.children);
  }
  return names;
}

/** A name not in use: the first free one of the candidates. */
export function freeName(used: ReadonlySet<string>, ...candidates: string[]): string | undefined {
  return candidates.find((c) => !used.has(c));
}

/**
 * The line after the module's last top-level import or require; with none, after the
 * shebang, directives and header comments (a comment touching the code below documents
 * that code and stays with it).
 */
export function lineAfterImports(root: Node): number {
  let after = 0;
  const statements = root.namedChildren;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    const isImport =
      statement.type === 'import_statement' ||
      ((statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') &&
        statement.namedChildren.some((d) => d.type === 'variable_declarator' && requireSpecifier(d.childForFieldName('value'))));
    const end = statement.endPosition.row + 1;
    if (isImport || statement.type === 'hash_bang_line' || (statement.type === 'expression_statement' && statement.namedChildren[0]?.type === 'string')) {
      after = Math.max(after, end);
    } else if (statement.type === 'comment') {
      const next = statements[i + 1];
      if (!next || next.startPosition.row > end) after = Math.max(after, end);
    } else break;
  }
  return after + 1;
}

/** The line break the text uses. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Whether the file ends statements with semicolons (judged by its imports and declarations). */
export function usesSemicolons(root: Node): boolean {
  const statements = root.namedChildren.filter((s) => s.type === 'import_statement' || s.type === 'lexical_declaration' || s.type === 'variable_declaration' || s.type === 'expression_statement');
  if (statements.length === 0) return true;
  return statements.filter((s) => s.text.trimEnd().endsWith(';')).length * 2 >= statements.length;
}

/** An edit inserting text before a 1-based line (at the end of the text when past it). */
export function insertAtLine(lines: LineMap, line: number, newText: string): TextEdit {
  if (line > lines.lineCount || (line === lines.lineCount && lines.line(line) === '' && !lines.text.endsWith('\n'))) {
    const last = lines.lineCount;
    const column = lines.line(last).length + 1;
    return { line: last, column, endLine: last, endColumn: column, newText: `${eolOf(lines.text)}${newText}` };
  }
  return { line, column: 1, endLine: line, endColumn: 1, newText };
}

/**
 * An edit adding one name to an existing `{ ... }` import or destructuring (`readFile`,
 * or `readFile as readFileAsync` / `readFile: readFileAsync` when renamed).
 */
export function extendNamed(entry: ModuleImport, name: string, local: string): TextEdit | undefined {
  const node = entry.namedNode;
  if (!node) return undefined;
  const items = node.namedChildren.filter((c) => c.type !== 'comment');
  const text = local === name ? name : entry.style === 'import' ? `${name} as ${local}` : `${name}: ${local}`;
  const last = items[items.length - 1];
  // After the last name, or just inside an empty `{}`.
  const position = last ? last.endPosition : { row: node.startPosition.row, column: node.startPosition.column + 1 };
  const at = { line: position.row + 1, column: position.column + 1 };
  return { line: at.line, column: at.column, endLine: at.line, endColumn: at.column, newText: last ? `, ${text}` : ` ${text} ` };
}

/** A new import line for named bindings, in the file's style. */
export function importLine(style: 'import' | 'require', names: Array<{ name: string; local: string }>, specifier: string, quote: string, semicolon: boolean): string {
  const list = names.map(({ name, local }) => (name === local ? name : style === 'import' ? `${name} as ${local}` : `${name}: ${local}`)).join(', ');
  const end = semicolon ? ';' : '';
  return style === 'import' ? `import { ${list} } from ${quote}${specifier}${quote}${end}` : `const { ${list} } = require(${quote}${specifier}${quote})${end}`;
}

/** Keeps a module's `node:` prefix style for a sibling module (`node:fs` → `node:fs/promises`). */
export function siblingSpecifier(like: string | undefined, module: string, fallback: boolean): string {
  const prefixed = like !== undefined ? like.startsWith('node:') : fallback;
  return prefixed ? `node:${module}` : module;
}

/** Whether any import in the file uses the `node:` prefix. */
export function prefersNodePrefix(imports: readonly ModuleImport[]): boolean {
  const builtins = imports.filter((i) => !i.specifier.startsWith('.') && !i.specifier.startsWith('/'));
  return builtins.length === 0 || builtins.some((i) => i.specifier.startsWith('node:'));
}

/** The quote character the file's imports use. */
export function preferredQuote(imports: readonly ModuleImport[]): string {
  return imports[0]?.quote ?? "'";
}

/**
 * A top-level function declaration of that name whose text shows it is the helper a fix
 * generated (the marker is a line of the generated body): reusing a user's own function of
 * the same name would change what the call does.
 */
export function generatedHelper(root: Node, name: string, marker: string): boolean {
  return root.namedChildren.some((s) => s.type === 'function_declaration' && s.childForFieldName('name')?.text === name && s.text.includes(marker));
}
