/** The wall-time chart: geometry of bars and whiskers on real reports, edge values, and escaping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GEOMETRY, chartTree, escapeMarkup, layoutChart, niceCeiling, toSvgMarkup, type ChartRow, type SvgNode } from '../../src/webview/chart';
import { formatSeconds } from '../../src/webview/view-model';
import { loadReport } from './bench-panel-fixtures';

function rowsOf(name: Parameters<typeof loadReport>[0]): ChartRow[] {
  return loadReport(name).results.map((r) => ({
    label: r.strategy,
    median: r.wallSeconds.median,
    min: r.wallSeconds.min,
    max: r.wallSeconds.max,
    inconclusive: r.inconclusive,
    valueText: formatSeconds(r.wallSeconds.median),
  }));
}

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

/** Every attribute value in the tree. */
function attributeValues(node: SvgNode): string[] {
  if ('text' in node) return [];
  return [...Object.values(node.attrs).map(String), ...node.children.flatMap(attributeValues)];
}

function texts(node: SvgNode): string[] {
  return 'text' in node ? [node.text] : node.children.flatMap(texts);
}

void describe('bench panel chart', () => {
  void it('rounds the scale up to 1, 2 or 5 × 10ⁿ', () => {
    assert.equal(niceCeiling(0.0037), 0.005);
    assert.equal(niceCeiling(0.04), 0.05);
    assert.equal(niceCeiling(0.041), 0.05);
    assert.equal(niceCeiling(1.5), 2);
    assert.equal(niceCeiling(2), 2);
    assert.equal(niceCeiling(7), 10);
    assert.equal(niceCeiling(0), 1);
    assert.equal(niceCeiling(Number.NaN), 1);
  });

  void it('draws each median as a bar and each min–max as a whisker on one linear scale', () => {
    for (const name of ['io_nap', 'cpu_busy_larger'] as const) {
      const rows = rowsOf(name);
      const layout = layoutChart(rows);
      const plot = layout.plotRight - layout.plotLeft;
      assert.ok(layout.scaleMax >= Math.max(...rows.map((r) => r.max)), 'every whisker fits');
      assert.ok(layout.scaleMax < 2.5 * Math.max(...rows.map((r) => r.max)), 'the scale is not needlessly long');
      assert.equal(layout.bars.length, rows.length);
      layout.bars.forEach((bar, i) => {
        close(bar.barWidth, (rows[i].median / layout.scaleMax) * plot, `${name} bar ${i}`);
        close(bar.whiskerFrom, layout.plotLeft + (rows[i].min / layout.scaleMax) * plot, `${name} whisker from ${i}`);
        close(bar.whiskerTo, layout.plotLeft + (rows[i].max / layout.scaleMax) * plot, `${name} whisker to ${i}`);
        assert.ok(bar.whiskerFrom <= layout.plotLeft + bar.barWidth && layout.plotLeft + bar.barWidth <= bar.whiskerTo, 'the median lies within the whisker');
        assert.ok(bar.whiskerTo <= layout.plotRight);
        assert.equal(bar.y, i * DEFAULT_GEOMETRY.rowHeight);
      });
      assert.equal(layout.height, rows.length * DEFAULT_GEOMETRY.rowHeight + DEFAULT_GEOMETRY.axisHeight);
      // io_nap: async (the shortest median) has the shortest bar; sequential the longest.
      if (name === 'io_nap') {
        const widths = layout.bars.map((b) => b.barWidth);
        assert.equal(widths.indexOf(Math.min(...widths)), rows.findIndex((r) => r.label === 'async'));
        assert.equal(widths.indexOf(Math.max(...widths)), rows.findIndex((r) => r.label === 'sequential'));
      }
    }
  });

  void it('keeps odd values inside the plot: zero, negative, NaN, infinite, min above max', () => {
    const rows: ChartRow[] = [
      { label: 'zero', median: 0, min: 0, max: 0, inconclusive: false, valueText: '0 s' },
      { label: 'nan', median: Number.NaN, min: Number.NaN, max: Number.NaN, inconclusive: false, valueText: '—' },
      { label: 'negative', median: -1, min: -2, max: -0.5, inconclusive: false, valueText: '' },
      { label: 'swapped', median: 0.5, min: 0.9, max: 0.1, inconclusive: true, valueText: '' },
      { label: 'infinite', median: Infinity, min: 0, max: Infinity, inconclusive: false, valueText: '' },
    ];
    const layout = layoutChart(rows);
    for (const bar of layout.bars) {
      for (const x of [bar.barWidth, bar.whiskerFrom, bar.whiskerTo]) assert.ok(Number.isFinite(x), `${bar.row.label}: ${x}`);
      assert.ok(bar.barWidth >= 0 && bar.whiskerFrom >= layout.plotLeft && bar.whiskerTo <= layout.plotRight, bar.row.label);
      assert.ok(bar.whiskerFrom <= bar.whiskerTo, bar.row.label);
    }
    assert.equal(layoutChart([]).bars.length, 0);
    assert.ok(!toSvgMarkup(chartTree(layoutChart(rows), 't', formatSeconds)).includes('NaN'));
  });

  void it('marks inconclusive strategies with a class and a "?" after the figure', () => {
    const rows = rowsOf('io_nap');
    const tree = chartTree(layoutChart(rows), 'title', formatSeconds);
    const markup = toSvgMarkup(tree);
    const processes = rows.find((r) => r.label === 'processes');
    assert.ok(processes?.inconclusive, 'the saved io_nap run has an inconclusive processes strategy');
    assert.equal((markup.match(/class="bar inconclusive"/g) ?? []).length, rows.filter((r) => r.inconclusive).length);
    assert.ok(texts(tree).includes(`${processes.valueText} ?`));
    assert.ok(texts(tree).includes(rows[0].valueText), 'a conclusive figure has no "?"');
  });

  void it('keeps labels as text, never in attributes, and escapes them in markup', () => {
    const hostile = '"><script>alert(\'x\')</script>&amp;';
    const rows: ChartRow[] = [{ label: hostile, median: 1, min: 0.5, max: 2, inconclusive: false, valueText: '<b>1 s</b>' }];
    const tree = chartTree(layoutChart(rows), `title ${hostile}`, formatSeconds);
    assert.ok(texts(tree).includes(hostile));
    for (const value of attributeValues(tree)) assert.doesNotMatch(value, /[<>"']/, `attribute ${value}`);
    const markup = toSvgMarkup(tree);
    assert.ok(!markup.includes('<script>') && !markup.includes('<b>'), markup);
    assert.ok(markup.includes('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;'));
    assert.equal(escapeMarkup(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.throws(() => toSvgMarkup({ tag: 'g onload=alert(1)', attrs: {}, children: [] }), /not an element name/);
    assert.throws(() => toSvgMarkup({ tag: 'g', attrs: { 'x" onload="y': 1 }, children: [] }), /not an attribute name/);
  });

  void it('writes ticks at 0, half and the end of the scale, and an accessible title', () => {
    const layout = layoutChart(rowsOf('io_nap'));
    assert.deepEqual(layout.ticks.map((t) => t.value), [0, layout.scaleMax / 2, layout.scaleMax]);
    assert.deepEqual(layout.ticks.map((t) => t.x), [layout.plotLeft, (layout.plotLeft + layout.plotRight) / 2, layout.plotRight]);
    const tree = chartTree(layout, 'Wall time of nap', formatSeconds);
    assert.ok(!('text' in tree) && tree.attrs.role === 'img');
    assert.ok(!('text' in tree) && 'tag' in tree.children[0] && tree.children[0].tag === 'title');
    assert.ok(texts(tree).includes(formatSeconds(layout.scaleMax)));
  });
});
