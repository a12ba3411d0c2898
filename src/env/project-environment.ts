/**
 * One project environment from its three sources: the files the project declares, what the
 * selected interpreter can import (when it was probed), and the user's word on free-threading,
 * which wins over the probe (a build the probe cannot run, a GIL forced back on at run time).
 */
import type { ProjectEnvironment } from '../core/environment';
import type { Declared } from './declared';
import { isFreeThreaded, type InterpreterFacts } from './probe';

/** `concurrencyLens.python.freeThreaded` / the CLI's `--free-threaded`: from the probe, or stated. */
export type FreeThreadedSetting = 'auto' | 'on' | 'off';

/** The environment fixes and advice see for a file of this project. */
export function projectEnvironment(declared: Pick<Declared, 'pythonModules' | 'nodePackages'>, facts: InterpreterFacts | undefined, freeThreaded: FreeThreadedSetting): ProjectEnvironment {
  const pythonModules = new Set(declared.pythonModules);
  for (const module of facts?.modules ?? []) pythonModules.add(module);
  return {
    pythonModules,
    nodePackages: new Set(declared.nodePackages),
    freeThreaded: freeThreaded === 'on' || (freeThreaded === 'auto' && facts !== undefined && isFreeThreaded(facts)),
  };
}
