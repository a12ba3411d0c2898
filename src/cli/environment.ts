/**
 * The CLI's project environments: for each file analyzed, what its project declares (the
 * nearest `pyproject.toml` / `requirements*.txt` and `package.json`, looked up no higher than the
 * current folder when the file is inside it), plus, when `--python` names an interpreter, what
 * that interpreter can import and whether it runs without the GIL. `--free-threaded` states it.
 *
 * Read before the analysis (the engine asks synchronously, per file); problems are warnings on
 * stderr and the run goes on with what could be read.
 */
import { parse, relative, resolve } from 'node:path';
import { EMPTY_ENVIRONMENT, type ProjectEnvironment } from '../core/environment';
import { DeclaredFiles } from '../env/declared';
import { ProbeError, probeInterpreter, type InterpreterFacts } from '../env/probe';
import { projectEnvironment } from '../env/project-environment';

/** How the command line describes the environment. */
export interface EnvironmentOptions {
  /** The interpreter to probe; none: the declared files alone. */
  python?: string;
  /** `--free-threaded`: the user's Python runs without the GIL, whatever the probe says. */
  freeThreaded?: boolean;
  /** The folder the lookup stops at for files inside it. */
  cwd: string;
}

/** Every analyzed file's environment, and the warnings met reading it. */
export interface CliEnvironments {
  environmentFor: (path: string) => ProjectEnvironment;
  warnings: string[];
}

/** The run was cancelled (Ctrl-C) while the interpreter was probed; the probe is killed. */
export class ProbeCancelled extends Error {}

/** The lookup's upper bound for a file: the current folder when the file is in it, else its file system's root. */
function rootFor(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  return rel.startsWith('..') || parse(rel).root !== '' ? parse(absolute).root : cwd;
}

/** Reads the environments of `paths` (as given to the engine). */
export async function readEnvironments(paths: readonly string[], options: EnvironmentOptions): Promise<CliEnvironments> {
  const warnings: string[] = [];
  let facts: InterpreterFacts | undefined;
  if (options.python !== undefined) {
    // Ctrl-C or a CI cancel while the interpreter runs: its process group goes first.
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    try {
      facts = await probeInterpreter(options.python, { cwd: options.cwd, signal: controller.signal });
    } catch (error) {
      if (!(error instanceof ProbeError)) throw error;
      if (controller.signal.aborted) throw new ProbeCancelled(error.message);
      warnings.push(`--python: ${error.message} (using the project files alone)`);
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  }
  const files = new DeclaredFiles();
  const byPath = new Map<string, ProjectEnvironment>();
  const reported = new Set<string>();
  await Promise.all(
    paths.map(async (path) => {
      const declared = await files.forFile(resolve(options.cwd, path), rootFor(path, options.cwd));
      for (const { file, problem } of declared.problems) {
        const warning = `${relative(options.cwd, file) || file}: ${problem}`;
        if (reported.has(warning)) continue;
        reported.add(warning);
        warnings.push(warning);
      }
      byPath.set(path, projectEnvironment(declared, facts, options.freeThreaded ? 'on' : 'auto'));
    }),
  );
  warnings.sort();
  return { environmentFor: (path) => byPath.get(path) ?? EMPTY_ENVIRONMENT, warnings };
}
