/**
 * The one-line summary of a benchmark shown at the end of the function's line after a run:
 * `⏱ processes 1.8× · threads 1.0× — CPU-bound`. Strategies by speedup, best first; a `?` marks
 * a strategy whose samples spread too much to trust; the measured verdict last, with the static
 * one when they disagree. No `vscode` import.
 */
import type { BenchJson } from '../bench/report';

const VERDICT_WORDS: Record<string, string> = { io: 'I/O-bound', cpu: 'CPU-bound', mixed: 'mixed', neither: 'no I/O or CPU work' };

/** `1.8×`, `12×` (two significant digits are what a glance needs). */
function times(speedup: number): string {
  if (!Number.isFinite(speedup)) return '?×';
  return `${speedup >= 10 ? Math.round(speedup) : speedup.toFixed(1)}×`;
}

/** The headline of a benchmark report. */
export function benchHeadline(report: Pick<BenchJson, 'results' | 'verdict' | 'static' | 'agreement' | 'inconclusive'>): string {
  const others = report.results.filter((r) => r.strategy !== 'sequential').sort((a, b) => b.speedup - a.speedup);
  const strategies = others.map((r) => `${r.strategy} ${times(r.speedup)}${r.inconclusive ? '?' : ''}`);
  const verdict = VERDICT_WORDS[report.verdict] ?? report.verdict;
  const staticWords = report.agreement === 'disagrees' ? ` (static: ${VERDICT_WORDS[report.static] ?? report.static})` : '';
  const noisy = report.inconclusive ? ', noisy' : '';
  const head = strategies.length > 0 ? `${strategies.join(' · ')} — ` : 'sequential only — ';
  return `⏱ ${head}${verdict}${staticWords}${noisy}`;
}
