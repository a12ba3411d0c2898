/**
 * One file from text to {@link ModuleFacts}: the per-file half of the analysis, run in
 * the calling thread or in worker threads (see parallel.ts).
 */
import type { Parser, Tree } from 'web-tree-sitter';
import type { Catalog } from './catalog';
import type { ModuleFacts } from './facts';
import { supportForPath, type LanguageSupport } from './languages/registry';
import type { AnalyzeOptions, SourceFile } from './model';
import { createParser, type GrammarName } from './parse/loader';
import { textEdit } from './parse/edit';
import { spliceStatement } from './parse/splice';
import { copyTree, type PreviousCopy, type ReusedNode, type SyntaxNode } from './parse/tree';
import type { FactsSession } from './facts-reuse';

/** Files larger than this are reported with an error instead of being parsed. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Options of the per-file half. */
export interface ExtractOptions extends AnalyzeOptions {
  maxFileBytes?: number;
}

/**
 * The per-file options alone, out of options that may carry more (the engine's cache and
 * environment callback, which cannot be sent to a worker thread). Listing every key is enforced:
 * a new option must be added here.
 */
export function extractOptionsOf(options: ExtractOptions): ExtractOptions {
  const own: { [K in keyof Required<ExtractOptions>]: ExtractOptions[K] } = { extraCalls: options.extraCalls, maxFileBytes: options.maxFileBytes };
  return own;
}

/** Facts, or why the file could not be analyzed. */
export type Extracted = ModuleFacts | { error: string };

/**
 * A file's parse, kept: the next version of its text parses incrementally from it (only the
 * edited region is re-parsed), and its fixes read and check against it instead of parsing again.
 */
export interface RetainedParse {
  text: string;
  /** tree-sitter's tree, in WebAssembly memory: its holder deletes it (copies are cheap). */
  tree: Tree;
  /**
   * Set when `tree` is an earlier version's tree with the edits since applied but not re-parsed
   * (the edited statement was parsed alone for the copy): {@link freshenTree} parses it when a
   * reader needs it, off the typing path.
   */
  stale?: boolean;
  /** The plain copy the extractors and fixers read. */
  root: SyntaxNode;
  /** What the extractor kept for the next extraction of this file (facts per top-level statement). */
  memo?: unknown;
}

/** A new tree, and when it was parsed from an earlier one, what changed (for {@link copyTree}). */
interface Parsed {
  tree: Tree;
  changes?: Omit<PreviousCopy, 'root'>;
}

/**
 * Parses `text`, reusing `previous` (a tree of an earlier version of the same file) for what
 * the edit left alone. `previous` is not changed (its copy is edited). A stale tree (edits applied,
 * not re-parsed) still parses correctly from, but its changed ranges do not tell what changed
 * since the previous copy: none are given then.
 */
function parseFrom(parser: Parser, text: string, previous: Pick<RetainedParse, 'text' | 'tree' | 'stale'> | undefined, withChanges = false): Parsed | undefined {
  const edit = previous && textEdit(previous.text, text);
  if (!previous || (!edit && !previous.stale)) return wrap(parser.parse(text));
  const old = previous.tree.copy();
  try {
    if (edit) old.edit(edit);
    const tree = parser.parse(text, old);
    if (!tree || !withChanges || previous.stale || !edit) return wrap(tree);
    return { tree, changes: { edit, changed: old.getChangedRanges(tree) } };
  } finally {
    old.delete();
  }
}

function wrap(tree: Tree | null): Parsed | undefined {
  return tree ? { tree } : undefined;
}

const parsers = new Map<GrammarName, Promise<Parser>>();

function parserFor(grammar: GrammarName): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = createParser(grammar);
    parsers.set(grammar, parser);
  }
  return parser;
}

