/**
 * Facts kept between two extractions of the same file: after a one-line edit, the top-level
 * definitions the edit did not touch give the facts they gave last time (moved down or up by
 * the lines inserted or removed above them), when everything else they depend on is unchanged.
 * The language extractor decides what "everything else" is; this file holds the shared parts.
 */
import type { FunctionFacts } from './facts';
import type { ReusedNode, SyntaxNode } from './parse/tree';

/** One extraction's link to the previous one. */
export interface FactsSession {
  /** The previous extraction's memo and which top-level nodes were carried over from its tree. */
  previous?: { memo: unknown; reused: ReadonlyMap<SyntaxNode, ReusedNode> };
  /** Set by the extractor: what the next extraction of this file may reuse. */
  memo?: unknown;
}

/**
 * A copy of facts with every line moved by `rows`: spans, regions, origins and the function's
 * own lines (any object with a numeric `line` or `endLine`). Columns stay: callers only shift
 * facts whose columns did not move.
 */
export function shiftFacts(facts: readonly FunctionFacts[], rows: number): FunctionFacts[] {
  if (rows === 0) return facts.slice();
  return facts.map((f) => shifted(f, rows) as FunctionFacts);
}

function shifted(value: unknown, rows: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shifted(v, rows));
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map || value instanceof Set) throw new Error('facts hold no maps or sets');
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = (key === 'line' || key === 'endLine') && typeof inner === 'number' ? inner + rows : shifted(inner, rows);
  }
  return out;
}
