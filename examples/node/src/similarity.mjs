// Near-duplicate page titles ("Pricing" vs "Pricing | Example"), a common sign of pages that
// should be merged or redirected. Edit distance over every pair of titles is pure JavaScript
// and quadratic in the number of pages, so callers on the server run it in a worker thread
// (findDuplicatesInWorker, with similarity-worker.mjs) instead of on the event loop.

import { Worker } from 'node:worker_threads';

/** Levenshtein edit distance between two strings (two-row dynamic programming). */
export function levenshtein(a, b) {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Array(b.length + 1);
  let current = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** Pairs of titles whose edit distance is at most `maxDistance` of the longer one's length. */
export function nearDuplicates(titles, maxDistance = 0.2) {
  const normalized = titles.map((title) => title.toLowerCase().replace(/\s+/g, ' ').trim());
  const pairs = [];
  for (let i = 0; i < normalized.length; i++) {
    for (let j = i + 1; j < normalized.length; j++) {
      const longest = Math.max(normalized[i].length, normalized[j].length);
      if (longest === 0) continue;
      const distance = levenshtein(normalized[i], normalized[j]);
      if (distance / longest <= maxDistance) pairs.push({ a: titles[i], b: titles[j], distance });
    }
  }
  return pairs.sort((x, y) => x.distance - y.distance);
}

/** nearDuplicates in a worker thread, so a large site does not stall the server. */
export function findDuplicatesInWorker(titles, maxDistance = 0.2) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./similarity-worker.mjs', import.meta.url), {
      workerData: { titles, maxDistance },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`similarity worker stopped with exit code ${code}`));
    });
  });
}
