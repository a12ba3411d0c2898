/**
 * JavaScript/TypeScript quick fixes, by diagnostic code. Each fixer checks its
 * preconditions and returns edits (and, for workers, the files to create); the engine
 * (../../fixes.ts) re-parses the results and drops any that would not parse.
 *
 * - CL101 `fs.xxxSync(...)` → `await fs.promises.xxx(...)` (fix-fs.ts);
 *   `execSync` / `execFileSync` / `spawnSync` → promisified `exec` / `execFile`, a `spawn` wrapper (fix-process.ts).
 * - CL302 a `for...of` loop awaiting one call per item → `Promise.all` (fix-promise-all.ts).
 * - CL102 a CPU-heavy project function called on the event loop → a piscina pool when the project
 *   declares piscina (fix-piscina.ts, preferred), and a `worker_threads` worker (fix-worker.ts).
 */
import type { Fixer, Fixers } from '../../fixes';
import { fsSyncToPromises } from './fix-fs';
import { childProcessToAsync } from './fix-process';
import { awaitLoopToPromiseAll } from './fix-promise-all';
import { cpuCallToPiscina } from './fix-piscina';
import { cpuCallToWorker } from './fix-worker';

/** CL101: a blocking file system call or child process in async code. */
const blockingCall: Fixer = async (context) => {
  const fs = await fsSyncToPromises(context);
  return fs.length > 0 ? fs : childProcessToAsync(context);
};

/**
 * CL102: CPU work on the event loop. A pool the project already depends on comes first (the
 * engine prefers the first fix); the plain worker stays on offer, as it needs no library.
 */
const cpuOnEventLoop: Fixer = async (context) => [...(await cpuCallToPiscina(context)), ...(await cpuCallToWorker(context))];

export const JAVASCRIPT_FIXERS: Fixers = {
  CL101: blockingCall,
  CL102: cpuOnEventLoop,
  CL302: awaitLoopToPromiseAll,
};
