/**
 * One file from text to {@link ModuleFacts}: the per-file half of the analysis, run in
 * the calling thread or in worker threads (see parallel.ts).
 */
import type { Parser } from 'web-tree-sitter';
import type { Catalog } from './catalog';
import type { ModuleFacts } from './facts';
import { supportForPath, type LanguageSupport } from './languages/registry';
import type { AnalyzeOptions, SourceFile } from './model';
import { createParser, type GrammarName } from './parse/loader';
import { copyTree, type SyntaxNode } from './parse/tree';

/** Files larger than this are reported with an error instead of being parsed. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Options of the per-file half. */
export interface ExtractOptions extends AnalyzeOptions {
  maxFileBytes?: number;
}

/** Facts, or why the file could not be analyzed. */
export type Extracted = ModuleFacts | { error: string };

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

/** Parses a text with its language's grammar into a light tree (for fixes and their checks). */
export async function parseText(path: string, text: string): Promise<SyntaxNode | undefined> {
  const support = supportForPath(path);
  if (!support) return undefined;
  const parser = await parserFor(support.grammarOf(path));
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return copyTree(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * Syntax errors of a text in its language, counted in the parser's own tree (no copy:
 * this is how every fix candidate is checked, so it must stay cheap). Error-free texts,
 * the common case, cost one parse and one flag read.
 */
export async function countTextSyntaxErrors(path: string, text: string): Promise<number> {
  const support = supportForPath(path);
  if (!support) return Number.POSITIVE_INFINITY;
  const parser = await parserFor(support.grammarOf(path));
  const tree = parser.parse(text);
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

/** Extracts files one after another, with one catalog per language for the batch. */
export class Extractor {
  private readonly catalogs = new Map<LanguageSupport, Catalog>();

  constructor(private readonly options: ExtractOptions) {}

  async extract(file: SourceFile): Promise<Extracted> {
    const support = supportForPath(file.path);
    if (!support) return { error: 'unsupported file type' };
    try {
      const rejected = rejection(file, this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      if (rejected) return { error: rejected };
      let catalog = this.catalogs.get(support);
      if (!catalog) this.catalogs.set(support, (catalog = support.createCatalog(this.options)));
      const parser = await parserFor(support.grammarOf(file.path));
      const tree = parser.parse(file.text);
      if (!tree) return { error: 'the parser gave up on this file' };
      let root;
      try {
        root = copyTree(tree, file.text);
      } finally {
        tree.delete(); // trees live in WebAssembly memory: free them now, not at GC time
      }
      return support.extract(root, file.path, catalog);
    } catch (error) {
      return { error: `could not analyze: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
