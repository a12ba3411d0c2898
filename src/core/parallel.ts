/**
 * The per-file half of the analysis on worker threads. Parsing dominates and is
 * independent per file, so large inputs are split into batches handed to a small pool;
 * propagation, which needs every file, stays on the calling thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Extractor, extractOptionsOf, type Extracted, type ExtractOptions } from './extract-file';
import type { SourceFile } from './model';

/** Below this much text, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 1024 * 1024;
/** In this thread, let other work (the editor's requests) run after this much extraction. */
const YIELD_AFTER_MS = 15;
/** Files per message: small enough to balance the load, large enough to amortize messaging. */
const BATCH_FILES = 24;

/** Where the worker bundle is: next to this bundle, or in `dist/` above it (tests, benchmarks). */
export function workerScript(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    for (const candidate of [join(dir, 'analyze-worker.cjs'), join(dir, 'dist', 'analyze-worker.cjs')]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** How many workers to use for these files (1 means: in the calling thread). */
export function workerCount(files: readonly SourceFile[], requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  const bytes = files.reduce((sum, f) => sum + f.text.length, 0);
  if (bytes < PARALLEL_THRESHOLD_BYTES) return 1;
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Extracts every file, in order, on `workers` threads (falls back to this thread). */
export async function extractAll(files: readonly SourceFile[], options: ExtractOptions, workers: number): Promise<Extracted[]> {
  const script = workers > 1 ? workerScript() : undefined;
  if (!script) {
    const extractor = new Extractor(options);
    const results: Extracted[] = [];
    let slice = performance.now();
    for (const file of files) {
      results.push(await extractor.extract(file));
      // Awaiting a parse does not let anything else run: in the editor's extension host, a
      // hover asked during a long run (the first one of a workspace) would wait for all of it.
      if (performance.now() - slice > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    return results;
  }
  const batches: SourceFile[][] = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) batches.push(files.slice(i, i + BATCH_FILES));
  const results: Extracted[][] = new Array<Extracted[]>(batches.length);
  let next = 0;
  // Only what the workers' extractors read: a cache or a callback in `options` cannot be cloned to them.
  const workerData = extractOptionsOf(options);
  const pool = Array.from({ length: Math.min(workers, batches.length) }, () => new Worker(script, { workerData }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= batches.length) return resolve();
              const id = next++;
              worker.postMessage({ id, files: batches[id] });
            };
            worker.on('message', (message: { id: number; results: Extracted[] }) => {
              results[message.id] = message.results;
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`analysis worker stopped with exit code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results.flat();
}
