/**
 * The Benchmarks view's exports. JSON is the runs' reports exactly as `concurrency-lens bench
 * --format json` prints them (an array, oldest run first), so whatever reads the CLI's output
 * reads an export; Markdown is a readable table per run with the same words as the view.
 *
 * Pure (no `vscode`): the panel writes the text where the user chose.
 */
import type { BenchRecord } from './bench-history';
import { formatPercent, runView } from '../webview/view-model';
import type { ExportFormat } from '../webview/protocol';

/**
 * Text safe in a Markdown table cell or line: no HTML (Markdown renders it), no cell breaks, no
 * line breaks, and Markdown's own punctuation taken literally.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

/** A Markdown table; figures (every column after the first) right-aligned when `figures`. */
function table(header: string[], rows: string[][], figures: boolean): string[] {
  const rule = header.map((_, i) => (i > 0 && figures ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** One run as a section: heading, verdicts, the strategy table, the recommendation, the settings. */
function runMarkdown(record: BenchRecord): string[] {
  const view = runView(record);
  const out = [`## ${markdownText(view.name)} — ${markdownText(view.where)}`, '', `Run ${markdownText(view.when)}: ${markdownText(view.headline)}`, ''];
  out.push(`- **Measured:** ${markdownText(view.measured)}`);
  out.push(`- **Static:** ${markdownText(view.staticVerdict)} — ${markdownText(view.agreement.headline)}`);
  for (const reason of view.agreement.reasons) out.push(`  - ${markdownText(reason)}`);
  if (view.inconclusive) out.push(`- **${markdownText(view.inconclusive)}**`);
  if (view.busy) out.push(`- ${markdownText(view.busy)}`);
  out.push('');
  out.push(
    ...table(
      ['Strategy', 'Median wall per batch', 'Min – max', 'Spread', 'Speedup', 'CPU/wall', 'Pool start-up'],
      view.rows.map((r) => [
        markdownText(r.method ? `${r.strategy} (${r.method})` : r.strategy),
        r.inconclusive ? `${r.median} (inconclusive)` : r.median,
        r.range,
        r.spread,
        r.inconclusive ? `${r.speedup}?` : r.speedup,
        r.cpuRatio,
        r.startup,
      ]),
      true,
    ),
  );
  out.push('', `Speedup is over sequential; a batch is ${record.report.tasks} calls; spreads over ${formatPercent(record.report.spreadLimit ?? 0.1)} are inconclusive.`, '');
  for (const cost of view.costs) out.push(`- ${markdownText(cost)}`);
  if (view.costs.length > 0) out.push('');
  if (view.advice.trim()) out.push(`**Advice:** ${markdownText(view.advice)}`, '');
  out.push(`**Measurement:** ${markdownText(view.measuredAdvice)}`, '');
  for (const skipped of view.skipped) out.push(`- ${markdownText(skipped)}`);
  out.push(...table(['Setting', 'Value'], view.settings.map((s) => [markdownText(s.label), markdownText(s.value)]), false), '');
  return out;
}

/** The Markdown export: a title, then one section per run, oldest first. */
export function recordsToMarkdown(records: readonly BenchRecord[]): string {
  const names = [...new Set(records.map((r) => r.name))];
  const title = names.length === 1 ? `# Benchmarks of ${markdownText(names[0])}` : '# Benchmarks';
  return [title, '', ...records.flatMap(runMarkdown)].join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The JSON export: the CLI reports of the runs, oldest first. */
export function recordsToJson(records: readonly BenchRecord[]): string {
  return `${JSON.stringify(
    records.map((r) => r.report),
    null,
    2,
  )}\n`;
}

/** The export's text in `format`. */
export function exportText(format: ExportFormat, records: readonly BenchRecord[]): string {
  return format === 'json' ? recordsToJson(records) : recordsToMarkdown(records);
}
