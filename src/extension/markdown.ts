/**
 * What the hover and the "Explain Classification" view say, as Markdown, without the editor:
 * the verdict, the confidence, the evidence with each step of its chain linked to where it is,
 * and what to use instead (by kind and language). The editor supplies the link targets.
 */
import * as path from 'node:path';
import { kindLabel } from '../core/labels';
import { isInterpreted, isIoCategory } from '../core/categories';
import { EMPTY_ENVIRONMENT, type Evidence, type FileResult, type FunctionResult, type LanguageId, type ProjectEnvironment } from '../core';
import { chainStep } from './lookup';

/**
 * Link targets, made by the editor: a hover opens file URIs with a line fragment and runs
 * command links; the Markdown preview renders neither, but opens workspace-relative paths.
 */
export interface Links {
  /** An href that opens `filePath` at a 1-based line and column; undefined where none can (the text stays plain). */
  location(filePath: string, line: number, column: number): string | undefined;
  /** An href that opens the full explanation of a function; omitted where there is none. */
  explain?(file: FileResult, fn: FunctionResult): string;
  /** An href that benchmarks the function; omitted (or undefined for a function a benchmark cannot call) where there is none. */
  benchmark?(file: FileResult, fn: FunctionResult): string | undefined;
}

/** How many evidence items the hover lists before pointing to the full explanation. */
const HOVER_EVIDENCE = 3;

/** `I/O-bound · network`, `CPU-bound · loops`, `Mixed · network + hashing`, or the plain words for neither. */
export function verdictLabel(fn: Pick<FunctionResult, 'kind' | 'evidence'>): string {
  return fn.kind === 'neither' ? 'No significant I/O or CPU work' : kindLabel(fn);
}

/** Inline code that survives any name (a backtick inside is replaced: names never need one). */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A Markdown link (link text cannot hold unescaped brackets), or the text alone without a target. */
function link(text: string, href: string | undefined): string {
  return href === undefined ? text : `[${text.replace(/[[\]]/g, '\\$&')}](${href})`;
}

/** A path as read from the folder of `fromFile`: `fetch.py`, `../lib/http.py`. */
function shortPath(filePath: string, fromFile: string): string {
  return path.relative(path.dirname(fromFile), filePath) || path.basename(filePath);
}

/**
 * The rung past one machine, for CPU work: Dask or Ray, named first (with the call to use) when
 * the project has them. Said with when it pays: Dask's own guidance is tasks of about 100 ms,
 * its scheduler costing up to a millisecond per task before any data moves.
 */
function scaleOut(environment: ProjectEnvironment): string {
  const worth = 'worth it once each call runs for about 100 ms or more, enough to pay for scheduling and moving its data';
  const dask = environment.pythonModules.has('distributed') ? 'Dask (`client.map`)' : environment.pythonModules.has('dask') ? 'Dask (`dask.delayed`)' : undefined;
  const ray = environment.pythonModules.has('ray') ? 'Ray (`@ray.remote`)' : undefined;
  const present = [dask, ray].filter((name): name is string => name !== undefined);
  if (present.length > 0) return `The project has ${present.join(' and ')} to spread the calls over a cluster when one machine is not enough: ${worth}.`;
  return `When the data or the compute outgrow one machine, Dask or Ray spread the calls over a cluster: ${worth}.`;
}

/** Node worker-pool libraries, in the order named when a project has several, and how they run a task. */
const NODE_POOLS: ReadonlyArray<{ name: string; use: string }> = [
  { name: 'piscina', use: '`new Piscina({ filename })` and `await pool.run(data)`' },
  { name: 'tinypool', use: '`new Tinypool({ filename })` and `await pool.run(data)`' },
  { name: 'workerpool', use: '`workerpool.pool(file)` and `await pool.exec(name, args)`' },
];

/**
 * What to use instead and why, in one or two sentences, from the verdict, the language and the
 * project's environment: the ladder of the brief's table (asyncio/threads for waiting, processes
 * for Python bytecode, threads for native code that releases the GIL or on a free-threaded
 * Python, Dask or Ray past one machine, worker threads for JS computation, through the pool
 * library the project has).
 */
