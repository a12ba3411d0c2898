/** JavaScript/TypeScript wording for diagnostics: what to use instead, in one sentence. */
import type { Advice } from '../../diagnostics';

export const JAVASCRIPT_ADVICE: Advice = {
  asyncFunction: 'async function',
  insteadOfBlocking(category, call) {
    if (call.startsWith('fs.') && call.endsWith('Sync')) return `Use \`await fs.promises.${call.slice(3, -4)}(...)\`: it leaves the event loop free.`;
    if (call.startsWith('child_process.') && call.endsWith('Sync')) return 'Use the promisified `execFile`/`spawn` (`util.promisify`) and await it.';
    if (call.startsWith('better-sqlite3')) return 'better-sqlite3 is synchronous: move the queries to a worker thread, or use an async driver.';
    if (call === 'Atomics.wait') return 'Use `Atomics.waitAsync`, or wait in a worker thread.';
    switch (category) {
      case 'network':
        return 'Use the promise API (`fetch`, `http.request`) and await it.';
      case 'process':
        return 'Use the async `child_process` API and await it.';
      default:
        return 'Use the promise-based API and await it, or move the work to a worker thread.';
    }
  },
  cpuInAsync: 'Every other request waits meanwhile: run it in a `worker_threads` worker (or a pool such as piscina) and await the result.',
  threadPoolCpu: () => 'Move it to a worker thread.',
  ioLoop: 'Start the operations with the promise API and `await Promise.all(...)` to overlap the waits.',
  awaitLoop: 'Start them together and `await Promise.all(...)` (or `Promise.allSettled`) instead.',
};
