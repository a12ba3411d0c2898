/**
 * Lazy, memoized loading of web-tree-sitter and its grammars. Nothing is loaded
 * until the first parse asks for it, so activating the extension stays cheap.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/** Grammar files, as shipped by @vscode/tree-sitter-wasm. */
export type GrammarName = 'python' | 'javascript' | 'typescript' | 'tsx';

let wasmDirOverride: string | undefined;
let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();

/** Points the loader at a folder holding `tree-sitter.wasm` and the grammars (tests, odd layouts). */
export function setWasmDirectory(dir: string): void {
  wasmDirOverride = dir;
}

/**
 * The bundles live in `dist/` or `out/**`; each build copies the grammars into a
 * `wasm/` folder at or above the bundle. Search upwards from this file.
 */
function wasmDirectory(): string {
  if (wasmDirOverride) return wasmDirOverride;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'wasm');
    if (existsSync(join(candidate, 'tree-sitter.wasm'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`Concurrency Lens: tree-sitter grammars not found near ${__dirname} (run the build)`);
}

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => join(wasmDirectory(), 'tree-sitter.wasm') });
  return runtime;
}

/** The grammar, loaded once. */
export function loadLanguage(name: GrammarName): Promise<Language> {
  let language = languages.get(name);
  if (!language) {
    language = initRuntime().then(() => Language.load(join(wasmDirectory(), `tree-sitter-${name}.wasm`)));
    languages.set(name, language);
  }
  return language;
}

/** A new parser for the grammar. Parsers are cheap; callers may keep one. */
export async function createParser(name: GrammarName): Promise<Parser> {
  const language = await loadLanguage(name);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
