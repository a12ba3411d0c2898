/**
 * Test host: runs the integration suite (the same `*.test.cjs` bundles that
 * `@vscode/test-electron` loads through out/test/integration/index.cjs) with mocha inside
 * code-server's extension host, against the real `vscode` API, and writes the results to a file.
 *
 * code-server's extension host inherits code-server's environment, which is how the driver
 * (test/e2e/run-integration.ts) passes the paths: CL_TEST_SUITE (the bundled suite's index.cjs or
 * its folder), CL_TEST_RESULTS (the results file), CL_TEST_GREP (optional). See README.md.
 */
import Mocha from 'mocha';
import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

/** One test's outcome, as written to the results file. */
export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

/** The results file's content. */
export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** Set when the suite could not run at all (no test files, a file that throws on load...). */
  error?: string;
  durationMs: number;
  host: { appName: string; version: string; node: string };
}

function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

/** Written to a temporary name, then renamed: the driver never reads half a file. */
function writeResults(file: string, results: SuiteResults): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${file}.tmp`, file);
}

async function runSuite(suitePath: string, resultsFile: string): Promise<void> {
  const start = performance.now();
  const results: SuiteResults = {
    passed: 0,
    failed: 0,
    pending: 0,
    tests: [],
    durationMs: 0,
    host: { appName: vscode.env.appName, version: vscode.version, node: process.version },
  };
  try {
    const folder = statSync(suitePath).isDirectory() ? suitePath : dirname(suitePath);
    const files = readdirSync(folder)
      .filter((name) => name.endsWith('.test.cjs'))
      .sort();
    if (files.length === 0) throw new Error(`no *.test.cjs files in ${folder}`);

    // The same options as test/integration/index.ts; results are collected from the runner's
    // events rather than printed.
    const grep = process.env.CL_TEST_GREP;
    const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: Mocha.reporters.Base, ...(grep ? { grep } : {}) });
    for (const name of files) mocha.addFile(join(folder, name));

    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
        results.passed++;
        results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      // Also fires for a failing hook (before/after...), which counts as a failure.
      runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
        results.failed++;
        results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) });
      });
      runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
        results.pending++;
        results.tests.push({ title: test.fullTitle(), state: 'pending' });
      });
    });
  } catch (error) {
    results.error = describeError(error).stack ?? describeError(error).message;
  }
  results.durationMs = Math.round(performance.now() - start);
  writeResults(resultsFile, results);
}

export function activate(): void {
  const suitePath = process.env.CL_TEST_SUITE;
  const resultsFile = process.env.CL_TEST_RESULTS;
  if (!suitePath || !resultsFile) return;
  // Not awaited: activation returns at once and the suite runs beside the workbench's startup.
  void runSuite(suitePath, resultsFile);
}

export function deactivate(): void {
  // Nothing to release.
}
