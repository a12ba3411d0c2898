/**
 * A Python edit inside one top-level statement, re-parsed alone. tree-sitter-python's
 * incremental parse re-parses everything after an inserted or removed line (its external
 * scanner's saved state differs for every later statement), so a one-line insert in a
 * 5,000-line module costs nearly a full parse. A top-level statement starts at column 0 with
 * no open bracket, string or indentation: when the old text had no syntax error and the edited
 * statement's new text parses alone without one, the module's parse is the old one with that
 * statement's nodes replaced (the text before and after it is unchanged and parses the same).
 * Anything else, or any doubt, is left to the full incremental path. The previous copy is edited
 * in place (see {@link replaceTopLevel}): nothing of the unchanged statements is copied again.
 */
import type { Edit, Parser } from 'web-tree-sitter';
import { copyTree, replaceTopLevel, type ReusedNode, type SyntaxNode } from './tree';

/** Whether `offset` starts a line of `text`. */
function atLineStart(text: string, offset: number): boolean {
  return offset === 0 || text.charCodeAt(offset - 1) === 10;
}

/** Whether `text` holds only spaces, tabs, newlines and carriage returns from `from` to `to`. */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * Makes `previous.root`, the copy of the text before the edit, the copy of `text` by re-parsing
 * only the top-level statement `edit` lies in, and returns it; undefined when the edit does not
 * qualify (then nothing was changed). `reused` receives the statements kept, each with itself.
 */
export function spliceStatement(parser: Parser, previous: { text: string; root: SyntaxNode }, text: string, edit: Edit, reused: Map<SyntaxNode, ReusedNode>): SyntaxNode | undefined {
  const { root } = previous;
  if (root.type !== 'module' || root.hasError || root.fieldNames) return undefined;
  const top = root.children;
  // The statement whose region (its start to the next statement's start) holds the edit,
  // not its first character: that keeps the statement at column 0.
  let at = -1;
  for (let low = 0, high = top.length - 1; low <= high; ) {
    const mid = (low + high) >> 1;
    if (top[mid].startIndex < edit.startIndex) {
      at = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (at < 0) return undefined;
  const statement = top[at];
  const following = top.at(at + 1);
  const start = statement.startIndex;
  if (!atLineStart(previous.text, start) || root.startIndex > start) return undefined;
  // The next statement stays at column 0 with the line break before it unchanged.
  if (following && (edit.oldEndIndex >= following.startIndex || !atLineStart(previous.text, following.startIndex))) return undefined;
  if (!following && !blank(previous.text, statement.endIndex, previous.text.length)) return undefined;
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const end = following ? following.startIndex + delta : text.length;
  const region = text.slice(start, end);
  const tree = parser.parse(region);
  if (!tree) return undefined;
  let alone: SyntaxNode;
  try {
    if (tree.rootNode.hasError) return undefined;
    alone = copyTree(tree, region);
  } finally {
    tree.delete();
  }
  // Every new statement starts a line with nothing but blank space after the last one: what
  // the module around it would have parsed too.
  const last = alone.children.at(-1);
  if (alone.type !== 'module' || alone.fieldNames || !last || alone.startIndex !== 0) return undefined;
  if (!alone.children.every((child) => atLineStart(region, child.startIndex)) || !blank(region, last.endIndex, region.length)) return undefined;
  replaceTopLevel(root, text, at, alone, start, delta, reused);
  return root;
}