export function adviceFor(fn: FunctionResult, language: LanguageId, environment: ProjectEnvironment = EMPTY_ENVIRONMENT): string {
  const blocking = fn.evidence.some((e) => isIoCategory(e.category) && e.blocking);
  const cpu = fn.evidence.filter((e) => !isIoCategory(e.category));
  const interpreted = cpu.length > 0 && cpu.every((e) => isInterpreted(e.category));
  if (language === 'python') {
    switch (fn.kind) {
      case 'io':
        if (fn.async && blocking) {
          return 'It blocks the event loop while it waits: use the awaitable API (`await asyncio.sleep`, an async client such as `httpx.AsyncClient`) or move the blocking call to a thread with `await asyncio.to_thread(...)`, so other tasks run meanwhile.';
        }
        return 'It spends its time waiting, and Python releases the GIL while it waits: overlap many calls with threads (`ThreadPoolExecutor.map`) or `asyncio` (`asyncio.gather`, with `asyncio.to_thread` for blocking libraries). Processes would only add start-up and pickling costs.';
      case 'cpu':
        if (interpreted && environment.freeThreaded) {
          return `It computes in the interpreter, and this Python runs without the GIL (a free-threaded build): threads (\`ThreadPoolExecutor\`) run its bytecode in parallel, without the start-up and pickling costs of processes. ${scaleOut(environment)}`;
        }
        if (interpreted) {
          return `It computes in the interpreter, and the GIL lets only one thread run Python bytecode at a time: use processes (\`ProcessPoolExecutor\`, \`multiprocessing\`, behind an \`if __name__ == "__main__":\` guard); threads help only on a free-threaded build (3.13t and later). ${scaleOut(environment)}`;
        }
        return `Its heavy work runs in native code (hashing, compression, numeric libraries) that usually releases the GIL: threads (\`ThreadPoolExecutor\`) can run it in parallel; processes work too but pay to pickle the data. ${scaleOut(environment)}`;
      case 'mixed':
        if (environment.freeThreaded) {
          return 'It both waits and computes: overlap the waiting with `asyncio` or threads, and hand the computation to a thread pool too, since this Python runs without the GIL (a free-threaded build).';
        }
        return 'It both waits and computes: overlap the waiting with `asyncio` or threads, and hand the computation to a process pool (`ProcessPoolExecutor`), or to threads when it runs in native code that releases the GIL.';
      case 'neither':
        return 'Nothing to gain from concurrency here: it neither waits on I/O nor does heavy computation.';
    }
  }
  const pool = NODE_POOLS.find((p) => environment.nodePackages.has(p.name));
  switch (fn.kind) {
    case 'io':
      if (blocking) {
        return 'A synchronous call blocks the event loop, and every other request with it: use the promise API (`fs.promises`, `fetch`, a promisified `execFile`) and start independent calls together with `Promise.all`.';
      }
      return 'It spends its time waiting, which the event loop already overlaps: start independent calls together with `Promise.all` (or `Promise.allSettled`). Worker threads would not make waiting faster.';
    case 'cpu':
      if (pool) {
        return `It computes on the event loop's thread, so everything else waits meanwhile: the project has ${pool.name}, whose pool of \`worker_threads\` workers runs it off that thread (${pool.use}); making it \`async\` alone would not help.`;
      }
      return 'It computes on the event loop\'s thread, so everything else waits meanwhile: move it to a `worker_threads` worker (or a pool such as piscina) or a `child_process.fork` process; making it `async` alone would not help.';
    case 'mixed':
      if (pool) return `It both waits and computes: overlap the waiting with \`Promise.all\` and run the computation in the project's ${pool.name} pool (${pool.use}) so the event loop stays free.`;
      return 'It both waits and computes: overlap the waiting with `Promise.all` and move the computation to a `worker_threads` worker so the event loop stays free.';
    case 'neither':
      return 'Nothing to gain from concurrency here: it neither waits on I/O nor does heavy computation.';
  }
}

/**
 * One evidence item as a linked chain: `fetch_all → get_json → requests.get in http.py:14 ·
 * network, blocking · line 9`, where each project function links to its definition, the leaf
 * call to where it is made, and the line to the call site in this function.
 */
export function evidenceLine(file: FileResult, fn: FunctionResult, e: Evidence, files: readonly FileResult[], links: Links): string {
  const kind = isIoCategory(e.category) && e.blocking ? `${e.category}, blocking` : e.category.replace('-', ' ');
  const leaf = link(code(e.call), links.location(e.origin.path, e.origin.line, e.origin.column));
  const direct = e.via.length === 0 && e.origin.path === file.path && e.origin.line === e.span.line;
  if (direct) return `${leaf} · ${kind} · line ${e.span.line}`;
  const steps = [code(fn.name)];
  e.via.forEach((name, i) => {
    const step = chainStep(e, i, files, file);
    steps.push(step ? link(code(name), links.location(step.file.path, step.fn.nameSpan.line, step.fn.nameSpan.column)) : code(name));
  });
  steps.push(leaf);
  const elsewhere = e.origin.path !== file.path ? ` in ${shortPath(e.origin.path, file.path)}:${e.origin.line}` : '';
  const site = link(`line ${e.span.line}`, links.location(file.path, e.span.line, e.span.column));
  return `${steps.join(' → ')}${elsewhere} · ${kind} · ${site}`;
}