/** `512 bytes`, `3.1 KB`, `2.4 MB`: enough digits to tell two sizes apart. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Why a file cannot be analyzed, before parsing it. */
function rejection(file: SourceFile, maxBytes: number): string | undefined {
  if (file.text.includes('\u0000')) return 'binary file (contains NUL bytes); not analyzed';
  const bytes = Buffer.byteLength(file.text, 'utf8');
  if (bytes > maxBytes) return `file too large (${formatBytes(bytes)}, the limit is ${formatBytes(maxBytes)}); not analyzed`;
  return undefined;
}

/**
 * Makes a kept parse's tree the parse of its text when it is stale. `current` is asked for the
 * parse after the parser is ready (its holder may have freed it meanwhile).
 */
export async function freshenTree(path: string, current: () => RetainedParse | undefined): Promise<void> {
  const support = supportForPath(path);
  if (!support) return;
  const parser = await parserFor(support.grammarOf(path));
  const parse = current();
  if (!parse?.stale) return;
  const tree = parser.parse(parse.text, parse.tree);
  if (!tree) return;
  parse.tree.delete();
  parse.tree = tree;
  parse.stale = false;
}

/** Parses a text and keeps tree-sitter's tree with the light copy (the caller deletes the tree). */
export async function parseRetained(path: string, text: string): Promise<RetainedParse | undefined> {
  const support = supportForPath(path);
  if (!support) return undefined;
  const parser = await parserFor(support.grammarOf(path));
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return { text, tree, root: copyTree(tree, text) };
  } catch (error) {
    tree.delete();
    throw error;
  }
}

/**
 * Syntax errors of a text in its language, counted in the parser's own tree (no copy:
 * this is how every fix candidate is checked, so it must stay cheap). Error-free texts,
 * the common case, cost one parse and one flag read; with `base` (the parse of the text the
 * candidate edits) the parse is incremental: only the edited region is parsed again.
 */
