/**
 * The editor's fast path gives the answers of a full analysis: fixes computed on demand equal
 * the fixes `analyzeFiles` attaches (real fixture projects, both languages); a run that reuses
 * cached facts and parses edited files incrementally equals a fresh run on the same texts,
 * including when an edit changes a helper's verdict and the chains through it in other files;
 * the incremental syntax check counts what a full parse counts, and a candidate whose output
 * does not parse is still dropped.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles, analyzeWithoutFixes, ExtractionCache, type FileResult, type SourceFile } from '../../src/core';
import { countTextSyntaxErrors, parseRetained } from '../../src/core/extract-file';
import { checkedFixes, type FixContext } from '../../src/core/fixes';
import { textEdit } from '../../src/core/parse/edit';
import { LineMap } from '../../src/core/text';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot(), 'test/fixtures');

/** Every source file under a folder, in path order. */
function project(folder: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(py|js|mjs|cjs|ts|tsx|mts|cts)$/.test(name)) files.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(folder);
  return files;
}

/** The fixture projects: each subfolder analyzed as one workspace. */
function projects(): Array<{ name: string; files: SourceFile[] }> {
  const out: Array<{ name: string; files: SourceFile[] }> = [];
  for (const group of ['python', 'js', 'fixes/python', 'fixes/js']) {
    for (const name of readdirSync(join(FIXTURES, group)).sort()) {
      const dir = join(FIXTURES, group, name);
      if (statSync(dir).isDirectory()) out.push({ name: `${group}/${name}`, files: project(dir) });
    }
  }
  return out;
}

/** A file's results with the fixes left out (what a run without fixes must equal). */
function withoutFixes(results: readonly FileResult[]): FileResult[] {
  return results.map((r) => ({ ...r, diagnostics: r.diagnostics.map((d) => ({ ...d, fixes: [] })) }));
}

function functionKind(results: readonly FileResult[], fileEnd: string, name: string): string | undefined {
  return results.find((r) => r.path.endsWith(fileEnd))?.functions.find((f) => f.name === name)?.kind;
}

void describe('fixes on demand', () => {
  void it('equal the fixes analyzeFiles attaches, on every fixture project, asked by the diagnostic or a copy of it', async () => {
    let fixes = 0;
    for (const { name, files } of projects()) {
      const eager = await analyzeFiles(files, { workers: 1 });
      const analysis = await analyzeWithoutFixes(files, { workers: 1 });
      try {
        assert.deepEqual(analysis.files, withoutFixes(eager), `${name}: the same findings, no fixes`);
        for (const [i, result] of analysis.files.entries()) {
          for (const [j, diagnostic] of result.diagnostics.entries()) {
            const expected = eager[i].diagnostics[j].fixes;
            assert.deepEqual(await analysis.fixes(result.path, diagnostic), expected, `${name}: ${result.path}:${diagnostic.line} ${diagnostic.code}`);
            assert.deepEqual(await analysis.fixes(result.path, { ...diagnostic }), expected, 'a copy of the diagnostic finds the same finding');
            fixes += expected.length;
          }
        }
      } finally {
        analysis.release();
      }
    }
    assert.ok(fixes >= 20, `the fixtures exercise many fixes (${fixes})`);
  });

  void it('gives nothing for a diagnostic the run did not report', async () => {
    const files = project(join(FIXTURES, 'fixes/python/sleep'));
    const analysis = await analyzeWithoutFixes(files, { workers: 1 });
    const [first] = analysis.files[0].diagnostics;
    assert.ok(first, 'the sleep fixture has a finding');
    assert.deepEqual(await analysis.fixes(files[0].path, { ...first, line: first.line + 1000, endLine: first.endLine + 1000 }), []);
    assert.ok((await analysis.fixes(files[0].path, first)).length > 0);
    analysis.release();
  });
});

