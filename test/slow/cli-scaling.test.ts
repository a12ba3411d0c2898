/**
 * The built CLI (dist/cli.cjs) choosing CL202's fixes from the project environment, as the
 * editor does: `analyze --format json` on a project whose `pyproject.toml` declares
 * `dask[distributed]` lists "Distribute with Dask" beside the preferred process pool, and the
 * Dask fix's edits give `client.map`; the same module in a folder declaring nothing gets the
 * process pool alone, unless `--python` names an interpreter that can import `distributed`
 * (Debian's python3); `--free-threaded` makes the thread pool the preferred fix.
 *
 * The project is test/fixtures/editor/scaling/dask, the one the editor suites use.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TextEdit } from '../../src/core';
import { applyEdits } from '../../src/core/text';
import { lineOf, runAnalyzeJson } from '../support/cli-run';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const PROJECT = join(ROOT, 'test/fixtures/editor/scaling/dask');
const MODULE = 'collatz.py';
const DEBIAN_PYTHON = '/usr/bin/python3';
const DEBIAN_DISTRIBUTED = '/usr/lib/python3/dist-packages/distributed/__init__.py';

/** A fix as the JSON contract gives it. */
interface JsonFix {
  title: string;
  preferred: boolean;
  edits: TextEdit[];
}

const KINDS = {
  processes: /^Run the `longest_chain` calls in parallel processes \(`ProcessPoolExecutor\.map`\)/,
  dask: /^Distribute the `longest_chain` calls with Dask \(`client\.map`\)/,
  threads: /^Run the iterations in a thread pool \(`ThreadPoolExecutor\.map`\)/,
};

/** The fixes of the module's one CL202, each named by its kind, with `*` on the preferred one. */
function cl202(cwd: string, extra: string[] = []): { kinds: string[]; fixes: JsonFix[] } {
  const report = runAnalyzeJson(CLI, [MODULE, ...extra], cwd);
  const [file] = report.files;
  const findings = file.diagnostics.filter((d) => d.code === 'CL202');
  assert.equal(findings.length, 1, `one CL202 in ${JSON.stringify(file.diagnostics.map((d) => d.code))}`);
  const [finding] = findings;
  const source = readFileSync(join(cwd, MODULE), 'utf8');
  assert.equal(finding.line, lineOf(source, 'return [longest_chain(limit)'));
  const fixes = finding.fixes as JsonFix[];
  const kinds = fixes.map((fix) => {
    const kind = Object.keys(KINDS).find((k) => KINDS[k as keyof typeof KINDS].test(fix.title));
    assert.ok(kind, `a known fix: ${fix.title}`);
    return `${kind}${fix.preferred ? '*' : ''}`;
  });
  return { kinds, fixes };
}

let bare = '';

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
  // The module alone, in a folder above which the CLI does not look (the current folder is its limit).
  bare = mkdtempSync(join(tmpdir(), 'concurrency-lens-cli-scaling-'));
  copyFileSync(join(PROJECT, MODULE), join(bare, MODULE));
});

after(() => {
  if (bare) rmSync(bare, { recursive: true, force: true });
});

void describe('the CLI: CL202\'s fixes follow the project environment', () => {
  void it('pyproject.toml declaring dask[distributed]: the process pool preferred, then "Distribute with Dask", whose edits give client.map', () => {
    const { kinds, fixes } = cl202(PROJECT);
    assert.deepEqual(kinds, ['processes*', 'dask']);
    const fixed = applyEdits(readFileSync(join(PROJECT, MODULE), 'utf8'), fixes[1].edits);
    assert.match(fixed, /^from dask\.distributed import Client$/m);
    assert.match(fixed, /^ {4}with Client\(\) as client:\n {8}return client\.gather\(client\.map\(longest_chain, limits\)\)$/m);
    assert.match(fixed, /^if __name__ == "__main__":\n {4}print\(longest_chains\(/m);
  });

  void it('the same module with no project file: the process pool alone', () => {
    assert.deepEqual(cl202(bare).kinds, ['processes*']);
  });

  void it('--python naming an interpreter that imports distributed (Debian\'s python3): the Dask fix without any declaration', { skip: (!existsSync(DEBIAN_PYTHON) || !existsSync(DEBIAN_DISTRIBUTED)) && 'no Debian python3 with distributed' }, () => {
    assert.deepEqual(cl202(bare, ['--python', DEBIAN_PYTHON]).kinds, ['processes*', 'dask']);
  });

  void it('--free-threaded: the thread pool first and preferred, the process pool and Dask still offered', () => {
    assert.deepEqual(cl202(PROJECT, ['--free-threaded']).kinds, ['threads*', 'processes', 'dask']);
    assert.deepEqual(cl202(bare, ['--free-threaded']).kinds, ['threads*', 'processes']);
  });
});
