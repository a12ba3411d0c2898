/**
 * The Benchmarks view's page (bundled to dist/bench-panel.js; runs in the webview, a browser).
 *
 * It asks the extension for the history ('ready'), checks every message that arrives
 * (./protocol.ts), and renders the selected function: verdicts, chart and table, recommendation,
 * settings, history with a comparison of two runs, export buttons. Its own choices (function,
 * run, compared runs) live in the webview state, so a reload shows the same thing.
 */
import type { BenchRecord } from '../extension/bench-history';
import { chartTree, layoutChart } from './chart';
import { h, svgElement, type Child } from './dom';
import { checkHostMessage, type ExportFormat, type WebviewMessage } from './protocol';
import { compareRuns, formatSeconds, functionEntries, runView, type RunView } from './view-model';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the user chose; kept across reloads by the webview state. */
interface ViewState {
  /** The function shown (its key). */
  key?: string;
  /** The run shown; the newest when absent or gone. */
  runId?: string;
  /** The runs compared (ids); the two newest when absent or gone. */
  before?: string;
  after?: string;
  /** The newest run seen: a newer one means a run just finished, and its function is shown. */
  newest?: string;
  /** Export every function's runs rather than the shown one's. */
  exportAll?: boolean;
}

const vscode = acquireVsCodeApi();

/** The stored state, when it has the shape written above (an older page may have written another). */
function restoredState(value: unknown): ViewState {
  if (typeof value !== 'object' || value === null) return {};
  const state: ViewState = {};
  const stored = value as Record<string, unknown>;
  for (const field of ['key', 'runId', 'before', 'after', 'newest'] as const) if (typeof stored[field] === 'string') state[field] = stored[field];
  if (typeof stored.exportAll === 'boolean') state.exportAll = stored.exportAll;
  return state;
}

let state = restoredState(vscode.getState());
let records: BenchRecord[] | undefined;
let dropped = 0;

const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;

