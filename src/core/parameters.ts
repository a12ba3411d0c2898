/**
 * A function's parameters, read from its syntax: what the benchmark flow needs to ask for
 * arguments (and to guess them, see `parameters-guess.ts`). The analysis keeps only parameter
 * names; defaults, annotations and kinds (keyword-only, `*args`, `self`) come from the tree.
 *
 * The function is found by the position of its name, as the analysis reports it (`nameSpan`),
 * so the caller never matches names itself: `Class.method` and `outer.inner` are told apart by
 * where they are.
 */
import type { Node } from 'web-tree-sitter';
import { supportForPath } from './languages/registry';
import { createParser } from './parse/loader';

/**
 * How an argument reaches the parameter. Python: `positional-only` (before `/`), `positional`
 * (by position or keyword), `keyword-only` (after `*` or `*args`), `var-positional` (`*args`),
 * `var-keyword` (`**kwargs`), and the receiver a method binds (`self`, `cls`). JavaScript:
 * `positional`, `rest` (`...rest`).
 */
export type ParameterKind = 'positional-only' | 'positional' | 'keyword-only' | 'var-positional' | 'var-keyword' | 'self' | 'cls' | 'rest';

/** One parameter, as written. */
export interface Parameter {
  /** The name (for a destructuring pattern in JS: the pattern's text, `{ x, y }`). */
  name: string;
  kind: ParameterKind;
  /** Source text of the default value, when it has one. */
  default?: string;
  /** Source text of the type annotation (without the colon), when it has one. */
  annotation?: string;
  /** TypeScript `x?: T`: may be left out. */
  optional?: boolean;
  /** JS: the parameter is a destructuring pattern (`{ x, y }`, `[a, b]`). */
  pattern?: 'object' | 'array';
}

/** Where the function is defined: what a caller from outside the module can reach. */
export type Container = 'module' | 'class' | 'function';

/** A function's parameters and where it sits. */
export interface Signature {
  parameters: Parameter[];
  container: Container;
  /** For a method: the qualified name of its class (`Outer.Inner`). */
  className?: string;
  /** Python: `@staticmethod`, `@classmethod` or neither. JS: `static` or not. */
  binding: 'static' | 'class' | 'instance' | 'none';
}

/** 1-based line and column (UTF-16 code units), as the analysis reports them. */
export interface NamePosition {
  line: number;
  column: number;
}

const PYTHON_FUNCTION = 'function_definition';
const JS_FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition']);
/** Nodes that hold a function as a value (`const f = () => ...`, `{ f: function () {} }`). */
const JS_HOLDERS = new Set(['variable_declarator', 'pair', 'assignment_expression', 'public_field_definition', 'field_definition']);

/**
 * The parameters of the function whose name (or, for an anonymous function, whose start) is
 * at `at` in `text`; undefined when no function is there (the text changed since the analysis).
 */
export async function listParameters(path: string, text: string, at: NamePosition): Promise<Signature | undefined> {
  const support = supportForPath(path);
  if (!support) return undefined;
  const parser = await createParser(support.grammarOf(path));
  const tree = parser.parse(text);
  try {
    if (!tree) return undefined;
    const point = { row: at.line - 1, column: at.column - 1 };
    const node = tree.rootNode.descendantForPosition(point);
    if (!node) return undefined;
    return support.family === 'python' ? pythonSignature(node) : javascriptSignature(node);
  } finally {
    tree?.delete();
    parser.delete();
  }
}

