/**
 * The measured verdict beside the static one: whether they agree, and when they do not, the
 * usual reasons a measurement of one call with one set of arguments differs from what the code
 * can do. A disagreement is not an error of either side: the analyzer reads every path, the
 * benchmark runs one.
 *
 * Pure: shared by the webview and the Markdown export.
 */
import type { Kind } from '../core/model';

/** What the sequential run's CPU time / wall time says (see src/bench/runner.ts). */
export type Measured = 'io' | 'cpu' | 'mixed';

export interface Agreement {
  /** `undefined` when the analyzer had no verdict to compare with. */
  agrees: boolean | undefined;
  /** One line: "agrees", "disagrees — here is why it may differ", ... */
  headline: string;
  /** Why the two may differ, most likely first; empty when they agree. */
  reasons: string[];
}

const ARGUMENTS_SKIP_IO =
  'The arguments may not reach the I/O: an early return, a cache hit or a branch that skips the call with these values.';
const LOCAL_RESOURCE =
  'A local or cached resource answers almost at once (localhost, a file in the page cache, an in-memory database), so the time goes to preparing requests and processing responses.';
const LIBRARY_CPU = 'The I/O library does real CPU work of its own (TLS, decoding JSON, decompressing), which counts as computing.';
const INPUT_TOO_SMALL = 'The input is too small for the work to show: with these arguments the fixed costs (calls, allocation, waits) outweigh the computing.';
const WORK_ELSEWHERE =
  'The heavy work runs somewhere the function’s CPU time does not count: another process (a server, a subprocess) or a service it waits for.';
const HIDDEN_WAIT = 'The function waits on something the analyzer does not know as I/O: a lock, a queue, an event, a library call missing from the catalog.';
const BUSY_MACHINE = 'A busy machine stretches wall time: other processes competing for the CPUs make computing look partly like waiting.';
const UNKNOWN_CALLS =
  'The analyzer found no I/O or CPU work it knows here (calls into libraries outside its catalog, or work it cannot see through); the measurement is the only verdict. Known calls can be added with the concurrencyLens.extraCalls setting.';

/** Reasons per static verdict, then per measured verdict. */
const REASONS: Record<Exclude<Kind, 'neither'>, Partial<Record<Measured, string[]>>> = {
  io: {
    cpu: [ARGUMENTS_SKIP_IO, LOCAL_RESOURCE, LIBRARY_CPU],
    mixed: [LOCAL_RESOURCE, LIBRARY_CPU, ARGUMENTS_SKIP_IO],
  },
  cpu: {
    io: [INPUT_TOO_SMALL, WORK_ELSEWHERE, HIDDEN_WAIT],
    mixed: [INPUT_TOO_SMALL, BUSY_MACHINE, HIDDEN_WAIT],
  },
  mixed: {
    io: ['With these arguments the computing part is small next to the waiting (small data to process, slow responses).', HIDDEN_WAIT],
    cpu: [
      'With these arguments the waiting part is short or skipped: ' + LOCAL_RESOURCE.charAt(0).toLowerCase() + LOCAL_RESOURCE.slice(1),
      ARGUMENTS_SKIP_IO,
    ],
  },
};

/** The static verdict `kind` next to the measured one. */
export function compareVerdicts(measured: Measured, kind: Kind): Agreement {
  if (kind === 'neither') return { agrees: undefined, headline: 'no static verdict to compare with', reasons: [UNKNOWN_CALLS] };
  if (kind === measured) return { agrees: true, headline: 'agrees', reasons: [] };
  return { agrees: false, headline: 'disagrees — here is why it may differ', reasons: REASONS[kind][measured] ?? [] };
}
