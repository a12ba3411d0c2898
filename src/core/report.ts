/**
 * The CLI's JSON contract, version 1 (see the README). Other tools depend on it:
 * fields are only ever added, never renamed or removed, without a new version.
 */
import type { FileResult } from './model';

export interface JsonReport {
  version: 1;
  files: Array<Record<string, unknown>>;
}

/** The contract's JSON for a set of results. */
export function toJsonReport(results: readonly FileResult[]): JsonReport {
  return {
    version: 1,
    files: results.map((file) => ({
      path: file.path,
      language: file.language,
      ...(file.error ? { error: file.error } : {}),
      ...(file.syntaxErrors ? { syntaxErrors: file.syntaxErrors } : {}),
      functions: file.functions.map((fn) => ({
        name: fn.name,
        line: fn.line,
        endLine: fn.endLine,
        kind: fn.kind,
        confidence: fn.confidence,
        async: fn.async,
        evidence: fn.evidence.map((e) => ({
          line: e.span.line,
          column: e.span.column,
          call: e.call,
          category: e.category,
          via: e.via,
          blocking: e.blocking,
          origin: { path: e.origin.path, line: e.origin.line },
        })),
      })),
      diagnostics: file.diagnostics.map((d) => ({
        code: d.code,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        severity: d.severity,
        message: d.message,
        function: d.functionName,
        fixes: d.fixes.map((f) => ({ title: f.title, preferred: f.preferred, edits: f.edits })),
      })),
    })),
  };
}
