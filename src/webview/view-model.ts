/**
 * What the Benchmarks view shows, computed from the history's records: the functions with
 * runs, one run's figures as rows of text, the verdicts side by side, the recommendation, the
 * run's settings, and the comparison of two runs. Pure, so the webview only lays it out, and the
 * Markdown export writes the same words.
 */
import type { BenchRecord } from '../extension/bench-history';
import { KIND_NAME } from '../core/labels';
import { compareVerdicts, type Agreement } from './agreement';
import type { ChartRow } from './chart';
import { distributionCosts } from '../bench/costs';
import { gilState } from '../bench/gil';

/**
 * 1.23 s, 41.2 ms, 512 µs: three significant digits, as the CLI's text report (whose module is
 * not imported here: it pulls in the analyzer, which has no place in the page's bundle).
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const abs = Math.abs(seconds);
  if (abs >= 1) return `${seconds.toPrecision(3)} s`;
  if (abs >= 1e-3) return `${(seconds * 1e3).toPrecision(3)} ms`;
  if (abs === 0) return '0 s';
  return `${(seconds * 1e6).toPrecision(3)} µs`;
}

/** 40.4–40.9 ms; 980 µs–1.02 ms when the units differ. */
export function formatRange(min: number, max: number): string {
  const low = formatSeconds(min);
  const high = formatSeconds(max);
  const unit = (text: string): string => text.slice(text.lastIndexOf(' '));
  return unit(low) === unit(high) && Number.isFinite(min) ? `${low.slice(0, low.lastIndexOf(' '))}–${high}` : `${low} – ${high}`;
}

/** 3.70×. */
export function formatRatio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '—';
}

export function formatPercent(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—';
}