function setState(next: Partial<ViewState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

function emptyState(): HTMLElement {
  return h(
    'section',
    { class: 'empty', 'data-testid': 'empty-state', 'aria-labelledby': 'empty-heading' },
    h('h2', { id: 'empty-heading' }, 'No benchmarks yet'),
    h('p', {}, 'Run a function under every concurrency strategy (sequential, threads, processes, async, subinterpreters, worker threads, and a Dask cluster when enabled) and see what actually makes it faster, next to what the analyzer predicts. Start a run from:'),
    h(
      'ul',
      {},
      h('li', {}, 'the Command Palette: ', h('strong', {}, 'Concurrency Lens: Benchmark Function at Cursor'), ' (with the cursor in a Python, JavaScript or TypeScript function);'),
      h('li', {}, 'the ', h('strong', {}, '▶ Benchmark'), ' CodeLens above a function;'),
      h('li', {}, 'the ', h('strong', {}, 'Benchmark'), ' link in a function’s hover.'),
    ),
    h('p', {}, 'Each function keeps its last runs here, so a run after a quick fix can be compared with the one before. Benchmarks run your code in a separate process, only when you ask and only in a trusted workspace.'),
  );
}

function select(id: string, label: string, options: Array<{ value: string; text: string }>, selected: string, onChange: (value: string) => void): HTMLElement {
  // Named by its <label for>: one accessible name, the visible one.
  const control = h('select', { id });
  for (const option of options) control.append(h('option', { value: option.value, selected: option.value === selected }, option.text));
  control.addEventListener('change', () => onChange(control.value));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function verdictBlock(view: RunView): HTMLElement {
  const agreement = view.agreement.agrees === undefined ? 'unknown' : view.agreement.agrees ? 'agrees' : 'disagrees';
  return h(
    'div',
    { class: `verdict ${agreement}`, 'data-testid': 'verdict', 'data-agreement': agreement },
    h('p', {}, h('span', { class: 'label' }, 'Measured: '), h('span', { 'data-testid': 'measured-verdict' }, view.measured)),
    h('p', {}, h('span', { class: 'label' }, 'Static: '), h('span', { 'data-testid': 'static-verdict' }, view.staticVerdict)),
    h('p', { class: 'agreement' }, h('strong', { 'data-testid': 'agreement' }, view.agreement.headline)),
    view.agreement.reasons.length > 0 && h('ul', { class: 'reasons' }, ...view.agreement.reasons.map((r) => h('li', {}, r))),
  );
}

function strategyTable(view: RunView): HTMLElement {
  const head = ['Strategy', 'Median', 'Min–max', 'Spread', 'Speedup', 'CPU/wall', 'Pool start-up'];
  return scrolling(h(
    'table',
    { class: 'strategies', 'data-testid': 'strategy-table' },
    h('caption', {}, 'Wall time per batch, per strategy (the chart’s figures)'),
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...view.rows.map((r) =>
        h(
          'tr',
          { 'data-testid': 'strategy-row', 'data-strategy': r.strategy, class: r.inconclusive ? 'inconclusive' : undefined },
          h('th', { scope: 'row' }, r.strategy, r.method && h('span', { class: 'method' }, r.method)),
          h('td', {}, r.median),
          h('td', {}, r.range),
          h('td', {}, r.spread, r.inconclusive && h('span', { class: 'flag', title: 'inconclusive: samples spread too much' }, ' inconclusive')),
          h('td', { 'data-testid': 'speedup' }, r.inconclusive ? `${r.speedup}?` : r.speedup),
          h('td', {}, r.cpuRatio),
          h('td', { 'data-testid': 'startup' }, r.startup),
        ),
      ),
    ),
  ));
}

/** Wide tables scroll sideways in a narrow side bar instead of wrapping every figure. */
function scrolling(table: HTMLElement): HTMLElement {
  // Focusable, so the keyboard can scroll it too.
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Table, scrolls sideways' }, table);
}

function chart(view: RunView): HTMLElement {
  const title = `Wall time per batch of ${view.name}, per strategy: bars are medians, whiskers span the fastest to the slowest sample`;
  const svg = svgElement(chartTree(layoutChart(view.chart), title, formatSeconds)) as SVGElement;
  svg.setAttribute('aria-describedby', 'chart-caption');
  return h('figure', { class: 'chart-figure' }, svg, h('figcaption', { id: 'chart-caption' }, 'Bars: median; whiskers: fastest to slowest sample; ? marks an inconclusive strategy. The table below has the same figures.'));
}

function settingsList(view: RunView): HTMLElement {
  return h('dl', { class: 'settings', 'data-testid': 'settings' }, ...view.settings.flatMap((s) => [h('dt', {}, s.label), h('dd', {}, s.value)]));
}

function runSection(view: RunView, runs: BenchRecord[]): HTMLElement {
  const runOptions = [...runs].reverse().map((r, i) => ({ value: r.id, text: `${i === 0 ? 'Latest: ' : ''}${runView(r).when}` }));
  return h(
    'section',
    { class: 'run', 'aria-labelledby': 'run-heading', 'data-testid': 'run' },
    h('h3', { id: 'run-heading' }, view.name),
    h('p', { class: 'meta' }, view.where, ' · ', view.when, ' · arguments: ', h('code', {}, view.args.trim() === '' ? '(none)' : view.args)),
    h(
      'div',
      { class: 'toolbar' },
      runs.length > 1 && select('run-select', 'Run shown', runOptions, view.id, (id) => (setState({ runId: id }), render())),
      button('reveal', 'Go to function', `Open ${view.name} in the editor`, () => vscode.postMessage({ type: 'reveal', id: view.id })),
    ),
    verdictBlock(view),
    view.inconclusive && h('p', { class: 'notice inconclusive', role: 'note', 'data-testid': 'inconclusive' }, view.inconclusive),
    view.busy && h('p', { class: 'notice', role: 'note' }, view.busy),
    h('h4', {}, 'Wall time per strategy'),
    chart(view),
    strategyTable(view),
    view.costs.length > 0 && h('ul', { class: 'costs', 'data-testid': 'costs' }, ...view.costs.map((c) => h('li', {}, c))),
    h('h4', {}, 'Recommendation'),
    h(
      'div',
      { class: 'recommendation', 'data-testid': 'recommendation' },
      view.advice.trim() !== '' && h('p', {}, h('span', { class: 'label' }, 'Analyzer: '), view.advice),
      h('p', {}, h('span', { class: 'label' }, 'Measurement: '), view.measuredAdvice),
      view.skipped.length > 0 && h('ul', {}, ...view.skipped.map((s) => h('li', {}, s))),
    ),
    h('h4', {}, 'Settings of this run'),
    settingsList(view),
  );
}

/** A button named by its visible text; `hint` is the tooltip (and accessible description). */
function button(id: string, text: string, hint: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { id, type: 'button', title: hint }, text);
  b.addEventListener('click', onClick);
  return b;
}