void describe('the incremental syntax check of fix candidates', () => {
  const path = join(FIXTURES, 'fixes/python/sleep/retry.py');
  const text = readFileSync(path, 'utf8');

  void it('counts the errors a full parse counts', async () => {
    const base = await parseRetained(path, text);
    assert.ok(base);
    try {
      const edits = [
        text.replace('await', 'await await'),
        text.replace('def ', 'def def '),
        text.replace(/\):/, ')'),
        `${text}\n    )`,
        text.replace('import', 'imp ort'),
        text.replace('time.sleep', 'asyncio.sleep'),
      ];
      for (const edited of edits) {
        assert.notEqual(edited, text);
        const copy = base.tree.copy();
        try {
          assert.equal(await countTextSyntaxErrors(path, edited, { text, tree: copy }), await countTextSyntaxErrors(path, edited), edited.slice(0, 80));
        } finally {
          copy.delete();
        }
      }
      assert.ok((await countTextSyntaxErrors(path, edits[1], base)) > 0, 'a broken candidate has errors');
    } finally {
      base.tree.delete();
    }
  });

  void it('drops a candidate whose output does not parse and keeps the one that does, preferred', async () => {
    const analysis = await analyzeWithoutFixes([{ path, text }], { workers: 1 });
    const [diagnostic] = analysis.files[0].diagnostics;
    analysis.release();
    const base = await parseRetained(path, text);
    assert.ok(base && diagnostic);
    try {
      const at = { line: diagnostic.line, column: diagnostic.column, endLine: diagnostic.line, endColumn: diagnostic.column };
      const context = { file: { path, text }, lines: new LineMap(text), diagnostic } as unknown as FixContext;
      const fixes = await checkedFixes(
        () => [
          { title: 'breaks the file', preferred: true, edits: [{ ...at, newText: 'def (' }] },
          { title: 'keeps it whole', preferred: false, edits: [{ ...at, newText: 'pass; ' }] },
        ],
        context,
        (p, t) => countTextSyntaxErrors(p, t, base),
        0,
      );
      assert.deepEqual(
        fixes.map((f) => [f.title, f.preferred]),
        [['keeps it whole', true]],
      );
    } finally {
      base.tree.delete();
    }
  });
});