/** The hover on a function's name or on a call to it. */
export function hoverMarkdown(file: FileResult, fn: FunctionResult, files: readonly FileResult[], links: Links, environment: ProjectEnvironment = EMPTY_ENVIRONMENT): string {
  const header = [`**${verdictLabel(fn)}**`];
  if (fn.kind !== 'neither') header.push(`${fn.confidence} confidence`);
  const lines = [`${header.join(' · ')}  `, `${fn.async ? 'async ' : ''}${code(fn.name)} · ${link(`${path.basename(file.path)}:${fn.line}`, links.location(file.path, fn.nameSpan.line, fn.nameSpan.column))}`, ''];
  const shown = fn.evidence.slice(0, HOVER_EVIDENCE);
  for (const e of shown) lines.push(`- ${evidenceLine(file, fn, e, files, links)}`);
  const more = fn.evidence.length - shown.length;
  const explain = links.explain?.(file, fn);
  if (more > 0) lines.push(`- ${more} more${explain ? `: ${link('explain the classification', explain)}` : ''}`);
  if (shown.length > 0) lines.push('');
  lines.push(adviceFor(fn, file.language, environment));
  const actions: string[] = [];
  if (explain && more <= 0 && fn.kind !== 'neither') actions.push(link('Explain the classification', explain));
  const benchmark = links.benchmark?.(file, fn);
  if (benchmark) actions.push(link('Benchmark this function', benchmark));
  if (actions.length > 0) lines.push('', actions.join(' · '));
  return lines.join('\n');
}

/** The full explanation of a function: every evidence item, the findings in it, and the advice. */
export function explainMarkdown(file: FileResult, fn: FunctionResult, files: readonly FileResult[], links: Links, environment: ProjectEnvironment = EMPTY_ENVIRONMENT): string {
  const language = file.language === 'python' ? 'Python' : file.language === 'typescript' ? 'TypeScript' : 'JavaScript';
  const where = link(`${path.basename(file.path)}, line ${fn.line}`, links.location(file.path, fn.nameSpan.line, fn.nameSpan.column));
  const facts = [where, language, ...(fn.async ? ['`async`'] : [])];
  if (fn.kind !== 'neither') facts.push(`${fn.confidence} confidence`);
  if (fn.params.length > 0) facts.push(`parameters ${fn.params.map(code).join(', ')}`);
  const out = [`# ${code(fn.name)}: ${verdictLabel(fn)}`, '', facts.join(' · '), '', '## What to use instead', '', adviceFor(fn, file.language, environment), ''];
  out.push('## Evidence', '');
  if (fn.evidence.length === 0) {
    out.push('No call or construct in this function (or in the project functions it calls) waits on I/O or does heavy computation.', '');
  } else {
    out.push('Strongest first. A chain passes through project functions (each linked to its definition) to the call that does the work; the line is the call site in this function.', '');
    fn.evidence.forEach((e, i) => out.push(`${i + 1}. ${evidenceLine(file, fn, e, files, links)}`));
    out.push('');
  }
  const findings = file.diagnostics.filter((d) => d.functionName === fn.name);
  if (findings.length > 0) {
    out.push('## Findings', '');
    for (const d of findings) {
      out.push(`- **${d.code}** at ${link(`line ${d.line}`, links.location(file.path, d.line, d.column))}: ${d.message}`);
      for (const fix of d.fixes) out.push(`  - Quick fix${fix.preferred ? ' (preferred)' : ''}: ${fix.title}`);
    }
    out.push('');
  }
  out.push(
    '## How the verdict is made',
    '',
    'Calls are resolved through imports and receivers and looked up in a catalog of blocking, awaitable and CPU-heavy APIs; loops, recursion and arithmetic count as computation. Evidence from the project functions a function calls counts as its own (the chain shows the way), except for callables handed to a thread, a process or a worker, which run elsewhere. Waiting makes a function I/O-bound unless it also computes substantially (then mixed); computing alone makes it CPU-bound.',
    '',
  );
  return out.join('\n');
}
