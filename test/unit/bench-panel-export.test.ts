/** The Benchmarks view's exports: JSON is the CLI's reports; Markdown a table per run, with user text escaped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownText, recordsToJson, recordsToMarkdown } from '../../src/extension/bench-panel-export';
import { formatSeconds } from '../../src/webview/view-model';
import { recordOf } from './bench-panel-fixtures';

/** The cells of a Markdown table row, splitting on unescaped pipes. */
function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

void describe('bench panel export', () => {
  void it('writes JSON that is the runs’ CLI reports, oldest first', () => {
    const records = [recordOf('cpu_busy', { id: 'a' }), recordOf('io_nap', { id: 'b' })];
    const parsed = JSON.parse(recordsToJson(records)) as unknown;
    assert.deepEqual(parsed, [records[0].report, records[1].report]);
  });

  void it('writes a section per run with a table row per strategy', () => {
    const records = [recordOf('cpu_busy', { id: 'a' }), recordOf('io_nap_zero', { id: 'b' })];
    const markdown = recordsToMarkdown(records);
    assert.equal(markdown.match(/^## /gm)?.length, 2);
    assert.match(markdown, /^# Benchmarks$/m);
    for (const record of records) {
      assert.ok(markdown.includes(`## ${record.name} — ${record.report.file.replace(/_/g, '\\_')}:${record.report.line}`));
      for (const r of record.report.results) {
        const row = markdown.split('\n').find((line) => line.startsWith(`| ${r.strategy}`) && line.includes(formatSeconds(r.wallSeconds.median)));
        assert.ok(row, `${record.id}: a row for ${r.strategy}`);
        assert.equal(cells(row).length, 7);
        if (r.inconclusive) assert.match(row, /\(inconclusive\)/);
      }
    }
    // The disagreeing run (a 0 s sleep) explains itself.
    assert.match(markdown, /disagrees — here is why it may differ/);
    assert.match(markdown, /\*\*Inconclusive: /);
    assert.match(markdown, /\| Interpreter \| CPython 3\.11\.7/);
  });

  void it('titles a single function’s export with its name', () => {
    assert.match(recordsToMarkdown([recordOf('io_nap')]), /^# Benchmarks of nap\n/);
  });

  void it('escapes user text: no HTML, no broken table, no line breaks', () => {
    const hostile = recordOf('io_nap', { name: '<img src=x onerror=alert(1)>|f', args: '"a|b",\n<script>' });
    hostile.report = { ...hostile.report, file: 'dir/<b>x</b>|y.py', environment: { ...hostile.report.environment, executable: '/opt/py|<i>thon' } };
    const markdown = recordsToMarkdown([hostile]);
    // `\<` is a literal `<` in Markdown: an HTML tag needs an unescaped one.
    assert.ok(!/(?<!\\)<(img|script|b|i)\b/.test(markdown), 'no raw HTML tag from user text');
    assert.ok(markdown.includes('\\<img src=x onerror=alert(1)\\>\\|f'), 'the name is shown, escaped');
    const argsRow = markdown.split('\n').find((l) => l.startsWith('| Arguments |'));
    assert.ok(argsRow);
    assert.deepEqual(cells(argsRow), ['Arguments', '"a\\|b", \\<script\\>']);
    const interpreter = markdown.split('\n').find((l) => l.startsWith('| Interpreter |'));
    assert.ok(interpreter && cells(interpreter).length === 2);
    assert.equal(markdownText('a & b *c* `d` [e](f)'), 'a &amp; b \\*c\\* \\`d\\` \\[e\\](f)');
  });
});
