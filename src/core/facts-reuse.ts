/**
 * Facts kept between two extractions of the same file: after a one-line edit, the top-level
 * definitions the edit did not touch give the facts they gave last time (moved down or up by
 * the lines inserted or removed above them), when everything else they depend on is unchanged.
 * The language extractor decides what "everything else" is; this file holds the shared parts.
 */
import type { FunctionFacts, LocalEvidence, LoopFact } from './facts';
import type { Span } from './model';
import type { ReusedNode, SyntaxNode } from './parse/tree';

/** One extraction's link to the previous one. */
export interface FactsSession {
  /** The previous extraction's memo and which top-level nodes were carried over from its tree. */
  previous?: { memo: unknown; reused: ReadonlyMap<SyntaxNode, ReusedNode> };
  /** Set by the extractor: what the next extraction of this file may reuse. */
  memo?: unknown;
}

/**
 * A copy of facts with every line moved by `rows`: the function's lines and name, and the
 * spans, regions and origins of its evidence, calls and loops. Columns stay: callers only
 * shift facts whose columns did not move. (A new position field in the facts must be shifted
 * here too: the property test in test/unit/incremental-copy.test.ts compares with fresh facts.)
 */
export function shiftFacts(facts: readonly FunctionFacts[], rows: number): FunctionFacts[] {
  if (rows === 0) return facts.slice();
  const span = (s: Span): Span => ({ line: s.line + rows, column: s.column, endLine: s.endLine + rows, endColumn: s.endColumn });
  return facts.map((f) => ({
    ...f,
    line: f.line + rows,
    endLine: f.endLine + rows,
    nameSpan: span(f.nameSpan),
    evidence: f.evidence.map((e) => {
      const moved: LocalEvidence = { ...e, span: span(e.span), origin: { ...e.origin, line: e.origin.line + rows } };
      if (e.region) moved.region = span(e.region);
      return moved;
    }),
    calls: f.calls.map((c) => ({ ...c, span: span(c.span) })),
    loops: f.loops.map((l) => {
      const moved: LoopFact = { ...l, span: span(l.span) };
      if (l.region) moved.region = span(l.region);
      return moved;
    }),
  }));
}