void describe('textEdit', () => {
  void it('spans the one changed region, in UTF-16 code units, rows and columns', () => {
    const edit = textEdit('a = 1\nb = 2\nc = 3\n', 'a = 1\nb = 22\nc = 3\n');
    assert.deepEqual(edit, {
      startIndex: 11,
      oldEndIndex: 11,
      newEndIndex: 12,
      startPosition: { row: 1, column: 5 },
      oldEndPosition: { row: 1, column: 5 },
      newEndPosition: { row: 1, column: 6 },
    });
    assert.equal(textEdit('same', 'same'), undefined);
    // A changed astral character is replaced whole, never half a surrogate pair.
    const astral = textEdit('x = "\u{1F600}"', 'x = "\u{1F601}"');
    assert.equal(astral?.startIndex, 5);
    assert.equal(astral?.oldEndIndex, 7);
  });

  void it('finds the region a character-by-character scan finds in long texts, edits at block edges and repeated text included', () => {
    const line = (i: number): string => `    value_${i % 7} = compute(${i % 3})\n`;
    const base = Array.from({ length: 400 }, (_, i) => line(i)).join('');
    /** Longest common prefix and suffix, one character at a time (no surrogates in these texts). */
    const naive = (a: string, b: string): [number, number, number] => {
      let p = 0;
      while (p < Math.min(a.length, b.length) && a[p] === b[p]) p++;
      let s = 0;
      while (s < Math.min(a.length, b.length) - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
      return [p, a.length - s, b.length - s];
    };
    const offsets = [0, 1, 255, 256, 257, 511, 512, 4096, base.length - 257, base.length - 256, base.length - 1, base.length];
    let checked = 0;
    for (const at of offsets) {
      for (const [removed, inserted] of [[0, 'x'], [1, ''], [3, 'abc'], [0, line(3)], [300, '']] as const) {
        const edited = base.slice(0, at) + inserted + base.slice(Math.min(base.length, at + removed));
        if (edited === base) continue;
        const edit = textEdit(base, edited)!;
        assert.deepEqual([edit.startIndex, edit.oldEndIndex, edit.newEndIndex], naive(base, edited), `edit at ${at}: -${removed} +${inserted.length}`);
        assert.equal(base.slice(0, edit.startIndex) + edited.slice(edit.startIndex, edit.newEndIndex) + base.slice(edit.oldEndIndex), edited);
        checked++;
      }
    }
    assert.ok(checked > 50, `edits checked (${checked})`);
  });
});

void describe('a run with cached facts and incremental parsing', () => {
  /** Runs `steps` (texts of the workspace) through one cache and checks each against a fresh run. */
  async function checkSteps(steps: SourceFile[][]): Promise<FileResult[][]> {
    const cache = new ExtractionCache();
    const outputs: FileResult[][] = [];
    try {
      for (const [n, files] of steps.entries()) {
        const cached = await analyzeWithoutFixes(files, { cache });
        const fresh = await analyzeWithoutFixes(files, { workers: 1 });
        assert.deepEqual(cached.files, fresh.files, `step ${n}: cached run equals a fresh run`);
        for (const result of cached.files) {
          for (const diagnostic of result.diagnostics) {
            assert.deepEqual(await cached.fixes(result.path, diagnostic), await fresh.fixes(result.path, diagnostic), `step ${n}: fixes of ${result.path}:${diagnostic.line}`);
          }
        }
        cached.release();
        fresh.release();
        outputs.push(cached.files);
      }
    } finally {
      cache.dispose();
    }
    return outputs;
  }

  function edit(files: readonly SourceFile[], fileEnd: string, from: string, to: string): SourceFile[] {
    return files.map((f) => {
      if (!f.path.endsWith(fileEnd)) return f;
      assert.ok(f.text.includes(from), `${fileEnd} contains ${from}`);
      return { path: f.path, text: f.text.replace(from, to) };
    });
  }

  void it('follows an edit that changes a Python helper verdict across files, and its undo', async () => {
    const files = project(join(FIXTURES, 'python/crossfile'));
    // query_rows stops touching the database: its callers' chains in metrics.py and report.py change.
    const pure = edit(files, 'store.py', 'conn = sqlite3.connect(db_path)', 'conn = db_path');
    const [before, after, undone] = await checkSteps([files, pure, files]);
    assert.equal(functionKind(before, 'report.py', 'daily_report'), 'io');
    assert.notEqual(functionKind(after, 'report.py', 'daily_report'), 'io', 'the chain through query_rows is gone two files away');
    assert.deepEqual(undone, before);
  });

  void it('follows an edit that changes a JavaScript helper verdict across files', async () => {
    const files = project(join(FIXTURES, 'js/crossfile'));
    const store = files.find((f) => f.path.endsWith('store.ts'));
    assert.ok(store);
    const steps = [files];
    // Typing in the file: each step inserts or removes text, as keystrokes do.
    steps.push(files.map((f) => (f === store ? { path: f.path, text: `// header\n${f.text}` } : f)));
    steps.push(files.map((f) => (f === store ? { path: f.path, text: f.text.replace(/\n/g, '\n\n') } : f)));
    steps.push(files);
    await checkSteps(steps);
  });

  void it('equals a fresh run while one file is typed in line by line, with syntax errors on the way', async () => {
    const files = project(join(FIXTURES, 'python/crossfile'));
    const target = files.find((f) => f.path.endsWith('metrics.py'))!;
    const typed = '\n\ndef poll(db_path):\n    import time\n    time.sleep(1)\n    return collect_daily(db_path, "\u{1F600} today")\n';
    const steps: SourceFile[][] = [files];
    for (let i = 1; i <= typed.length; i += 7) {
      steps.push(files.map((f) => (f === target ? { path: f.path, text: f.text + typed.slice(0, i) } : f)));
    }
    steps.push(files.map((f) => (f === target ? { path: f.path, text: f.text + typed } : f)));
    const outputs = await checkSteps(steps);
    assert.equal(functionKind(outputs.at(-1)!, 'metrics.py', 'poll'), 'io');
    assert.ok(steps.slice(1, -1).length > 5);
  });

  void it('gives a fresh run\'s quick fixes after an edit whose statement was parsed alone, the kept tree parsed once for them', async () => {
    const files = project(join(FIXTURES, 'fixes/python/sleep'));
    // The first edit of a file parses it whole and keeps the parse; the second starts from it.
    const typed = edit(files, 'retry.py', '    seen = []\n', '    seen = []\n    tries = 0\n');
    const edited = edit(typed, 'retry.py', '        time.sleep(0.01)\n', '        time.sleep(0.01)\n        seen.append(0)\n');
    const path = edited[0].path;
    const cache = new ExtractionCache();
    try {
      for (const step of [files, typed]) (await analyzeWithoutFixes(step, { cache })).release();
      const cached = await analyzeWithoutFixes(edited, { cache });
      const fresh = await analyzeWithoutFixes(edited, { workers: 1 });
      try {
        assert.equal(cache.lastTimings?.spliced, true, 'the edited function was parsed alone');
        assert.equal(cache.parseOf(path, edited[0].text)?.stale, true);
        const [diagnostic] = cached.files[0].diagnostics.filter((d) => d.code === 'CL101');
        assert.ok(diagnostic);
        const fixes = await cached.fixes(path, diagnostic);
        assert.ok(fixes.length > 0);
        assert.deepEqual(fixes, await fresh.fixes(path, diagnostic));
        assert.equal(cache.parseOf(path, edited[0].text)?.stale, false, 'the check parsed the kept tree');
      } finally {
        cached.release();
        fresh.release();
      }
    } finally {
      cache.dispose();
    }
  });

  void it('keeps an earlier run\'s quick fixes right while the next edit rewrites the kept copy in place', async () => {
    const files = project(join(FIXTURES, 'fixes/python/thread_pool'));
    const typed = edit(files, 'append_loop.py', '    time.sleep(0.05)', '    time.sleep(0.05)\n    time.sleep(0)');
    // A line inserted above the loop's function: the next run's copy moves every node of it.
    const next = edit(typed, 'append_loop.py', 'import time\n', 'import time\nimport os\n');
    const { path, text } = typed.find((f) => f.path.endsWith('append_loop.py'))!;
    const cache = new ExtractionCache();
    try {
      (await analyzeWithoutFixes(files, { cache })).release();
      const earlier = await analyzeWithoutFixes(typed, { cache });
      const fresh = await analyzeWithoutFixes(typed, { workers: 1 });
      try {
        const diagnostic = earlier.files.find((f) => f.path === path)!.diagnostics.find((d) => d.code === 'CL301');
        assert.ok(diagnostic);
        const expected = await fresh.fixes(path, diagnostic);
        assert.ok(expected.length > 0);
        assert.deepEqual(await earlier.fixes(path, diagnostic), expected, 'the fixes read the kept copy');
        const kept = cache.parseOf(path, text)!.root;
        (await analyzeWithoutFixes(next, { cache })).release();
        assert.equal(cache.lastTimings?.spliced, true, 'the inserted import was parsed alone');
        assert.equal(cache.parseOf(path, next.find((f) => f.path === path)!.text)?.root, kept, 'the kept copy was edited in place');
        assert.deepEqual(await earlier.fixes(path, diagnostic), expected, 'the earlier run\'s fixes still edit its own text');
      } finally {
        earlier.release();
        fresh.release();
      }
    } finally {
      cache.dispose();
    }
  });

  void it('extracts again only the files whose text changed', async () => {
    const files = project(join(FIXTURES, 'python/crossfile'));
    const cache = new ExtractionCache();
    try {
      const first = await cache.extract(files, {});
      const second = await cache.extract(edit(files, 'stats.py', 'total = 0.0', 'total = 0'), {});
      files.forEach((f, i) => {
        if (f.path.endsWith('stats.py')) assert.notEqual(second[i], first[i], 'the edited file is extracted again');
        else assert.equal(second[i], first[i], `${f.path} reuses its facts`);
      });
      const otherOptions = await cache.extract(files, { extraCalls: { python: { 'stats.moving_average': 'network' } } });
      assert.notEqual(otherOptions[0], first[0], 'other options extract again');
    } finally {
      cache.dispose();
    }
  });
});
