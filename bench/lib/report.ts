/**
 * The parent's summary of one corpus: figures per tool, the throughput ratio against the
 * peer tool (Ruff on Python, ESLint on JS), the findings comparison, as text for people
 * and as JSON for scripts. The JS comparison's wording lives in ./report-js.
 */
import type { Comparison } from './compare';
import type { Finding, ToolName } from './engines';
import type { Measurement } from './measure';

/** Ours must be at least as fast as the peer's check (throughput ratio ≥ 1). */
export const TARGET_RATIO = 1;

export interface ToolFigures {
  tool: ToolName;
  label: string;
  files: number;
  megabytes: number;
  initMs: number;
  firstPassSeconds: number;
  warmupPasses: number;
  runsSeconds: number[];
  medianSeconds: number;
  megabytesPerSecond: number;
  filesPerSecond: number;
  baseRssMB: number;
  peakRssMB: number;
  loadAverage: number;
  cpus: number;
  problemFiles: number;
  stats: Record<string, number>;
}

/** `C`: the findings comparison, Ruff's ({@link Comparison}) or no-sync's. */
export interface Summary<C = Comparison> {
  version: 1;
  corpus: { source: string; files: number; megabytes: number; fingerprint: string } | null;
  /** A --quick smoke test: too short for V8 to finish optimizing; not figures to quote. */
  quick: boolean;
  repeats: number;
  warmupSeconds: number;
  node: string;
  tools: ToolFigures[];
  /** Ours' throughput divided by the peer's (Ruff, ESLint; same files, same bytes), warmed up. */
  ratio: number | null;
  /** The same for a cold start (load + first pass): what one CLI run pays. */
  coldRatio: number | null;
  /** tree-sitter parsing alone against the peer: the ceiling for our ratio. */
  parseRatio: number | null;
  targetRatio: number;
  targetMet: boolean | null;
  comparison: C | null;
  /** Tools whose child failed, and why. */
  failures: { tool: ToolName; error: string }[];
}

const MB = 1e6;

export function figuresOf(m: Measurement): ToolFigures {
  const seconds = m.medianMs / 1000;
  return {
    tool: m.tool,
    label: m.label,
    files: m.files,
    megabytes: m.bytes / MB,
    initMs: m.initMs,
    firstPassSeconds: m.firstPassMs / 1000,
    warmupPasses: m.warmupPasses,
    runsSeconds: m.runsMs.map((ms) => ms / 1000),
    medianSeconds: seconds,
    megabytesPerSecond: m.bytes / MB / seconds,
    filesPerSecond: m.files / seconds,
    baseRssMB: m.baseRssMB,
    peakRssMB: m.peakRssMB,
    loadAverage: m.loadAverage,
    cpus: m.cpus,
    problemFiles: m.result.problemFiles,
    stats: m.result.stats,
  };
}

// ---------------------------------------------------------------------------------------
// Text

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  // First column left-aligned (names), the numbers right-aligned.
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

function figuresTable(tools: ToolFigures[]): string[] {
  const header = ['tool', 'files', 'MB', 'init ms', '1st pass s', 'median s', 'MB/s', 'files/s', 'peak RSS MB'];
  const rows = tools.map((t) => [
    t.label,
    String(t.files),
    t.megabytes.toFixed(2),
    t.initMs.toFixed(0),
    t.firstPassSeconds.toFixed(2),
    t.medianSeconds.toFixed(3),
    t.megabytesPerSecond.toFixed(2),
    t.filesPerSecond.toFixed(1),
    t.peakRssMB.toFixed(0),
  ]);
  return table([header, ...rows]);
}

/** Messages of long chains run to several hundred characters; the start says enough. */
export const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
export const where = (f: Finding) => `${f.path}:${f.line}`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

