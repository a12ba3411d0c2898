/**
 * The Python fixes keep a tidy import block tidy: every fix of the built CLI (`analyze --format
 * json` over examples/ and test/fixtures/) applied to a file whose imports isort finds in order
 * gives a file whose imports isort still finds in order (isort's black profile, the one Ruff's
 * import sorting follows). isort is Debian's python3-isort, which scripts/setup-python.sh
 * installs for /usr/bin/python3; without it the test is skipped, except with CI=true, where its
 * absence is a failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
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

/**
 * The texts (by name) whose imports isort would change, checked in one isort run over a scratch
 * folder of numbered files (so no name is taken for a first-party module), with no settings but
 * the profile.
 */
function unsorted(texts: ReadonlyMap<string, string>): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-isort-'));
  try {
    const names = [...texts.keys()];
    names.forEach((name, i) => writeFileSync(join(dir, `f${i}.py`), texts.get(name)!));
    const run = spawnSync(DEBIAN_PYTHON, ['-m', 'isort', '--check-only', '--profile', 'black', '--settings-path', dir, dir], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.signal, null, `isort was not cut off: ${run.stderr}`);
    assert.ok(run.status === 0 || run.status === 1, `isort ran (exit ${run.status}): ${run.stderr}`);
    const failed = new Set([...run.stderr.matchAll(/ERROR: (\S+) Imports are incorrectly sorted/g)].map((m) => m[1]));
    return new Set(names.filter((_, i) => failed.has(join(dir, `f${i}.py`))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void describe('the imports Python fixes add', () => {
  void it('keep an import block in isort\'s order, for every fix of the examples and fixtures', (t) => {
    if (spawnSync(DEBIAN_PYTHON, ['-c', 'import isort'], { timeout: 30_000 }).status !== 0) {
      if (ON_CI) assert.fail(`${DEBIAN_PYTHON} cannot import isort: CI runs scripts/setup-python.sh (python3-isort) before the tests`);
      t.skip(`${DEBIAN_PYTHON} lacks isort: bash scripts/setup-python.sh as root (apt-get install python3-isort)`);
      return;
    }
    const run = runCli(join(ROOT, 'dist/cli.cjs'), ['analyze', 'examples', 'test/fixtures', '--format', 'json'], ROOT);
    assert.equal(run.signal, null, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const originals = new Map<string, string>();
    for (const file of report.files) {
      if (file.path.endsWith('.py') && file.diagnostics.some((d) => (d.fixes ?? []).length > 0)) originals.set(file.path, readFileSync(file.path, 'utf8'));
    }
    const tidy = new Set(originals.keys());
    for (const path of unsorted(originals)) tidy.delete(path);
    const fixed = new Map<string, string>();
    for (const file of report.files) {
      if (!tidy.has(file.path)) continue;
      for (const fix of file.diagnostics.flatMap((d) => (d.fixes ?? []) as JsonFix[])) {
        fixed.set(`${relative(ROOT, file.path)}: ${fix.title}`, applyEdits(originals.get(file.path)!, fix.edits));
      }
    }
    // The fixtures hold fixes of every Python kind that adds an import; most files are in order.
    assert.ok(tidy.size >= 20, `files in order: ${tidy.size} of ${originals.size}`);
    assert.ok(fixed.size >= 40, `fixes checked: ${fixed.size}`);
    assert.ok([...fixed.values()].some((text) => text.includes('import asyncio')) && [...fixed.values()].some((text) => text.includes('from dask.distributed import Client')));
    assert.deepEqual([...unsorted(fixed)], [], `fixes whose imports isort would reorder (of ${fixed.size})`);
  });
});
