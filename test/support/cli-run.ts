/** Test support: running the built CLI and reading its JSON report. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { JsonFile, JsonFunction, JsonReport, Run } from './cli-json';

/** The environment without colour overrides, so only the flags decide. */
export function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
}

/** Runs a CLI bundle; never throws on a non-zero exit. A hang is cut at 60 s (signal set). */
export function runCli(cliPath: string, args: readonly string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    env: plainEnv(),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `analyze ... --format json`, expecting the given exit code, and parses stdout. */
export function runAnalyzeJson(cliPath: string, args: readonly string[], cwd: string, expectedStatus = 0): JsonReport {
  const run = runCli(cliPath, ['analyze', ...args, '--format', 'json'], cwd);
  assert.equal(run.signal, null, `the CLI was killed (${run.signal}); stderr: ${run.stderr}`);
  assert.equal(run.status, expectedStatus, `exit code; stderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as JsonReport;
}

/** 1-based number of the first line of `text` containing `needle` at or after line `from`. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`'${needle}' not found after line ${from}`);
}

/** The report's file whose path ends with `suffix` (either slash). */
export function fileEndingWith(report: JsonReport, suffix: string): JsonFile {
  const file = report.files.find((f) => f.path.replace(/\\/g, '/').endsWith(suffix));
  assert.ok(file, `${suffix} is in the report (got ${report.files.map((f) => f.path).join(', ')})`);
  return file;
}

/** The file's function with that qualified name. */
export function functionNamed(file: JsonFile, name: string): JsonFunction {
  const fn = file.functions.find((f) => f.name === name);
  assert.ok(fn, `${name} is in ${file.path} (got ${file.functions.map((f) => f.name).join(', ')})`);
  return fn;
}
