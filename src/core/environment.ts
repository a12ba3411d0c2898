/**
 * What the project's environment offers the quick fixes: the libraries it can use and whether
 * its Python runs without the GIL. A fix that distributes work with Dask or Ray, or hands it to
 * piscina, is offered only when that library is there; on a free-threaded interpreter a thread
 * pool runs Python bytecode in parallel, so the fix for CPU work changes.
 *
 * Plain data, filled in by the front ends: the CLI from the project's files, the editor from
 * those files and from the selected interpreter. The core never reads files or starts processes
 * for it.
 */

/** The environment of one project folder. */
export interface ProjectEnvironment {
  /**
   * Top-level Python modules the project can import (`dask`, `distributed`, `ray`): declared in
   * `pyproject.toml` / `requirements*.txt` (distribution names mapped to module names), or found
   * importable by the selected interpreter.
   */
  pythonModules: ReadonlySet<string>;
  /** npm packages declared in the nearest `package.json` (any dependency field). */
  nodePackages: ReadonlySet<string>;
  /**
   * The selected Python runs without the GIL (a free-threaded build with the GIL disabled,
   * `sys._is_gil_enabled()` false), probed or set by the user; false when unknown.
   */
  freeThreaded: boolean;
}

/** Nothing known: no optional library, the GIL on. What fixes see without a front end's answer. */
export const EMPTY_ENVIRONMENT: ProjectEnvironment = { pythonModules: new Set(), nodePackages: new Set(), freeThreaded: false };
