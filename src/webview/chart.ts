/**
 * The wall-time chart: one horizontal bar per strategy (the median) with a whisker from the
 * fastest to the slowest sample, as a small tree of SVG nodes.
 *
 * Small code rather than a chart library: a library would weigh more than the whole view, most
 * set inline `style` attributes (refused by the view's CSP, which allows styles only from the
 * extension's stylesheet), and theming them means mapping every VS Code colour by hand; here the
 * bars carry classes and media/bench-panel.css colours them with the theme's variables.
 *
 * The layout is pure and returns data: attributes are numbers or fixed class names, and text
 * (strategy names, figures) stays text, so the page builds it with createElementNS and text
 * nodes, never with markup. {@link toSvgMarkup} writes the same tree as escaped markup (tests,
 * and anyone who needs the picture as a file).
 */

/** One bar: a strategy's wall times for a batch, seconds. */
export interface ChartRow {
  label: string;
  median: number;
  min: number;
  max: number;
  /** Samples spread too much: drawn hatched and marked "?", never as a firm figure. */
  inconclusive: boolean;
  /** The figure written after the bar ("12.3 ms"). */
  valueText: string;
}

/** A node of the picture: an element with attributes and children, or text. */
export type SvgNode = { tag: string; attrs: Record<string, string | number>; children: SvgNode[] } | { text: string };

export interface ChartGeometry {
  width: number;
  rowHeight: number;
  labelWidth: number;
  valueWidth: number;
  axisHeight: number;
}

export const DEFAULT_GEOMETRY: ChartGeometry = { width: 360, rowHeight: 24, labelWidth: 84, valueWidth: 76, axisHeight: 18 };

/** Bar, whisker and label positions, for the picture and for tests. */
export interface BarLayout {
  row: ChartRow;
  y: number;
  barWidth: number;
  whiskerFrom: number;
  whiskerTo: number;
}

export interface ChartLayout {
  geometry: ChartGeometry;
  height: number;
  /** x of the value 0; the plot runs from here to `plotRight`. */
  plotLeft: number;
  plotRight: number;
  /** The axis' end value, seconds (a round number at or above every max). */
  scaleMax: number;
  ticks: Array<{ value: number; x: number }>;
  bars: BarLayout[];
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `x` (x > 0). */
export function niceCeiling(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) if (step * power >= x * (1 - 1e-12)) return step * power;
  return 10 * power;
}

const clean = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

/** Places the bars: medians and whiskers on one linear scale from 0 to a round maximum. */
export function layoutChart(rows: readonly ChartRow[], geometry: ChartGeometry = DEFAULT_GEOMETRY): ChartLayout {
  const plotLeft = geometry.labelWidth;
  const plotRight = geometry.width - geometry.valueWidth;
  const largest = Math.max(0, ...rows.map((r) => Math.max(clean(r.max), clean(r.median))));
  const scaleMax = niceCeiling(largest);
  const x = (v: number): number => plotLeft + (Math.min(clean(v), scaleMax) / scaleMax) * (plotRight - plotLeft);
  const bars = rows.map((row, i) => {
    const low = Math.min(clean(row.min), clean(row.max));
    const high = Math.max(clean(row.min), clean(row.max));
    return { row, y: i * geometry.rowHeight, barWidth: x(row.median) - plotLeft, whiskerFrom: x(low), whiskerTo: x(high) };
  });
  const ticks = [0, 0.5, 1].map((f) => ({ value: f * scaleMax, x: plotLeft + f * (plotRight - plotLeft) }));
  return { geometry, height: rows.length * geometry.rowHeight + geometry.axisHeight, plotLeft, plotRight, scaleMax, ticks, bars };
}

const round = (x: number): number => Math.round(x * 100) / 100;

function el(tag: string, attrs: Record<string, string | number>, ...children: SvgNode[]): SvgNode {
  return { tag, attrs, children };
}

/**
 * The picture as a tree. `formatTick` writes an axis value; `title` is the accessible name (the
 * page also shows the same figures as a table).
 */
export function chartTree(layout: ChartLayout, title: string, formatTick: (seconds: number) => string): SvgNode {
  const { geometry: g } = layout;
  const barHeight = Math.round(g.rowHeight * 0.55);
  const plotBottom = layout.height - g.axisHeight;
  const rows = layout.bars.map((bar) => {
    const middle = bar.y + g.rowHeight / 2;
    const top = middle - barHeight / 2;
    const state = bar.row.inconclusive ? 'bar inconclusive' : 'bar';
    return el(
      'g',
      { class: 'chart-row' },
      el('text', { class: 'chart-label', x: layout.plotLeft - 6, y: round(middle), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, { text: bar.row.label }),
      el('rect', { class: state, x: layout.plotLeft, y: round(top), width: round(Math.max(bar.barWidth, 0)), height: barHeight }),
      el('line', { class: 'whisker', x1: round(bar.whiskerFrom), x2: round(bar.whiskerTo), y1: round(middle), y2: round(middle) }),
      el('line', { class: 'whisker', x1: round(bar.whiskerFrom), x2: round(bar.whiskerFrom), y1: round(top + 2), y2: round(top + barHeight - 2) }),
      el('line', { class: 'whisker', x1: round(bar.whiskerTo), x2: round(bar.whiskerTo), y1: round(top + 2), y2: round(top + barHeight - 2) }),
      el(
        'text',
        { class: 'chart-value', x: round(Math.max(bar.whiskerTo, layout.plotLeft + bar.barWidth) + 6), y: round(middle), 'dominant-baseline': 'middle' },
        { text: bar.row.inconclusive ? `${bar.row.valueText} ?` : bar.row.valueText },
      ),
    );
  });
  const axis = el(
    'g',
    { class: 'chart-axis' },
    el('line', { class: 'axis', x1: layout.plotLeft, x2: layout.plotRight, y1: plotBottom, y2: plotBottom }),
    ...layout.ticks.map((t) =>
      el('text', { class: 'chart-tick', x: round(t.x), y: plotBottom + g.axisHeight - 4, 'text-anchor': t.value === 0 ? 'start' : t.x >= layout.plotRight ? 'end' : 'middle' }, { text: formatTick(t.value) }),
    ),
  );
  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', class: 'chart', viewBox: `0 0 ${g.width} ${layout.height}`, role: 'img' },
    el('title', {}, { text: title }),
    ...rows,
    axis,
  );
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for markup, in element content and in double-quoted attributes. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const NAME = /^[a-zA-Z][\w:-]*$/;

/** The tree as SVG markup; every text and attribute value is escaped, and names are checked. */
export function toSvgMarkup(node: SvgNode): string {
  if ('text' in node) return escapeMarkup(node.text);
  if (!NAME.test(node.tag)) throw new Error(`not an element name: ${node.tag}`);
  const attrs = Object.entries(node.attrs).map(([name, value]) => {
    if (!NAME.test(name)) throw new Error(`not an attribute name: ${name}`);
    return ` ${name}="${escapeMarkup(String(value))}"`;
  });
  return `<${node.tag}${attrs.join('')}>${node.children.map(toSvgMarkup).join('')}</${node.tag}>`;
}