function historySection(runs: BenchRecord[]): HTMLElement {
  const newestFirst = [...runs].reverse();
  const rows = newestFirst.map((r) => {
    const v = runView(r);
    return h('tr', { 'data-testid': 'history-row', 'data-run': r.id }, h('td', {}, v.when), h('td', {}, v.headline), h('td', {}, h('code', {}, r.args.trim() === '' ? '(none)' : r.args)));
  });
  const section = h(
    'section',
    { class: 'history', 'aria-labelledby': 'history-heading', 'data-testid': 'history' },
    h('h3', { id: 'history-heading' }, `History (${runs.length} run${runs.length === 1 ? '' : 's'})`),
    h(
      'table',
      {},
      h('caption', {}, 'Runs of this function, newest first, with their speedups over sequential'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Speedups and verdict'), h('th', { scope: 'col' }, 'Arguments'))),
      h('tbody', {}, ...rows),
    ),
  );
  if (runs.length < 2) {
    section.append(h('p', { class: 'hint' }, 'Run the benchmark again (after a quick fix, say) to compare two runs here.'));
    return section;
  }
  const ids = new Set(runs.map((r) => r.id));
  const afterId = state.after && ids.has(state.after) ? state.after : newestFirst[0].id;
  const beforeId = state.before && ids.has(state.before) ? state.before : newestFirst[1].id;
  const options = newestFirst.map((r) => ({ value: r.id, text: runView(r).when }));
  const before = runs.find((r) => r.id === beforeId) as BenchRecord;
  const after = runs.find((r) => r.id === afterId) as BenchRecord;
  const comparison = compareRuns(before, after);
  section.append(
    h('h4', { id: 'compare-heading' }, 'Compare two runs'),
    h(
      'div',
      { class: 'toolbar' },
      select('compare-before', 'Before', options, beforeId, (id) => (setState({ before: id }), render())),
      select('compare-after', 'After', options, afterId, (id) => (setState({ after: id }), render())),
    ),
    scrolling(h(
      'table',
      { class: 'comparison', 'data-testid': 'comparison', 'aria-labelledby': 'compare-heading' },
      h('thead', {}, h('tr', {}, ...['Strategy', 'Before (median)', 'After (median)', 'After / before', 'Change'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...comparison.rows.map((r) =>
          h(
            'tr',
            { 'data-testid': 'comparison-row', 'data-strategy': r.strategy },
            h('th', { scope: 'row' }, r.inconclusive ? `${r.strategy} ?` : r.strategy),
            h('td', {}, r.before),
            h('td', {}, r.after),
            h('td', {}, r.ratio),
            h('td', {}, r.change),
          ),
        ),
      ),
    )),
    ...comparison.caveats.map((c) => h('p', { class: 'hint' }, c)),
  );
  return section;
}

function exportSection(key: string): HTMLElement {
  const all = h('input', { type: 'checkbox', id: 'export-all', checked: state.exportAll === true });
  all.addEventListener('change', () => setState({ exportAll: all.checked }));
  const send = (format: ExportFormat): void => {
    status.textContent = '';
    vscode.postMessage(state.exportAll ? { type: 'export', format } : { type: 'export', format, key });
  };
  return h(
    'section',
    { class: 'export', 'aria-labelledby': 'export-heading' },
    h('h3', { id: 'export-heading' }, 'Export'),
    h(
      'div',
      { class: 'toolbar' },
      button('export-markdown', 'Export Markdown', 'Export the runs as Markdown', () => send('markdown')),
      button('export-json', 'Export JSON', 'Export the runs as JSON (the CLI reports)', () => send('json')),
      h('div', { class: 'field checkbox' }, all, h('label', { for: 'export-all' }, 'All functions')),
    ),
  );
}

function content(list: BenchRecord[]): Child[] {
  const entries = functionEntries(list);
  const newest = list[list.length - 1];
  // A run the page has not seen yet has just finished: show its function and that run.
  if (newest.id !== state.newest) setState({ newest: newest.id, key: newest.key, runId: undefined, before: undefined, after: undefined });
  const key = entries.some((e) => e.key === state.key) ? (state.key as string) : entries[0].key;
  const runs = list.filter((r) => r.key === key);
  const shown = runs.find((r) => r.id === state.runId) ?? runs[runs.length - 1];
  const options = entries.map((e) => ({ value: e.key, text: `${e.name} — ${e.file} (${e.runs} run${e.runs === 1 ? '' : 's'})` }));
  return [
    h(
      'header',
      {},
      h('h2', {}, 'Benchmarks'),
      select('function-select', 'Function', options, key, (k) => (setState({ key: k, runId: undefined, before: undefined, after: undefined }), render())),
    ),
    dropped > 0 && droppedNotice(),
    runSection(runView(shown), runs),
    historySection(runs),
    exportSection(key),
  ];
}

function droppedNotice(): HTMLElement {
  return h('p', { class: 'notice', role: 'note' }, `${dropped} stored run(s) could not be read and are not shown.`);
}

/** Draws everything again; the focused control keeps the focus (same id after the redraw). */
function render(): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  app.replaceChildren();
  app.removeAttribute('aria-busy');
  if (!records) return;
  if (records.length === 0) {
    app.append(emptyState());
    if (dropped > 0) app.append(droppedNotice());
  }
  else for (const child of content(records)) if (child) app.append(child);
  if (focused) document.getElementById(focused)?.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const checked = checkHostMessage(event.data);
  if (!checked.ok) return; // Not ours, or malformed: nothing to act on.
  const message = checked.message;
  if (message.type === 'history') {
    records = message.records;
    dropped = checked.dropped ?? 0;
    render();
  } else {
    status.textContent = message.message;
    status.className = message.ok ? 'ok' : 'error';
  }
});

vscode.postMessage({ type: 'ready' });
