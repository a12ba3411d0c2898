/**
 * The CLI's project environments: what each analyzed file's project declares (looked up no
 * higher than the current folder), what `--python` adds from the interpreter, `--free-threaded`,
 * and the built CLI's options, warnings and exit codes around them.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseArgs, UsageError, type AnalyzeArgs } from '../../src/cli/args';
import { readEnvironments } from '../../src/cli/environment';
import { runCli } from '../support/cli-run';
import { alive } from '../support/proc';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const FIXTURES = join(ROOT, 'test', 'fixtures', 'environment');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const DEBIAN_PYTHON = '/usr/bin/python3';

const sorted = (names: ReadonlySet<string>): string[] => [...names].sort();

void describe('the CLI\'s environments', () => {
  void it('each file gets its own project\'s declared libraries (paths as given, relative to the current folder)', async () => {
    const paths = ['pep621/app/jobs.py', 'node/src/pool.mjs', 'nested/sub/inner.py', 'none/alone.py'];
    const { environmentFor, warnings } = await readEnvironments(paths, { cwd: FIXTURES });
    assert.deepEqual(warnings, []);
    assert.deepEqual(sorted(environmentFor('pep621/app/jobs.py').pythonModules), ['dask', 'distributed', 'numpy', 'pytest', 'ray', 'ruff', 'sklearn']);
    assert.deepEqual(sorted(environmentFor('node/src/pool.mjs').nodePackages), ['piscina', 'tinypool', 'typescript', 'workerpool']);
    assert.deepEqual(sorted(environmentFor('nested/sub/inner.py').pythonModules), ['joblib']);
    assert.equal(environmentFor('pep621/app/jobs.py').freeThreaded, false);
  });

  void it('looks no higher than the current folder: from inside none/, the repository\'s package.json is not the file\'s', async () => {
    const { environmentFor } = await readEnvironments(['alone.py'], { cwd: join(FIXTURES, 'none') });
    assert.deepEqual(sorted(environmentFor('alone.py').nodePackages), []);
    // From the repository root, the same file's nearest package.json is the repository's own.
    const fromRoot = await readEnvironments([join(FIXTURES, 'none', 'alone.py')], { cwd: ROOT });
    assert.ok(fromRoot.environmentFor(join(FIXTURES, 'none', 'alone.py')).nodePackages.has('smol-toml'));
  });

  void it('malformed project files are warnings, relative to the current folder; the rest is read', async () => {
    const { environmentFor, warnings } = await readEnvironments(['broken/main.py', 'broken/main.mjs', 'poetry/crunch.py'], { cwd: FIXTURES });
    assert.deepEqual(warnings.map((w) => w.split(':').slice(0, 2).join(':')), ['broken/package.json: not valid JSON', 'broken/pyproject.toml: not valid TOML']);
    assert.deepEqual(sorted(environmentFor('poetry/crunch.py').pythonModules), ['PIL', 'dask', 'distributed', 'joblib', 'pyspark']);
  });

  void it('--python adds what the interpreter can import; --free-threaded states the GIL off', { skip: !existsSync(DEBIAN_PYTHON) && 'no /usr/bin/python3' }, async () => {
    const { environmentFor } = await readEnvironments(['none/alone.py'], { cwd: FIXTURES, python: DEBIAN_PYTHON });
    assert.deepEqual(sorted(environmentFor('none/alone.py').pythonModules), ['dask', 'distributed', 'joblib']);
    assert.equal(environmentFor('none/alone.py').freeThreaded, false);
    const stated = await readEnvironments(['none/alone.py'], { cwd: FIXTURES, freeThreaded: true });
    assert.equal(stated.environmentFor('none/alone.py').freeThreaded, true);
  });

  void it('an interpreter that cannot be probed is a warning: the files still count', async () => {
    const { environmentFor, warnings } = await readEnvironments(['pep621/app/jobs.py'], { cwd: FIXTURES, python: join(FIXTURES, 'no-such-python') });
    assert.match(warnings.join('\n'), /^--python: .*no-such-python: not found \(using the project files alone\)$/);
    assert.ok(environmentFor('pep621/app/jobs.py').pythonModules.has('dask'));
  });
});

void describe('the CLI\'s environment options', () => {
  void it('--python PATH and --free-threaded are analyze options', () => {
    const args = parseArgs(['analyze', 'src', '--python', '/opt/py/bin/python3.13t', '--free-threaded']) as AnalyzeArgs;
    assert.deepEqual(args.environment, { python: '/opt/py/bin/python3.13t', freeThreaded: true });
    assert.deepEqual((parseArgs(['analyze', 'src', '--python=python3']) as AnalyzeArgs).environment, { python: 'python3' });
    assert.deepEqual((parseArgs(['analyze', 'src']) as AnalyzeArgs).environment, {});
    assert.throws(() => parseArgs(['analyze', 'src', '--python']), (e: Error) => e instanceof UsageError && /--python needs a value/.test(e.message));
  });

  before(() => execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' }));

  void it('the built CLI: warnings on stderr, the report on stdout, exit 0', () => {
    const run = runCli(CLI, ['analyze', 'broken', 'pep621', '--python', 'no-such-python-anywhere', '--format', 'json'], FIXTURES);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /concurrency-lens: warning: broken\/pyproject\.toml: not valid TOML/);
    assert.match(run.stderr, /concurrency-lens: warning: --python: no-such-python-anywhere: not found \(using the project files alone\)/);
    const report = JSON.parse(run.stdout) as { files: Array<{ path: string }> };
    assert.deepEqual(report.files.map((f) => f.path), ['broken/main.mjs', 'broken/main.py', 'pep621/app/jobs.py']);
    assert.match(runCli(CLI, ['--help'], FIXTURES).stdout, /--python PATH\] \[--free-threaded\]/);
  });

  void it('Ctrl-C while --python\'s interpreter runs: it is killed, exit 2 with a message', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'concurrency-lens-cli-probe-'));
    try {
      const marker = join(temp, 'pid');
      const python = join(temp, 'python');
      writeFileSync(python, `#!/bin/sh\necho $$ > ${marker}\nsleep 30\n`);
      chmodSync(python, 0o755);
      const child = spawn(process.execPath, [CLI, 'analyze', join(FIXTURES, 'none'), '--python', python], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      for (let i = 0; i < 250 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 20));
      const shell = Number(readFileSync(marker, 'utf8'));
      child.kill('SIGINT');
      assert.equal(await exited, 2);
      assert.match(stderr, /concurrency-lens: cancelled \(.*python: cancelled; killed\)/);
      for (let i = 0; i < 50 && alive(shell); i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(alive(shell), false, 'the interpreter is gone');
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
