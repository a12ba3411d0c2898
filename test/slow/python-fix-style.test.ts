/**
 * The Python fixes keep tidy code tidy. Every fix of the built CLI (`analyze --format json` over
 * examples/ and test/fixtures/) is applied to its file, and:
 * - where isort finds the file's imports in order, it still does after the fix (isort's black
 *   profile, the one Ruff's import sorting follows);
 * - pycodestyle reports no warning of a kind the file did not have as often before (blank lines,
 *   continuation lines, whitespace: E1, E2, E3, W2, W3; line length is left out).
 * isort and pycodestyle are Debian's python3-isort and python3-pycodestyle, which
 * scripts/setup-python.sh installs for /usr/bin/python3; without them the tests are skipped,
 * except with CI=true, where their absence is a failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import type { TextEdit } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import type { JsonReport } from '../support/cli-json';
import { runCli } from '../support/cli-run';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const DEBIAN_PYTHON = '/usr/bin/python3';
const ON_CI = process.env.CI === 'true';

interface JsonFix {
  title: string;
  edits: TextEdit[];
}

/** The fixes of the examples and fixtures: each file's text, and the texts its fixes make, by "file: title". */
interface Rewrites {
  originals: Map<string, string>;
  fixed: Array<{ path: string; label: string; text: string }>;
}

function rewrites(): Rewrites {
  const run = runCli(join(ROOT, 'dist/cli.cjs'), ['analyze', 'examples', 'test/fixtures', '--format', 'json'], ROOT);
  assert.equal(run.signal, null, run.stderr);
  const report = JSON.parse(run.stdout) as JsonReport;
  const originals = new Map<string, string>();
  const fixed: Rewrites['fixed'] = [];
  for (const file of report.files) {
    const fixes = file.diagnostics.flatMap((d) => (d.fixes ?? []) as JsonFix[]);
    if (!file.path.endsWith('.py') || fixes.length === 0) continue;
    const text = readFileSync(file.path, 'utf8');
    originals.set(file.path, text);
    for (const fix of fixes) fixed.push({ path: file.path, label: `${relative(ROOT, file.path)}: ${fix.title.slice(0, 80)}`, text: applyEdits(text, fix.edits) });
  }
  return { originals, fixed };
}

/** Whether Debian's python3 can run `module`; with CI=true its absence fails the test instead. */
function has(t: TestContext, module: string, deb: string): boolean {
  if (spawnSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { timeout: 30_000 }).status === 0) return true;
  if (ON_CI) assert.fail(`${DEBIAN_PYTHON} cannot import ${module}: CI runs scripts/setup-python.sh (${deb}) before the tests`);
  t.skip(`${DEBIAN_PYTHON} lacks ${module}: bash scripts/setup-python.sh as root (apt-get install ${deb})`);
  return false;
}

/**
 * Runs `python3 -m <args(folder)> <folder>` once over the texts, written as numbered files into a
 * scratch folder (so no name is taken for a first-party module), and gives its output with each
 * file's path replaced by its index (`@3:`).
 */
function runOver(texts: readonly string[], args: (dir: string) => readonly string[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cl-style-'));
  try {
    texts.forEach((text, i) => writeFileSync(join(dir, `f${i}.py`), text));
    const command = args(dir);
    const run = spawnSync(DEBIAN_PYTHON, ['-m', ...command, dir], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.signal, null, `${command[0]} was not cut off: ${run.stderr}`);
    const output = `${run.stdout}${run.stderr}`.replace(/\S*\/f(\d+)\.py/g, '@$1');
    return { status: run.status, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void describe('the code Python fixes write', () => {
  let all: Rewrites;

  before(() => {
    all = rewrites();
  });

  void it('keeps an import block in isort\'s order, for every fix of the examples and fixtures', (t) => {
    if (!has(t, 'isort', 'python3-isort')) return;
    const unsorted = (texts: readonly string[]): Set<number> => {
      // The scratch folder holds no settings: isort's own defaults and the profile alone.
      const run = runOver(texts, (dir) => ['isort', '--check-only', '--profile', 'black', '--settings-path', dir]);
      assert.ok(run.status === 0 || run.status === 1, `isort ran (exit ${run.status}): ${run.output}`);
      return new Set([...run.output.matchAll(/ERROR: @(\d+) Imports are incorrectly sorted/g)].map((m) => Number(m[1])));
    };
    const paths = [...all.originals.keys()];
    const out = unsorted([...all.originals.values()]);
    const tidy = new Set(paths.filter((_, i) => !out.has(i)));
    const checked = all.fixed.filter((f) => tidy.has(f.path));
    // The fixtures hold fixes of every Python kind that adds an import; most files are in order.
    assert.ok(tidy.size >= 20, `files in order: ${tidy.size} of ${paths.length}`);
    assert.ok(checked.length >= 40, `fixes checked: ${checked.length}`);
    assert.ok(checked.some((f) => f.text.includes('import asyncio')) && checked.some((f) => f.text.includes('from dask.distributed import Client')));
    const reordered = unsorted(checked.map((f) => f.text));
    assert.deepEqual(checked.filter((_, i) => reordered.has(i)).map((f) => f.label), [], `fixes whose imports isort would reorder (of ${checked.length})`);
  });

  void it('adds no pycodestyle warning (blank lines, continuation lines, whitespace), for every fix of the examples and fixtures', (t) => {
    if (!has(t, 'pycodestyle', 'python3-pycodestyle')) return;
    const counts = (texts: readonly string[]): Array<Map<string, number>> => {
      const run = runOver(texts, () => ['pycodestyle', '--select=E1,E2,E3,W2,W3']);
      assert.ok(run.status === 0 || run.status === 1, `pycodestyle ran (exit ${run.status}): ${run.output}`);
      const out = texts.map(() => new Map<string, number>());
      for (const [, index, code] of run.output.matchAll(/^@(\d+):\d+:\d+: (\w+)/gm)) out[Number(index)].set(code, (out[Number(index)].get(code) ?? 0) + 1);
      return out;
    };
    const paths = [...all.originals.keys()];
    const before = new Map(counts([...all.originals.values()]).map((c, i) => [paths[i], c]));
    const after = counts(all.fixed.map((f) => f.text));
    assert.ok(all.fixed.length >= 40, `fixes checked: ${all.fixed.length}`);
    const added = all.fixed.flatMap((f, i) => [...after[i]].filter(([code, n]) => n > (before.get(f.path)!.get(code) ?? 0)).map(([code]) => `${f.label}: ${code}`));
    assert.deepEqual(added, [], `fixes that add pycodestyle warnings (of ${all.fixed.length})`);
  });
});
