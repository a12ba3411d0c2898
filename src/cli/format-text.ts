/**
 * The CLI's report for people: one block per file (functions with their verdict and
 * strongest evidence, then the file's diagnostics) and a one-line summary.
 *
 * Colour is decided by the caller ({@link shouldUseColor}) and applied here from one small
 * table of ANSI codes; with `color: false` the output is plain text, byte for byte the same
 * text minus the escape codes.
 */
import * as path from 'node:path';
import { KIND_NAME, kindLabel } from '../core/labels';
import type { Diagnostic, Evidence, FileResult, FunctionResult, Kind, Severity } from '../core/model';

export { kindLabel };

/** Options of {@link formatText}. */
export interface TextFormatOptions {
  /** Emit ANSI colour codes. */
  color: boolean;
  /** Absolute paths under this folder are shown relative to it. */
  cwd?: string;
}

/** The only escape codes the text report uses. */
const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;
type Style = Exclude<keyof typeof ANSI, 'reset'>;

const KIND_STYLE: Record<Kind, Style> = { io: 'cyan', cpu: 'magenta', mixed: 'yellow', neither: 'dim' };
const SEVERITY_STYLE: Record<Severity, Style> = { warning: 'yellow', information: 'blue', hint: 'dim' };
const SEVERITY_ORDER: Severity[] = ['warning', 'information', 'hint'];
const KIND_ORDER: Kind[] = ['io', 'cpu', 'mixed', 'neither'];

/** Long qualified names overflow their column instead of widening every row. */
const MAX_NAME_WIDTH = 40;

/**
 * Decides whether output to `stream` gets colour. Follows Node's own rules: `FORCE_COLOR`
 * wins (`0`/`false` turn colour off, any other value, even empty, turns it on), then
 * `NO_COLOR` (any non-empty value) and `NODE_DISABLE_COLORS` turn it off, then a `dumb`
 * terminal; otherwise colour only when the stream is a terminal.
 */
export function shouldUseColor(stream: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR']) return false;
  if (env['NODE_DISABLE_COLORS']) return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}


/**
 * One piece of evidence: `requests.get (line 14)`, or with a chain through project functions
 * `fetch_all → get_json → requests.get (line 14)`, where the line is the call site in this
 * function; a leaf call in another file adds its place, from this file's folder (`; http.py:5`).
 */
export function describeEvidence(fn: Pick<FunctionResult, 'name'>, evidence: Evidence, filePath: string): string {
  const chain = evidence.via.length > 0 ? [fn.name, ...evidence.via, evidence.call].join(' → ') : evidence.call;
  const { origin } = evidence;
  // Shown from the file's own folder: `fetch.py:40` rather than the whole path again.
  const elsewhere =
    origin.path !== filePath ? `; ${path.relative(path.dirname(filePath), origin.path) || origin.path}:${origin.line}` : '';
  return `${chain} (line ${evidence.span.line}${elsewhere})`;
}

/** Formats analysis results as a human-readable report, ending with a newline. */
export function formatText(results: FileResult[], options: TextFormatOptions): string {
  const paint = (style: Style, text: string): string =>
    options.color && text !== '' ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  const blocks: string[] = [];
  for (const file of results) {
    const block = formatFile(file, displayPath(file.path, options.cwd), paint);
    if (block !== '') blocks.push(block);
  }
  blocks.push(summaryLine(results, paint));
  return `${blocks.join('\n\n')}\n`;
}

type Paint = (style: Style, text: string) => string;

