/**
 * The timing harness that runs inside each child process: one tool per process, so
 * that its peak memory (maxRSS) is its own and neither tool warms the other's caches.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Corpus } from './corpus';
import type { SourceFile } from '../../src/core/model';
import type { Engine, ToolFindings, ToolName } from './engines';

/** What a child sends back to the parent (as JSON). */
export interface Measurement {
  tool: ToolName;
  label: string;
  source: string;
  fingerprint: string;
  files: number;
  bytes: number;
  /** Loading the engine (module, wasm, grammars), before any corpus work. */
  initMs: number;
  /** The first pass over the corpus: what a one-shot CLI run pays after loading. */
  firstPassMs: number;
  /** Untimed passes (the first included) before the timed repeats. */
  warmupPasses: number;
  runsMs: number[];
  medianMs: number;
  /** RSS with the corpus decoded in memory but no engine loaded: both tools pay this. */
  baseRssMB: number;
  /** process.resourceUsage().maxRSS of the whole child. */
  peakRssMB: number;
  /**
   * The machine's 1-minute load average when the timed runs end, and its CPU count: a load
   * well above what the tool itself puts on (one or two threads) means other processes
   * competed for the CPUs, and the figures are noisy.
   */
  loadAverage: number;
  cpus: number;
  result: ToolFindings;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Collect garbage between passes so that one pass's garbage is not charged to the next. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function progress(tool: ToolName, text: string): void {
  process.stderr.write(`[${tool}] ${text}\n`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/**
 * Untimed passes until `minSeconds` have gone by (at least one pass). One pass is not
 * enough: V8 compiles WebAssembly lazily and tiers hot functions up in the background,
 * and for Ruff's 10 MB module that takes seconds of running (a first pass over the
 * stdlib takes ~2 s, later ones drift down from ~0.5 s to ~0.3 s; on a 60-file subset
 * passes keep getting faster for ~2 s). The same rule applies to both tools
 * (ours runs tree-sitter's wasm and JIT-compiled JavaScript).
 */
async function warmUp(engine: Engine, files: SourceFile[], minSeconds: number) {
  const first = await timed(() => engine.run(files));
  // The first pass also yields the findings, so turning output into findings is never timed.
  const result = engine.findings(first.value, files);
  let passes = 1;
  let elapsedMs = first.ms;
  progress(engine.tool, `first pass ${(first.ms / 1000).toFixed(2)} s, ${result.findings.length} findings`);
  while (elapsedMs < minSeconds * 1000) {
    collectGarbage();
    elapsedMs += (await timed(() => engine.run(files))).ms;
    passes++;
  }
  progress(engine.tool, `warmed up: ${passes} passes, ${(elapsedMs / 1000).toFixed(2)} s`);
  return { firstPassMs: first.ms, passes, result };
}

export interface MeasureOptions {
  repeats: number;
  warmupSeconds: number;
}

export async function measure(engine: Engine, corpus: Corpus, options: MeasureOptions): Promise<Measurement> {
  const { files } = corpus;
  collectGarbage();
  const baseRssMB = process.memoryUsage().rss / 2 ** 20;

  const init = await timed(() => engine.init(corpus));
  progress(engine.tool, `loaded in ${init.ms.toFixed(0)} ms`);

  const warmup = await warmUp(engine, files, options.warmupSeconds);

  const { repeats } = options;
  const runsMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    collectGarbage();
    // The raw output stays referenced until the clock stops: building it is part of the work.
    const run = await timed(() => engine.run(files));
    runsMs.push(run.ms);
    progress(engine.tool, `run ${i + 1}/${repeats} ${(run.ms / 1000).toFixed(2)} s`);
  }

  return {
    tool: engine.tool,
    label: engine.label(),
    source: corpus.source,
    fingerprint: corpus.fingerprint,
    files: files.length,
    bytes: corpus.bytes,
    initMs: init.ms,
    firstPassMs: warmup.firstPassMs,
    warmupPasses: warmup.passes,
    runsMs,
    medianMs: median(runsMs),
    baseRssMB,
    // maxRSS is in kilobytes.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    loadAverage: loadavg()[0],
    cpus: availableParallelism(),
    result: warmup.result,
  };
}
