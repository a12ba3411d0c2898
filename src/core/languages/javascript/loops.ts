/**
 * Loop analysis for JavaScript/TypeScript: names carried from one iteration to the next,
 * early exits, and names derived from the loop variable. Variables declared inside the
 * body (`const`, `let`) are fresh every iteration.
 */
import type { SyntaxNode as Node } from '../../parse/tree';

const NESTED_SCOPES = new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'class_declaration', 'class', 'generator_function', 'generator_function_declaration']);

/** Identifiers a subtree reads or binds, without property names. */
export function identifiersIn(node: Node): string[] {
  const names: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'identifier' || current.type === 'shorthand_property_identifier' || current.type === 'shorthand_property_identifier_pattern') {
      names.push(current.text);
      continue;
    }
    if (current.type === 'member_expression') {
      const object = current.childForFieldName('object');
      if (object) stack.push(object);
      continue;
    }
    if (current.type === 'pair') {
      const value = current.childForFieldName('value');
      if (value) stack.push(value);
      continue;
    }
    for (const child of current.children) stack.push(child);
  }
  return names;
}

export interface LoopBodyAnalysis {
  independent: boolean;
  dependence?: string;
  loopVars: Set<string>;
}

/** Analyzes a loop (or array-callback) body whose per-iteration variables are `targets`. */
export function analyzeLoopBody(body: Node, targets: string[]): LoopBodyAnalysis {
  const loopVars = new Set(targets);
  const declaredInside = new Set<string>();
  let dependence: string | undefined;
  const note = (reason: string): void => {
    dependence ??= reason;
  };
  const assignedSoFar = new Set<string>();
  const assignedAnywhere = new Set<string>();
  collectAssigned(body, assignedAnywhere, declaredInside);
  for (const target of targets) assignedAnywhere.delete(target);

  const visit = (node: Node): void => {
    if (NESTED_SCOPES.has(node.type) || node.tooDeep) return;
    switch (node.type) {
      case 'break_statement':
        note('`break` ends the loop early');
        return;
      case 'return_statement':
        note('`return` ends the loop early');
        return;
      case 'variable_declarator': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (value) visit(value);
        if (name) {
          const derived = value ? identifiersIn(value).some((n) => loopVars.has(n)) : false;
          for (const declared of identifiersIn(name)) {
            assignedSoFar.add(declared);
            if (derived) loopVars.add(declared);
          }
        }
        return;
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (right) visit(right);
        if (left?.type === 'identifier') {
          if (node.type === 'augmented_assignment_expression' && !assignedSoFar.has(left.text) && !declaredInside.has(left.text)) {
            note(`\`${left.text}\` is carried from one iteration to the next`);
          }
          if (right && identifiersIn(right).some((n) => loopVars.has(n))) loopVars.add(left.text);
          assignedSoFar.add(left.text);
        } else if (left?.type === 'member_expression' && node.type === 'augmented_assignment_expression') {
          note(`\`${left.text}\` is updated by every iteration`);
        } else if (left) {
          visit(left);
        }
        return;
      }
      case 'update_expression': {
        const argument = node.childForFieldName('argument');
        if (argument?.type === 'identifier' && !declaredInside.has(argument.text) && !loopVars.has(argument.text)) {
          note(`\`${argument.text}\` is carried from one iteration to the next`);
        }
        return;
      }
      case 'identifier':
        if (assignedAnywhere.has(node.text) && !assignedSoFar.has(node.text) && !declaredInside.has(node.text)) {
          note(`\`${node.text}\` is carried from one iteration to the next`);
        }
        return;
      case 'member_expression': {
        const object = node.childForFieldName('object');
        if (object) visit(object);
        return;
      }
      default:
        break;
    }
    for (const child of node.children) visit(child);
  };
  visit(body);
  return { independent: dependence === undefined, dependence, loopVars };
}

function collectAssigned(node: Node, assigned: Set<string>, declared: Set<string>): void {
  if (NESTED_SCOPES.has(node.type) || node.tooDeep) return;
  if (node.type === 'variable_declarator') {
    const name = node.childForFieldName('name');
    if (name) for (const n of identifiersIn(name)) declared.add(n);
  }
  if (node.type === 'assignment_expression' || node.type === 'augmented_assignment_expression') {
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') assigned.add(left.text);
  }
  for (const child of node.children) collectAssigned(child, assigned, declared);
}