function comparisonLines(c: Comparison): string[] {
  const lines = [`Ruff ASYNC findings by rule: ${counts(c.ruffByRule)}`];
  const share = c.ruffBlocking ? ` (${((100 * c.matched) / c.ruffBlocking).toFixed(0)}%)` : '';
  lines.push(`Ruff blocking-call findings (ASYNC2xx) also reported by ours as CL101: ${c.matched} of ${c.ruffBlocking}${share}`);
  for (const [rule, missed] of Object.entries(c.missedByRule).sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  missed ${rule} (${missed.length}):`);
    for (const f of missed) lines.push(`    ${where(f)} ${f.code} ${f.message}`);
  }
  lines.push(
    `Ours CL101: ${c.oursCl101}; not reported by Ruff: ${c.oursOnly} ` +
      `(${c.oursOnlyTransitive} transitive through project functions, ${c.oursOnly - c.oursOnlyTransitive} direct calls Ruff does not flag)`,
  );
  const examples = (title: string, list: Finding[]) => {
    if (list.length) lines.push(`  ${title}:`, ...list.map((f) => `    ${where(f)} ${clip(f.message)}`));
  };
  examples('transitive, e.g.', c.oursOnlyExamples.transitive);
  examples('direct, e.g.', c.oursOnlyExamples.direct);
  return lines;
}

function toolNotes(tools: ToolFigures[]): string[] {
  return tools.map((t) => {
    const runs = t.runsSeconds.map((s) => s.toFixed(3)).join(' / ');
    const stats = counts(t.stats);
    return `  ${t.tool}: ${t.warmupPasses} warm-up pass${t.warmupPasses === 1 ? '' : 'es'}, runs ${runs} s, RSS before load ${t.baseRssMB.toFixed(0)} MB, files with problems ${t.problemFiles}; ${stats}`;
  });
}

/** The Python corpus's report (Ruff is the peer). */
/**
 * A warning when the machine was busy with other work during the runs. Each tool puts a
 * load of one or two (ours may parse on a worker thread) on the machine by itself.
 */
function loadWarning(tools: ToolFigures[]): string[] {
  const cpus = tools[0].cpus;
  if (!tools.some((t) => t.loadAverage > cpus + 0.5)) return [];
  const loads = tools.map((t) => `${t.tool} ${t.loadAverage.toFixed(1)}`).join(', ');
  return [`  WARNING: load average at the end of each tool's runs: ${loads} on ${cpus} CPUs; other processes competed, the figures are noisy`];
}

export function formatText(s: Summary): string {
  return formatSummary(s, 'Ruff', comparisonLines);
}

/** A corpus's report: figures, ratios against `peer`, then the findings comparison. */
export function formatSummary<C>(s: Summary<C>, peer: string, comparison: (c: C) => string[]): string {
  const lines: string[] = [];
  if (s.corpus) {
    lines.push(`Corpus: ${s.corpus.source}, ${s.corpus.files} files, ${s.corpus.megabytes.toFixed(2)} MB (UTF-8; MB = 10^6 bytes)`);
  }
  lines.push(
    `Node ${s.node}; each tool in its own process: load (init), untimed passes for ≥ ${s.warmupSeconds} s (the first shown), ` +
      `${s.repeats} timed repeats (median)`,
    '',
  );
  if (s.quick) lines.push('(--quick: a smoke test; too short for V8 to finish optimizing, so not figures to quote)', '');
  if (s.tools.length) lines.push(...figuresTable(s.tools), ...toolNotes(s.tools), ...loadWarning(s.tools), '');
  for (const f of s.failures) lines.push(`FAILED ${f.tool}: ${f.error}`);
  if (s.ratio !== null) {
    const verdict = s.targetMet ? 'target met' : 'target missed';
    lines.push(`Throughput ours / ${peer}: ${s.ratio.toFixed(2)}× (target ≥ ${s.targetRatio}×): ${verdict}`);
    lines.push(`Cold start (load + first pass, one CLI run) ours / ${peer}: ${s.coldRatio!.toFixed(2)}× (not the target)`);
    if (s.parseRatio !== null) lines.push(`tree-sitter parse alone / ${peer}: ${s.parseRatio.toFixed(2)}× (the ceiling for ours)`);
    lines.push('');
  } else {
    lines.push(`Throughput ours / ${peer}: not available (a tool did not run)`, '');
  }
  if (s.comparison) lines.push(...comparison(s.comparison));
  return lines.join('\n');
}
