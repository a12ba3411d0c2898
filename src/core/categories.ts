/** Facts about evidence categories, shared by every language. */
import type { Category, CpuCategory, IoCategory } from './model';

const IO: ReadonlySet<string> = new Set<IoCategory>(['network', 'file', 'database', 'process', 'wait', 'offload']);

/**
 * CPU categories that describe the shape of the code (loops, recursion) rather than a
 * known heavy call. Next to real I/O they usually just drive it, so they do not make a
 * function "mixed" on their own.
 */
const STRUCTURAL: ReadonlySet<string> = new Set<CpuCategory>(['loops', 'nested-loops', 'comprehension', 'recursion', 'sorting']);

/**
 * CPU categories of work done by the interpreter itself: under the GIL, threads do not
 * speed these up (native hashing, compression and numeric work often release it).
 */
const INTERPRETED: ReadonlySet<string> = new Set<CpuCategory>([
  'loops',
  'nested-loops',
  'comprehension',
  'recursion',
  'arithmetic',
  'string-building',
  'sorting',
]);

/** True for categories that make a function wait. */
export function isIoCategory(category: Category): category is IoCategory {
  return IO.has(category);
}

/** True for CPU categories that only describe code shape. */
export function isStructural(category: Category): boolean {
  return STRUCTURAL.has(category);
}

/** True for CPU work that runs as interpreter bytecode (no parallel speed-up from threads under the GIL). */
export function isInterpreted(category: Category): boolean {
  return INTERPRETED.has(category);
}
