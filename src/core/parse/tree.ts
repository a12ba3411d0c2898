/**
 * A plain-JavaScript copy of a tree-sitter tree, made in one cursor pass.
 *
 * web-tree-sitter's `Node` crosses into WebAssembly on every property read; the
 * extractors read each node many times, so copying the tree once is several times
 * faster overall (measured by `npm run bench:analyze`). The copy offers the subset of
 * the `Node` API the extractors use, with the same names.
 */
import type { Tree } from 'web-tree-sitter';

/** Row and column, 0-based; columns in UTF-16 code units. */
export interface Point {
  row: number;
  column: number;
}

/** Start offsets of the lines of a text, for offset -> (row, column). */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  point(offset: number): Point {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: offset - this.starts[low] };
  }
}

/**
 * Deeper than this, the extractors stop descending: real code nests a few dozen levels,
 * and generated code (a 60,000-term sum) would otherwise exhaust the stack and lose the
 * whole file. The rest of the file is still analyzed.
 */
export const MAX_SYNTAX_DEPTH = 800;

/**
 * Anonymous tokens the extractors look at: `async def` / `async function`, a loop
 * header's `:`, `for await`, `static` / `get` / `set` methods, `export default`,
 * generators' `*`, for-of versus for-in.
 */
const KEPT_TOKENS: ReadonlySet<string | undefined> = new Set(['async', ':', 'await', 'static', 'get', 'set', 'default', '*', 'of', 'in']);

/** What every node of one tree shares (an in-place edit replaces both for all its nodes at once). */
interface TreeContext {
  source: string;
  lines: LineIndex;
}

/**
 * Where a top-level node's subtree lies: its nodes hold offsets and ids relative to it, so an
 * edit above the node moves the whole subtree by changing two numbers (see {@link replaceTopLevel}).
 */
interface Anchor {
  start: number;
  id: number;
}

/** One node of the copied tree. */
export class SyntaxNode {
  readonly children: SyntaxNode[] = [];
  /** Field name of each child (undefined where the child has none); allocated on first use. */
  fieldNames: Array<string | undefined> | undefined;
  private named: SyntaxNode[] | undefined;
  /** The root's own, each top-level node's own, shared by everything below a top-level node. */
  private readonly anchor: Anchor;
  private readonly ownId: number;
  private readonly ownStart: number;
  private ownEnd: number;

  constructor(
    /** @internal The tree's text and line index (tree.ts only). */
    readonly context: TreeContext,
    id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    startIndex: number,
    endIndex: number,
    readonly parent: SyntaxNode | null,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    this.anchor = parent?.parent ? parent.anchor : { start: 0, id: 0 };
    this.ownId = id - this.anchor.id;
    this.ownStart = startIndex - this.anchor.start;
    this.ownEnd = endIndex - this.anchor.start;
  }

  /** Distance from the root. */
  readonly depth: number;

  /** Number in a preorder walk of the copy (the root is 0). */
  get id(): number {
    return this.anchor.id + this.ownId;
  }

  /** Offset of the first character, in UTF-16 code units. */
  get startIndex(): number {
    return this.anchor.start + this.ownStart;
  }

  /** Offset after the last character. */
  get endIndex(): number {
    return this.anchor.start + this.ownEnd;
  }

  /** @internal Moves a top-level node's subtree (tree.ts's in-place edit only). */
  moveBy(offset: number, ids: number): void {
    this.anchor.start += offset;
    this.anchor.id += ids;
  }

  /** @internal A new end for the root (tree.ts's in-place edit only). */
  endAt(end: number): void {
    this.ownEnd = end - this.anchor.start;
  }

  /** True when the extractors should not descend below this node. */
  get tooDeep(): boolean {
    return this.depth > MAX_SYNTAX_DEPTH;
  }

