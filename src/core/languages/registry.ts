/**
 * The languages the engine knows. Adding a language is adding a folder under
 * languages/ and one entry here: the engine itself never branches on the language.
 */
import type { SyntaxNode } from '../parse/tree';
import { Catalog } from '../catalog';
import type { ModuleFacts } from '../facts';
import type { AnalyzeOptions, LanguageId } from '../model';
import type { GrammarName } from '../parse/loader';
import { PYTHON_CATALOG } from './python/catalog';
import { extractPython } from './python/extract';
import type { FactsSession } from '../facts-reuse';
import { PythonModuleResolver } from './python/resolve';
import { JAVASCRIPT_ADVICE } from './javascript/advice';
import { JAVASCRIPT_CATALOG } from './javascript/catalog';
import { extractJavaScript } from './javascript/extract';
import { JavaScriptModuleResolver } from './javascript/resolve';
import { JAVASCRIPT_FIXERS } from './javascript/fixes';
import type { ModuleResolver } from './resolver';
import type { Advice } from '../diagnostics';
import type { Fixers } from '../fixes';
import { PYTHON_ADVICE } from './python/advice';
import { PYTHON_FIXERS } from './python/fixes';

/** Everything the engine needs to know about one language family. */
export interface LanguageSupport {
  /** The key of this family's catalog extensions in {@link AnalyzeOptions.extraCalls}. */
  readonly family: 'python' | 'javascript';
  readonly extensions: readonly string[];
  languageOf(path: string): LanguageId;
  grammarOf(path: string): GrammarName;
  createCatalog(options: AnalyzeOptions): Catalog;
  /** With a session, the extractor may reuse the previous extraction's facts (see facts-reuse.ts). */
  extract(root: SyntaxNode, path: string, catalog: Catalog, session?: FactsSession): ModuleFacts;
  createResolver(modules: readonly ModuleFacts[]): ModuleResolver;
  /** Wording of diagnostics. */
  readonly advice: Advice;
  /** Quick fixes, by diagnostic code. */
  readonly fixers?: Fixers;
}

const python: LanguageSupport = {
  family: 'python',
  extensions: ['.py', '.pyi'],
  languageOf: () => 'python',
  grammarOf: () => 'python',
  createCatalog: (options) => new Catalog(PYTHON_CATALOG, options.extraCalls?.python),
  extract: extractPython,
  createResolver: (modules) => new PythonModuleResolver(modules),
  advice: PYTHON_ADVICE,
  fixers: PYTHON_FIXERS,
};

const javascript: LanguageSupport = {
  family: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts'],
  languageOf: (path) => (/\.(ts|tsx|mts|cts)$/i.test(path) ? 'typescript' : 'javascript'),
  // The TypeScript grammar reads plain JavaScript too, but JSX needs the TSX grammar,
  // and .js files may contain JSX.
  grammarOf: (path) => (/\.(tsx|jsx)$/i.test(path) ? 'tsx' : /\.(ts|mts|cts)$/i.test(path) ? 'typescript' : 'javascript'),
  createCatalog: (options) => new Catalog(JAVASCRIPT_CATALOG, options.extraCalls?.javascript),
  extract: extractJavaScript,
  createResolver: (modules) => new JavaScriptModuleResolver(modules),
  advice: JAVASCRIPT_ADVICE,
  fixers: JAVASCRIPT_FIXERS,
};

const LANGUAGES: LanguageSupport[] = [python, javascript];

/** File extensions the analyzer reads, with the dot. */
export const SOURCE_EXTENSIONS: readonly string[] = LANGUAGES.flatMap((l) => l.extensions);

function extensionOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return dot > slash ? path.slice(dot).toLowerCase() : '';
}

/** The language support for a path, by extension. */
export function supportForPath(path: string): LanguageSupport | undefined {
  const extension = extensionOf(path);
  return LANGUAGES.find((l) => l.extensions.includes(extension));
}

/** The language of a path, or undefined when the analyzer does not read such files. */
export function languageForPath(path: string): LanguageId | undefined {
  return supportForPath(path)?.languageOf(path);
}

/** Every language family, for the engine's per-family passes. */
export function allLanguages(): readonly LanguageSupport[] {
  return LANGUAGES;
}
