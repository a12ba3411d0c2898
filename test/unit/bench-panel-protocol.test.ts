/** The Benchmarks view's messages: what each side accepts, and what it refuses (hostile input included). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ID_LENGTH, MAX_STATUS_LENGTH, checkHostMessage, checkWebviewMessage, isShowableRecord } from '../../src/webview/protocol';
import { recordOf } from './bench-panel-fixtures';

function refused(value: unknown): string {
  const checked = checkWebviewMessage(value);
  assert.equal(checked.ok, false, `accepted ${JSON.stringify(value)?.slice(0, 80)}`);
  return checked.ok ? '' : checked.reason;
}

void describe('bench panel protocol: messages from the page', () => {
  void it('accepts each known message with its fields', () => {
    assert.deepEqual(checkWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(checkWebviewMessage({ type: 'export', format: 'json' }), { ok: true, message: { type: 'export', format: 'json' } });
    assert.deepEqual(checkWebviewMessage({ type: 'export', format: 'markdown', key: 'a.py::f' }), {
      ok: true,
      message: { type: 'export', format: 'markdown', key: 'a.py::f' },
    });
    assert.deepEqual(checkWebviewMessage({ type: 'reveal', id: 'r1' }), { ok: true, message: { type: 'reveal', id: 'r1' } });
    // As structured clone delivers it from another realm: a null-prototype object is still a plain object.
    const bare = Object.assign(Object.create(null) as object, { type: 'ready' });
    assert.equal(checkWebviewMessage(bare).ok, true);
  });

  void it('refuses what is not an object', () => {
    for (const value of [null, undefined, 42, 'ready', true, [{ type: 'ready' }], () => 'ready']) assert.match(refused(value), /not an object/);
    assert.match(refused(new Date()), /not an object/);
    assert.match(refused(new (class Message {
      type = 'ready';
    })()), /not an object/);
  });

  void it('refuses unknown types and types of the wrong kind', () => {
    assert.match(refused({ type: 'deleteEverything' }), /unknown message type 'deleteEverything'/);
    assert.match(refused({ type: 7 }), /'type' is number/);
    assert.match(refused({}), /'type' is undefined/);
    assert.match(refused({ type: ['ready'] }), /'type' is an array/);
    assert.match(refused({ type: 'READY' }), /unknown message type/);
  });

  void it('refuses extra fields, including a __proto__ key from JSON', () => {
    assert.match(refused({ type: 'ready', html: '<b>x</b>' }), /unexpected field\(s\) html/);
    assert.match(refused({ type: 'reveal', id: 'r', uri: 'file:///etc/passwd' }), /unexpected field\(s\) uri/);
    assert.match(refused({ type: 'export', format: 'json', path: '/tmp/x.json' }), /unexpected field\(s\) path/);
    assert.match(refused(JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')), /unexpected field\(s\) __proto__/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  void it('refuses fields of the wrong type or value', () => {
    assert.match(refused({ type: 'export', format: 'html' }), /'format' must be 'markdown' or 'json', not html/);
    assert.match(refused({ type: 'export' }), /'format' must be/);
    assert.match(refused({ type: 'export', format: 'json', key: 12 }), /'key' is number, not a string/);
    assert.match(refused({ type: 'export', format: 'json', key: null }), /'key' is null/);
    assert.match(refused({ type: 'export', format: 'json', key: '' }), /'key' is empty/);
    assert.match(refused({ type: 'reveal' }), /'id' is undefined/);
    assert.match(refused({ type: 'reveal', id: { toString: () => 'r' } }), /'id' is object/);
  });

  void it('refuses huge strings, and its reason stays short and printable', () => {
    const huge = 'x'.repeat(5_000_000);
    const reason = refused({ type: 'reveal', id: huge });
    assert.match(reason, new RegExp(`longer than ${MAX_ID_LENGTH}`));
    assert.ok(reason.length < 200, `reason of ${reason.length} characters`);
    assert.ok(checkWebviewMessage({ type: 'reveal', id: 'y'.repeat(MAX_ID_LENGTH) }).ok);
    const hostileType = refused({ type: `\u001b[31m${'<script>'.repeat(10_000)}\n` });
    assert.ok(hostileType.length < 200);
    assert.ok([...hostileType].every((c) => (c >= ' ' && c <= '~') || c === '…'), hostileType);
    assert.match(refused({ type: 'export', format: 'z'.repeat(1_000_000) }), /not z{40}…$/);
  });
});

void describe('bench panel protocol: messages from the extension', () => {
  void it('keeps the records the view can show and counts the others', () => {
    const good = recordOf('io_nap');
    const noResults = { ...recordOf('cpu_busy'), id: 'b', report: { ...recordOf('cpu_busy').report, results: [] } };
    const badStats = recordOf('cpu_busy', { id: 'c' });
    badStats.report = { ...badStats.report, results: [{ ...badStats.report.results[0], wallSeconds: { median: '1', min: 0, max: 1 } as never }] };
    const badVerdict = { ...recordOf('cpu_busy'), id: 'd', report: { ...recordOf('cpu_busy').report, verdict: 'fast' } };
    const checked = checkHostMessage({ type: 'history', records: [good, noResults, badStats, badVerdict, null, 'x', { id: 1 }] });
    assert.ok(checked.ok);
    assert.deepEqual(checked.ok && checked.message.type === 'history' ? checked.message.records.map((r) => r.id) : [], [good.id]);
    assert.equal(checked.dropped, 6);
  });

  void it('accepts every saved real report', () => {
    for (const name of ['cpu_busy', 'cpu_busy_larger', 'io_nap', 'io_nap_zero'] as const) assert.ok(isShowableRecord(recordOf(name)), name);
  });

  void it('refuses malformed messages and caps the status text', () => {
    assert.equal(checkHostMessage({ type: 'history', records: 'all' }).ok, false);
    assert.equal(checkHostMessage({ type: 'exported', ok: 'yes', message: 'x' }).ok, false);
    assert.equal(checkHostMessage({ type: 'navigate', url: 'https://example.org' }).ok, false);
    assert.equal(checkHostMessage(undefined).ok, false);
    const long = checkHostMessage({ type: 'exported', ok: true, message: 'm'.repeat(100_000) });
    assert.ok(long.ok && long.message.type === 'exported' && long.message.message.length === MAX_STATUS_LENGTH);
  });
});