  get text(): string {
    return this.context.source.slice(this.startIndex, this.endIndex);
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  /** True when this node or a descendant is an error or missing node. */
  hasError = false;

  get startPosition(): Point {
    return this.context.lines.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.context.lines.point(this.endIndex);
  }

  get namedChildren(): SyntaxNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  /** @internal Replaces the child at `at` with `nodes` (tree.ts's in-place edit only). */
  replaceChildren(at: number, nodes: readonly SyntaxNode[]): void {
    this.children.splice(at, 1, ...nodes);
    this.named = undefined;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const fields = this.fieldNames;
    if (!fields) return null;
    for (let i = 0; i < fields.length; i++) if (fields[i] === name) return this.children[i];
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const fields = this.fieldNames;
    if (!fields) return [];
    return this.children.filter((_, i) => fields[i] === name);
  }

  /** Descendants (not this node) of the given type, in source order. */
  descendantsOfType(type: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [...this.children].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === type) out.push(node);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    return out;
  }
}

/**
 * The copy of an earlier version of the same file and how the text changed since: subtrees
 * the edit left alone are taken from it (shifted) instead of being read out of WebAssembly again.
 */
export interface PreviousCopy {
  root: SyntaxNode;
  /** The edit from the previous text to this one (offsets in UTF-16 code units). */
  edit: { startIndex: number; oldEndIndex: number; newEndIndex: number };
  /** `getChangedRanges` of the edited previous tree against the new one (offsets in the new text). */
  changed: ReadonlyArray<{ startIndex: number; endIndex: number }>;
}

/** A top-level node of the new copy cloned from the previous one. */
export interface ReusedNode {
  old: SyntaxNode;
  /**
   * Lines the node moved by, when only its lines changed (a line break lies between the edit
   * and the node, or the node precedes the edit); undefined when its columns may have moved too.
   */
  rows: number | undefined;
}

/**
 * Copies a tree-sitter tree into plain objects (the tree itself can be deleted afterwards).
 * With `previous`, each top-level node outside the edit and the changed ranges is cloned from
 * the previous copy (plain JavaScript, no WebAssembly crossings) with its offsets shifted; the
 * result is the copy a full pass would make, node ids included (both number nodes in source order).
 * `reused`, when given, receives each cloned top-level node with the node it was cloned from.
 */
