/**
 * The incremental path's tree copy equals a full copy: after random single-line edits and their
 * undos on every fixture file (both languages, fixed seed), the copy that reuses the previous
 * version's unchanged top-level nodes is node for node the copy a fresh pass makes of the same
 * tree (types, offsets, fields, error flags, ids), and the facts that reuse the previous
 * extraction's for unchanged top-level statements equal a fresh extraction's; whole projects
 * analyzed through the cache give a fresh run's results; the edit handed to tree-sitter is exact (its
 * changed ranges stay near the edit and the incremental tree is the fresh parse's).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeWithoutFixes, ExtractionCache, type SourceFile } from '../../src/core';
import { Extractor, freshenTree, parseRetained, type Extracted, type RetainedParse } from '../../src/core/extract-file';
import { textEdit } from '../../src/core/parse/edit';
import { copyTree, type SyntaxNode } from '../../src/core/parse/tree';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot(), 'test/fixtures');

/** Every source file under the fixture folders, in path order. */
function fixtureFiles(): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(py|js|mjs|cjs|ts|tsx|mts|cts)$/.test(name)) files.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  for (const group of ['python', 'js', 'fixes/python', 'fixes/js']) walk(join(FIXTURES, group));
  return files;
}

/** A small seeded generator (mulberry32): the same edits on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One single-line edit as typing makes them: a line inserted, deleted, duplicated, or a character typed or removed. */
function lineEdit(text: string, next: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(next() * lines.length);
  const line = lines[at];
  switch (Math.floor(next() * 5)) {
    case 0:
      lines.splice(at, 0, lines[Math.floor(next() * lines.length)]);
      break;
    case 1:
      lines.splice(at, 1);
      break;
    case 2:
      lines.splice(at, 0, `${line.match(/^\s*/)![0]}time.sleep(1)`);
      break;
    case 3: {
      const column = Math.floor(next() * (line.length + 1));
      lines[at] = line.slice(0, column) + 'x(' + line.slice(column);
      break;
    }
    default: {
      const column = Math.floor(next() * line.length);
      lines[at] = line.slice(0, column) + line.slice(column + 1);
    }
  }
  return lines.join('\n');
}

