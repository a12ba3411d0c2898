/**
 * The JS corpus's findings comparison as text: how many of eslint-plugin-n's no-sync
 * findings inside async functions ours also reports as CL101, which it misses (grouped by
 * the called expression, the quickest way to see why), and what ours reports beyond them.
 */
import type { NoSyncComparison } from './compare-js';
import type { Finding } from './engines';
import { clip, formatSummary, type Summary, where } from './report';

/** How many missed findings the report lists one by one. */
const MISSED_LISTED = 15;

const percent = (part: number, whole: number) => (whole ? ` (${((100 * part) / whole).toFixed(0)}%)` : '');

function noSyncLines(c: NoSyncComparison): string[] {
  const { async, callback, none } = c.noSyncByScope;
  const lines = [
    `no-sync findings: ${c.noSync} (directly inside async functions ${async}, ` +
      `in non-async callbacks inside async functions ${callback}, elsewhere ${none})`,
    `no-sync findings inside async functions: ${c.inAsync}; also reported by ours as CL101: ${c.matched}${percent(c.matched, c.inAsync)}`,
  ];
  if (c.missed.length) {
    lines.push(`  missed, by call: ${c.missedByCall.map(([call, n]) => `${call} ${n}`).join(', ')}`);
    lines.push(`  missed${c.missed.length > MISSED_LISTED ? ` (first ${MISSED_LISTED} of ${c.missed.length})` : ''}:`);
    for (const f of c.missed.slice(0, MISSED_LISTED)) lines.push(`    ${where(f)} ${f.call ?? f.message}`);
  }
  if (callback) lines.push(`  in callbacks inside async functions, reported by ours anyway: ${c.callbackMatched} of ${callback}`);
  lines.push(
    `Ours CL101: ${c.oursCl101}; at lines without a no-sync finding: ${c.oursOnly} ` +
      `(${c.oursOnlyTransitive} transitive through project functions, ${c.oursOnly - c.oursOnlyTransitive} direct calls no-sync does not flag); ` +
      `at no-sync lines outside async functions (handlers, ...): ${c.oursOnNoSyncOutsideAsync}`,
  );
  const examples = (title: string, list: Finding[]) => {
    if (list.length) lines.push(`  ${title}:`, ...list.map((f) => `    ${where(f)} ${clip(f.message)}`));
  };
  examples('transitive, e.g.', c.oursOnlyExamples.transitive);
  examples('direct, e.g.', c.oursOnlyExamples.direct);
  return lines;
}

/** The JS corpus's report (ESLint with eslint-plugin-n is the peer). */
export function formatJsText(s: Summary<NoSyncComparison>): string {
  return formatSummary(s, 'ESLint', noSyncLines);
}
