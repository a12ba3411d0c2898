/**
 * A first guess at a benchmark's argument list, from a function's parameters: the text the
 * input box starts with when the user has not benchmarked the function before. It is a
 * starting point the user edits, so it favours text that evaluates (in the harness: Python in
 * the module's namespace, JavaScript in the global scope) and shows the defaults worth
 * changing, over clever values.
 */
import type { Parameter, Signature } from './parameters';

/** The languages a benchmark evaluates arguments in. */
export type ArgumentLanguage = 'python' | 'javascript' | 'typescript';

/** A default that means the same wherever it is evaluated: numbers, strings, constants, empty containers. */
const LITERAL = /^(?:[-+]?[\d_]*\.?[\d_]+(?:[eE][-+]?\d+)?[jJn]?|0[xXoObB][\da-fA-F_]+n?|[rbuRBU]{0,2}'[^'\\\n]*'|[rbuRBU]{0,2}"[^"\\\n]*"|`[^`$\\]*`|True|False|None|true|false|null|undefined|\[\]|\{\}|\(\))$/;

/** Whether a default's text can be given as it is. */
export function isLiteral(text: string): boolean {
  return LITERAL.test(text.trim());
}

/** Python: the value to try for an annotation (`int`, `Optional[str]`, `list[int] | None`). */
function pythonValue(annotation: string | undefined): string {
  if (!annotation) return 'None';
  const type = annotation
    .replace(/\s+/g, '')
    .replace(/^Optional\[(.*)\]$/, '$1')
    .replace(/\|None$|^None\|/, '')
    .replace(/^typing\./, '');
  const head = type.replace(/\[.*$/, '').toLowerCase();
  const values: Record<string, string> = {
    int: '10',
    float: '0.01',
    complex: '1j',
    str: "'text'",
    bytes: "b'data'",
    bytearray: "bytearray(b'data')",
    bool: 'True',
    list: '[]',
    sequence: '[]',
    iterable: '[]',
    dict: '{}',
    mapping: '{}',
    tuple: '()',
    set: 'set()',
    frozenset: 'frozenset()',
  };
  return values[head] ?? 'None';
}

/** JavaScript/TypeScript: the value to try for a parameter without a default. */
function javascriptValue(param: Parameter): string {
  if (param.pattern === 'object') return '{}';
  if (param.pattern === 'array') return '[]';
  const type = (param.annotation ?? '').replace(/\s+/g, '').replace(/\|(?:undefined|null)$/, '');
  if (type === 'number') return '10';
  if (type === 'bigint') return '10n';
  if (type === 'string') return "'text'";
  if (type === 'boolean') return 'true';
  if (/\[\]$|^(?:Readonly)?Array</.test(type)) return '[]';
  if (/^(?:Record<|\{)/.test(type)) return '{}';
  return 'undefined';
}

function pythonGuess(signature: Signature): string {
  const parts: string[] = [];
  // A positional-only default left out: the ones after it cannot be given by position any more.
  let gap = false;
  for (const param of signature.parameters) {
    switch (param.kind) {
      case 'cls':
      case 'var-positional':
      case 'var-keyword':
        break; // bound by the class, or optional by nature
      case 'self':
        // `Class.method` is looked up on the class: the instance is the first argument.
        parts.push(signature.className ? `${signature.className}()` : 'None');
        break;
      case 'positional-only':
        if (param.default === undefined) parts.push(pythonValue(param.annotation));
        else if (!gap && isLiteral(param.default)) parts.push(param.default);
        else gap = true;
        break;
      case 'positional':
      case 'keyword-only':
        if (param.default === undefined) parts.push(param.kind === 'keyword-only' ? `${param.name}=${pythonValue(param.annotation)}` : pythonValue(param.annotation));
        // A default that is not a literal may name something only the function's scope has: leave it to the function.
        else if (isLiteral(param.default)) parts.push(`${param.name}=${param.default}`);
        break;
    }
  }
  return parts.join(', ');
}

function javascriptGuess(signature: Signature): string {
  const parts: string[] = [];
  for (const param of signature.parameters) {
    if (param.kind === 'rest') break;
    // `undefined` makes JavaScript use the default: right for defaults that name module bindings,
    // which the harness's global scope does not have.
    if (param.default !== undefined) parts.push(isLiteral(param.default) ? param.default : 'undefined');
    else parts.push(param.optional ? 'undefined' : javascriptValue(param));
  }
  while (parts.length > 0 && parts[parts.length - 1] === 'undefined') parts.pop();
  return parts.join(', ');
}

/** The argument list to suggest, as source text (empty when the function takes none that matter). */
export function guessArguments(signature: Signature, language: ArgumentLanguage): string {
  return language === 'python' ? pythonGuess(signature) : javascriptGuess(signature);
}

/**
 * Whether to ask for arguments at all: the function has a parameter a caller gives (not the
 * `cls` a class method binds). `*args` and `**kwargs` count: the user may want to pass some.
 */
export function takesArguments(signature: Signature): boolean {
  return signature.parameters.some((p) => p.kind !== 'cls');
}

/** The parameter list as the input box's prompt shows it: `url, timeout=5, *, retries: int`. */
export function describeParameters(signature: Signature): string {
  return signature.parameters
    .map((p) => {
      const prefix = p.kind === 'var-positional' ? '*' : p.kind === 'var-keyword' ? '**' : p.kind === 'rest' ? '...' : '';
      const type = p.annotation ? `: ${p.annotation}` : '';
      const value = p.default !== undefined ? ` = ${p.default}` : '';
      return `${prefix}${p.name}${p.optional ? '?' : ''}${type}${value}`;
    })
    .join(', ');
}
