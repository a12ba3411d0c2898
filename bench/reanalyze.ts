/**
 * `npm run bench:reanalyze`: the editor's typing path without the editor (no code-server,
 * seconds instead of minutes). The workspace is the Python example with the 5,000-line module
 * of `bench:editor`; the same one-line edit is made and undone in the big module, and each
 * figure is the time from the new text to the results, as the editor's debounced run gets them:
 *
 *   - eager fixes: `analyzeFiles` on the whole folder, every fix computed and checked (what the
 *     editor ran on every edit before; the CLI's run, its checks now incremental too);
 *   - no fixes: `analyzeWithoutFixes`, every file extracted again;
 *   - cached: `analyzeWithoutFixes` with an ExtractionCache (only the edited file is extracted,
 *     parsed incrementally), four ways, each in its own block of the same edits after a full
 *     collection: reusing only tree-sitter's tree, also the unchanged nodes of the previous copy,
 *     also the unchanged statements' facts, also parsing the edited top-level statement alone
 *     (the editor's run); with their parts: the edited file's parse, tree copy and facts, and
 *     propagation, verdicts and diagnostics over the folder. Each block's first `--warmup` edits
 *     (40) are untimed: the JIT still compiles then. The editor run's are a row of their own
 *     (the first edits of a session); and the editor's run while a new definition's name is
 *     typed near the top (the module scope changes with each keystroke);
 *   - quick fixes of one diagnostic, as the code-action menu asks for them after an edit;
 *   - the hover's own work on a current result (lookup and Markdown; the provider's code minus
 *     the `vscode.Hover` wrapper), to compare with the command round trip `bench:editor` measures.
 *
 * Prints median and p95 in milliseconds (wall, and this process's CPU time: the machine may be
 * shared) and the ratios to the eager run measured in the same run.
 * A benchmark, not a test: exit code 0 whatever the figures, 1 when a run fails.
 *
 *   npm run bench:reanalyze
 *   npm run bench:reanalyze -- --runs 100 --warmup 40   (the defaults: 60 and 40)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeFiles, analyzeWithoutFixes } from '../src/core/analyze';
import { ExtractionCache } from '../src/core/extraction-cache';
import type { FileResult, SourceFile } from '../src/core/model';
import { calleeAt, functionAtName } from '../src/extension/lookup';
import { hoverMarkdown, type Links } from '../src/extension/markdown';
import { bigPythonModule, EDIT_LINE, EDIT_TARGET } from './lib/big-python';
import { collectGarbage } from './lib/gc';

/** This file runs as out/bench/reanalyze.cjs. */
const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/python');
const BIG = join(EXAMPLE, 'big_module.py');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 2) throw new Error(`${name} takes an integer of at least 2`);
  return value;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