/** Every node's copied properties, in source order, as one comparable list. */
function shape(root: SyntaxNode): unknown[] {
  const out: unknown[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push([node.id, node.type, node.isNamed, node.isMissing, node.hasError, node.startIndex, node.endIndex, node.depth, node.parent?.id, node.children.length, node.fieldNames?.join('|'), node.text]);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return out;
}

void describe('the incremental tree copy', () => {
  void it('equals a full copy, and the facts a fresh extraction, after random single-line edits and undos on every fixture file', async () => {
    const next = random(20261121);
    const extractor = new Extractor({});
    const baseline = new Extractor({});
    let steps = 0;
    let reusedFacts = 0;
    let spliced = 0;
    let pythonSteps = 0;
    for (const file of fixtureFiles()) {
      let previous: RetainedParse | undefined;
      let last: Extracted = { error: 'none yet' };
      const texts = [file.text];
      for (let i = 0; i < 3; i++) texts.push(lineEdit(file.text, next), file.text);
      texts.push(lineEdit(lineEdit(file.text, next), next));
      try {
        for (const text of texts) {
          const { parse, extracted } = await extractor.extractRetaining({ path: file.path, text }, previous);
          const prior = new Set('functions' in last ? last.functions : []);
          if ('functions' in extracted) reusedFacts += extracted.functions.filter((f) => prior.has(f)).length;
          last = extracted;
          assert.deepEqual(extracted, await baseline.extract({ path: file.path, text }), `${file.path}: facts after an edit equal a fresh extraction`);
          previous?.tree.delete();
          previous = parse;
          assert.ok(parse, file.path);
          if (extractor.lastTimings.spliced) spliced++;
          if (file.path.endsWith('.py')) pythonSteps++;
          assert.equal(parse.stale ?? false, extractor.lastTimings.spliced, 'a spliced parse keeps a stale tree');
          // A stale tree is checked on a copy: the next edit starts from it as it is.
          const current: RetainedParse = parse.stale ? { ...parse, tree: parse.tree.copy() } : parse;
          try {
            await freshenTree(file.path, () => current);
            assert.ok(!current.stale);
            const fresh = copyTree(current.tree, text);
            assert.deepEqual(shape(parse.root), shape(fresh), `${file.path}: copy after an edit equals a full copy`);
            const full = await parseRetained(file.path, text);
            assert.equal(current.tree.rootNode.toString(), full?.tree.rootNode.toString(), `${file.path}: the incremental parse is the full parse`);
            full?.tree.delete();
          } finally {
            if (current !== parse) current.tree.delete();
          }
          steps++;
        }
      } finally {
        previous?.tree.delete();
      }
    }
    assert.ok(steps > 500, `many edits checked (${steps})`);
    assert.ok(reusedFacts > 100, `facts of untouched statements reused (${reusedFacts})`);
    assert.ok(spliced > pythonSteps / 4, `edited statements parsed alone often (${spliced} of ${pythonSteps} Python steps)`);
  });

  void it('clones the unchanged top-level nodes and parses the edited Python statement alone', async () => {
    const path = join(FIXTURES, 'python/crossfile/store.py');
    const text = `${'def helper_0():\n    return 0\n\n\n'}${readFileSync(path, 'utf8')}\n\ndef tail():\n    return 1\n`;
    const extractor = new Extractor({});
    const first = (await extractor.extractRetaining({ path, text })).parse!;
    const edited = text.replace('    return 0\n', '    x = 1\n    return 0\n');
    const second = (await extractor.extractRetaining({ path, text: edited }, first)).parse!;
    try {
      assert.ok(extractor.lastTimings.spliced && second.stale, 'the edited function was parsed alone; the tree is the old one, edited');
      const full = (await parseRetained(path, edited))!;
      assert.notEqual(second.tree.rootNode.toString(), full.tree.rootNode.toString(), 'a stale tree is not the parse of the text');
      full.tree.delete();
      await freshenTree(path, () => second);
      assert.ok(!second.stale);
      assert.deepEqual(shape(second.root), shape(copyTree(second.tree, edited)));
      const tail = second.root.children.at(-1)!;
      assert.equal(tail.text, 'def tail():\n    return 1', 'the node after the edit is shifted to its new place');
      assert.equal(tail.startPosition.row, edited.split('\n').length - 3);
    } finally {
      first.tree.delete();
      second.tree.delete();
    }
  });
});

void describe('a Python statement parsed alone', () => {
  /** Comments at every indentation between and inside statements, strings and continuations across lines. */
  const text = [
    '"""Module doc."""',
    'import time',
    '# a comment at column 0',
    'x = [',
    '    1,',
    ']',
    '',
    '',
    'def first(a):',
    '    """Doc."""',
    '    total = 0  # trailing',
    '    # inside, indented',
    '    for i in range(a):',
    '        total += i \\',
    '            + 1',
    '    # last, indented',
    '',
    '# between, at column 0',
    '',
    '@decorator',
    'def second():',
    '    s = """',
    'def not_a_def():',
    '"""',
    '    return s',
    '        # deeper than the body',
    'class C:',
    '    def m(self):',
    '        time.sleep(1)',
    '',
    '    # in the class, after a method',
    '    y = 2',
    'if __name__ == "__main__":',
    '    first(3); second()',
    '',
  ].join('\n');

  void it('gives the full copy and fresh facts for a line inserted, deleted or duplicated at every line', async () => {
    const path = join(FIXTURES, 'python/in-memory.py');
    const lines = text.split('\n');
    const versions: string[] = [];
    for (let at = 0; at <= lines.length; at++) {
      const indent = lines[at]?.match(/^\s*/)![0] ?? '';
      for (const line of [`${indent}time.sleep(2)`, '    time.sleep(3)', '# note', '        # deep note', '']) versions.push([...lines.slice(0, at), line, ...lines.slice(at)].join('\n'));
      if (at < lines.length) versions.push([...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'), [...lines.slice(0, at + 1), ...lines.slice(at)].join('\n'));
    }
    const extractor = new Extractor({});
    let spliced = 0;
    for (const edited of versions) {
      const first = (await extractor.extractRetaining({ path, text })).parse!;
      const { parse, extracted } = await extractor.extractRetaining({ path, text: edited }, first);
      first.tree.delete();
      try {
        if (extractor.lastTimings.spliced) spliced++;
        assert.deepEqual(extracted, await new Extractor({}).extract({ path, text: edited }), `facts of:\n${edited}`);
        await freshenTree(path, () => parse);
        assert.deepEqual(shape(parse!.root), shape(copyTree(parse!.tree, edited)), `copy of:\n${edited}`);
      } finally {
        parse?.tree.delete();
      }
    }
    assert.ok(spliced > versions.length / 4, `edited statements parsed alone often (${spliced} of ${versions.length})`);
  });
});

void describe('the edit handed to tree-sitter', () => {
  void it('keeps the changed ranges of a one-line insertion to the function it is in', async () => {
    const path = join(FIXTURES, 'python/crossfile/store.py');
    const many = Array.from({ length: 50 }, (_, i) => `def helper_${i}(rows):\n    total = 0\n    for row in rows:\n        total += row\n    return total\n\n\n`);
    const text = `import time\n\n\n${many.join('')}`;
    const at = text.indexOf('def helper_0(rows):\n') + 'def helper_0(rows):\n'.length;
    const edited = `${text.slice(0, at)}    time.sleep(1)\n${text.slice(at)}`;
    const nextFunction = edited.indexOf('def helper_1(');
    const before = await parseRetained(path, text);
    const after = await parseRetained(path, edited);
    assert.ok(before && after);
    const old = before.tree.copy();
    try {
      const edit = textEdit(text, edited)!;
      old.edit(edit);
      const { Parser } = await import('web-tree-sitter');
      const parser = new Parser();
      parser.setLanguage(before.tree.language);
      const incremental = parser.parse(edited, old)!;
      try {
        assert.equal(incremental.rootNode.toString(), after.tree.rootNode.toString());
        const changed = old.getChangedRanges(incremental);
        assert.ok(changed.length > 0);
        for (const range of changed) {
          assert.ok(range.startIndex >= at - 1 && range.endIndex < nextFunction, `changed range ${range.startIndex}-${range.endIndex} within the edited function (${at}-${nextFunction})`);
        }
      } finally {
        incremental.delete();
        parser.delete();
      }
    } finally {
      old.delete();
      before.tree.delete();
      after.tree.delete();
    }
  });
});

void describe('a cached run after random single-line edits', () => {
  void it('equals a fresh run on every fixture project, edit after edit and after each undo', async () => {
    const next = random(4242);
    let compared = 0;
    for (const group of ['python', 'js', 'fixes/python', 'fixes/js']) {
      for (const name of readdirSync(join(FIXTURES, group)).sort()) {
        const dir = join(FIXTURES, group, name);
        if (!statSync(dir).isDirectory()) continue;
        const files = fixtureFiles().filter((f) => f.path.startsWith(`${dir}/`));
        const cache = new ExtractionCache();
        try {
          const steps: SourceFile[][] = [files];
          for (let i = 0; i < 4; i++) {
            const target = Math.floor(next() * files.length);
            steps.push(files.map((f, n) => (n === target ? { path: f.path, text: lineEdit(f.text, next) } : f)), files);
          }
          for (const [n, step] of steps.entries()) {
            const cached = await analyzeWithoutFixes(step, { cache });
            const fresh = await analyzeWithoutFixes(step, { workers: 1 });
            assert.deepEqual(cached.files, fresh.files, `${group}/${name} step ${n}: the cached run equals a fresh run`);
            compared += cached.files.reduce((count, file) => count + file.functions.length, 0);
            cached.release();
            fresh.release();
          }
        } finally {
          cache.dispose();
        }
      }
    }
    assert.ok(compared > 2000, `functions compared (${compared})`);
  });
});

void describe('reused facts', () => {
  /** A path for the language only: the text below is the file. */
  const path = join(FIXTURES, 'python/in-memory.py');
  const text = [
    'import requests',
    '',
    '',
    'def make():',
    '    return requests.Session()',
    '',
    '',
    'client = make()',
    '',
    '',
    'class Api:',
    '    def __init__(self):',
    '        self.session = requests.Session()',
    '',
    '    def fetch(self, url):',
    '        return self.session.get(url)',
    '',
    '',
    'def use(url):',
    '    return client.get(url)',
    '',
  ].join('\n');

  async function steps(texts: string[]): Promise<Extracted[]> {
    const extractor = new Extractor({});
    const out: Extracted[] = [];
    let previous: RetainedParse | undefined;
    try {
      for (const step of texts) {
        const { extracted, parse } = await extractor.extractRetaining({ path, text: step }, previous);
        previous?.tree.delete();
        previous = parse;
        assert.deepEqual(extracted, await new Extractor({}).extract({ path, text: step }), 'equal to a fresh extraction');
        out.push(extracted);
      }
    } finally {
      previous?.tree.delete();
    }
    return out;
  }

  function calls(extracted: Extracted, name: string): string[] {
    assert.ok('functions' in extracted);
    return extracted.functions.find((f) => f.name === name)?.evidence.map((e) => e.call) ?? [];
  }

  void it('follow a helper whose return value a module binding uses, two statements away', async () => {
    const [before, after] = await steps([text, text.replace('    return requests.Session()', '    return 1')]);
    assert.deepEqual(calls(before, 'use'), ['requests.Session.get']);
    assert.deepEqual(calls(after, 'use'), [], 'use is unchanged text, but client is no longer a session');
  });

  void it('follow a self attribute set in another method of the class', async () => {
    const [before, after] = await steps([text, text.replace('        self.session = requests.Session()', '        self.session = None')]);
    assert.deepEqual(calls(before, 'Api.fetch'), ['requests.Session.get']);
    assert.deepEqual(calls(after, 'Api.fetch'), []);
  });
});
