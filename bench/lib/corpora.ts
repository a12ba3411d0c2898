/**
 * The two corpora the benchmark measures and the tools that run on each: ours and the
 * parse-only reference on both, each corpus with the peer tool its language's users run.
 */
import { type Corpus, loadCorpus } from './corpus';
import type { ToolName } from './engines';
import { loadJsCorpus } from './js-corpus';

export type CorpusName = 'python' | 'js';
/** In the order they run and are reported. */
export const CORPORA: readonly CorpusName[] = ['python', 'js'];

export interface CorpusOptions {
  quick: boolean;
  limit?: number;
  /** Python only: another python_stdlib.zip-like archive. */
  zip?: string;
}

interface CorpusDefinition {
  title: string;
  /** The tool ours is compared with on this corpus. */
  peer: ToolName;
  tools: readonly ToolName[];
  load(options: CorpusOptions): Corpus;
}

export const CORPUS_DEFINITIONS: Record<CorpusName, CorpusDefinition> = {
  python: {
    title: 'Python corpus',
    peer: 'ruff',
    tools: ['ours', 'ruff', 'parse'],
    load: (options) => loadCorpus({ zipPath: options.zip, quick: options.quick, limit: options.limit }),
  },
  js: {
    title: 'JavaScript corpus',
    peer: 'eslint',
    tools: ['ours', 'eslint', 'parse'],
    load: (options) => loadJsCorpus({ quick: options.quick, limit: options.limit }),
  },
};

/** The tools of `requested` that run on this corpus, in the order requested. */
export function toolsFor(corpus: CorpusName, requested: readonly ToolName[]): ToolName[] {
  return requested.filter((tool) => CORPUS_DEFINITIONS[corpus].tools.includes(tool));
}
