/**
 * A benchmark's report: the JSON contract of `concurrency-lens bench` (version 1) and the text
 * for people. Plain data in, plain data or text out.
 */
import type { Confidence, Kind } from '../core';
import { SPREAD_LIMIT, type BenchEnvironment, type BenchLanguage, type BenchResult, type CapturedOutput, type MeasuredVerdict, type StrategyResult } from './runner';
import { distributionCosts } from './costs';
import { gilState } from './gil';
import { agreement } from './static';

/** `concurrency-lens bench --format json`: the contract's fields first, additions after. */
export interface BenchJson {
  version: 1;
  function: string;
  language: BenchLanguage;
  tasks: number;
  workers: number;
  results: StrategyResult[];
  cpuRatio: number;
  verdict: MeasuredVerdict;
  static: Kind;
  // Additions (never renamed or removed within a version):
  file: string;
  line?: number;
  /** CPU time / plain wall time of the sequential run (cpuRatio leaves out waiting for a CPU). */
  wallCpuRatio: number;
  staticConfidence?: Confidence;
  agreement: 'agrees' | 'disagrees' | 'no static verdict';
  inconclusive: boolean;
  spreadLimit: number;
  samples: number;
  async: boolean;
  firstCallSeconds: number;
  environment: BenchEnvironment;
  skipped: Array<{ strategy: string; reason: string }>;
  output: { stdoutBytes: number; stderrBytes: number; truncated: boolean };
}

export interface StaticInfo {
  kind: Kind;
  confidence?: Confidence;
  line?: number;
}

export function toBenchJson(result: BenchResult, info: StaticInfo, output: CapturedOutput): BenchJson {
  return {
    version: 1,
    function: result.function,
    language: result.language,
    tasks: result.tasks,
    workers: result.workers,
    results: result.results,
    cpuRatio: result.cpuRatio,
    verdict: result.verdict,
    static: info.kind,
    file: result.file,
    wallCpuRatio: result.wallCpuRatio,
    ...(info.line !== undefined ? { line: info.line } : {}),
    ...(info.confidence ? { staticConfidence: info.confidence } : {}),
    agreement: agreement(result.verdict, info.kind),
    inconclusive: result.inconclusive,
    spreadLimit: SPREAD_LIMIT,
    samples: result.samples,
    async: result.async,
    firstCallSeconds: result.firstCallSeconds,
    environment: result.environment,
    skipped: result.skipped,
    output: { stdoutBytes: output.stdoutBytes, stderrBytes: output.stderrBytes, truncated: output.truncated },
  };
}

const KIND_WORDS: Record<string, string> = { io: 'I/O-bound', cpu: 'CPU-bound', mixed: 'mixed', neither: 'neither I/O nor CPU' };

/** 1.23 s, 41.2 ms, 512 µs: three significant digits. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0 s';
  if (seconds >= 1) return `${seconds.toPrecision(3)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toPrecision(3)} ms`;
  return `${(seconds * 1e6).toPrecision(3)} µs`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('   ').trimEnd()}`);
}

function describeEnvironment(env: BenchEnvironment, json: BenchJson): string {
  const parts: string[] = [];
  const interpreter = `${env.implementation ?? json.language} ${env.version ?? ''}`.trim();
  parts.push(interpreter);
  const gil = gilState(json.language, env);
  if (gil) parts.push(gil);
  if (env.usableCpus !== undefined) parts.push(`${env.usableCpus} CPU${env.usableCpus === 1 ? '' : 's'}`);
  parts.push(`${json.tasks} tasks`, `${json.workers} workers`);
  if (env.startMethod) parts.push(`start method ${env.startMethod}`);
  parts.push(`${json.samples} samples`);
  return parts.join(' · ');
}

/** The text report: a table of strategies, the measured verdict beside the static one. */
export function formatBenchText(json: BenchJson, output?: CapturedOutput): string {
  const out: string[] = [];
  const where = json.line ? `${json.file}:${json.line}` : json.file;
  out.push(`${json.function} — ${where}${json.async ? ' (async)' : ''}`);
  out.push(describeEnvironment(json.environment, json));
  out.push('');
  const rows = [['strategy', 'wall per batch', '± spread', 'speedup', 'CPU/wall', 'start-up', 'cold', 'how']];
  for (const r of json.results) {
    rows.push([
      r.strategy,
      formatSeconds(r.wallSeconds.median),
      `±${percent(r.spread)}${r.inconclusive ? ' ?' : ''}`,
      `${r.speedup.toFixed(2)}×`,
      r.cpuRatio.toFixed(2),
      r.startupSeconds !== undefined ? formatSeconds(r.startupSeconds) : '',
      r.coldSpeedup !== undefined ? `${r.coldSpeedup.toFixed(2)}×` : '',
      [r.method, r.poolSize !== undefined ? `(${r.poolSize} at once)` : ''].filter(Boolean).join(' '),
    ]);
  }
  out.push(...table(rows, new Set([1, 2, 3, 4, 5, 6])));
  out.push('');
  const staticWords = json.static === 'neither' ? 'no I/O or CPU work found' : `${KIND_WORDS[json.static]}${json.staticConfidence ? ` (${json.staticConfidence} confidence)` : ''}`;
  out.push(`Measured: ${KIND_WORDS[json.verdict]} (CPU/wall ${json.cpuRatio.toFixed(2)} in the sequential run) · static: ${staticWords} — ${json.agreement}`);
  const sequential = json.results[0];
  if (sequential?.cpuWaitSeconds && sequential.cpuWaitSeconds > 0.05 * sequential.wallSeconds.median) {
    out.push(
      `The machine was busy: the sequential run waited ${formatSeconds(sequential.cpuWaitSeconds)} per batch for a CPU; CPU/wall leaves that out (${json.wallCpuRatio.toFixed(2)} with it).`,
    );
  }
  if (json.inconclusive) {
    const noisy = json.results.filter((r) => r.inconclusive).map((r) => r.strategy);
    out.push(`Inconclusive (?): the samples of ${noisy.join(', ')} spread over ${percent(json.spreadLimit)} (max − min over the median); a quieter machine or longer samples give firmer figures.`);
  }
  out.push(...distributionCosts(json.results, json.tasks, formatSeconds));
  for (const s of json.skipped) out.push(`Skipped ${s.strategy}: ${s.reason}`);
  out.push(`A batch is ${json.tasks} calls; speedup is over sequential; start-up (pools started before timing) is not in the timings; cold is the speedup of one batch with its pool's start-up.`);
  if (output && output.stdoutBytes + output.stderrBytes > 0) {
    out.push(`The function printed ${output.stdoutBytes} bytes to stdout and ${output.stderrBytes} to stderr${output.truncated ? ' (only the first part kept)' : ''}.`);
  }
  return out.join('\n');
}