/** The example's Python files, in path order (as the editor reads a folder), plus the big module. */
function workspace(): SourceFile[] {
  const files: SourceFile[] = [{ path: BIG, text: bigPythonModule() }];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.py')) files.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(EXAMPLE);
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The workspace while a new definition's name is typed near the big module's top: `def new_a`
 * becoming `def new_ab` and back (each keystroke binds another name in the module scope).
 */
function typingName(files: readonly SourceFile[], longer: boolean): SourceFile[] {
  const definition = `def new_a${longer ? 'b' : ''}(x):\n    return x\n\n\n`;
  return files.map((f) => (f.path === BIG ? { path: f.path, text: f.text.replace('import requests\n\n\n', `import requests\n\n\n${definition}`) } : f));
}

/** The workspace with the big module's text edited (`edited`) or not. */
function version(files: readonly SourceFile[], edited: boolean): SourceFile[] {
  return files.map((f) => (f.path === BIG && edited ? { path: f.path, text: f.text.replace(`${EDIT_TARGET}\n`, `${EDIT_TARGET}\n${EDIT_LINE}`) } : f));
}

/** Milliseconds of CPU this process has used (user + system): what the work costs on a busy machine. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Wall and CPU milliseconds per run. */
interface Times {
  wall: number[];
  cpu: number[];
}

/** Times `runs` calls, alternating the edit in and out (the first call of each kind untimed). */
async function alternate<T>(files: readonly SourceFile[], runs: number, call: (files: SourceFile[]) => Promise<T>, each?: (result: T) => void): Promise<Times> {
  await call(version(files, false));
  await call(version(files, true));
  const times: Times = { wall: [], cpu: [] };
  for (let run = 0; run < runs; run++) {
    const input = version(files, run % 2 === 0);
    const cpu = cpuMs();
    const start = performance.now();
    const result = await call(input);
    times.wall.push(performance.now() - start);
    times.cpu.push(cpuMs() - cpu);
    each?.(result);
  }
  return times;
}

const LINKS: Links = { location: (path, line, column) => `file://${path}#L${line},${column}`, explain: (_file, fn) => `command:explain?${encodeURIComponent(fn.name)}` };

/** What the hover provider does once it holds a current result. */
function hoverWork(file: FileResult, files: readonly FileResult[], at: { line: number; column: number }): string | undefined {
  const own = functionAtName(file, at);
  const target = own ? { file, fn: own } : calleeAt(file, at, files);
  return target && hoverMarkdown(target.file, target.fn, files, LINKS);
}

interface Row {
  figure: string;
  values: number[];
  /** CPU milliseconds per run, where measured. */
  cpu?: number[];
  note: string;
}

async function main(): Promise<void> {
  const runs = option('--runs', 60);
  const files = workspace();
  const rows: Row[] = [];

  collectGarbage();
  const before = await alternate(files, 6, (input) => analyzeFiles(input));
  rows.push({ figure: 'eager fixes: analyzeFiles, whole folder', values: before.wall, cpu: before.cpu, note: 'every fix computed (the editor\'s run before; the CLI\'s)' });

  collectGarbage();
  const noFixes = await alternate(files, 20, (input) => analyzeWithoutFixes(input), (analysis) => analysis.release());
  rows.push({ figure: 'no fixes, whole folder extracted', values: noFixes.wall, cpu: noFixes.cpu, note: 'analyzeWithoutFixes' });

  // The incremental path with its steps turned on one by one, run in turn on the same edits
  // (the same load for all four): tree-sitter's incremental parse only (before the steps),
  // then unchanged top-level nodes cloned instead of copied out of WebAssembly, then the facts of
  // unchanged top-level statements reused, then the edited statement parsed alone (Python). The last is the editor's run.
  const variants = [
    { name: 'cached, incremental parse only', note: 'no reuse of the previous copy or facts (before)', reuse: { tree: false, facts: false, splice: false } },
    { name: 'cached, + unchanged nodes cloned', note: 'tree copy reads only the edited statements', reuse: { tree: true, facts: false, splice: false } },
    { name: 'cached, + unchanged facts reused', note: 'the whole file re-parsed incrementally', reuse: { tree: true, facts: true, splice: false } },
    { name: 'cached, + edited statement parsed alone', note: 'the editor run now', reuse: { tree: true, facts: true, splice: true } },
  ].map((v) => ({ ...v, cache: new ExtractionCache(v.reuse), wall: [] as number[], cpu: [] as number[], parts: { extract: [] as number[], evaluate: [] as number[], parse: [] as number[], copy: [] as number[], facts: [] as number[] }, spliced: 0 }));
  const cache = variants[3].cache;
  const warmup = option('--warmup', 40);
  const firstEdits: number[] = [];
  try {
    // Each way in its own block, after a full collection: the garbage of one (the first copies
    // every node anew) does not land in another's collections. The first `warmup` edits of each
    // block are untimed (the JIT is still compiling: an editor session past its first edits);
    // the editor run's are kept as a row of their own.
    for (const variant of variants) {
      for (const edited of [false, true]) (await analyzeWithoutFixes(version(files, edited), { cache: variant.cache })).release();
      collectGarbage();
      for (let run = 0; run < warmup + runs; run++) {
        const input = version(files, run % 2 === 0);
        const cpu = cpuMs();
        const start = performance.now();
        const analysis = await analyzeWithoutFixes(input, { cache: variant.cache });
        const wall = performance.now() - start;
        const spent = cpuMs() - cpu;
        if (run < warmup) {
          if (variant.cache === cache) firstEdits.push(wall);
          analysis.release();
          continue;
        }
        variant.wall.push(wall);
        variant.cpu.push(spent);
        const { parts } = variant;
        parts.extract.push(analysis.timings.extractMs);
        parts.evaluate.push(analysis.timings.evaluateMs);
        const timings = variant.cache.lastTimings;
        if (timings) {
          parts.parse.push(timings.parseMs);
          parts.copy.push(timings.copyMs);
          parts.facts.push(timings.extractMs);
          if (timings.spliced) variant.spliced++;
        }
        analysis.release();
      }
    }
    for (const { name, note, wall, cpu, parts, spliced } of variants) {
      rows.push({ figure: name, values: wall, cpu, note: `${note}; statement parsed alone in ${spliced} of ${wall.length} runs` });
      rows.push({ figure: '  extracting the edited file', values: parts.extract, note: 'parse, tree copy, facts (wall)' });
      rows.push({ figure: '    parse (incremental)', values: parts.parse, note: 'tree-sitter, from the previous tree (when parsed alone: the old tree edited)' });
      rows.push({ figure: '    tree copy', values: parts.copy, note: 'the plain copy the extractors read (with the statement\'s own parse when parsed alone)' });
      rows.push({ figure: '    facts', values: parts.facts, note: 'the language extractor over the copy' });
      rows.push({ figure: '  propagation and findings', values: parts.evaluate, note: 'the call graph, verdicts, diagnostics over the folder' });
    }
    rows.push({ figure: 'the editor run, its first edits', values: firstEdits, note: 'the untimed warm-up of the row above: the first edits of a session, the JIT still compiling' });

    // The editor's run while a new top-level name is typed: only statements that mention the
    // names bound differently are bound and extracted again.
    const naming = new ExtractionCache();
    try {
      for (const longer of [false, true]) (await analyzeWithoutFixes(typingName(files, longer), { cache: naming })).release();
      collectGarbage();
      const typed: number[] = [];
      for (let run = 0; run < warmup + runs; run++) {
        const start = performance.now();
        const analysis = await analyzeWithoutFixes(typingName(files, run % 2 === 0), { cache: naming });
        if (run >= warmup) typed.push(performance.now() - start);
        analysis.release();
      }
      rows.push({ figure: 'the editor run, a new name typed at the top', values: typed, note: '`def new_a(x):` <-> `def new_ab(x):` above 430 functions (the module scope changes each keystroke)' });
    } finally {
      naming.dispose();
    }

    // The code-action menu on the inserted CL101 (the blocking sleep) after each edit-in.
    const fixTimes: number[] = [];
    const fixCpu: number[] = [];
    let offered = 0;
    for (let run = 0; run < runs; run++) {
      const analysis = await analyzeWithoutFixes(version(files, true), { cache });
      const big = analysis.files.find((f) => f.path === BIG)!;
      const target = big.diagnostics.find((d) => d.functionName === 'edit_target' && d.code === 'CL101');
      if (!target) throw new Error('no CL101 in edit_target after the edit');
      const cpu = cpuMs();
      const start = performance.now();
      offered = (await analysis.fixes(BIG, target)).length;
      fixTimes.push(performance.now() - start);
      fixCpu.push(cpuMs() - cpu);
      analysis.release();
      await analyzeWithoutFixes(version(files, false), { cache });
    }
    rows.push({ figure: 'quick fixes of one diagnostic', values: fixTimes, cpu: fixCpu, note: `${offered} fixes for the inserted time.sleep; fixer + incremental re-parse check` });
  } finally {
    for (const variant of variants) variant.cache.dispose();
  }

  const analysis = await analyzeWithoutFixes(files);
  const fetch = analysis.files.find((f) => f.path.endsWith(join('page_archiver', 'fetch.py')))!;
  const fn = fetch.functions.find((f) => f.name === 'fetch_with_retry')!;
  const at = { line: fn.nameSpan.line, column: fn.nameSpan.column + 3 };
  if (!hoverWork(fetch, analysis.files, at)?.includes('I/O-bound')) throw new Error('the hover work found no I/O-bound verdict');
  const hover: number[] = [];
  for (let i = 0; i < runs * 10; i++) {
    const start = performance.now();
    hoverWork(fetch, analysis.files, at);
    hover.push(performance.now() - start);
  }
  rows.push({ figure: 'hover work on a current result', values: hover, note: 'functionAtName + hoverMarkdown on fetch_with_retry' });

  const base = quantile(before.wall, 0.5);
  const f = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(n < 10 ? 2 : 0));
  console.log(`\n${files.length} files, ${files.reduce((n, x) => n + x.text.split('\n').length - 1, 0)} lines; one-line edit in big_module.py (5,000 lines)`);
  console.log('wall: elapsed milliseconds; cpu: this process\'s CPU milliseconds (what the work costs when other processes share the cores)');
  console.log(`${'figure'.padEnd(44)} ${'n'.padStart(4)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'cpu med'.padStart(8)} ${'cpu p95'.padStart(8)} ${'vs eager'.padStart(11)}  notes`);
  for (const row of rows) {
    const median = quantile(row.values, 0.5);
    const cpu = row.cpu ? [f(quantile(row.cpu, 0.5)), f(quantile(row.cpu, 0.95))] : ['-', '-'];
    console.log(
      `${row.figure.padEnd(44)} ${String(row.values.length).padStart(4)} ${f(median).padStart(8)} ${f(quantile(row.values, 0.95)).padStart(8)} ${cpu[0].padStart(8)} ${cpu[1].padStart(8)} ${`${(median / base).toFixed(4)}x`.padStart(11)}  ${row.note}`,
    );
  }
  console.log(`load average (1 min) at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
