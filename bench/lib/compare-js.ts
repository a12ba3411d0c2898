/**
 * eslint-plugin-n's `no-sync` findings against our CL101, matched by file and line.
 *
 * no-sync flags every `...Sync()` call, wherever it is; CL101 flags blocking calls that run
 * inside an async function (or a request handler). So the yardstick is the no-sync findings
 * whose innermost enclosing function is async: ours should report those. The others are
 * counted, not held against ours.
 */
import { countBy, distinctExamples } from './compare';
import type { Finding } from './engines';

export interface NoSyncComparison {
  /** Every no-sync finding, and where it sits. */
  noSync: number;
  noSyncByScope: Record<'async' | 'callback' | 'none', number>;
  /** no-sync findings directly inside an async function ... */
  inAsync: number;
  /** ... that ours also reports as CL101 at the same file and line. */
  matched: number;
  /** ... that ours does not report, in path order. */
  missed: Finding[];
  /** The missed ones by called expression (`fs.existsSync`), most frequent first. */
  missedByCall: [string, number][];
  /** no-sync findings in a non-async callback inside an async function that ours reports anyway. */
  callbackMatched: number;
  oursCl101: number;
  /** CL101 findings at a line with no no-sync finding at all. */
  oursOnly: number;
  /** ... of which the blocking call is reached through project functions. */
  oursOnlyTransitive: number;
  oursOnlyExamples: { transitive: Finding[]; direct: Finding[] };
  /** CL101 findings at a no-sync line outside any async function (request handlers, ...). */
  oursOnNoSyncOutsideAsync: number;
}

const keyOf = (f: Finding) => `${f.path}:${f.line}`;
/** `fs.readFileSync`, `require('fs').existsSync` → the name no-sync matched and what it is called on. */
const callOf = (f: Finding) => f.call ?? f.message;

export function compareNoSync(eslint: Finding[], ours: Finding[]): NoSyncComparison {
  const cl101 = ours.filter((f) => f.code === 'CL101');
  const oursLines = new Set(cl101.map(keyOf));
  const noSyncLines = new Set(eslint.map(keyOf));
  const noSyncOutsideAsyncLines = new Set(eslint.filter((f) => f.asyncScope === 'none').map(keyOf));

  const inAsync = eslint.filter((f) => f.asyncScope === 'async');
  const missed = inAsync.filter((f) => !oursLines.has(keyOf(f)));
  const oursOnly = cl101.filter((f) => !noSyncLines.has(keyOf(f)));
  const transitive = oursOnly.filter((f) => (f.via?.length ?? 0) > 0);
  const direct = oursOnly.filter((f) => (f.via?.length ?? 0) === 0);

  const scopes = countBy(eslint, (f) => f.asyncScope ?? 'none');
  return {
    noSync: eslint.length,
    noSyncByScope: { async: scopes.async ?? 0, callback: scopes.callback ?? 0, none: scopes.none ?? 0 },
    inAsync: inAsync.length,
    matched: inAsync.length - missed.length,
    missed,
    missedByCall: Object.entries(countBy(missed, callOf)).sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)),
    callbackMatched: eslint.filter((f) => f.asyncScope === 'callback' && oursLines.has(keyOf(f))).length,
    oursCl101: cl101.length,
    oursOnly: oursOnly.length,
    oursOnlyTransitive: transitive.length,
    oursOnlyExamples: {
      transitive: distinctExamples(transitive, (f) => f.via![0]),
      direct: distinctExamples(direct, (f) => f.message.split(' ')[0]),
    },
    oursOnNoSyncOutsideAsync: cl101.filter((f) => noSyncOutsideAsyncLines.has(keyOf(f))).length,
  };
}
