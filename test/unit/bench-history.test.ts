/** The benchmark history store: limits, persistence through the memento, change events, bad state. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchJson } from '../../src/bench/report';
import { BenchHistory, HISTORY_STATE_KEY, RUNS_IN_ALL, RUNS_PER_FUNCTION, type BenchRecord } from '../../src/extension/bench-history';
import { MapMemento } from '../support/memento';

function record(key: string, n: number): BenchRecord {
  const report = { version: 1, function: key.split('::')[1], results: [] } as unknown as BenchJson;
  return { id: `${key}#${n}`, key, uri: 'file:///w/a.py', name: key.split('::')[1], args: `${n}`, at: n, report, advice: 'Use threads.' };
}

void describe('bench history', () => {
  void it('keeps runs per function, oldest first, and the latest of each', async () => {
    const history = new BenchHistory(new MapMemento());
    await history.add(record('a.py::f', 1));
    await history.add(record('a.py::g', 2));
    await history.add(record('a.py::f', 3));
    assert.deepEqual(history.forFunction('a.py::f').map((r) => r.id), ['a.py::f#1', 'a.py::f#3']);
    assert.equal(history.latest('a.py::f')?.id, 'a.py::f#3');
    assert.equal(history.latest('a.py::h'), undefined);
  });

  void it('drops the oldest runs of a function beyond the per-function limit, not other functions', async () => {
    const history = new BenchHistory(new MapMemento());
    await history.add(record('a.py::other', 0));
    for (let n = 1; n <= RUNS_PER_FUNCTION + 3; n++) await history.add(record('a.py::f', n));
    const runs = history.forFunction('a.py::f');
    assert.equal(runs.length, RUNS_PER_FUNCTION);
    assert.equal(runs[0].id, 'a.py::f#4');
    assert.equal(history.forFunction('a.py::other').length, 1);
  });

  void it('keeps at most the overall limit', async () => {
    const history = new BenchHistory(new MapMemento());
    for (let n = 0; n < RUNS_IN_ALL + 5; n++) await history.add(record(`a.py::f${n}`, n));
    assert.equal(history.all().length, RUNS_IN_ALL);
    assert.equal(history.all()[0].id, 'a.py::f5#5');
  });

  void it('persists through the memento: a new store (a reload) sees the same runs', async () => {
    const memento = new MapMemento();
    const first = new BenchHistory(memento);
    await first.add(record('a.py::f', 1));
    const reloaded = new BenchHistory(memento);
    assert.deepEqual(reloaded.all(), first.all());
  });

  void it('ignores malformed stored state instead of failing', () => {
    const memento = new MapMemento();
    memento.values.set(HISTORY_STATE_KEY, [record('a.py::f', 1), { id: 'x' }, null, 'junk', { ...record('a.py::g', 2), report: { version: 2, results: [] } }]);
    assert.deepEqual(new BenchHistory(memento).all().map((r) => r.id), ['a.py::f#1']);
    memento.values.set(HISTORY_STATE_KEY, { not: 'an array' });
    assert.equal(new BenchHistory(memento).all().length, 0);
  });

  void it('tells listeners after add and clear, until disposed', async () => {
    const history = new BenchHistory(new MapMemento());
    let calls = 0;
    const subscription = history.onDidChange(() => calls++);
    await history.add(record('a.py::f', 1));
    await history.clear();
    assert.equal(calls, 2);
    assert.equal(history.all().length, 0);
    subscription.dispose();
    await history.add(record('a.py::f', 2));
    assert.equal(calls, 2);
  });
});
