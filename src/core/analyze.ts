/**
 * The engine's entry point: source files in, per-file verdicts and findings out.
 * Parsing and extraction are per file; propagation, verdicts and diagnostics run over
 * every file given, so chains cross files.
 */
import { classify, decisiveEvidence } from './classify';
import { diagnose } from './diagnostics';
import { EMPTY_ENVIRONMENT, type ProjectEnvironment } from './environment';
import type { ExtractionCache } from './extraction-cache';
import type { Tree } from 'web-tree-sitter';
import { countTextSyntaxErrors, freshenTree, parseRetained, type ExtractOptions, type RetainedParse } from './extract-file';
import { cloneCopy, type SyntaxNode } from './parse/tree';
import { checkedFixes, type FixContext } from './fixes';
import { LineMap } from './text';
import type { ModuleFacts } from './facts';
import { allLanguages, supportForPath, type LanguageSupport } from './languages/registry';
import type { ModuleResolver } from './languages/resolver';
import type { Diagnostic, Evidence, FileResult, Fix, FunctionResult, Kind, SourceFile } from './model';
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
  /** Facts of earlier runs to reuse for files whose text has not changed (the editor's runs). */
  cache?: ExtractionCache;
  /** The environment of the project a file belongs to, for fixes that depend on it (default: {@link EMPTY_ENVIRONMENT}). */
  environmentFor?: (path: string) => ProjectEnvironment;
}

/**
 * One run's results, without quick fixes: those are computed on demand by {@link Analysis.fixes},
 * from this run's facts and verdicts (no new analysis). Fixes cost a fixer run and a re-parse per
 * candidate: the editor asks only for the diagnostics the user opens the quick-fix menu on.
 */
export interface Analysis {
  /** In the order the files were given; every diagnostic's `fixes` is empty. */
  files: FileResult[];
  /**
   * The checked fixes of one diagnostic of {@link files} (by identity or by code and position):
   * each candidate's output is parsed and dropped if it has syntax errors the file did not;
   * the first kept fix is the preferred one. Empty when the language has no fixer for it.
   */
  fixes(path: string, diagnostic: Diagnostic): Promise<Fix[]>;
  /**
   * Frees the parses made for fixes (WebAssembly memory), of one file or of all; later fixes
   * still work, parsing whole.
   */
  release(path?: string): void;
  /** Where the run's time went, in milliseconds: the per-file half, and the rest (propagation, verdicts, findings). */
  timings: { extractMs: number; evaluateMs: number };
}

/** Analyzes files together, with every diagnostic's checked fixes; results in the order given. */
export async function analyzeFiles(files: readonly SourceFile[], options: EngineOptions = {}): Promise<FileResult[]> {
  const analysis = await analyzeWithoutFixes(files, options);
  try {
    for (const result of analysis.files) {
      for (const diagnostic of result.diagnostics) diagnostic.fixes = await analysis.fixes(result.path, diagnostic);
      analysis.release(result.path); // one file's tree at a time, however many files
    }
  } finally {
    analysis.release();
  }
  return analysis.files;
}

/** Analyzes files together, leaving the fixes to {@link Analysis.fixes}. */
export async function analyzeWithoutFixes(files: readonly SourceFile[], options: EngineOptions = {}): Promise<Analysis> {
  const started = performance.now();
  const extracted = options.cache ? await options.cache.extract(files, options) : await extractAll(files, options, workerCount(files, options.workers));
  const extractMs = performance.now() - started;
  const results: FileResult[] = [];
  const modules: AnalyzedModule[] = [];
  files.forEach((file, i) => {
    const support = supportForPath(file.path);
    const outcome = extracted[i];
    const result: FileResult = { path: file.path, language: support?.languageOf(file.path) ?? 'python', functions: [], diagnostics: [] };
    results.push(result);
    if ('error' in outcome) result.error = outcome.error;
    else if (support) {
      if (outcome.syntaxErrors > 0) result.syntaxErrors = outcome.syntaxErrors;
      modules.push({ module: outcome, support, result, file });
    }
  });
  const graph = evaluate(modules, options.environmentFor);
  const evaluateMs = performance.now() - started - extractMs;
  const fixers = new Map(modules.map((m) => [m.module.path, new FileFixer(m, graph, options.cache, options.environmentFor)]));
  return {
    files: results,
    fixes: (path, diagnostic) => fixers.get(path)?.fixes(diagnostic) ?? Promise.resolve([]),
    release: (path) => {
      if (path !== undefined) fixers.get(path)?.release();
      else for (const fixer of fixers.values()) fixer.release();
    },
    timings: { extractMs, evaluateMs },
  };
}

/** A file of the run, with what its fixes need. */
interface AnalyzedModule {
  module: ModuleFacts;
  support: LanguageSupport;
  result: FileResult;
  file: SourceFile;
}