/** 2026-11-21 22:41:07, in the viewer's time zone (a run's time is for people, not a key). */
export function formatWhen(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return 'unknown time';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A speedup is only "faster" beyond the noise a quiet machine still shows. */
export const MEANINGFUL_SPEEDUP = 1.1;

export interface FunctionEntry {
  key: string;
  name: string;
  file: string;
  runs: number;
  latestAt: number;
  /** The newest run's id. */
  latestId: string;
}

/**
 * The file a run's function is in, as the view names it: the path its history key holds
 * (`<path>::<name>`, relative to the workspace folder when inside it). The report's own `file`
 * is the absolute path the editor ran, too long for a side bar and the same on every run.
 */
export function shownFile(record: Pick<BenchRecord, 'key' | 'name' | 'report'>): string {
  const suffix = `::${record.name}`;
  return record.key.endsWith(suffix) && record.key.length > suffix.length ? record.key.slice(0, -suffix.length) : record.report.file;
}

/** The functions with runs, the one run most recently first. */
export function functionEntries(records: readonly BenchRecord[]): FunctionEntry[] {
  const byKey = new Map<string, FunctionEntry>();
  records.forEach((r) => {
    const entry = byKey.get(r.key);
    if (!entry) byKey.set(r.key, { key: r.key, name: r.name, file: shownFile(r), runs: 1, latestAt: r.at, latestId: r.id });
    else {
      entry.runs++;
      // Records are oldest first: a later one is newer even at the same millisecond.
      if (r.at >= entry.latestAt) Object.assign(entry, { name: r.name, file: shownFile(r), latestAt: r.at, latestId: r.id });
    }
  });
  return [...byKey.values()].sort((a, b) => b.latestAt - a.latestAt);
}

export interface StrategyRow {
  strategy: string;
  method: string;
  median: string;
  range: string;
  spread: string;
  speedup: string;
  cpuRatio: string;
  startup: string;
  inconclusive: boolean;
}

export interface Setting {
  label: string;
  value: string;
}

export interface RunView {
  id: string;
  key: string;
  name: string;
  /** `file:line`. */
  where: string;
  when: string;
  args: string;
  rows: StrategyRow[];
  chart: ChartRow[];
  measured: string;
  staticVerdict: string;
  agreement: Agreement;
  /** Set when some strategy's samples spread over the limit: the figures are not firm. */
  inconclusive?: string;
  /** The machine was busy during the sequential run (time spent waiting for a CPU). */
  busy?: string;
  advice: string;
  measuredAdvice: string;
  settings: Setting[];
  skipped: string[];
  /** What distributing costs besides start-up (Dask's per-batch overhead and data transfer). */
  costs: string[];
  headline: string;
}

const kindName = (kind: string): string => (kind in KIND_NAME ? KIND_NAME[kind as keyof typeof KIND_NAME] : kind);

type Result = BenchRecord['report']['results'][number];

/** The strategy that measured fastest with firm figures, and its cold speedup (start-up counted once per batch). */
function bestStrategy(results: readonly Result[]): { result: Result; cold?: number } | undefined {
  const sequential = results.find((r) => r.strategy === 'sequential');
  const candidates = results.filter((r) => r.strategy !== 'sequential' && !r.inconclusive);
  const best = candidates.reduce<Result | undefined>((a, b) => (a === undefined || b.speedup > a.speedup ? b : a), undefined);
  if (!best) return undefined;
  const cold = sequential && best.startupSeconds !== undefined ? sequential.wallSeconds.median / (best.wallSeconds.median + best.startupSeconds) : undefined;
  return { result: best, ...(cold !== undefined ? { cold } : {}) };
}

/**
 * Why threads won CPU-bound work: without a GIL they run Python bytecode in parallel; with one,
 * the work must release it (native code). The measured verdict (the sequential run's CPU/wall)
 * does not depend on it, but the advice that follows does.
 */
function whyThreadsScale(report: BenchRecord['report'], best: Result): string | undefined {
  if (best.strategy !== 'threads' || report.verdict !== 'cpu' || report.language !== 'python' || !report.environment) return undefined;
  if (report.environment.freeThreadedBuild && report.environment.gilEnabled === false) {
    return 'This interpreter runs without a GIL, so threads run Python code in parallel: a thread pool is the cheaper choice here, but on a standard build the same code needs processes.';
  }
  return 'With the GIL, threads only run in parallel while the work releases it (native code such as hashlib, zlib, numpy).';
}

/** What the measurement says works best, in a sentence. */
export function measuredAdvice(report: BenchRecord['report']): string {
  const others = report.results.filter((r) => r.strategy !== 'sequential');
  if (others.length === 0) return 'Only the sequential run was measured: there is nothing to compare it with.';
  const best = bestStrategy(report.results);
  if (!best) return 'Every strategy’s samples spread too much to name a winner: run it again on a quieter machine or with longer samples.';
  const { result, cold } = best;
  if (result.speedup < MEANINGFUL_SPEEDUP) {
    return `No strategy was clearly faster than sequential here (best: ${result.strategy} at ${formatRatio(result.speedup)}): concurrency does not pay for this call with these arguments.`;
  }
  const noisy = others.filter((r) => r.inconclusive).map((r) => r.strategy);
  let text = `Measured best: ${result.strategy}${result.method ? ` (${result.method})` : ''}, ${formatRatio(result.speedup)} faster than sequential with ${report.workers} workers for ${report.tasks} tasks`;
  if (cold !== undefined) text += `; ${formatRatio(cold)} when its pool’s start-up (${formatSeconds(result.startupSeconds ?? 0)}) is paid for one batch`;
  text += '.';
  const why = whyThreadsScale(report, result);
  if (why) text += ` ${why}`;
  if (noisy.length) text += ` Not compared: ${noisy.join(', ')} (samples too spread).`;
  return text;
}

/** `processes 3.70× · threads 1.00× — CPU-bound` (as the inline decoration). */
export function headline(report: BenchRecord['report']): string {
  const parts = report.results
    .filter((r) => r.strategy !== 'sequential')
    .sort((a, b) => b.speedup - a.speedup)
    .map((r) => `${r.strategy} ${formatRatio(r.speedup)}${r.inconclusive ? '?' : ''}`);
  const verdict = kindName(report.verdict);
  return `${parts.length ? parts.join(' · ') : 'sequential only'} — ${verdict}${report.inconclusive ? ' (inconclusive)' : ''}`;
}

function describeInterpreter(report: BenchRecord['report']): string {
  const env = report.environment ?? ({} as Partial<BenchRecord['report']['environment']>);
  const name = `${typeof env.implementation === 'string' ? env.implementation : report.language} ${typeof env.version === 'string' ? env.version : ''}`.trim();
  return typeof env.executable === 'string' ? `${name} (${env.executable})` : name;
}

/** The run's settings, as label/value pairs. */
export function runSettings(record: BenchRecord): Setting[] {
  const { report } = record;
  const env = report.environment;
  const settings: Setting[] = [{ label: 'Interpreter', value: describeInterpreter(report) }];
  const gil = gilState(report.language, report.environment);
  if (gil) settings.push({ label: 'GIL', value: gil });
  if (env && typeof env.startMethod === 'string') settings.push({ label: 'Start method', value: env.startMethod });
  const dask = report.results.find((r) => r.strategy === 'dask');
  if (dask || typeof env?.daskScheduler === 'string') {
    const where = typeof env?.daskScheduler === 'string' && env.daskScheduler !== '' ? `scheduler ${env.daskScheduler}` : 'local cluster';
    settings.push({ label: 'Dask', value: dask?.method ?? where });
  }
  if (env && typeof env.usableCpus === 'number') {
    settings.push({ label: 'Cores', value: env.cpuCount !== env.usableCpus && typeof env.cpuCount === 'number' ? `${env.usableCpus} usable of ${env.cpuCount}` : String(env.usableCpus) });
  }
  settings.push({ label: 'Tasks per batch', value: String(report.tasks) }, { label: 'Workers', value: String(report.workers) });
  settings.push({ label: 'Arguments', value: record.args.trim() === '' ? '(none)' : record.args });
  const startups = report.results.filter((r) => r.startupSeconds !== undefined).map((r) => `${r.strategy} ${formatSeconds(r.startupSeconds ?? 0)}`);
  settings.push({
    label: 'Pool start-up',
    value: startups.length ? `warm: pools started before timing (start-up not in the timings: ${startups.join(', ')})` : 'no pools',
  });
  if (typeof report.firstCallSeconds === 'number') settings.push({ label: 'First (cold) call', value: formatSeconds(report.firstCallSeconds) });
  if (typeof report.samples === 'number') settings.push({ label: 'Samples per strategy', value: String(report.samples) });
  return settings;
}

/** One run, ready to show. */
export function runView(record: BenchRecord): RunView {
  const { report } = record;
  const rows = report.results.map((r) => ({
    strategy: r.strategy,
    method: r.method ?? '',
    median: formatSeconds(r.wallSeconds.median),
    range: formatRange(r.wallSeconds.min, r.wallSeconds.max),
    spread: r.spread !== undefined ? `±${formatPercent(r.spread)}` : '—',
    speedup: formatRatio(r.speedup),
    cpuRatio: Number.isFinite(r.cpuRatio) ? r.cpuRatio.toFixed(2) : '—',
    startup: r.startupSeconds !== undefined ? formatSeconds(r.startupSeconds) : '—',
    inconclusive: r.inconclusive === true,
  }));
  const chart = report.results.map((r) => ({
    label: r.strategy,
    median: r.wallSeconds.median,
    min: r.wallSeconds.min,
    max: r.wallSeconds.max,
    inconclusive: r.inconclusive === true,
    valueText: formatSeconds(r.wallSeconds.median),
  }));
  const noisy = report.results.filter((r) => r.inconclusive).map((r) => r.strategy);
  const limit = typeof report.spreadLimit === 'number' ? report.spreadLimit : 0.1;
  const sequential = report.results.find((r) => r.strategy === 'sequential');
  const busy =
    sequential?.cpuWaitSeconds !== undefined && sequential.cpuWaitSeconds > 0.05 * sequential.wallSeconds.median
      ? `The machine was busy: the sequential run waited ${formatSeconds(sequential.cpuWaitSeconds)} per batch for a CPU; CPU/wall leaves that out (${(report.wallCpuRatio ?? report.cpuRatio).toFixed(2)} with it).`
      : undefined;
  const confidence = report.staticConfidence ? ` (${report.staticConfidence} confidence)` : '';
  return {
    id: record.id,
    key: record.key,
    name: record.name,
    where: report.line !== undefined ? `${shownFile(record)}:${report.line}` : shownFile(record),
    when: formatWhen(record.at),
    args: record.args,
    rows,
    chart,
    measured: `${kindName(report.verdict)} (CPU/wall ${report.cpuRatio.toFixed(2)} in the sequential run)`,
    staticVerdict: report.static === 'neither' ? 'no I/O or CPU work found' : `${kindName(report.static)}${confidence}`,
    agreement: compareVerdicts(report.verdict, report.static),
    ...(report.inconclusive || noisy.length
      ? {
          inconclusive: `Inconclusive: the samples of ${noisy.join(', ') || 'some strategies'} spread over ${formatPercent(limit)} (max − min over the median), so their figures are not firm. A quieter machine or longer samples give firmer figures.`,
        }
      : {}),
    ...(busy ? { busy } : {}),
    advice: record.advice,
    measuredAdvice: measuredAdvice(report),
    settings: runSettings(record),
    skipped: (report.skipped ?? []).map((s) => `Skipped ${s.strategy}: ${s.reason}`),
    costs: distributionCosts(report.results, report.tasks, formatSeconds),
    headline: headline(report),
  };
}

export interface ComparisonRow {
  strategy: string;
  before: string;
  after: string;
  /** after / before: below 1 is faster. */
  ratio: string;
  change: string;
  /** Either side's samples spread too much. */
  inconclusive: boolean;
}

export interface Comparison {
  before: { id: string; when: string; args: string };
  after: { id: string; when: string; args: string };
  rows: ComparisonRow[];
  /** Arguments, tasks or workers differ: the figures measure different things. */
  caveats: string[];
}

/** Per strategy: the median before and after, and after / before. */
export function compareRuns(before: BenchRecord, after: BenchRecord): Comparison {
  const strategies = [...new Set([...before.report.results, ...after.report.results].map((r) => r.strategy))];
  const rows = strategies.map((strategy) => {
    const b = before.report.results.find((r) => r.strategy === strategy);
    const a = after.report.results.find((r) => r.strategy === strategy);
    const ratio = a && b && b.wallSeconds.median > 0 ? a.wallSeconds.median / b.wallSeconds.median : undefined;
    let change = 'not in both runs';
    if (ratio !== undefined) {
      if (Math.abs(ratio - 1) < 0.05) change = 'about the same';
      else change = ratio < 1 ? `${formatRatio(1 / ratio)} faster` : `${formatRatio(ratio)} slower`;
    }
    return {
      strategy,
      before: b ? formatSeconds(b.wallSeconds.median) : '—',
      after: a ? formatSeconds(a.wallSeconds.median) : '—',
      ratio: ratio !== undefined ? formatRatio(ratio) : '—',
      change,
      inconclusive: b?.inconclusive === true || a?.inconclusive === true,
    };
  });
  const caveats: string[] = [];
  if (before.args !== after.args) caveats.push('The runs used different arguments.');
  if (before.report.tasks !== after.report.tasks || before.report.workers !== after.report.workers) caveats.push('The runs used different tasks or workers.');
  if (rows.some((r) => r.inconclusive)) caveats.push('Rows marked ? had samples spread too much in one of the runs: their ratio is not firm.');
  const side = (r: BenchRecord): { id: string; when: string; args: string } => ({ id: r.id, when: formatWhen(r.at), args: r.args });
  return { before: side(before), after: side(after), rows, caveats };
}
