/**
 * The tools under measurement, behind one small interface so that the timing harness
 * treats them identically: load, then run over the corpus (timed), then turn the raw
 * output into findings (not timed). Ruff is the peer on the Python corpus, ESLint with
 * eslint-plugin-n (./eslint-engine) the peer on the JS corpus; ours and the parse-only
 * reference run on both.
 */
import { createRequire } from 'node:module';
import type * as RuffWasm from '@astral-sh/ruff-wasm-nodejs';
import { analyzeFiles } from '../../src/core/index';
import { createParser, type GrammarName } from '../../src/core/parse/loader';
import type { FileResult, SourceFile } from '../../src/core/model';
import type { Corpus } from './corpus';
import { eslintEngine } from './eslint-engine';

/** `parse` is a reference row: tree-sitter parsing alone, the floor under our analyzer. */
export type ToolName = 'ours' | 'ruff' | 'eslint' | 'parse';
export const TOOLS: readonly ToolName[] = ['ours', 'ruff', 'eslint', 'parse'];

/** A finding located at a file and a 1-based line (columns in UTF-16 code units). */
export interface Finding {
  path: string;
  line: number;
  column: number;
  /** `CL101`, `ASYNC230`, ... */
  code: string;
  message: string;
  /** Ours only: the blocking call is reached through project functions (`via` them). */
  via?: string[];
  /**
   * ESLint only: where the call sits. `async` when the innermost enclosing function is
   * async; `callback` when that function is not async but one around it is (e.g. a
   * `forEach` callback inside an async function); `none` otherwise.
   */
  asyncScope?: 'async' | 'callback' | 'none';
  /** ESLint only: the source text of the called expression (`fs.readFileSync`). */
  call?: string;
}

/** What a tool found, plus counts worth a line in the report. */
export interface ToolFindings {
  findings: Finding[];
  /** Files the tool failed on or found syntax errors in. */
  problemFiles: number;
  /** Free-form counts (functions analyzed, syntax errors, ...). */
  stats: Record<string, number>;
}

export interface Engine {
  tool: ToolName;
  /** Name and version for the report; known after `init`. */
  label(): string;
  /** Load the engine (module, wasm, grammars) for this corpus. Timed separately from the runs. */
  init(corpus: Corpus): Promise<void>;
  /** The measured work. Returns the tool's raw output, kept alive until the timer stops. */
  run(files: SourceFile[]): Promise<unknown>;
  /** Raw output of `run` over `files` → findings. */
  findings(raw: unknown, files: SourceFile[]): ToolFindings;
}

// ---------------------------------------------------------------------------------------
// Ours: one analyzeFiles call over the whole corpus, since cross-file propagation is part
// of the work a user's workspace costs.

/** Files small enough to cost nothing, but that make the analyzer load its grammars. */
const OURS_PRIMERS: SourceFile[] = [
  { path: '__bench_primer__.py', text: 'import time\n\nasync def f():\n    time.sleep(1)\n' },
  { path: '__bench_primer__.js', text: "const fs = require('fs');\n\nasync function f() {\n  fs.readFileSync('x');\n}\n" },
  { path: '__bench_primer__.mjs', text: "import fs from 'node:fs';\n\nexport async function f() {\n  fs.readFileSync('x');\n}\n" },
];

/** The extension of a path, with the dot (`.py`, `.mjs`). */
export function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(dot) : '';
}

/** The primers for the kinds of file in the corpus (each grammar loads on its first parse). */
function primersFor(corpus: Corpus): SourceFile[] {
  const extensions = new Set(corpus.files.map((f) => extensionOf(f.path)));
  return OURS_PRIMERS.filter((p) => extensions.has(extensionOf(p.path)));
}

export function oursEngine(): Engine {
  return {
    tool: 'ours',
    label: () => 'Concurrency Lens',
    // tree-sitter and the grammars load lazily on the first parse, so force one here.
    init: async (corpus) => {
      await analyzeFiles(primersFor(corpus));
    },
    run: (files) => analyzeFiles(files),
    findings: (raw) => oursFindings(raw as FileResult[]),
  };
}

/** True when the diagnostic's blocking call is inherited from a project function. */
function viaFor(file: FileResult, functionName: string, line: number): string[] {
  const fn = file.functions.find((f) => f.name === functionName);
  const evidence = fn?.evidence.find((e) => e.span.line === line && e.blocking && e.via.length > 0);
  return evidence?.via ?? [];
}

function oursFindings(results: FileResult[]): ToolFindings {
  const findings: Finding[] = [];
  const stats: Record<string, number> = { functions: 0, syntaxErrors: 0, unreadable: 0 };
  let problemFiles = 0;
  for (const file of results) {
    stats.functions += file.functions.length;
    for (const fn of file.functions) stats[`kind:${fn.kind}`] = (stats[`kind:${fn.kind}`] ?? 0) + 1;
    if (file.error || file.syntaxErrors) problemFiles++;
    if (file.error) stats.unreadable++;
    stats.syntaxErrors += file.syntaxErrors ?? 0;
    for (const d of file.diagnostics) {
      stats[`diagnostics:${d.code}`] = (stats[`diagnostics:${d.code}`] ?? 0) + 1;
      if (d.code !== 'CL101') continue;
      findings.push({ path: file.path, line: d.line, column: d.column, code: d.code, message: d.message, via: viaFor(file, d.functionName, d.line) });
    }
  }
  return { findings, problemFiles, stats };
}

