/**
 * The fix engine's frame: each language offers fixers per diagnostic code; the engine
 * runs them, re-parses every candidate's result and drops the ones that would leave the
 * file with syntax errors it did not have, and marks one fix per diagnostic preferred.
 * The fixers themselves (languages/<language>/fixes*.ts) are data-like: preconditions
 * and edits.
 */
import type { ProjectEnvironment } from './environment';
import type { FunctionFacts, ModuleFacts } from './facts';
import type { Diagnostic, DiagnosticCode, Fix, SourceFile } from './model';
import type { SyntaxNode } from './parse/tree';
import type { EngineEvidence } from './propagate';
import { applyEdits, type LineMap } from './text';

/** What a fixer sees of the finding it fixes. */
export interface FixContext {
  file: SourceFile;
  lines: LineMap;
  module: ModuleFacts;
  fn: FunctionFacts;
  /** The function's evidence, direct and inherited (call sites in this file). */
  evidence: readonly EngineEvidence[];
  diagnostic: Diagnostic;
  /** What the project can use (Dask, Ray, piscina, a free-threaded Python): some fixes depend on it. */
  environment: ProjectEnvironment;
  /** The file's syntax tree (parsed on first use). */
  tree(): Promise<SyntaxNode>;
}

/** Builds candidate fixes for one diagnostic; returns none when a precondition fails. */
export type Fixer = (context: FixContext) => Fix[] | Promise<Fix[]>;

/** A language's fixers, by diagnostic code. */
export type Fixers = Partial<Record<DiagnosticCode, Fixer>>;

/** Parses a text and counts its syntax errors (the validation of a candidate). */
export type SyntaxCheck = (path: string, text: string) => Promise<number>;

/**
 * Runs a diagnostic's fixer and keeps the fixes whose result parses with no more syntax
 * errors than the original (`check` parses each candidate's text). The first kept fix is the
 * preferred one. A fixer that throws gives no fixes: a broken fixer never costs the analysis.
 */
export async function checkedFixes(fixer: Fixer, context: FixContext, check: SyntaxCheck, originalErrors: number): Promise<Fix[]> {
  let candidates: Fix[];
  try {
    candidates = await fixer(context);
  } catch {
    return [];
  }
  const kept: Fix[] = [];
  for (const fix of candidates) {
    let result: string;
    try {
      result = applyEdits(context.file.text, fix.edits);
    } catch {
      continue; // overlapping edits: a fixer bug, never shown
    }
    if ((await check(context.file.path, result)) > originalErrors) continue;
    let created = true;
    for (const file of fix.createFiles ?? []) if ((await check(file.path, file.text)) > 0) created = false;
    if (created) kept.push({ ...fix, preferred: false });
  }
  if (kept.length > 0) kept[0].preferred = true;
  return kept;
}