export async function countTextSyntaxErrors(path: string, text: string, base?: Pick<RetainedParse, 'text' | 'tree'>): Promise<number> {
  const support = supportForPath(path);
  if (!support) return Number.POSITIVE_INFINITY;
  const parser = await parserFor(support.grammarOf(path));
  const tree = parseFrom(parser, text, base)?.tree;
  if (!tree) return Number.POSITIVE_INFINITY;
  try {
    const root = tree.rootNode;
    if (!root.hasError) return 0;
    let count = 0;
    const cursor = tree.walk();
    try {
      // Depth-first over the subtrees that contain errors only.
      for (;;) {
        const node = cursor.currentNode;
        if (node.isError || node.isMissing) count++;
        else if (node.hasError && cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return count;
        }
      }
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

/** Which parts of an earlier extraction of a file an incremental one reuses (besides tree-sitter's tree). */
export interface ReuseSteps {
  tree: boolean;
  facts: boolean;
  /** Python: an edit inside one top-level statement re-parses that statement alone (see parse/splice.ts). */
  splice: boolean;
}

/** Extracts files one after another, with one catalog per language for the batch. */
export class Extractor {
  private readonly catalogs = new Map<LanguageSupport, Catalog>();
  /** Where the last file's time went, in milliseconds (for benchmarks and logs). */
  lastTimings = { parseMs: 0, copyMs: 0, extractMs: 0, spliced: false };

  /**
   * `reuse` turns off the incremental path's steps one by one (benchmarks compare them in one
   * run; the default is everything on): the tree copy's cloned nodes, and the reused facts.
   */
  constructor(
    private readonly options: ExtractOptions,
    private readonly reuse: ReuseSteps = { tree: true, facts: true, splice: true },
  ) {}

  async extract(file: SourceFile): Promise<Extracted> {
    const { extracted, parse } = await this.run(file, undefined, false);
    parse?.tree.delete();
    return extracted;
  }

  /**
   * Extracts a file and keeps its parse (the caller deletes its tree). With `previous`, the
   * parse of an earlier text of the same file, parsing is incremental; `previous` is used up:
   * a Python statement parsed alone edits its copy in place (see parse/splice.ts).
   */
  extractRetaining(file: SourceFile, previous?: RetainedParse): Promise<{ extracted: Extracted; parse?: RetainedParse }> {
    return this.run(file, previous, true);
  }

  private async run(file: SourceFile, previous: RetainedParse | undefined, retain: boolean): Promise<{ extracted: Extracted; parse?: RetainedParse }> {
    const support = supportForPath(file.path);
    if (!support) return { extracted: { error: 'unsupported file type' } };
    let tree: Tree | null = null;
    try {
      const rejected = rejection(file, this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      if (rejected) return { extracted: { error: rejected } };
      let catalog = this.catalogs.get(support);
      if (!catalog) this.catalogs.set(support, (catalog = support.createCatalog(this.options)));
      const grammar = support.grammarOf(file.path);
      const parser = await parserFor(grammar);
      const started = performance.now();
      if (previous && retain && grammar === 'python' && this.reuse.splice) {
        const spliced = this.splice(parser, file, previous, catalog, support);
        if (spliced) return spliced;
      }
      const parsed = parseFrom(parser, file.text, previous, true);
      if (!parsed) return { extracted: { error: 'the parser gave up on this file' } };
      tree = parsed.tree;
      const parsedAt = performance.now();
      const reused = new Map<SyntaxNode, ReusedNode>();
      const root = copyTree(tree, file.text, this.reuse.tree && parsed.changes && previous ? { root: previous.root, ...parsed.changes } : undefined, reused);
      const copiedAt = performance.now();
      if (!retain) {
        tree.delete(); // trees live in WebAssembly memory: free them now, not at GC time
        tree = null;
      }
      // Facts are reused only from the extraction of the tree this one was parsed from.
      const session: FactsSession | undefined = retain && this.reuse.facts ? { previous: previous?.memo !== undefined && parsed.changes ? { memo: previous.memo, reused } : undefined } : undefined;
      const extracted = support.extract(root, file.path, catalog, session);
      this.lastTimings = { parseMs: parsedAt - started, copyMs: copiedAt - parsedAt, extractMs: performance.now() - copiedAt, spliced: false };
      const parse = tree ? { text: file.text, tree, root, memo: session?.memo } : undefined;
      tree = null;
      return parse ? { extracted, parse } : { extracted };
    } catch (error) {
      return { extracted: { error: `could not analyze: ${error instanceof Error ? error.message : String(error)}` } };
    } finally {
      tree?.delete();
    }
  }

  /**
   * The edited file's copy with only the edited top-level statement parsed (see parse/splice.ts),
   * its facts reusing the others'; undefined when the edit does not qualify. The parse kept holds
   * the previous tree with the edit applied, marked stale.
   */
  private splice(parser: Parser, file: SourceFile, previous: RetainedParse, catalog: Catalog, support: LanguageSupport): { extracted: Extracted; parse: RetainedParse } | undefined {
    const started = performance.now();
    const edit = textEdit(previous.text, file.text);
    if (!edit) return undefined;
    const reused = new Map<SyntaxNode, ReusedNode>();
    const root = spliceStatement(parser, previous, file.text, edit, reused);
    if (!root) return undefined;
    const copiedAt = performance.now();
    const tree = previous.tree.copy();
    try {
      tree.edit(edit);
      const editedAt = performance.now();
      const session: FactsSession | undefined = this.reuse.facts ? { previous: previous.memo !== undefined ? { memo: previous.memo, reused } : undefined } : undefined;
      const extracted = support.extract(root, file.path, catalog, session);
      // The statement's own parse is inside the copy's time; the parse's is the old tree's edit.
      this.lastTimings = { parseMs: editedAt - copiedAt, copyMs: copiedAt - started, extractMs: performance.now() - editedAt, spliced: true };
      return { extracted, parse: { text: file.text, tree, root, memo: session?.memo, stale: true } };
    } catch (error) {
      tree.delete();
      throw error;
    }
  }
}
