/**
 * Finding analysis results from a place in the code, without the editor: the function whose
 * name is under the cursor, the project function a call leads to, the function around a line,
 * and the definition behind each step of an evidence chain.
 */
import type { Evidence, FileResult, FunctionResult } from '../core';
import { compareSpanSize, spanContains, type CorePosition } from './spans';

/** A function and the file it is defined in. */
export interface Located {
  file: FileResult;
  fn: FunctionResult;
}

/** The function whose name spans this position. */
export function functionAtName(file: FileResult, position: CorePosition): FunctionResult | undefined {
  return file.functions.find((fn) => spanContains(fn.nameSpan, position));
}

/** The innermost function whose lines include `line` (1-based). */
export function functionAtLine(file: FileResult, line: number): FunctionResult | undefined {
  let best: FunctionResult | undefined;
  for (const fn of file.functions) {
    if (line < fn.line || line > fn.endLine) continue;
    if (!best || fn.endLine - fn.line <= best.endLine - best.line) best = fn;
  }
  return best;
}

/** A function by qualified name in a file. */
export function functionNamed(file: FileResult, name: string): FunctionResult | undefined {
  return file.functions.find((fn) => fn.name === name);
}

function sameOrigin(a: Evidence, b: Evidence): boolean {
  return a.call === b.call && a.origin.path === b.origin.path && a.origin.line === b.origin.line && a.origin.column === b.origin.column;
}

/**
 * The definition of `evidence.via[step]`: a function of that name whose own evidence continues
 * the same chain (same leaf call and origin, the rest of the chain as its `via`). Names alone are
 * ambiguous across files (`main`); the chain is not. The caller's own file is preferred.
 */
export function chainStep(evidence: Evidence, step: number, files: readonly FileResult[], preferred?: FileResult): Located | undefined {
  const name = evidence.via[step];
  const rest = evidence.via.slice(step + 1);
  const ordered = preferred ? [preferred, ...files.filter((f) => f !== preferred)] : files;
  let fallback: Located | undefined;
  for (const file of ordered) {
    for (const fn of file.functions) {
      if (fn.name !== name) continue;
      const continues = fn.evidence.some((e) => sameOrigin(e, evidence) && e.via.length === rest.length && e.via.every((v, i) => v === rest[i]));
      if (continues) return { file, fn };
      fallback ??= { file, fn };
    }
  }
  // The callee may have dropped this evidence as not decisive for its own verdict: a function
  // of that name is still the best answer.
  return fallback;
}

/**
 * The project function called at this position: among the evidence that passes through
 * project functions, the innermost call site around the position leads to `via[0]`.
 */
export function calleeAt(file: FileResult, position: CorePosition, files: readonly FileResult[]): Located | undefined {
  let site: Evidence | undefined;
  for (const fn of file.functions) {
    for (const e of fn.evidence) {
      if (e.via.length === 0 || !spanContains(e.span, position)) continue;
      if (!site || compareSpanSize(e.span, site.span) < 0) site = e;
    }
  }
  return site ? chainStep(site, 0, files, file) : undefined;
}
