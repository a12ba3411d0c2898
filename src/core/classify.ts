/**
 * From evidence to a verdict. Language-neutral: it only looks at categories and weights.
 *
 * - Waiting (I/O, or work handed to a pool) makes a function I/O-bound, unless it also
 *   does substantial CPU work (worth 2 or more: heavy native calls, loops that compute,
 *   CPU-bound helpers): then it is mixed. Loops whose bodies wait on the I/O just drive
 *   it (marked `drivesIo` during propagation), so they do not count.
 * - Without I/O, any work that grows with the input (a loop over it, a native call over
 *   it) makes it CPU-bound; weak signals alone give low confidence.
 * - Only waiting on offloaded work: I/O-bound (the caller waits).
 * - Otherwise: neither (glue code: constant work).
 */
import { isIoCategory, isStructural } from './categories';
import type { Confidence, Evidence, Kind } from './model';

export interface Verdict {
  kind: Kind;
  confidence: Confidence;
}

/** Sum over categories of the strongest signal in each; weak signals count once in total. */
export function cpuScore(evidence: readonly Evidence[]): number {
  const strongest = new Map<string, number>();
  for (const e of evidence) strongest.set(e.category, Math.max(strongest.get(e.category) ?? 0, e.weight));
  let score = 0;
  let weak = 0;
  for (const weight of strongest.values()) {
    if (weight >= 2) score += weight;
    else weak = 1;
  }
  return score + weak;
}

/** The verdict for a function's (direct and inherited) evidence. */
export function classify(evidence: ReadonlyArray<Evidence & { drivesIo?: boolean }>): Verdict {
  const io = evidence.filter((e) => isIoCategory(e.category) && e.category !== 'offload');
  const waits = evidence.filter((e) => isIoCategory(e.category));
  const cpu = evidence.filter((e) => !isIoCategory(e.category) && !e.drivesIo);

  if (waits.length > 0) {
    // Strong: a heavy I/O call here or within two helpers (longer chains often pass
    // through branches that rarely run).
    const strongIo = io.some((e) => e.weight >= 3 && e.via.length <= 2);
    // Loops that drive the I/O were marked `drivesIo` during propagation; the rest compute.
    // CPU work more than three helpers away is usually a utility's bookkeeping (path joins).
    const real = cpuScore(cpu.filter((e) => e.via.length <= 3));
    if (real >= 2) return { kind: 'mixed', confidence: strongIo && real >= 3 ? 'high' : 'medium' };
    return { kind: 'io', confidence: strongIo ? 'high' : 'medium' };
  }
  const score = cpuScore(cpu);
  if (score >= 1) {
    const direct = cpu.some((e) => e.via.length === 0 && e.weight >= 2);
    const confidence: Confidence = score >= 4 ? 'high' : score >= 3 || direct ? 'medium' : 'low';
    return { kind: 'cpu', confidence };
  }
  return { kind: 'neither', confidence: evidence.length === 0 ? 'high' : 'medium' };
}

/** Strongest first; then the shortest chain; then source order. */
export function compareEvidence(a: Evidence, b: Evidence): number {
  return b.weight - a.weight || a.via.length - b.via.length || a.span.line - b.span.line || a.span.column - b.span.column;
}

/** The evidence that decided a verdict, strongest first (what hovers and the CLI show first). */
export function decisiveEvidence<E extends Evidence>(kind: Kind, evidence: readonly E[]): E[] {
  const rank = (e: Evidence): number => {
    const io = isIoCategory(e.category);
    if (kind === 'io') return io && e.category !== 'offload' ? 0 : e.category === 'offload' ? 1 : 2;
    if (kind === 'cpu') return io ? 2 : 0;
    if (kind === 'mixed') return io || !isStructural(e.category) ? 0 : 1;
    return 0;
  };
  return evidence.length < 2 ? evidence.slice() : [...evidence].sort((a, b) => rank(a) - rank(b) || compareEvidence(a, b));
}
