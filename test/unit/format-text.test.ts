import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { describeEvidence, formatText, kindLabel, shouldUseColor } from '../../src/cli/format-text';
import { NET_PATH, pythonProject } from './format-fixtures';

function plain(): string {
  return formatText(pythonProject(), { color: false });
}

function linesOf(text: string): string[] {
  return text.split('\n');
}

void describe('formatText', () => {
  void it('prints the report, file by file, then a summary', () => {
    const text = plain();
    assert.ok(text.startsWith('src/my app/données.py\n'));
    assert.ok(text.endsWith('\n'));
    assert.ok(!text.includes('\x1b'), 'no escape codes without colour');
    assert.match(text, /^ {3}8 {2}get_json +I\/O-bound · network +high +requests\.get \(line 9\)$/m);
    assert.match(text, /^ {2}12 {2}async fetch_all +I\/O-bound · network +high +fetch_all → get_json → requests\.get \(line 15\)$/m);
    assert.match(text, /^ {2}20 {2}checksum +CPU-bound · nested-loops \+ hashing +medium +nested loops \(line 21\) \+1 more$/m);
    assert.match(text, /^ {2}30 {2}sync_and_hash +Mixed · network \+ hashing +medium +requests\.get \(line 31\) \+2 more$/m);
    assert.match(text, /^ {2}40 {2}Record\.name_of +neither +low$/m);
  });

  void it('prints exactly this for a small Python project', () => {
    const expected = [
      'src/my app/données.py',
      '   8  get_json         I/O-bound · network                 high    requests.get (line 9)',
      '  12  async fetch_all  I/O-bound · network                 high    fetch_all → get_json → requests.get (line 15)',
      '  20  checksum         CPU-bound · nested-loops + hashing  medium  nested loops (line 21) +1 more',
      '  30  sync_and_hash    Mixed · network + hashing           medium  requests.get (line 31) +2 more',
      '  40  Record.name_of   neither                             low',
      '  14:5   hint     CL301  Each iteration waits on get_json(url) independently; the calls could run concurrently',
      '  15:20  warning  CL101  get_json(url) blocks the event loop: it calls requests.get (network I/O)',
      '         fix: Run get_json in a worker thread with await asyncio.to_thread (exceptions still propagate here)',
      '',
      'src/cpu.py',
      '  note: 2 syntax errors; the results around them may be incomplete',
      '  3  crunch  CPU-bound · nested-loops  high  nested loops (line 4)',
      '  9:5  information  CL201  crunch is pure-Python CPU work: a thread pool gives no speed-up under the GIL',
      '',
      'src/locked.py',
      '  error: EACCES: permission denied',
      '',
      '4 files · 6 functions (2 I/O-bound, 2 CPU-bound, 1 mixed, 1 neither) · ' +
        '3 diagnostics (1 warning, 1 information, 1 hint) · 1 file with errors',
      '',
    ];
    assert.equal(plain(), expected.join('\n'));
  });

  void it('aligns the columns of every function line in a file', () => {
    const lines = linesOf(plain());
    const start = lines.indexOf('src/my app/données.py');
    const rows = lines.slice(start + 1, start + 6);
    assert.equal(rows.length, 5);
    const columnOf = (row: string, word: RegExp): number => row.search(word);
    const verdicts = rows.map((row) => columnOf(row, /I\/O-bound|CPU-bound|Mixed|neither/));
    const confidences = rows.map((row) => columnOf(row, /\b(high|medium|low)\b/));
    assert.equal(new Set(verdicts).size, 1, `verdict columns ${verdicts.join(',')}`);
    assert.equal(new Set(confidences).size, 1, `confidence columns ${confidences.join(',')}`);
  });

  void it("lists the file's diagnostics with position, severity, code, message and the preferred fix", () => {
    const text = plain();
    assert.match(text, /^ {2}14:5 {3}hint {5}CL301 {2}Each iteration waits on get_json\(url\) independently/m);
    assert.match(
      text,
      /^ {2}15:20 {2}warning {2}CL101 {2}get_json\(url\) blocks the event loop: it calls requests\.get \(network I\/O\)$/m,
    );
    assert.match(text, /^ {9}fix: Run get_json in a worker thread with await asyncio\.to_thread/m);
    // Sorted by position: line 14 before line 15.
    assert.ok(text.indexOf('CL301') < text.indexOf('CL101'));
  });

  void it('reports read errors and syntax errors, and skips files with nothing to show', () => {
    const text = plain();
    assert.match(text, /^src\/locked\.py\n {2}error: EACCES: permission denied$/m);
    assert.match(text, /^src\/cpu\.py\n {2}note: 2 syntax errors; the results around them may be incomplete$/m);
    assert.match(text, /^ {2}9:5 {2}information {2}CL201 {2}crunch is pure-Python CPU work/m);
    assert.ok(!text.includes('src/empty.py'));
  });

  void it('ends with a summary of files, verdicts, diagnostics and errors', () => {
    const last = linesOf(plain().trimEnd()).at(-1);
    assert.equal(
      last,
      '4 files · 6 functions (2 I/O-bound, 2 CPU-bound, 1 mixed, 1 neither) · ' +
        '3 diagnostics (1 warning, 1 information, 1 hint) · 1 file with errors',
    );
    assert.equal(formatText([], { color: false }), '0 files · 0 functions · 0 diagnostics\n');
  });

  void it('shows absolute paths relative to cwd', () => {
    const [file] = pythonProject();
    const text = formatText([{ ...file, path: `/work/project/${NET_PATH}` }], { color: false, cwd: '/work/project' });
    assert.ok(text.startsWith(`${NET_PATH}\n`));
    const outside = formatText([{ ...file, path: '/elsewhere/x.py' }], { color: false, cwd: '/work/project' });
    assert.ok(outside.startsWith('/elsewhere/x.py\n'));
  });

  void it('adds colour only when asked, without changing the text', () => {
    const coloured = formatText(pythonProject(), { color: true });
    assert.ok(coloured.includes('\x1b[36mI/O-bound · network'));
    assert.ok(coloured.includes('\x1b[31merror:\x1b[0m'));
    assert.equal(stripVTControlCharacters(coloured), plain());
  });
});

