/**
 * The engine's entry point: source files in, per-file verdicts and findings out.
 * Parsing and extraction are per file; propagation, verdicts and diagnostics run over
 * every file given, so chains cross files.
 */
import type { Parser } from 'web-tree-sitter';
import { classify, decisiveEvidence } from './classify';
import { diagnose } from './diagnostics';
import type { ModuleFacts } from './facts';
import { allLanguages, supportForPath, type LanguageSupport } from './languages/registry';
import type { ModuleResolver } from './languages/resolver';
import type { AnalyzeOptions, Evidence, FileResult, FunctionResult, Kind, SourceFile } from './model';
import { createParser, type GrammarName } from './parse/loader';
import { copyTree } from './parse/tree';
import { buildGraph, markIoDrivers, markMutualRecursion, propagate, type EngineEvidence } from './propagate';

/** Files larger than this are reported with an error instead of being parsed. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

const parsers = new Map<GrammarName, Promise<Parser>>();

function parserFor(grammar: GrammarName): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = createParser(grammar);
    parsers.set(grammar, parser);
  }
  return parser;
}

/** Options of {@link analyzeFiles} beyond the catalog. */
export interface EngineOptions extends AnalyzeOptions {
  maxFileBytes?: number;
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

/** Parses and extracts one file; errors become an `error` result. */
async function extractFile(file: SourceFile, support: LanguageSupport, options: EngineOptions, catalogs: Map<LanguageSupport, ReturnType<LanguageSupport['createCatalog']>>): Promise<ModuleFacts | string> {
  const rejected = rejection(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (rejected) return rejected;
  let catalog = catalogs.get(support);
  if (!catalog) catalogs.set(support, (catalog = support.createCatalog(options)));
  const parser = await parserFor(support.grammarOf(file.path));
  const tree = parser.parse(file.text);
  if (!tree) return 'the parser gave up on this file';
  let root;
  try {
    root = copyTree(tree, file.text);
  } finally {
    tree.delete(); // trees live in WebAssembly memory: free them now, not at GC time
  }
  return support.extract(root, file.path, catalog);
}

/** Analyzes files together: results come back in the order the files were given. */
export async function analyzeFiles(files: readonly SourceFile[], options: EngineOptions = {}): Promise<FileResult[]> {
  const catalogs = new Map<LanguageSupport, ReturnType<LanguageSupport['createCatalog']>>();
  const results: FileResult[] = [];
  const modules: Array<{ module: ModuleFacts; support: LanguageSupport; result: FileResult }> = [];
  for (const file of files) {
    const support = supportForPath(file.path);
    if (!support) {
      results.push({ path: file.path, language: 'python', functions: [], diagnostics: [], error: 'unsupported file type' });
      continue;
    }
    const result: FileResult = { path: file.path, language: support.languageOf(file.path), functions: [], diagnostics: [] };
    results.push(result);
    try {
      const extracted = await extractFile(file, support, options, catalogs);
      if (typeof extracted === 'string') result.error = extracted;
      else {
        if (extracted.syntaxErrors > 0) result.syntaxErrors = extracted.syntaxErrors;
        modules.push({ module: extracted, support, result });
      }
    } catch (error) {
      result.error = `could not analyze: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  evaluate(modules);
  return results;
}

/** Propagation, verdicts and findings over every extracted module. */
function evaluate(modules: Array<{ module: ModuleFacts; support: LanguageSupport; result: FileResult }>): void {
  const resolvers = new Map<LanguageSupport, ModuleResolver>();
  for (const support of allLanguages()) {
    const own = modules.filter((m) => m.support === support).map((m) => m.module);
    if (own.length > 0) resolvers.set(support, support.createResolver(own));
  }
  const supportOf = new Map(modules.map((m) => [m.module, m.support]));
  const graph = buildGraph(
    modules.map((m) => m.module),
    (module) => resolvers.get(supportOf.get(module)!)!,
  );
  markMutualRecursion(graph);
  propagate(graph, 'io');
  markIoDrivers(graph);
  propagate(graph, 'cpu');

  const kinds = new Map<string, Kind>();
  const functionResults = new Map<string, FunctionResult>();
  for (const node of graph.values()) {
    const verdict = classify(node.evidence);
    kinds.set(node.id, verdict.kind);
    functionResults.set(node.id, {
      name: node.facts.name,
      line: node.facts.line,
      endLine: node.facts.endLine,
      nameSpan: node.facts.nameSpan,
      async: node.facts.async,
      kind: verdict.kind,
      confidence: verdict.confidence,
      evidence: publicEvidence(decisiveEvidence(verdict.kind, node.evidence)),
      params: node.facts.params,
    });
  }
  const verdicts = { kind: (id: string) => kinds.get(id) };
  const byModule = new Map(modules.map((m) => [m.module.path, m]));
  for (const node of graph.values()) {
    const entry = byModule.get(node.module.path)!;
    entry.result.functions.push(functionResults.get(node.id)!);
    entry.result.diagnostics.push(...diagnose(node, kinds.get(node.id)!, entry.support.advice, verdicts, graph));
  }
  for (const { result } of modules) {
    result.functions.sort((a, b) => a.line - b.line || a.nameSpan.column - b.nameSpan.column);
    result.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  }
}

/** Strips engine-only fields and duplicates (same call reached twice at one call site). */
function publicEvidence(evidence: EngineEvidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of evidence) {
    const key = `${e.span.line}:${e.span.column}|${e.call}|${e.category}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ span: e.span, call: e.call, category: e.category, blocking: e.blocking, weight: e.weight, via: e.via, origin: e.origin });
  }
  return out;
}
