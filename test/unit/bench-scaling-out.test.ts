/**
 * The dask and interpreters strategies in every place a run is shown — the CLI's text report,
 * the Benchmarks view (rows, chart, costs, settings, advice), the headline, the Markdown export —
 * from real reports (test/fixtures/bench-panel/cpu_busy_dask.json, cpu_busy_314.json); and the
 * settings and CLI options that choose them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gilState } from '../../src/bench/gil';
import { formatBenchText } from '../../src/bench/report';
import { strategiesFor } from '../../src/bench/runner';
import { parseArgs, UsageError } from '../../src/cli/args';
import { benchHeadline } from '../../src/extension/bench-headline';
import { recordsToMarkdown } from '../../src/extension/bench-panel-export';
import { CHOOSABLE_STRATEGIES, DEFAULT_BENCH_STRATEGIES, normalizeScheduler, normalizeStrategies, runStrategies } from '../../src/extension/bench-strategies';
import { formatSeconds, measuredAdvice, runView } from '../../src/webview/view-model';
import { repoRoot } from '../support/repo';
import { loadReport, recordOf } from './bench-panel-fixtures';

void describe('bench: dask and interpreters in the reports', () => {
  void it('the text report has the dask row with its cluster, its costs, and the GIL’s state', () => {
    const json = loadReport('cpu_busy_dask');
    const text = formatBenchText(json);
    const dask = json.results.find((r) => r.strategy === 'dask');
    assert.ok(dask?.overheadSeconds !== undefined && dask.transferSeconds !== undefined && dask.startupSeconds !== undefined);
    assert.match(text, /^CPython 3\.11\.2 · GIL enabled \(standard build\) · 2 CPUs · 4 tasks · 2 workers/m);
    const row = text.split('\n').find((l) => l.trimStart().startsWith('dask '));
    assert.ok(row, text);
    assert.match(row, /local cluster, 2 processes \(2 at once\)$/);
    assert.ok(row.includes(`${dask.speedup.toFixed(2)}×`), row);
    assert.ok(text.includes(`dask: a batch of 4 empty tasks takes ${formatSeconds(dask.overheadSeconds)} (scheduling and messages, inside the timings)`), text);
    assert.equal(formatBenchText(loadReport('cpu_busy')).includes('empty tasks'), false, 'no costs line without Dask');
  });

  void it('names the GIL’s state of standard and free-threaded builds, in the report and the view alike', () => {
    const json = loadReport('cpu_busy_314');
    assert.equal(gilState(json.language, json.environment), 'GIL enabled (standard build)');
    assert.equal(gilState('python', { ...json.environment, freeThreadedBuild: true, gilEnabled: false }), 'no GIL (free-threaded build)');
    assert.equal(gilState('python', { ...json.environment, freeThreadedBuild: true, gilEnabled: true }), 'GIL enabled (free-threaded build)');
    assert.equal(gilState('javascript', json.environment), undefined);
  });

  void it('the view shows the dask row and bar, its costs under the table, and the cluster among the settings', () => {
    const record = recordOf('cpu_busy_dask');
    const view = runView(record);
    const dask = record.report.results.find((r) => r.strategy === 'dask');
    assert.ok(dask);
    const row = view.rows.find((r) => r.strategy === 'dask');
    assert.deepEqual(row && { method: row.method, median: row.median, startup: row.startup }, {
      method: 'local cluster, 2 processes',
      median: formatSeconds(dask.wallSeconds.median),
      startup: formatSeconds(dask.startupSeconds ?? Number.NaN),
    });
    assert.deepEqual(view.chart.map((c) => c.label), ['sequential', 'threads', 'processes', 'dask']);
    assert.equal(view.costs.length, 1);
    assert.match(view.costs[0], /^dask: a batch of 4 empty tasks takes .+; sending each call’s arguments and result adds .+ per batch \(not in the timings\)\.$/);
    const settings = new Map(view.settings.map((s) => [s.label, s.value]));
    assert.equal(settings.get('Dask'), 'local cluster, 2 processes');
    assert.equal(settings.get('GIL'), 'GIL enabled (standard build)');
    assert.match(settings.get('Pool start-up') ?? '', /dask \d/);
    assert.match(view.headline, /dask \d\.\d\d×/);
    assert.match(benchHeadline(record.report), /dask \d/);
    assert.deepEqual(runView(recordOf('cpu_busy')).costs, []);
    assert.equal(new Map(runView(recordOf('cpu_busy')).settings.map((s) => [s.label, s.value])).has('Dask'), false);
  });

  void it('the view shows the interpreters row of a 3.14 run', () => {
    const view = runView(recordOf('cpu_busy_314'));
    const row = view.rows.find((r) => r.strategy === 'interpreters');
    assert.equal(row?.method, 'InterpreterPoolExecutor');
    assert.notEqual(row.startup, '—', 'its start-up is shown');
  });

  void it('the Markdown export has the dask row under its cluster’s name and the costs', () => {
    const markdown = recordsToMarkdown([recordOf('cpu_busy_dask')]);
    assert.match(markdown, /^\| dask \(local cluster, 2 processes\) \| /m);
    assert.match(markdown, /^- dask: a batch of 4 empty tasks takes /m);
    assert.match(markdown, /^\| Dask \| local cluster, 2 processes \|$/m);
  });

  void it('explains threads that scaled CPU-bound work: no GIL, or work that releases it', () => {
    const base = loadReport('cpu_busy_314');
    // The same run as if threads had scaled firmly (a quiet machine): only the advice's reasoning is under test.
    const scaled = {
      ...base,
      verdict: 'cpu' as const,
      results: base.results.map((r) => (r.strategy === 'threads' ? { ...r, speedup: 1.9, inconclusive: false } : r.strategy === 'sequential' ? r : { ...r, inconclusive: true })),
    };
    const noGil = { ...scaled, environment: { ...scaled.environment, freeThreadedBuild: true, gilEnabled: false } };
    assert.match(measuredAdvice(noGil), /^Measured best: threads \(ThreadPoolExecutor\), 1\.90× .* without a GIL, so threads run Python code in parallel/);
    assert.match(measuredAdvice(scaled), /With the GIL, threads only run in parallel while the work releases it/);
  });
});

void describe('bench: choosing dask and interpreters', () => {
  void it('runs interpreters by default and dask only when asked for', () => {
    assert.deepEqual(strategiesFor('python'), ['sequential', 'threads', 'processes', 'async', 'interpreters']);
    assert.deepEqual(strategiesFor('python', ['dask']), ['sequential', 'dask']);
    assert.deepEqual(strategiesFor('javascript', ['threads', 'workers', 'dask']), ['sequential', 'workers']);
  });

  void it('reads the strategies setting, dropping and reporting unknown entries; a scheduler adds dask', () => {
    const problems: string[] = [];
    assert.deepEqual(normalizeStrategies(undefined, problems), DEFAULT_BENCH_STRATEGIES);
    assert.deepEqual(normalizeStrategies(['dask', 'threads', 'fibers'], problems), ['threads', 'dask']);
    assert.deepEqual(normalizeStrategies('dask', problems), DEFAULT_BENCH_STRATEGIES);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /unknown "fibers"/);
    assert.equal(normalizeScheduler('', problems), '');
    assert.equal(normalizeScheduler(' tcp://10.0.0.5:8786 ', problems), 'tcp://10.0.0.5:8786');
    assert.equal(normalizeScheduler('http://example.com', problems), '');
    assert.match(problems[2], /not a scheduler address/);
    assert.deepEqual(runStrategies('python', { strategies: ['threads'], daskScheduler: 'tcp://10.0.0.5:8786' }), ['sequential', 'threads', 'dask']);
    assert.deepEqual(runStrategies('python', { strategies: [...DEFAULT_BENCH_STRATEGIES], daskScheduler: '' }), strategiesFor('python'));
    assert.deepEqual(runStrategies('typescript', { strategies: [...DEFAULT_BENCH_STRATEGIES], daskScheduler: '' }), strategiesFor('typescript'));
  });

  void it('package.json declares both settings as the reader reads them', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; items?: { enum: string[] } }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const properties = pkg.contributes.configuration.properties;
    assert.deepEqual(properties['concurrencyLens.bench.strategies'].default, DEFAULT_BENCH_STRATEGIES);
    assert.deepEqual([...(properties['concurrencyLens.bench.strategies'].items?.enum ?? [])].sort(), [...CHOOSABLE_STRATEGIES].sort());
    assert.equal(properties['concurrencyLens.bench.daskScheduler'].default, '');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('concurrencyLens.bench.daskScheduler'), 'a workspace cannot pick where its code is sent');
  });

  void it('bench --scheduler takes an address and needs dask among --strategies', () => {
    const args = parseArgs(['bench', 'jobs.py::work', '--scheduler', 'tcp://127.0.0.1:8786']);
    assert.equal(args.command === 'bench' && args.scheduler, 'tcp://127.0.0.1:8786');
    assert.equal((parseArgs(['bench', 'jobs.py::work', '--strategies', 'dask,interpreters']) as { strategies: string[] }).strategies.join(), 'dask,interpreters');
    assert.throws(() => parseArgs(['bench', 'jobs.py::work', '--scheduler', 'localhost']), (e: unknown) => e instanceof UsageError && /--scheduler takes a Dask scheduler address/.test(e.message));
    assert.throws(() => parseArgs(['bench', 'jobs.py::work', '--scheduler', 'tcp://h:1', '--strategies', 'threads']), (e: unknown) => e instanceof UsageError && /add dask to --strategies/.test(e.message));
  });
});
