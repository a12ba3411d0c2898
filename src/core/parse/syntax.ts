/** Small helpers over tree-sitter nodes shared by the language extractors. */
import type { SyntaxNode as Node } from './tree';
import type { Span } from '../model';

/** The children of a node (the copied tree has no null children: no copy needed). */
export function kids(node: Node): readonly Node[] {
  return node.children;
}

/** The named children of a node. */
export function namedKids(node: Node): readonly Node[] {
  return node.namedChildren;
}

/** 1-based span of a node (tree-sitter columns already count UTF-16 code units in web-tree-sitter). */
export function spanOf(node: Node): Span {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

/** Span from the start of `from` to the end of `to`. */
export function spanBetween(from: Node, to: Node): Span {
  return {
    line: from.startPosition.row + 1,
    column: from.startPosition.column + 1,
    endLine: to.endPosition.row + 1,
    endColumn: to.endPosition.column + 1,
  };
}

/** The first child of the given type, if any. */
export function childOfType(node: Node, type: string): Node | undefined {
  for (let i = 0; i < node.childCount; i++) {
    const child = node.child(i);
    if (child?.type === type) return child;
  }
  return undefined;
}

/** Count of ERROR and MISSING nodes under a node (only walks subtrees that contain errors). */
export function countSyntaxErrors(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      count++;
      continue;
    }
    for (const child of kids(node)) if (child.hasError || child.isMissing) stack.push(child);
  }
  return count;
}