// ---------------------------------------------------------------------------------------
// Ruff: its wasm API checks one source text at a time (no paths, no project), so the
// measured work is one `check` per file on a single, reused Workspace.

type RuffModule = typeof RuffWasm;
type RuffDiagnostic = RuffWasm.Diagnostic;

/**
 * Only the flake8-async rules, as Ruff's users would enable them. The corpus is
 * CPython 3.14's library, so parse it as 3.14 (older targets flag new syntax).
 * Not `preview`: with preview on, this build reports rule names instead of codes.
 */
export const RUFF_SETTINGS = { 'target-version': 'py314', lint: { select: ['ASYNC'] } };

export function ruffEngine(): Engine {
  let ruff: RuffModule | undefined;
  let workspace: RuffWasm.Workspace | undefined;
  return {
    tool: 'ruff',
    label: () => `Ruff ${ruff?.Workspace.version() ?? '?'} (ASYNC rules, wasm)`,
    init: () => {
      // Not bundled: the package reads `${__dirname}/ruff_wasm_bg.wasm` and compiles it
      // synchronously when it is required, so it must load from node_modules, and that
      // require is the engine's load time.
      ruff = createRequire(__filename)('@astral-sh/ruff-wasm-nodejs') as RuffModule;
      workspace = new ruff.Workspace(RUFF_SETTINGS, ruff.PositionEncoding.Utf16);
      return Promise.resolve();
    },
    run: (files) => {
      const ws = workspace!;
      return Promise.resolve(files.map((file): RuffDiagnostic[] | Error => {
        try {
          return ws.check(file.text) as RuffDiagnostic[];
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }));
    },
    // Ruff's results do not name their file (annotations say `<filename>`): pair them by index.
    findings: (raw, files) => ruffFindings(raw as (RuffDiagnostic[] | Error)[], files),
  };
}

function ruffFindings(results: (RuffDiagnostic[] | Error)[], files: SourceFile[]): ToolFindings {
  const findings: Finding[] = [];
  const stats: Record<string, number> = { syntaxErrors: 0, failed: 0 };
  let problemFiles = 0;
  results.forEach((diagnostics, i) => {
    const path = files[i].path;
    if (diagnostics instanceof Error) {
      stats.failed++;
      problemFiles++;
      return;
    }
    // Syntax errors come back as diagnostics without a code.
    const syntaxErrors = diagnostics.filter((d) => d.code === null).length;
    stats.syntaxErrors += syntaxErrors;
    if (syntaxErrors > 0) problemFiles++;
    for (const d of diagnostics) {
      if (d.code === null) continue;
      findings.push({ path, line: d.start_location.row, column: d.start_location.column, code: d.code, message: d.message });
    }
  });
  return { findings, problemFiles, stats };
}

// ---------------------------------------------------------------------------------------
// Reference: what parsing every file with tree-sitter costs, with nothing else. Ours can
// not be faster than this, so it shows how much of the gap to the peer tool is the parser.

/** The grammar the analyzer uses for a file, by extension (as the language registry does). */
const GRAMMAR_BY_EXTENSION: Record<string, GrammarName> = {
  '.py': 'python',
  '.pyi': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
};

function grammarFor(path: string): GrammarName {
  const grammar = GRAMMAR_BY_EXTENSION[extensionOf(path)];
  if (!grammar) throw new Error(`no grammar for ${path}`);
  return grammar;
}

export function parseEngine(): Engine {
  type Parser = Awaited<ReturnType<typeof createParser>>;
  const parsers = new Map<GrammarName, Parser>();
  return {
    tool: 'parse',
    label: () => 'tree-sitter parse only (reference)',
    // One parser per grammar the corpus needs, created (and its grammar loaded) up front.
    init: async (corpus) => {
      for (const grammar of new Set(corpus.files.map((f) => grammarFor(f.path)))) parsers.set(grammar, await createParser(grammar));
    },
    run: (files) => {
      let filesWithErrors = 0;
      for (const file of files) {
        const tree = parsers.get(grammarFor(file.path))!.parse(file.text);
        if (tree?.rootNode.hasError) filesWithErrors++;
        // Trees live in wasm memory: an analyzer has to free them too, so this is timed.
        tree?.delete();
      }
      return Promise.resolve(filesWithErrors);
    },
    findings: (raw) => ({ findings: [], problemFiles: raw as number, stats: {} }),
  };
}

const ENGINES: Record<ToolName, () => Engine> = { ours: oursEngine, ruff: ruffEngine, eslint: eslintEngine, parse: parseEngine };

export function engineFor(tool: ToolName): Engine {
  return ENGINES[tool]();
}