void describe('kindLabel and describeEvidence', () => {
  const [file] = pythonProject();
  const byName = (name: string) => file.functions.find((f) => f.name === name)!;

  void it('names the verdict with its categories', () => {
    assert.equal(kindLabel(byName('fetch_all')), 'I/O-bound · network');
    assert.equal(kindLabel(byName('checksum')), 'CPU-bound · nested-loops + hashing');
    assert.equal(kindLabel(byName('sync_and_hash')), 'Mixed · network + hashing');
    assert.equal(kindLabel(byName('Record.name_of')), 'neither');
    assert.equal(kindLabel({ kind: 'cpu', evidence: [] }), 'CPU-bound');
  });

  void it('renders a chain through project functions and a leaf in another file', () => {
    const fetchAll = byName('fetch_all');
    assert.equal(describeEvidence(fetchAll, fetchAll.evidence[0], NET_PATH), 'fetch_all → get_json → requests.get (line 15)');
    const remote = { ...fetchAll.evidence[0], origin: { path: 'src/http.py', line: 5, column: 9 } };
    assert.equal(describeEvidence(fetchAll, remote, NET_PATH), 'fetch_all → get_json → requests.get (line 15; ../http.py:5)');
  });
});

void describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  void it('follows the terminal when no variable is set', () => {
    assert.equal(shouldUseColor(tty, {}), true);
    assert.equal(shouldUseColor(pipe, {}), false);
    assert.equal(shouldUseColor(tty, { TERM: 'dumb' }), false);
  });

  void it('honours NO_COLOR (any non-empty value)', () => {
    assert.equal(shouldUseColor(tty, { NO_COLOR: '1' }), false);
    assert.equal(shouldUseColor(tty, { NO_COLOR: '' }), true);
  });

  void it('lets FORCE_COLOR win, and turn colour off with 0 or false', () => {
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
    assert.equal(shouldUseColor(tty, { FORCE_COLOR: '0' }), false);
    assert.equal(shouldUseColor(tty, { FORCE_COLOR: 'false' }), false);
  });
});
