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

/** What every node of one tree shares. */
interface TreeContext {
  source: string;
  lines: LineIndex;
}

/** One node of the copied tree. */
export class SyntaxNode {
  readonly children: SyntaxNode[] = [];
  /** Field name of each child (undefined where the child has none); allocated on first use. */
  fieldNames: Array<string | undefined> | undefined;
  private named: SyntaxNode[] | undefined;

  constructor(
    private readonly context: TreeContext,
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: SyntaxNode | null,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }

  /** Distance from the root. */
  readonly depth: number;

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

/** Copies a tree-sitter tree into plain objects (the tree itself can be deleted afterwards). */
export function copyTree(tree: Tree, source: string): SyntaxNode {
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
  let nextId = 0;
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
    const node = new SyntaxNode(context, nextId++, types[typeId] ?? cursor.nodeType, isNamed(typeId), missing, cursor.startIndex, cursor.endIndex, parent);
    if (parent) {
      if (fieldId > 0) {
        parent.fieldNames ??= [];
        parent.fieldNames[parent.children.length] = fields[fieldId] ?? undefined;
      }
      parent.children.push(node);
    }
    if (checkMissing && (missing || node.type === 'ERROR')) {
      for (let p: SyntaxNode | null = node; p && !p.hasError; p = p.parent) p.hasError = true;
    }
    return node;
  };
  // `current` is the node the cursor is on; `skipped` counts cursor levels below it
  // that sit on tokens not copied (tokens have no children, so at most one).
  try {
    const root = make(null, cursor.nodeTypeId, 0);
    let current = root;
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
        const parent = onSkipped ? current : current.parent;
        if (cursor.gotoNextSibling()) {
          visit(parent!);
          break;
        }
        if (!cursor.gotoParent()) return root;
        current = parent!;
        onSkipped = false;
      }
    }
  } finally {
    cursor.delete();
  }
}
