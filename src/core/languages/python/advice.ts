/** Python wording for diagnostics: what to use instead, in one sentence. */
import type { Advice } from '../../diagnostics';

export const PYTHON_ADVICE: Advice = {
  asyncFunction: 'async def',
  insteadOfBlocking(category, call) {
    if (call === 'time.sleep') return 'Use `await asyncio.sleep(...)`.';
    switch (category) {
      case 'network':
        return 'Use an async client (aiohttp, httpx.AsyncClient) or `await asyncio.to_thread(...)`.';
      case 'database':
        return 'Use an async driver (asyncpg, aiosqlite, redis.asyncio) or `await asyncio.to_thread(...)`.';
      case 'process':
        return 'Use `asyncio.create_subprocess_exec` or `await asyncio.to_thread(...)`.';
      case 'file':
        return 'Run it with `await asyncio.to_thread(...)` (or aiofiles).';
      default:
        return 'Run it with `await asyncio.to_thread(...)`.';
    }
  },
  cpuInAsync: 'Every other task waits meanwhile: run it in a ProcessPoolExecutor with `loop.run_in_executor` (or `asyncio.to_thread` for native code that releases the GIL).',
  threadPoolCpu(offloadedBy) {
    // joblib picks threads only when asked (`prefer="threads"`, `backend="threading"`): the remedy is to stop asking.
    if (offloadedBy?.startsWith('joblib.')) {
      return 'Under the GIL its threads run Python bytecode one at a time, so this gains nothing: drop `prefer="threads"` / `backend="threading"` (joblib\'s default backend, loky, runs the tasks in processes).';
    }
    return 'Under the GIL threads run Python bytecode one at a time, so this gains nothing: use a ProcessPoolExecutor.';
  },
  cpuLoop:
    'Under the GIL only processes run them in parallel: a ProcessPoolExecutor `map` (Dask or Ray when one machine is not enough; a thread pool on a free-threaded Python).',
  ioLoop: 'A ThreadPoolExecutor `map` (or `asyncio.gather`) could overlap the waits.',
  awaitLoop: 'Start them together with `asyncio.gather` (or a TaskGroup on 3.11+).',
};
