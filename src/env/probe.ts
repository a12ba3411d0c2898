/**
 * What the selected Python interpreter offers: which of the libraries the fixes care about it can
 * import, whether it runs without the GIL, its version. Asked by running the interpreter once
 * with `-I -c SCRIPT` (isolated: no `PYTHON*` variables, no current folder on `sys.path`, so
 * the workspace's own files cannot shadow the answer). The script only looks modules up
 * (`importlib.util.find_spec`), never imports them: importing Ray or Spark takes seconds and
 * runs their code.
 *
 * It still runs a program the workspace may have chosen, so callers only probe on the user's
 * behalf in a trusted workspace (the CLI: when `--python` names it). The process has a time
 * limit, is killed with its process group when it passes it, and its output is capped.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The modules asked about: those some fix or advice depends on. */
export const PROBED_MODULES: readonly string[] = ['dask', 'distributed', 'ray', 'pyspark', 'joblib'];

/** Default time limit: an interpreter starts in well under a second; a hung one must not hold the analysis. */
export const PROBE_TIMEOUT_MS = 5000;
/** More output than this is not an answer to the script below. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/** What the interpreter said. */
export interface InterpreterFacts {
  /** `sys.executable`. */
  executable: string;
  /** `platform.python_version()`, e.g. `3.13.1`. */
  version: string;
  /** The probed modules it can import. */
  modules: string[];
  /** `sys._is_gil_enabled()` (3.13+), null before 3.13. */
  gilEnabled: boolean | null;
  /** `sysconfig.get_config_var("Py_GIL_DISABLED")`: a free-threaded build (3.13t), whether or not the GIL is on at run time. */
  freeThreadedBuild: boolean;
}

/** The probe could not get an answer: the interpreter is missing, failed, hung or printed something else. */
export class ProbeError extends Error {}

/** Compatible with every Python 3 a user may still select (3.6 and later): no f-strings with `=`, no walrus. */
const SCRIPT = `
import importlib.util, json, platform, sys, sysconfig
names = json.loads(sys.argv[1])
found = []
for name in names:
    try:
        if importlib.util.find_spec(name) is not None:
            found.append(name)
    except Exception:
        pass
gil = getattr(sys, "_is_gil_enabled", None)
print(json.dumps({
    "executable": sys.executable,
    "version": platform.python_version(),
    "modules": found,
    "gilEnabled": gil() if gil else None,
    "freeThreadedBuild": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
}))
`;

/** True when the interpreter runs Python bytecode in parallel threads. */
export function isFreeThreaded(facts: InterpreterFacts): boolean {
  return facts.gilEnabled === false;
}

/** Options of one probe. */
export interface ProbeOptions {
  timeoutMs?: number;
  modules?: readonly string[];
  /** The folder it runs in (a pyenv shim picks the interpreter by the folder's `.python-version`). */
  cwd?: string;
  /** Aborting kills the probe (Ctrl-C in the CLI, the editor shutting the extension down). */
  signal?: AbortSignal;
}

function isFacts(value: unknown): value is InterpreterFacts {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.executable === 'string' &&
    typeof v.version === 'string' &&
    Array.isArray(v.modules) &&
    v.modules.every((m) => typeof m === 'string') &&
    (v.gilEnabled === null || typeof v.gilEnabled === 'boolean') &&
    typeof v.freeThreadedBuild === 'boolean'
  );
}

/** Runs the probe script in `python` (a path, or a command on the PATH). */
export function probeInterpreter(python: string, options: ProbeOptions = {}): Promise<InterpreterFacts> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const modules = options.modules ?? PROBED_MODULES;
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) return reject(new ProbeError(`${python}: cancelled`));
    // A process group of its own: a shim or wrapper script and what it starts go together.
    const child = spawn(python, ['-I', '-c', SCRIPT, JSON.stringify(modules)], { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: string | undefined;
    const kill = (why: string): void => {
      failure ??= why;
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const collect = (into: Buffer[]) => (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) kill(`printed more than ${MAX_OUTPUT_BYTES / 1024} KB`);
      else into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const timer = setTimeout(() => kill(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    const cancel = (): void => kill('cancelled');
    options.signal?.addEventListener('abort', cancel);
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      const code = (error as NodeJS.ErrnoException).code;
      reject(new ProbeError(code === 'ENOENT' ? `${python}: not found` : `cannot start ${python}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      if (failure) return reject(new ProbeError(`${python}: ${failure}; killed`));
      const stdout = Buffer.concat(out).toString('utf8').trim();
      if (code !== 0) {
        const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ');
        return reject(new ProbeError(`${python} exited with ${signal ?? `code ${code}`}${stderr ? `: ${stderr}` : ''}`));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout.split('\n').pop() ?? '');
      } catch {
        parsed = undefined;
      }
      if (!isFacts(parsed)) return reject(new ProbeError(`${python} did not answer as a Python 3 interpreter does`));
      resolvePromise(parsed);
    });
  });
}

/** The file a command runs: itself when it is a path, else the first executable of that name on the PATH. */
export function resolveExecutable(command: string, cwd = process.cwd(), path = process.env.PATH ?? ''): string | undefined {
  if (isAbsolute(command) || command.includes('/') || command.includes('\\')) return resolve(cwd, command);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Probes each interpreter once while its file stays the same: the cache key is the resolved
 * path and its modification time, so an interpreter rebuilt or upgraded in place (a venv's
 * `python` replaced) is probed again. Failures are kept too (a missing interpreter is not
 * re-run on every analysis) until the file changes.
 */
export class ProbeCache {
  private readonly entries = new Map<string, Promise<InterpreterFacts>>();

  constructor(private readonly options: ProbeOptions = {}) {}

  /** The facts of `python` (a path or a command), probing it when its file is new or changed. */
  get(python: string, cwd?: string): Promise<InterpreterFacts> {
    const file = resolveExecutable(python, cwd);
    if (!file) return Promise.reject(new ProbeError(`${python}: not found${python.includes('/') ? '' : ' on the PATH'}`));
    let mtime = 0;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      return Promise.reject(new ProbeError(`${python}: no such file`));
    }
    const key = `${file}\0${mtime}\0${cwd ?? ''}`;
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = probeInterpreter(file, { ...this.options, cwd })));
    return entry;
  }

  /** Forgets every answer (the user asked for a fresh look). */
  clear(): void {
    this.entries.clear();
  }
}
