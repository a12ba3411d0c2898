/**
 * Loop analysis for Python: which names a loop body carries from one iteration to the
 * next, whether it breaks out early, and which names derive from the loop variable.
 * Iterations are independent when nothing is carried and nothing ends the loop early:
 * then they could run concurrently (a pool's `map`, `asyncio.gather`).
 */
import type { SyntaxNode as Node } from '../../parse/tree';
import { kids } from '../../parse/syntax';
import { LITERAL_COLLECTION, type Scope } from './scope';

const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** The identifiers a subtree reads or binds, without attribute names or keyword names. */
export function identifiersIn(node: Node): string[] {
  const names: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'identifier') {
      names.push(current.text);
      continue;
    }
    if (current.type === 'attribute') {
      const object = current.childForFieldName('object');
      if (object) stack.push(object);
      continue;
    }
    if (current.type === 'keyword_argument') {
      const value = current.childForFieldName('value');
      if (value) stack.push(value);
      continue;
    }
    for (const child of kids(current)) stack.push(child);
  }
  return names;
}

/**
 * `for x in [1, 2, 3]`, `for c in "abc"`, `for i in range(10)`, or a name bound to a
 * literal collection in this function: a fixed, small trip count.
 */
export function isLiteralIterable(node: Node, scope?: Scope): boolean {
  switch (node.type) {
    case 'identifier': {
      const bound = scope?.lookup(node.text);
      return bound?.kind === 'instance' && bound.type.kind === 'catalog' && bound.type.name === LITERAL_COLLECTION;
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'string':
      return true;
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn?.text !== 'range' || !args) return false;
      return args.namedChildren.every((a) => a?.type === 'integer' || (a?.type === 'unary_operator' && a.text.startsWith('-')));
    }
    default:
      return false;
  }
}

/** What a loop body does with its iterations. */
export interface LoopBodyAnalysis {
  independent: boolean;
  dependence?: string;
  /** The loop's targets and every name assigned from them in the body. */
  loopVars: Set<string>;
}

/** Analyzes the body of a `for` loop whose targets are `targets`. */
export function analyzeLoopBody(body: Node, targets: string[]): LoopBodyAnalysis {
  const loopVars = new Set(targets);
  const assignedAnywhere = new Set<string>();
  collectAssigned(body, assignedAnywhere);
  for (const target of targets) assignedAnywhere.delete(target);

  const assignedSoFar = new Set<string>();
  let dependence: string | undefined;
  const note = (reason: string): void => {
    dependence ??= reason;
  };

  const visit = (node: Node): void => {
    if (NESTED_SCOPES.has(node.type) || node.tooDeep) return;
    switch (node.type) {
      case 'break_statement':
        note('`break` ends the loop early');
        return;
      case 'return_statement':
        note('`return` ends the loop early');
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        note('it assigns a shared variable');
        return;
      case 'assignment':
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const augmented = node.type === 'augmented_assignment';
        if (right) visit(right);
        if (left?.type === 'identifier') {
          if (augmented && !assignedSoFar.has(left.text)) note(`\`${left.text}\` is carried from one iteration to the next`);
          if (right && identifiersIn(right).some((n) => loopVars.has(n))) loopVars.add(left.text);
          assignedSoFar.add(left.text);
        } else if (left?.type === 'attribute' && augmented) {
          note(`\`${left.text}\` is updated by every iteration`);
        } else if (left) {
          // Subscripts and attributes: their object is read (results[k] = v is fine).
          if (left.type === 'subscript' || left.type === 'attribute') visit(left);
          else {
            const names = identifiersIn(left);
            const derived = right ? identifiersIn(right).some((n) => loopVars.has(n)) : false;
            for (const name of names) {
              assignedSoFar.add(name);
              if (derived) loopVars.add(name);
            }
          }
        }
        return;
      }
      case 'identifier':
        if (assignedAnywhere.has(node.text) && !assignedSoFar.has(node.text)) {
          note(`\`${node.text}\` is carried from one iteration to the next`);
        }
        return;
      case 'attribute': {
        const object = node.childForFieldName('object');
        if (object) visit(object);
        return;
      }
      case 'keyword_argument': {
        const value = node.childForFieldName('value');
        if (value) visit(value);
        return;
      }
      case 'for_statement': {
        // A nested loop's own targets are fresh each time round.
        const left = node.childForFieldName('left');
        if (left) for (const name of identifiersIn(left)) assignedSoFar.add(name);
        break;
      }
      default:
        break;
    }
    for (const child of kids(node)) visit(child);
  };
  visit(body);
  return { independent: dependence === undefined, dependence, loopVars };
}

function collectAssigned(node: Node, into: Set<string>): void {
  if (NESTED_SCOPES.has(node.type) || node.tooDeep) return;
  if (node.type === 'assignment' || node.type === 'augmented_assignment') {
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') into.add(left.text);
    else if (left && left.type !== 'subscript' && left.type !== 'attribute') for (const name of identifiersIn(left)) into.add(name);
  }
  if (node.type === 'for_statement') {
    const left = node.childForFieldName('left');
    if (left) for (const name of identifiersIn(left)) into.add(name);
  }
  for (const child of kids(node)) collectAssigned(child, into);
}
