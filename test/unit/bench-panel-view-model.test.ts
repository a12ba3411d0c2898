/** What the Benchmarks view shows, computed from real reports: rows, verdicts, settings, advice, history, comparison. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns, formatRange, formatRatio, formatSeconds, functionEntries, headline, measuredAdvice, runSettings, runView, shownFile } from '../../src/webview/view-model';
import { loadReport, recordOf } from './bench-panel-fixtures';

void describe('bench panel view model', () => {
  void it('formats seconds with three significant digits and ratios with two decimals', () => {
    assert.equal(formatSeconds(1.23456), '1.23 s');
    assert.equal(formatSeconds(0.0406093), '40.6 ms');
    assert.equal(formatSeconds(0.00036979), '370 µs');
    assert.equal(formatSeconds(0), '0 s');
    assert.equal(formatSeconds(Number.NaN), '—');
    assert.equal(formatRatio(3.6858), '3.69×');
    assert.equal(formatRange(0.0404, 0.0409), '40.4–40.9 ms');
    assert.equal(formatRange(0.00098, 0.00102), '980 µs – 1.02 ms');
    assert.equal(formatRange(Number.NaN, 1), '— – 1.00 s');
    assert.equal(formatRatio(Number.POSITIVE_INFINITY), '—');
  });

  void it('lists functions with runs, the most recently run first, with their counts', () => {
    const a1 = recordOf('cpu_busy', { id: 'a1', at: 1000 });
    const b1 = recordOf('io_nap', { id: 'b1', at: 2000 });
    const a2 = recordOf('cpu_busy_larger', { id: 'a2', at: 3000 });
    assert.equal(a1.key, a2.key, 'both cpu runs are of the same function');
    const entries = functionEntries([a1, b1, a2]);
    assert.deepEqual(entries.map((e) => [e.key, e.runs, e.latestId]), [
      [a1.key, 2, 'a2'],
      [b1.key, 1, 'b1'],
    ]);
    assert.deepEqual(functionEntries([]), []);
  });

  void it('names the file by the workspace-relative path of the history key, not the absolute path the editor ran', () => {
    // As the editor's flow records a run: the report has the absolute path, the key the relative one.
    const base = recordOf('io_nap');
    const report = { ...base.report, file: `/home/someone/project/${base.report.file}` };
    const record = { ...base, report };
    assert.equal(shownFile(record), base.report.file);
    assert.equal(runView(record).where, `${base.report.file}:${report.line}`);
    assert.equal(functionEntries([record])[0].file, base.report.file);
    // A file outside the workspace: the key holds the absolute path, shown as it is.
    const outside = { ...record, key: `${report.file}::${record.name}` };
    assert.equal(shownFile(outside), report.file);
    // A key of another shape (none is written so, but stored state is read back): the report's path.
    assert.equal(shownFile({ ...record, key: 'something else' }), report.file);
  });

  void it('shows one row per strategy with the report’s figures, inconclusive ones flagged', () => {
    const record = recordOf('io_nap');
    const view = runView(record);
    assert.deepEqual(view.rows.map((r) => r.strategy), record.report.results.map((r) => r.strategy));
    record.report.results.forEach((r, i) => {
      assert.equal(view.rows[i].median, formatSeconds(r.wallSeconds.median));
      assert.equal(view.rows[i].range, formatRange(r.wallSeconds.min, r.wallSeconds.max));
      assert.equal(view.rows[i].speedup, formatRatio(r.speedup));
      assert.equal(view.rows[i].cpuRatio, r.cpuRatio.toFixed(2));
      assert.equal(view.rows[i].inconclusive, r.inconclusive);
      assert.equal(view.chart[i].median, r.wallSeconds.median);
    });
    assert.equal(view.where, `${record.report.file}:${record.report.line}`);
    assert.match(view.measured, /^I\/O-bound \(CPU\/wall 0\.01 in the sequential run\)$/);
    assert.match(view.staticVerdict, /^I\/O-bound/);
    assert.equal(view.agreement.agrees, true);
  });

  void it('labels an inconclusive run as such and names its noisy strategies', () => {
    const record = recordOf('cpu_busy');
    assert.ok(record.report.inconclusive);
    const view = runView(record);
    assert.ok(view.inconclusive);
    for (const r of record.report.results.filter((x) => x.inconclusive)) assert.ok(view.inconclusive.includes(r.strategy), r.strategy);
    assert.match(view.inconclusive, /^Inconclusive: .* spread over 10%/);
    assert.match(view.headline, /\(inconclusive\)$/);
    assert.match(view.headline, /threads 1\.18×\?/);
  });

  void it('recommends the fastest strategy only among firm figures', () => {
    const io = loadReport('io_nap');
    const firm = io.results.filter((r) => r.strategy !== 'sequential' && !r.inconclusive).sort((a, b) => b.speedup - a.speedup);
    const advice = measuredAdvice(io);
    assert.match(advice, new RegExp(`^Measured best: ${firm[0].strategy} \\(${firm[0].method}\\), ${formatRatio(firm[0].speedup).replace('.', '\\.')} faster`));
    assert.match(advice, /when its pool’s start-up/);
    assert.match(advice, /Not compared: processes/);
    // Every strategy of the larger CPU run is noisy (a busy machine): no winner is named, however large its figure.
    const noisy = loadReport('cpu_busy_larger');
    assert.ok(noisy.results.every((r) => r.inconclusive));
    assert.match(measuredAdvice(noisy), /spread too much to name a winner/);
    // The same run with firm figures and a best speedup under 1.1: concurrency does not pay.
    const flat = { ...loadReport('cpu_busy'), results: loadReport('cpu_busy').results.map((r) => ({ ...r, inconclusive: false, speedup: Math.min(r.speedup, 1.05) })) };
    assert.match(measuredAdvice(flat), /No strategy was clearly faster than sequential/);
    const alone = { ...io, results: io.results.slice(0, 1) };
    assert.match(measuredAdvice(alone), /Only the sequential run/);
    assert.equal(headline(alone), 'sequential only — I/O-bound (inconclusive)');
  });

  void it('lists the run’s settings: interpreter, GIL, start method, cores, tasks, workers, arguments, start-up', () => {
    const record = recordOf('cpu_busy');
    const settings = new Map(runSettings(record).map((s) => [s.label, s.value]));
    const env = record.report.environment;
    assert.equal(settings.get('Interpreter'), `${env.implementation} ${env.version} (${env.executable})`);
    assert.equal(settings.get('GIL'), 'GIL enabled (standard build)');
    assert.equal(settings.get('Start method'), env.startMethod);
    assert.equal(settings.get('Cores'), String(env.usableCpus));
    assert.equal(settings.get('Tasks per batch'), String(record.report.tasks));
    assert.equal(settings.get('Workers'), String(record.report.workers));
    assert.equal(settings.get('Arguments'), record.args);
    assert.match(settings.get('Pool start-up') ?? '', /^warm: pools started before timing .*processes \d/);
    const freeThreaded = { ...record, report: { ...record.report, environment: { ...env, freeThreadedBuild: true, gilEnabled: false } } };
    assert.equal(new Map(runSettings(freeThreaded).map((s) => [s.label, s.value])).get('GIL'), 'no GIL (free-threaded build)');
    assert.equal(new Map(runSettings({ ...record, args: '  ' }).map((s) => [s.label, s.value])).get('Arguments'), '(none)');
  });

  void it('compares two runs strategy by strategy: medians before and after, and their ratio', () => {
    const before = recordOf('cpu_busy', { id: 'before' });
    const after = recordOf('cpu_busy_larger', { id: 'after' });
    const comparison = compareRuns(before, after);
    assert.deepEqual(comparison.rows.map((r) => r.strategy), before.report.results.map((r) => r.strategy));
    for (const row of comparison.rows) {
      const b = before.report.results.find((r) => r.strategy === row.strategy);
      const a = after.report.results.find((r) => r.strategy === row.strategy);
      assert.ok(a && b);
      const ratio = a.wallSeconds.median / b.wallSeconds.median;
      assert.equal(row.ratio, formatRatio(ratio));
      assert.equal(row.before, formatSeconds(b.wallSeconds.median));
      assert.equal(row.after, formatSeconds(a.wallSeconds.median));
      assert.equal(row.change, `${formatRatio(ratio)} slower`, 'three times the work is slower');
    }
    assert.ok(comparison.caveats.some((c) => /different arguments/.test(c)));
    assert.match(compareRuns(after, before).rows[0].change, /faster$/);
    const same = compareRuns(before, recordOf('cpu_busy', { id: 'again' }));
    assert.ok(same.rows.every((r) => r.change === 'about the same' && r.ratio === '1.00×'));
    assert.ok(!same.caveats.some((c) => /different arguments/.test(c)));
    // A strategy in one run only.
    const fewer = recordOf('cpu_busy', { id: 'fewer', report: { ...before.report, results: before.report.results.slice(0, 2) } });
    const last = compareRuns(fewer, before).rows.at(-1);
    assert.deepEqual([last?.before, last?.ratio, last?.change], ['—', '—', 'not in both runs']);
  });
});
