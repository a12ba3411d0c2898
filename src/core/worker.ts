/**
 * Worker-thread entry (bundled as dist/analyze-worker.cjs): extracts the batches of
 * files the main thread sends, one message per batch, and answers with their facts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Extractor, type ExtractOptions } from './extract-file';
import type { SourceFile } from './model';

/** A batch from the main thread. */
export interface WorkerRequest {
  id: number;
  files: SourceFile[];
}

const extractor = new Extractor(workerData as ExtractOptions);

parentPort?.on('message', (request: WorkerRequest) => {
  void (async () => {
    const results = [];
    for (const file of request.files) results.push(await extractor.extract(file));
    parentPort?.postMessage({ id: request.id, results });
  })();
});
