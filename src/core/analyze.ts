/**
 * The engine's entry point: source files in, per-file verdicts and findings out.
 * Parsing and extraction are per file; propagation, verdicts and diagnostics run over
 * every file given, so chains cross files.
 */
import { classify, decisiveEvidence } from './classify';
import { diagnose } from './diagnostics';
import { countTextSyntaxErrors, parseText, type ExtractOptions } from './extract-file';
import { attachFixes, type FixContext } from './fixes';
import type { SyntaxNode } from './parse/tree';
import { LineMap } from './text';
import type { ModuleFacts } from './facts';
import { allLanguages, supportForPath, type LanguageSupport } from './languages/registry';
import type { ModuleResolver } from './languages/resolver';
import type { Evidence, FileResult, FunctionResult, Kind, SourceFile } from './model';
import { extractAll, workerCount } from './parallel';
import { buildGraph, markIoDrivers, markMutualRecursion, propagate, type EngineEvidence, type GraphNode } from './propagate';
import { functionId } from './languages/resolver';

export { DEFAULT_MAX_FILE_BYTES } from './extract-file';

/** Options of {@link analyzeFiles}. */
export interface EngineOptions extends ExtractOptions {
  /**
   * Worker threads for parsing: 1 parses in this thread; unset picks by input size
   * (large inputs use up to 4 threads, small ones none).
   */
  workers?: number;
}

/** Analyzes files together: results come back in the order the files were given. */
export async function analyzeFiles(files: readonly SourceFile[], options: EngineOptions = {}): Promise<FileResult[]> {
  const extracted = await extractAll(files, options, workerCount(files, options.workers));
  const results: FileResult[] = [];
  const modules: Array<{ module: ModuleFacts; support: LanguageSupport; result: FileResult }> = [];
  files.forEach((file, i) => {
    const support = supportForPath(file.path);
    const outcome = extracted[i];
    const result: FileResult = { path: file.path, language: support?.languageOf(file.path) ?? 'python', functions: [], diagnostics: [] };
    results.push(result);
    if ('error' in outcome) result.error = outcome.error;
    else if (support) {
      if (outcome.syntaxErrors > 0) result.syntaxErrors = outcome.syntaxErrors;
      modules.push({ module: outcome, support, result });
    }
  });
  const graph = evaluate(modules);
  await fix(modules, files, graph);
  return results;
}

/** Attaches checked quick fixes to every diagnostic whose language has a fixer for it. */
async function fix(modules: Array<{ module: ModuleFacts; support: LanguageSupport; result: FileResult }>, files: readonly SourceFile[], graph: Map<string, GraphNode>): Promise<void> {
  const texts = new Map(files.map((f) => [f.path, f]));
  for (const { module, support, result } of modules) {
    if (!support.fixers || result.diagnostics.length === 0) continue;
    const file = texts.get(module.path);
    if (!file) continue;
    const lines = new LineMap(file.text);
    let tree: Promise<SyntaxNode> | undefined;
    const makeContext = (diagnostic: (typeof result.diagnostics)[number]): FixContext | undefined => {
      const node = graph.get(functionId(module.path, diagnostic.functionName));
      if (!node) return undefined;
      return {
        file,
        lines,
        module,
        fn: node.facts,
        evidence: node.evidence,
        diagnostic,
        tree: () => (tree ??= parseText(file.path, file.text).then((root) => {
          if (!root) throw new Error('unparsable');
          return root;
        })),
      };
    };
    await attachFixes(result.diagnostics, support.fixers, makeContext, countTextSyntaxErrors, module.syntaxErrors);
  }
}

/** Propagation, verdicts and findings over every extracted module. */
function evaluate(modules: Array<{ module: ModuleFacts; support: LanguageSupport; result: FileResult }>): Map<string, GraphNode> {
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
  return graph;
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