export function copyTree(tree: Tree, source: string, previous?: PreviousCopy, reused?: Map<SyntaxNode, ReusedNode>): SyntaxNode {
  const language = tree.language;
  const types = language.types;
  const fields = language.fields;
  const namedTypes = new Map<number, boolean>();
  const isNamed = (typeId: number): boolean => {
    let named = namedTypes.get(typeId);
    if (named === undefined) namedTypes.set(typeId, (named = language.nodeTypeIsNamed(typeId)));
    return named;
  };
  const checkMissing = tree.rootNode.hasError;
  const context: TreeContext = { source, lines: new LineIndex(source) };
  const cursor = tree.walk();
  const ids = { next: 0 };
  /**
   * Anonymous tokens (punctuation, keywords) are skipped unless a field names them
   * (`operator`) or the extractors look for them (`async`, `:`): fewer nodes, fewer
   * crossings into WebAssembly, less garbage.
   */
  const keep = (typeId: number, parent: SyntaxNode | null): { fieldId: number } | undefined => {
    if (!parent) return { fieldId: 0 };
    const fieldId = cursor.currentFieldId;
    if (fieldId > 0 || isNamed(typeId)) return { fieldId };
    return KEPT_TOKENS.has(types[typeId]) || (checkMissing && cursor.nodeIsMissing) ? { fieldId } : undefined;
  };
  const make = (parent: SyntaxNode | null, typeId: number, fieldId: number): SyntaxNode => {
    const missing = checkMissing && cursor.nodeIsMissing;
    const node = new SyntaxNode(context, ids.next++, types[typeId] ?? cursor.nodeType, isNamed(typeId), missing, cursor.startIndex, cursor.endIndex, parent);
    if (parent) {
      if (fieldId > 0) setFieldName(parent, fields[fieldId] ?? undefined);
      parent.children.push(node);
    }
    if (checkMissing && (missing || node.type === 'ERROR')) markError(node);
    return node;
  };
  /** Copies the subtree under the cursor's node (already made as `top`), leaving the cursor on it. */
  const copyBelow = (top: SyntaxNode): void => {
    // `current` is the node the cursor is on; `onSkipped` is set when the cursor sits one
    // level below it on a token not copied (tokens have no children, so at most one).
    let current = top;
    let onSkipped = false;
    const visit = (parent: SyntaxNode): void => {
      const typeId = cursor.nodeTypeId;
      const kept = keep(typeId, parent);
      if (kept) {
        current = make(parent, typeId, kept.fieldId);
        onSkipped = false;
      } else {
        current = parent;
        onSkipped = true;
      }
    };
    for (;;) {
      if (!onSkipped && cursor.gotoFirstChild()) {
        visit(current);
        continue;
      }
      for (;;) {
        if (!onSkipped && current === top) return;
        const parent = onSkipped ? current : current.parent;
        if (cursor.gotoNextSibling()) {
          visit(parent!);
          break;
        }
        cursor.gotoParent();
        current = parent!;
        onSkipped = false;
      }
    }
  };
  try {
    const root = make(null, cursor.nodeTypeId, 0);
    if (!previous) {
      copyBelow(root);
      return root;
    }
    const reusable = new ReusableChildren(previous);
    if (cursor.gotoFirstChild()) {
      do {
        const typeId = cursor.nodeTypeId;
        const kept = keep(typeId, root);
        if (!kept) continue;
        const found = reusable.find(types[typeId] ?? cursor.nodeType, cursor.startIndex, cursor.endIndex);
        if (found) {
          if (kept.fieldId > 0) setFieldName(root, fields[kept.fieldId] ?? undefined);
          const clone = cloneShifted(found.old, root, context, found.delta, ids);
          if (reused) {
            const linesOnly = found.delta === 0 || source.lastIndexOf('\n', clone.startIndex - 1) >= previous.edit.newEndIndex;
            reused.set(clone, { old: found.old, rows: linesOnly ? clone.startPosition.row - found.old.startPosition.row : undefined });
          }
        } else copyBelow(make(root, typeId, kept.fieldId));
      } while (cursor.gotoNextSibling());
    }
    return root;
  } finally {
    cursor.delete();
  }
}

function setFieldName(parent: SyntaxNode, name: string | undefined): void {
  parent.fieldNames ??= [];
  parent.fieldNames[parent.children.length] = name;
}

function markError(node: SyntaxNode): void {
  for (let p: SyntaxNode | null = node; p && !p.hasError; p = p.parent) p.hasError = true;
}

/** The previous copy's top-level nodes, found by their place in the new text. */
class ReusableChildren {
  private readonly byStart = new Map<number, SyntaxNode>();
  /** How far nodes after the edit moved. */
  private readonly shift: number;

  constructor(private readonly previous: PreviousCopy) {
    for (const child of previous.root.children) this.byStart.set(child.startIndex, child);
    this.shift = previous.edit.newEndIndex - previous.edit.oldEndIndex;
  }

  /**
   * The previous node the new one at [start, end) is, unchanged: wholly before or after the
   * edit (not touching it: a token next to an insertion may have grown), in no changed range,
   * of the same type and extent. Anything else is copied from the tree.
   */
  find(type: string, start: number, end: number): { old: SyntaxNode; delta: number } | undefined {
    const { edit, changed } = this.previous;
    let delta: number;
    if (end < edit.startIndex) delta = 0;
    else if (start > edit.newEndIndex) delta = this.shift;
    else return undefined;
    for (const range of changed) if (start <= range.endIndex && range.startIndex <= end) return undefined;
    const old = this.byStart.get(start - delta);
    return old && old.type === type && old.endIndex === end - delta ? { old, delta } : undefined;
  }
}