/** The named children of a node (web-tree-sitter may hold nulls). */
function named(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** The nearest ancestor (or the node itself) of one of the types, looking up at most `levels`. */
function enclosing(node: Node, types: ReadonlySet<string>, levels: number): Node | undefined {
  let current: Node | null = node;
  for (let i = 0; current && i <= levels; i++, current = current.parent) if (types.has(current.type)) return current;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Python

function pythonSignature(at: Node): Signature | undefined {
  const fn = enclosing(at, new Set([PYTHON_FUNCTION]), 2);
  if (!fn) return undefined;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  const decorators = new Set((decorated ? named(decorated) : []).filter((d) => d.type === 'decorator').map((d) => d.text.replace(/^@\s*/, '').replace(/\(.*$/s, '').trim()));
  const outer = (decorated ?? fn).parent?.parent; // block → class_definition / function_definition
  const container: Container = outer?.type === 'class_definition' ? 'class' : outer?.type === PYTHON_FUNCTION ? 'function' : 'module';
  const binding = container !== 'class' ? 'none' : decorators.has('staticmethod') ? 'static' : decorators.has('classmethod') ? 'class' : 'instance';
  const parameters = pythonParameters(fn);
  if ((binding === 'instance' || binding === 'class') && parameters.length > 0 && parameters[0].kind === 'positional') {
    parameters[0] = { ...parameters[0], kind: binding === 'class' ? 'cls' : 'self' };
  }
  const signature: Signature = { parameters, container, binding };
  if (container === 'class' && outer) signature.className = pythonClassPath(outer);
  return signature;
}

/** `Outer.Inner` for a class nested in classes. */
function pythonClassPath(cls: Node): string {
  const names: string[] = [];
  for (let node: Node | null = cls; node; node = node.parent) {
    if (node.type === 'class_definition') names.unshift(node.childForFieldName('name')?.text ?? '?');
  }
  return names.join('.');
}

function pythonParameters(fn: Node): Parameter[] {
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: Parameter[] = [];
  let keywordOnly = false;
  for (const param of named(list)) {
    const kind: ParameterKind = keywordOnly ? 'keyword-only' : 'positional';
    switch (param.type) {
      case 'positional_separator':
        for (const p of out) if (p.kind === 'positional') p.kind = 'positional-only';
        break;
      case 'keyword_separator':
        keywordOnly = true;
        break;
      case 'identifier':
        out.push({ name: param.text, kind });
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const entry: Parameter = { name: param.childForFieldName('name')?.text ?? param.text, kind };
        const value = param.childForFieldName('value');
        const type = param.childForFieldName('type');
        if (value) entry.default = value.text;
        if (type) entry.annotation = type.text;
        out.push(entry);
        break;
      }
      case 'typed_parameter': {
        const inner = named(param)[0];
        const type = param.childForFieldName('type');
        const splat = inner?.type === 'list_splat_pattern' ? 'var-positional' : inner?.type === 'dictionary_splat_pattern' ? 'var-keyword' : undefined;
        if (splat === 'var-positional') keywordOnly = true;
        out.push({ name: (inner?.text ?? param.text).replace(/^\*+/, ''), kind: splat ?? kind, ...(type ? { annotation: type.text } : {}) });
        break;
      }
      case 'list_splat_pattern':
        keywordOnly = true;
        out.push({ name: param.text.replace(/^\*+/, ''), kind: 'var-positional' });
        break;
      case 'dictionary_splat_pattern':
        out.push({ name: param.text.replace(/^\*+/, ''), kind: 'var-keyword' });
        break;
      default:
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript

function javascriptSignature(at: Node): Signature | undefined {
  let fn = enclosing(at, JS_FUNCTIONS, 3);
  if (!fn) {
    // The name of `const f = () => ...` or `f: function () {}`: the function is the holder's value.
    const holder = enclosing(at, JS_HOLDERS, 2);
    const value = holder?.childForFieldName('value') ?? holder?.childForFieldName('right');
    if (value && JS_FUNCTIONS.has(value.type)) fn = value;
  }
  if (!fn) return undefined;
  const classBody = fn.type === 'method_definition' && fn.parent?.type === 'class_body' ? fn.parent : undefined;
  const isStatic = fn.children.some((c) => c?.type === 'static');
  let container: Container = classBody ? 'class' : 'module';
  for (let node = fn.parent; node && container === 'module'; node = node.parent) {
    if (JS_FUNCTIONS.has(node.type)) container = 'function';
  }
  const signature: Signature = { parameters: javascriptParameters(fn), container, binding: classBody ? (isStatic ? 'static' : 'instance') : 'none' };
  const className = classBody?.parent?.childForFieldName('name')?.text;
  if (className) signature.className = className;
  return signature;
}

function patternKind(node: Node | null | undefined): Parameter['pattern'] {
  return node?.type === 'object_pattern' ? 'object' : node?.type === 'array_pattern' ? 'array' : undefined;
}

function javascriptParameters(fn: Node): Parameter[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [{ name: single.text, kind: 'positional' }];
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: Parameter[] = [];
  for (const param of named(list)) {
    let pattern: Node | null = param;
    let value: Node | null = null;
    let type: Node | null = null;
    let optional = false;
    if (param.type === 'required_parameter' || param.type === 'optional_parameter') {
      pattern = param.childForFieldName('pattern');
      value = param.childForFieldName('value');
      type = param.childForFieldName('type');
      optional = param.type === 'optional_parameter';
    } else if (param.type === 'assignment_pattern') {
      pattern = param.childForFieldName('left');
      value = param.childForFieldName('right');
    } else if (!['identifier', 'object_pattern', 'array_pattern', 'rest_pattern'].includes(param.type)) {
      continue; // comments, `this: T` in TypeScript
    }
    if (!pattern || pattern.type === 'this') continue; // TypeScript's `this: T` is no argument
    const rest = pattern.type === 'rest_pattern';
    const target = rest ? (named(pattern)[0] ?? pattern) : pattern;
    const entry: Parameter = { name: target.text, kind: rest ? 'rest' : 'positional' };
    if (value) entry.default = value.text;
    if (type) entry.annotation = type.text.replace(/^:\s*/, '');
    if (optional) entry.optional = true;
    const shape = patternKind(target);
    if (shape) entry.pattern = shape;
    out.push(entry);
  }
  return out;
}
