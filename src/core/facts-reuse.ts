/**
 * Facts kept between two extractions of the same file: after a one-line edit, the top-level
 * definitions the edit did not touch give the facts they gave last time (moved down or up by
 * the lines inserted or removed above them), when everything else they depend on is unchanged.
 * The language extractor decides what "everything else" is; this file holds the shared parts.
 */
import type { CallFact, FunctionFacts, LocalEvidence, LoopFact } from './facts';
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
 * shift facts whose columns did not move. Evidence, calls and loops are copied field by field
 * (a spread is several times slower, and this runs for every function below a new line): a new
 * field of theirs must be copied here too, and a new position field shifted. The property test
 * in test/unit/incremental-copy.test.ts compares the result with fresh facts on every fixture.
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
      const moved: LocalEvidence = { span: span(e.span), call: e.call, category: e.category, blocking: e.blocking, weight: e.weight, via: e.via, origin: { path: e.origin.path, line: e.origin.line + rows, column: e.origin.column }, awaited: e.awaited };
      if ('drivesIo' in e) moved.drivesIo = e.drivesIo;
      if ('region' in e) moved.region = e.region && span(e.region);
      if ('loop' in e) moved.loop = e.loop;
      return moved;
    }),
    calls: f.calls.map((c) => {
      const moved: CallFact = { span: span(c.span), ref: c.ref, awaited: c.awaited };
      if ('offloaded' in c) moved.offloaded = c.offloaded;
      if ('offloadedBy' in c) moved.offloadedBy = c.offloadedBy;
      if ('loop' in c) moved.loop = c.loop;
      return moved;
    }),
    loops: f.loops.map((l) => {
      const moved: LoopFact = { span: span(l.span), independent: l.independent };
      if ('dependence' in l) moved.dependence = l.dependence;
      if ('fixedCount' in l) moved.fixedCount = l.fixedCount;
      if ('region' in l) moved.region = l.region && span(l.region);
      return moved;
    }),
  }));
}