/**
 * Edits a copy in place into the copy of `source`: the top-level node at `at` of `root` becomes
 * the top-level nodes of `alone`, a copy of its new text parsed alone (offset 0 at `start` in `source`);
 * the nodes after it move by `delta` (the edit's change in length). Node for node, ids included,
 * the result is the copy a full pass over `source`'s tree makes, when these are its top-level
 * nodes. The nodes after it are moved, not copied (each top-level node's anchor: two numbers),
 * so the cost is the edited statement's: the copy of a 5,000-line module is not made anew for
 * each keystroke. `reused` receives every kept top-level node with itself and the lines it
 * moved by. Whoever holds a reference into the copy sees the new text: copies handed out are
 * {@link cloneCopy clones}.
 */
export function replaceTopLevel(root: SyntaxNode, source: string, at: number, alone: SyntaxNode, start: number, delta: number, reused?: Map<SyntaxNode, ReusedNode>): void {
  const context = root.context;
  const replaced = root.children[at];
  const following = root.children.slice(at + 1);
  const oldRow = following.length > 0 ? context.lines.point(following[0].startIndex).row : 0;
  const ids = { next: replaced.id };
  const clones = alone.children.map((node) => cloneShifted(node, root, context, start, ids, false));
  const idDelta = ids.next - (replaced.id + subtreeSize(replaced));
  context.source = source;
  context.lines = new LineIndex(source);
  const rows = following.length > 0 ? context.lines.point(following[0].startIndex + delta).row - oldRow : 0;
  if (delta !== 0 || idDelta !== 0) for (const node of following) node.moveBy(delta, idDelta);
  root.endAt(following.length > 0 ? root.endIndex + delta : start + alone.endIndex);
  root.replaceChildren(at, clones);
  if (!reused) return;
  for (let i = 0; i < at; i++) reused.set(root.children[i], { old: root.children[i], rows: 0 });
  for (const node of following) reused.set(node, { old: node, rows });
}

/** Nodes in a subtree, its root included. */
function subtreeSize(node: SyntaxNode): number {
  let count = 0;
  const stack = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    count++;
    for (const child of next.children) stack.push(child);
  }
  return count;
}

/** An independent copy of a copy (ids and all): what a reader keeps while the original is edited in place. */
export function cloneCopy(root: SyntaxNode): SyntaxNode {
  const context: TreeContext = { source: root.context.source, lines: root.context.lines };
  const clone = new SyntaxNode(context, root.id, root.type, root.isNamed, root.isMissing, root.startIndex, root.endIndex, null);
  clone.hasError = root.hasError;
  clone.fieldNames = root.fieldNames;
  const ids = { next: root.id + 1 };
  for (const child of root.children) cloneShifted(child, clone, context, 0, ids);
  return clone;
}

/**
 * A copy of `node`'s subtree under `parent`, offsets moved by `shift`, ids in source order;
 * appended to `parent`'s children unless `attach` is false (the caller places it).
 */
function cloneShifted(node: SyntaxNode, parent: SyntaxNode, context: TreeContext, shift: number, ids: { next: number }, attach = true): SyntaxNode {
  let top: SyntaxNode | undefined;
  // Two stacks in step (no pair allocated per node): what to copy, and where the copy goes.
  const from: SyntaxNode[] = [node];
  const into: SyntaxNode[] = [parent];
  while (from.length > 0) {
    const source = from.pop()!;
    const target = into.pop()!;
    const copy = new SyntaxNode(context, ids.next++, source.type, source.isNamed, source.isMissing, source.startIndex + shift, source.endIndex + shift, target);
    copy.hasError = source.hasError;
    copy.fieldNames = source.fieldNames; // complete once a copy is made, never changed: shared
    if (top) target.children.push(copy);
    else top = copy;
    for (let i = source.children.length - 1; i >= 0; i--) {
      from.push(source.children[i]);
      into.push(copy);
    }
  }
  if (attach) parent.children.push(top!);
  if (attach && node.hasError) markError(parent);
  return top!;
}
