/**
 * Ruff's blocking-call findings against our CL101, matched by file and line.
 * Ruff points at the start of the call; so does CL101, so the start line is the key.
 */
import type { Finding } from './engines';

/** flake8-async's "blocking call in an async function" family (ASYNC210 ... ASYNC251). */
export const RUFF_BLOCKING_RULE = /^ASYNC2\d\d$/;

/** How many examples of each kind the report keeps. */
const EXAMPLES = 5;

export interface Comparison {
  /** Every Ruff ASYNC finding, by rule (the blocking ones and the others). */
  ruffByRule: Record<string, number>;
  ruffBlocking: number;
  /** Ruff's blocking findings that CL101 also reports. */
  matched: number;
  /** Ruff's blocking findings that CL101 does not report, by rule. */
  missedByRule: Record<string, Finding[]>;
  oursCl101: number;
  /** CL101 findings with no Ruff blocking finding at the same file and line. */
  oursOnly: number;
  /** ... of which the blocking call is reached through project functions. */
  oursOnlyTransitive: number;
  oursOnlyExamples: { transitive: Finding[]; direct: Finding[] };
}

const keyOf = (f: Finding) => `${f.path}:${f.line}`;

/** Up to `count` findings with different `kind`s, so examples show variety, not one chain five times. */
export function distinctExamples(findings: Finding[], kind: (f: Finding) => string, count = EXAMPLES): Finding[] {
  const seen = new Set<string>();
  const picked: Finding[] = [];
  for (const f of findings) {
    if (picked.length === count) break;
    if (seen.has(kind(f))) continue;
    seen.add(kind(f));
    picked.push(f);
  }
  return picked;
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function compareFindings(ruff: Finding[], ours: Finding[]): Comparison {
  const blocking = ruff.filter((f) => RUFF_BLOCKING_RULE.test(f.code));
  const cl101 = ours.filter((f) => f.code === 'CL101');
  const oursLines = new Set(cl101.map(keyOf));
  const ruffLines = new Set(blocking.map(keyOf));

  const missedByRule: Record<string, Finding[]> = {};
  for (const f of blocking) if (!oursLines.has(keyOf(f))) (missedByRule[f.code] ??= []).push(f);
  const missed = Object.values(missedByRule).reduce((n, list) => n + list.length, 0);

  const oursOnly = cl101.filter((f) => !ruffLines.has(keyOf(f)));
  const transitive = oursOnly.filter((f) => (f.via?.length ?? 0) > 0);
  const direct = oursOnly.filter((f) => (f.via?.length ?? 0) === 0);

  return {
    ruffByRule: countBy(ruff, (f) => f.code),
    ruffBlocking: blocking.length,
    matched: blocking.length - missed,
    missedByRule,
    oursCl101: cl101.length,
    oursOnly: oursOnly.length,
    oursOnlyTransitive: transitive.length,
    oursOnlyExamples: {
      // A different first helper each; for direct calls, a different call (the message starts with it).
      transitive: distinctExamples(transitive, (f) => f.via![0]),
      direct: distinctExamples(direct, (f) => f.message.split(' ')[0]),
    },
  };
}
