/** Test support: the CLI's JSON contract (version 1) and SARIF, as the tests read them. */

export interface JsonEvidence {
  line: number;
  column: number;
  call: string;
  category: string;
  via: string[];
}

export interface JsonFunction {
  name: string;
  line: number;
  endLine: number;
  kind: string;
  confidence: string;
  async: boolean;
  evidence: JsonEvidence[];
}

export interface JsonDiagnostic {
  code: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  message: string;
  function?: string;
  fixes: unknown[];
}

export interface JsonFile {
  path: string;
  language: string;
  error?: string;
  syntaxErrors?: number;
  functions: JsonFunction[];
  diagnostics: JsonDiagnostic[];
}

export interface JsonReport {
  version: number;
  files: JsonFile[];
}

export interface SarifLog {
  version: string;
  runs: Array<{ results: Array<{ ruleId: string; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }> }>;
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
