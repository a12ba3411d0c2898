/** How verdicts read for people, shared by the CLI's text output and the editor. */
import { isIoCategory } from './categories';
import type { Evidence, FunctionResult, Kind } from './model';

/** The name of each kind. */
export const KIND_NAME: Readonly<Record<Kind, string>> = { io: 'I/O-bound', cpu: 'CPU-bound', mixed: 'Mixed', neither: 'neither' };

/** How many distinct categories a kind label lists. */
const MAX_LABEL_CATEGORIES = 2;

/** The distinct I/O (or CPU) categories of the evidence, in its order (strongest first). */
function distinctCategories(evidence: readonly Evidence[], io: boolean): string[] {
  const seen: string[] = [];
  for (const e of evidence) if (isIoCategory(e.category) === io && !seen.includes(e.category)) seen.push(e.category);
  return seen;
}

/**
 * The verdict as people read it: `I/O-bound · network`, `CPU-bound · nested-loops`,
 * `Mixed · network + hashing`, `neither`. Categories come from the evidence, strongest first.
 */
export function kindLabel(fn: Pick<FunctionResult, 'kind' | 'evidence'>): string {
  if (fn.kind === 'neither') return KIND_NAME.neither;
  const io = distinctCategories(fn.evidence, true);
  const cpu = distinctCategories(fn.evidence, false);
  let categories: string[];
  if (fn.kind === 'io') categories = io.slice(0, MAX_LABEL_CATEGORIES);
  else if (fn.kind === 'cpu') categories = cpu.slice(0, MAX_LABEL_CATEGORIES);
  else categories = [...io.slice(0, 1), ...cpu.slice(0, 1)];
  return categories.length === 0 ? KIND_NAME[fn.kind] : `${KIND_NAME[fn.kind]} · ${categories.join(' + ')}`;
}
