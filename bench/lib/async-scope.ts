/**
 * Where an ESLint finding sits: inside an async function or not. `n/no-sync` reports every
 * `...Sync()` call wherever it is; CL101 only reports blocking calls that run on an async
 * function's (or a request handler's) turn of the event loop. To compare like with like,
 * the ESLint child re-parses the files that have findings with espree (ESLint's own parser,
 * resolved from ESLint's install), after the timed runs, and classifies each finding by the
 * functions around it.
 */
import { createRequire } from 'node:module';

/** The slice of an ESTree node this walk reads (espree with `range: true`). */
interface EstreeNode {
  type: string;
  range: [number, number];
  async?: boolean;
  callee?: EstreeNode;
}

interface Espree {
  parse(text: string, options: Record<string, unknown>): EstreeNode;
}

interface VisitorKeys {
  KEYS: Record<string, readonly string[] | undefined>;
  getKeys(node: object): readonly string[];
}

/** A place in a file: ESLint's 1-based line and 1-based column (UTF-16 code units). */
export interface Position {
  line: number;
  column: number;
}

export interface Placement {
  asyncScope: 'async' | 'callback' | 'none';
  /** Source text of the callee of the call that starts at the position, whitespace folded. */
  call?: string;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const MAX_CALL_TEXT = 60;

let parserModules: { espree: Espree; keys: VisitorKeys } | undefined;

/** espree and eslint-visitor-keys as ESLint itself loads them (same versions, same grammar). */
function modules(): { espree: Espree; keys: VisitorKeys } {
  if (!parserModules) {
    const fromEslint = createRequire(createRequire(__filename).resolve('eslint'));
    parserModules = { espree: fromEslint('espree') as Espree, keys: fromEslint('eslint-visitor-keys') as VisitorKeys };
  }
  return parserModules;
}

/** Offsets at which each line starts, with ESLint's line breaks (\r\n, \r, \n, U+2028, U+2029). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|[\r\n\u2028\u2029]/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** Every function and call of a tree, in source order. */
function collect(root: EstreeNode, keys: VisitorKeys): { functions: EstreeNode[]; calls: EstreeNode[] } {
  const functions: EstreeNode[] = [];
  const calls: EstreeNode[] = [];
  const stack: EstreeNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (FUNCTION_TYPES.has(node.type)) functions.push(node);
    if (node.type === 'CallExpression') calls.push(node);
    for (const key of keys.KEYS[node.type] ?? keys.getKeys(node)) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? (child as unknown[]) : [child]) {
        if (item && typeof (item as EstreeNode).type === 'string') stack.push(item as EstreeNode);
      }
    }
  }
  return { functions, calls };
}

/**
 * Classifies each position of one file. Throws when espree cannot parse the file
 * (ESLint could, with the same options, so that would be a bug here).
 */
export function placeFindings(text: string, sourceType: 'module' | 'commonjs', positions: Position[]): Placement[] {
  const { espree, keys } = modules();
  const root = espree.parse(text, { ecmaVersion: 'latest', sourceType, range: true });
  const { functions, calls } = collect(root, keys);
  const starts = lineStarts(text);
  return positions.map(({ line, column }) => {
    const offset = starts[line - 1] + column - 1;
    // Functions around the offset, innermost last (a nested function starts later).
    const around = functions.filter((f) => f.range[0] <= offset && offset < f.range[1]).sort((a, b) => a.range[0] - b.range[0]);
    const innermost = around.at(-1);
    const asyncScope = innermost?.async ? 'async' : around.some((f) => f.async) ? 'callback' : 'none';
    return { asyncScope, call: calleeText(text, calls, offset) };
  });
}

/**
 * no-sync reports the callee (`fs.readFileSync`) or the call (`readFileSync(...)`): both
 * start where the call starts. Several calls may start there (`require('fs').existsSync(p)`,
 * `fs.readFileSync(p).toString()`): the innermost whose callee says `Sync` is the one.
 */
function calleeText(text: string, calls: EstreeNode[], offset: number): string | undefined {
  const texts = calls
    .filter((c) => c.range[0] === offset && c.callee)
    .map((c) => text.slice(c.callee!.range[0], c.callee!.range[1]).replace(/\s+/g, ' '));
  const found = texts.filter((t) => /Sync\b/.test(t)).at(-1) ?? texts[0];
  return found && found.length > MAX_CALL_TEXT ? `${found.slice(0, MAX_CALL_TEXT - 1)}…` : found;
}