function formatFile(file: FileResult, shownPath: string, paint: Paint): string {
  const hasContent =
    file.error !== undefined || (file.syntaxErrors ?? 0) > 0 || file.functions.length > 0 || file.diagnostics.length > 0;
  if (!hasContent) return '';

  const lines = [paint('bold', shownPath)];
  if (file.error !== undefined) lines.push(`  ${paint('red', 'error:')} ${file.error}`);
  if (file.syntaxErrors) {
    const count = plural(file.syntaxErrors, 'syntax error');
    lines.push(`  ${paint('yellow', 'note:')} ${count}; the results around them may be incomplete`);
  }

  const functions = [...file.functions].sort((a, b) => a.line - b.line);
  const rows = functions.map((fn) => ({
    fn,
    line: String(fn.line),
    name: fn.async ? `async ${fn.name}` : fn.name,
    verdict: kindLabel(fn),
    evidence: fn.evidence.length > 0 ? describeEvidence(fn, fn.evidence[0], file.path) : '',
    more: fn.evidence.length > 1 ? ` +${fn.evidence.length - 1} more` : '',
  }));
  const lineWidth = Math.max(0, ...rows.map((r) => r.line.length));
  const nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(0, ...rows.map((r) => r.name.length)));
  const verdictWidth = Math.max(0, ...rows.map((r) => r.verdict.length));
  const confidenceWidth = Math.max(0, ...rows.map((r) => r.fn.confidence.length));
  for (const row of rows) {
    const name = row.fn.async
      ? `${paint('dim', 'async')} ${row.fn.name}${' '.repeat(Math.max(0, nameWidth - row.name.length))}`
      : row.name.padEnd(nameWidth);
    const cells = [
      paint('dim', row.line.padStart(lineWidth)),
      name,
      paint(KIND_STYLE[row.fn.kind], row.verdict.padEnd(verdictWidth)),
      row.fn.confidence.padEnd(confidenceWidth),
      `${row.evidence}${paint('dim', row.more)}`,
    ];
    lines.push(`  ${cells.join('  ')}`.trimEnd());
  }

  const diagnostics = [...file.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const positionWidth = Math.max(0, ...diagnostics.map((d) => position(d).length));
  const severityWidth = Math.max(0, ...diagnostics.map((d) => d.severity.length));
  for (const diagnostic of diagnostics) {
    const cells = [
      position(diagnostic).padEnd(positionWidth),
      paint(SEVERITY_STYLE[diagnostic.severity], diagnostic.severity.padEnd(severityWidth)),
      paint('bold', diagnostic.code),
      diagnostic.message,
    ];
    lines.push(`  ${cells.join('  ')}`);
    const fix = diagnostic.fixes.find((f) => f.preferred) ?? diagnostic.fixes[0];
    if (fix) {
      const others = diagnostic.fixes.length > 1 ? paint('dim', ` (+${diagnostic.fixes.length - 1} more)`) : '';
      lines.push(`  ${' '.repeat(positionWidth)}  ${paint('green', 'fix:')} ${fix.title}${others}`);
    }
  }
  return lines.join('\n');
}

function summaryLine(results: FileResult[], paint: Paint): string {
  const functions = results.flatMap((f) => f.functions);
  const diagnostics = results.flatMap((f) => f.diagnostics);
  const byKind = KIND_ORDER.map((kind) => ({ kind, n: functions.filter((fn) => fn.kind === kind).length }))
    .filter(({ n }) => n > 0)
    .map(({ kind, n }) => paint(KIND_STYLE[kind], `${n} ${kind === 'mixed' ? 'mixed' : KIND_NAME[kind]}`));
  const bySeverity = SEVERITY_ORDER.map((severity) => ({ severity, n: diagnostics.filter((d) => d.severity === severity).length }))
    .filter(({ n }) => n > 0)
    .map(({ severity, n }) => paint(SEVERITY_STYLE[severity], `${n} ${severity}`));
  const parts = [
    plural(results.length, 'file'),
    plural(functions.length, 'function') + (byKind.length > 0 ? ` (${byKind.join(', ')})` : ''),
    plural(diagnostics.length, 'diagnostic') + (bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''),
  ];
  const failed = results.filter((f) => f.error !== undefined).length;
  if (failed > 0) parts.push(paint('red', `${plural(failed, 'file')} with errors`));
  return parts.join(' · ');
}


function position(diagnostic: Diagnostic): string {
  return `${diagnostic.line}:${diagnostic.column}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Absolute paths inside `cwd` become relative; everything else is shown as found. */
function displayPath(filePath: string, cwd: string | undefined): string {
  if (cwd === undefined || !path.isAbsolute(filePath)) return filePath;
  const relative = path.relative(cwd, filePath);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return relative !== '' && !outside ? relative : filePath;
}