/**
 * The fixes of one file's diagnostics. The file's parse is made on the first request (or taken
 * from the cache's kept parse of this text) and shared by the fixers and the candidates' checks,
 * which parse incrementally from it.
 */
class FileFixer {
  /** Made on the first request: most runs of the editor ask for no fix. */
  private lines: LineMap | undefined;
  private root: Promise<SyntaxNode | undefined> | undefined;
  /** Our own parse, when the cache kept none; freed by {@link release}. */
  private own: RetainedParse | undefined;
  private released = false;

  constructor(
    private readonly entry: AnalyzedModule,
    private readonly graph: Map<string, GraphNode>,
    private readonly cache: ExtractionCache | undefined,
    private readonly environmentFor: ((path: string) => ProjectEnvironment) | undefined,
  ) {}

  async fixes(diagnostic: Diagnostic): Promise<Fix[]> {
    const { module, support, result, file } = this.entry;
    const own = result.diagnostics.find((d) => d === diagnostic) ?? result.diagnostics.find((d) => sameFinding(d, diagnostic));
    const fixer = own && support.fixers?.[own.code];
    const node = own && this.graph.get(functionId(module.path, own.functionName));
    if (!own || !fixer || !node) return [];
    const context: FixContext = {
      file,
      lines: (this.lines ??= new LineMap(file.text)),
      module,
      fn: node.facts,
      evidence: node.evidence,
      diagnostic: own,
      environment: this.environmentFor?.(file.path) ?? EMPTY_ENVIRONMENT,
      tree: async () => {
        const root = await this.parse();
        if (!root) throw new Error('unparsable');
        return root;
      },
    };
    return checkedFixes(fixer, context, (path, text) => this.check(path, text), module.syntaxErrors);
  }

  /** Frees our own parse (WebAssembly memory); later checks parse whole. */
  release(): void {
    this.released = true;
    this.own?.tree.delete();
    this.own = undefined;
  }

  /** The file's kept parse, copied now (the cache may free its own while a check awaits). */
  private baseCopy(): { text: string; tree: Tree } | undefined {
    const { path, text } = this.entry.file;
    const base = this.cache?.parseOf(path, text) ?? this.own;
    return base && { text, tree: base.tree.copy() };
  }

  private async check(path: string, text: string): Promise<number> {
    if (path !== this.entry.file.path) return countTextSyntaxErrors(path, text); // a created file
    await this.parse(); // the base to parse from
    await freshenTree(path, () => this.cache?.parseOf(path, this.entry.file.text)); // a spliced parse's tree, parsed once
    const base = this.baseCopy();
    try {
      return await countTextSyntaxErrors(path, text, base);
    } finally {
      base?.tree.delete();
    }
  }

  private parse(): Promise<SyntaxNode | undefined> {
    const { path, text } = this.entry.file;
    this.root ??= (async () => {
      const kept = this.cache?.parseOf(path, text);
      if (kept) return cloneCopy(kept.root); // the cache edits its copy in place on the next edit
      const parse = await parseRetained(path, text);
      if (parse && this.released) parse.tree.delete();
      else this.own = parse;
      return parse?.root;
    })();
    return this.root;
  }
}

/** Same code at the same place (a diagnostic handed back by the editor, not the object itself). */
function sameFinding(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
}

/**
 * Findings that do not hold in a file's environment: on a Python without the GIL a thread pool
 * does run pure-Python work in parallel, so CL201 ("no parallelism under the GIL") would be wrong.
 */
function holdsIn(environment: ProjectEnvironment | undefined): (d: Diagnostic) => boolean {
  return (d) => !(d.code === 'CL201' && environment?.freeThreaded);
}

/** Propagation, verdicts and findings over every extracted module. */
function evaluate(modules: readonly AnalyzedModule[], environmentFor: ((path: string) => ProjectEnvironment) | undefined): Map<string, GraphNode> {
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
    const findings = diagnose(node, kinds.get(node.id)!, entry.support.advice, verdicts, graph);
    entry.result.diagnostics.push(...findings.filter(holdsIn(environmentFor?.(node.module.path))));
  }
  for (const { result } of modules) {
    result.functions.sort((a, b) => a.line - b.line || a.nameSpan.column - b.nameSpan.column);
    result.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  }
  return graph;
}

/** Strips engine-only fields and duplicates (same call reached twice at one call site). */
function publicEvidence(evidence: EngineEvidence[]): Evidence[] {
  const out: Evidence[] = [];
  // Keys only where there can be a duplicate (most functions have one or two pieces of evidence).
  const seen = evidence.length > 1 ? new Set<string>() : undefined;
  for (const e of evidence) {
    if (seen) {
      const key = `${e.span.line}:${e.span.column}|${e.call}|${e.category}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push({ span: e.span, call: e.call, category: e.category, blocking: e.blocking, weight: e.weight, via: e.via, origin: e.origin });
  }
  return out;
}
