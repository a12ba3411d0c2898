// Worker-thread entry for similarity.findDuplicatesInWorker: computes the near-duplicate title
// pairs off the main thread and posts them back (once; the worker then exits).

import { parentPort, workerData } from 'node:worker_threads';
import { nearDuplicates } from './similarity.mjs';

parentPort.postMessage(nearDuplicates(workerData.titles, workerData.maxDistance));
