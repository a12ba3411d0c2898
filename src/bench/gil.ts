/**
 * The GIL's state as a run's interpreter reported it (`sys._is_gil_enabled()` and the build's
 * `Py_GIL_DISABLED`), in the words the CLI's text report and the Benchmarks view share. It tells
 * what the threads row can show for pure-Python CPU work: nothing with a GIL, a speedup without.
 * Import-free, so the webview's bundle can take it.
 */
import type { BenchEnvironment } from './runner';

export function gilState(language: string, environment: Partial<BenchEnvironment> | undefined): string | undefined {
  if (language !== 'python' || !environment) return undefined;
  if (environment.freeThreadedBuild) return environment.gilEnabled === false ? 'no GIL (free-threaded build)' : 'GIL enabled (free-threaded build)';
  return 'GIL enabled (standard build)';
}
