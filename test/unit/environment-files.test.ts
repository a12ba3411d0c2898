/**
 * The project's declared libraries: PEP 508 requirements, `pyproject.toml` in its three
 * dialects (PEP 621, Poetry, PEP 735), `requirements*.txt` with includes, `package.json`, the
 * distribution → module table, and which folder's files apply to a source file, on the real
 * fixture trees of test/fixtures/environment/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  modulesOf,
  nearestProjectFolder,
  parseRequirement,
  readPackageJson,
  readPyproject,
  readRequirements,
} from '../../src/core/environment-files';
import { DeclaredFiles } from '../../src/env/declared';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'environment');

void describe('PEP 508 requirements', () => {
  void it('takes the name and extras, whatever follows (versions, markers, URLs)', () => {
    assert.deepEqual(parseRequirement('Dask[distributed, dataframe] >= 2023.1'), { name: 'Dask', extras: ['distributed', 'dataframe'] });
    assert.deepEqual(parseRequirement('ray[default]==2.9.0; python_version >= "3.9"'), { name: 'ray', extras: ['default'] });
    assert.deepEqual(parseRequirement('pyyaml @ https://files.example.org/PyYAML-6.0.tar.gz'), { name: 'pyyaml', extras: [] });
    assert.deepEqual(parseRequirement('zope.interface~=6.0'), { name: 'zope.interface', extras: [] });
  });

  void it('gives nothing for a URL or a path, which name no distribution', () => {
    assert.equal(parseRequirement('https://files.example.org/x-1.0-py3-none-any.whl'), undefined);
    assert.equal(parseRequirement('./local/wheel-0.1.tar.gz'), undefined);
    assert.equal(parseRequirement('../sibling'), undefined);
    assert.equal(parseRequirement('C:\\wheels\\x.whl'), undefined);
  });
});

void describe('distributions to modules', () => {
  void it('normalizes names (case, -, _, .) and keeps the table of names that differ', () => {
    assert.deepEqual(modulesOf([{ name: 'Scikit_Learn', extras: [] }, { name: 'typing-extensions', extras: [] }, { name: 'Pillow', extras: [] }]), ['PIL', 'sklearn', 'typing_extensions']);
  });

  void it('dask[distributed] and dask[complete] bring distributed; other extras bring nothing', () => {
    assert.deepEqual(modulesOf([{ name: 'dask', extras: ['distributed'] }]), ['dask', 'distributed']);
    assert.deepEqual(modulesOf([{ name: 'dask', extras: ['complete'] }]), ['dask', 'distributed']);
    assert.deepEqual(modulesOf([{ name: 'dask', extras: ['dataframe'] }]), ['dask']);
    assert.deepEqual(modulesOf([{ name: 'ray', extras: ['default'] }]), ['ray']);
  });
});

void describe('pyproject.toml', () => {
  void it('PEP 621 dependencies and optional dependencies, PEP 735 groups (includes skipped)', () => {
    const { requirements, problem } = readPyproject(`
[project]
dependencies = ["dask[distributed]>=2023", "numpy"]
[project.optional-dependencies]
cluster = ["ray[default]"]
[dependency-groups]
test = ["pytest", { include-group = "lint" }]
lint = ["ruff"]
`);
    assert.equal(problem, undefined);
    assert.deepEqual(modulesOf(requirements), ['dask', 'distributed', 'numpy', 'pytest', 'ray', 'ruff']);
  });

  void it('Poetry dependencies (not python itself), groups, legacy dev-dependencies, extras in tables and lists', () => {
    const { requirements } = readPyproject(`
[tool.poetry.dependencies]
python = "^3.11"
dask = { version = "^2024.1", extras = ["distributed"] }
numpy = [{ version = "<2", python = "<3.9" }, { version = ">=2", python = ">=3.9" }]
[tool.poetry.group.spark.dependencies]
pyspark = "^3.5"
[tool.poetry.dev-dependencies]
joblib = "*"
`);
    assert.deepEqual(modulesOf(requirements), ['dask', 'distributed', 'joblib', 'numpy', 'pyspark']);
  });

  void it('a file without dependencies declares nothing, without a problem', () => {
    assert.deepEqual(readPyproject('[build-system]\nrequires = ["setuptools"]\n'), { requirements: [], includes: [] });
  });

  void it('malformed TOML declares nothing and says why', () => {
    const result = readPyproject('[project]\ndependencies = ["dask"\n');
    assert.deepEqual(result.requirements, []);
    assert.match(result.problem ?? '', /^not valid TOML: /);
  });
});

void describe('requirements*.txt', () => {
  void it('names from PEP 508 lines; comments, options, hashes, continuations, URLs and paths handled as pip does', () => {
    const { requirements, includes } = readRequirements(`# comment
--index-url https://pypi.example.org/simple
ray[default]>=2.9 ; python_version >= "3.9"  # the cluster
requests==2.31.0 \\
    --hash=sha256:00
-e git+https://github.com/example/thing.git#egg=python-dateutil
-e .
https://files.example.org/packages/ignored-1.0-py3-none-any.whl
./local/wheel-0.1.tar.gz
pyyaml @ https://files.example.org/PyYAML-6.0.tar.gz#sha256=00
-c constraints.txt
-r base.txt
--requirement=more/extra.txt
`);
    assert.deepEqual(modulesOf(requirements), ['dateutil', 'ray', 'requests', 'yaml']);
    assert.deepEqual(includes, ['base.txt', 'more/extra.txt']);
  });
});

void describe('package.json', () => {
  void it('every dependency field counts', () => {
    const text = JSON.stringify({ dependencies: { piscina: '^4' }, devDependencies: { typescript: '^5' }, optionalDependencies: { tinypool: '*' }, peerDependencies: { workerpool: '*' }, scripts: { build: 'x' } });
    assert.deepEqual(readPackageJson(text), { packages: ['piscina', 'tinypool', 'typescript', 'workerpool'] });
  });

  void it('malformed JSON, or JSON that is not an object, declares nothing and says why', () => {
    assert.match(readPackageJson('{ "dependencies": ').problem ?? '', /^not valid JSON: /);
    assert.deepEqual(readPackageJson('[]'), { packages: [], problem: 'not a JSON object' });
  });
});

void describe('which project files apply to a source file', () => {
  const list = (entries: Record<string, string[]>) => (dir: string) => entries[dir];

  void it('the nearest folder with the family\'s files, up to the root and no higher', () => {
    const entries = list({ '/w/app/sub': [], '/w/app': ['package.json'], '/w': ['pyproject.toml', 'requirements-dev.txt', 'requirements.txt', 'README.md'], '/': ['pyproject.toml'] });
    assert.deepEqual(nearestProjectFolder('/w/app/sub/x.py', '/w', 'python', entries), {
      folder: '/w',
      files: ['/w/pyproject.toml', '/w/requirements-dev.txt', '/w/requirements.txt'],
    });
    assert.deepEqual(nearestProjectFolder('/w/app/sub/x.mjs', '/w', 'javascript', entries), { folder: '/w/app', files: ['/w/app/package.json'] });
    assert.equal(nearestProjectFolder('/w/app/sub/x.mjs', '/w/app/sub', 'javascript', entries), undefined);
  });

  void it('a file outside the root is looked up in its own folder alone', () => {
    const entries = list({ '/other': [], '/': ['pyproject.toml'] });
    assert.equal(nearestProjectFolder('/other/x.py', '/w', 'python', entries), undefined);
  });

  void it('reads the fixture trees: PEP 621 above the source folder', async () => {
    const declared = await new DeclaredFiles().forFile(join(FIXTURES, 'pep621', 'app', 'jobs.py'), FIXTURES);
    assert.deepEqual([...declared.pythonModules].sort(), ['dask', 'distributed', 'numpy', 'pytest', 'ray', 'ruff', 'sklearn']);
    assert.deepEqual(declared.files, [join(FIXTURES, 'pep621', 'pyproject.toml')]);
    assert.deepEqual(declared.problems, []);
  });

  void it('reads the fixture trees: Poetry', async () => {
    const declared = await new DeclaredFiles().forFile(join(FIXTURES, 'poetry', 'crunch.py'), FIXTURES);
    assert.deepEqual([...declared.pythonModules].sort(), ['PIL', 'dask', 'distributed', 'joblib', 'pyspark']);
  });

  void it('reads the fixture trees: every requirements*.txt of the folder, includes followed once (a cycle stops)', async () => {
    const declared = await new DeclaredFiles().forFile(join(FIXTURES, 'requirements', 'src', 'tasks.py'), FIXTURES);
    assert.deepEqual([...declared.pythonModules].sort(), ['dateutil', 'joblib', 'pytest', 'ray', 'requests', 'yaml']);
    assert.deepEqual(declared.files.map((f) => f.slice(FIXTURES.length + 1)).sort(), ['requirements/requirements-base.txt', 'requirements/requirements-dev.txt', 'requirements/requirements.txt']);
    assert.deepEqual(declared.problems, []);
  });

  void it('reads the fixture trees: the nearest folder wins, per family', async () => {
    const files = new DeclaredFiles();
    assert.deepEqual([...(await files.forFile(join(FIXTURES, 'nested', 'sub', 'inner.py'), FIXTURES)).pythonModules], ['joblib']);
    assert.deepEqual([...(await files.forFile(join(FIXTURES, 'nested', 'other', 'outer.py'), FIXTURES)).pythonModules], ['dask']);
    const node = await files.forFile(join(FIXTURES, 'node', 'src', 'pool.mjs'), FIXTURES);
    assert.deepEqual([...node.nodePackages].sort(), ['piscina', 'tinypool', 'typescript', 'workerpool']);
    assert.deepEqual([...node.pythonModules], []);
  });

  void it('reads the fixture trees: malformed files declare nothing and are reported, without a throw', async () => {
    const declared = await new DeclaredFiles().forFile(join(FIXTURES, 'broken', 'main.py'), FIXTURES);
    assert.deepEqual([...declared.pythonModules], []);
    assert.deepEqual([...declared.nodePackages], []);
    assert.deepEqual(declared.problems.map((p) => [p.file.slice(FIXTURES.length + 1), p.problem.split(':')[0]]).sort(), [
      ['broken/package.json', 'not valid JSON'],
      ['broken/pyproject.toml', 'not valid TOML'],
    ]);
  });

  void it('a file with no project files up to the root has an empty environment', async () => {
    const declared = await new DeclaredFiles().forFile(join(FIXTURES, 'none', 'alone.py'), join(FIXTURES, 'none'));
    assert.deepEqual(declared, { pythonModules: new Set(), nodePackages: new Set(), files: [], problems: [] });
  });

  const temp = mkdtempSync(join(tmpdir(), 'concurrency-lens-env-'));
  after(() => rmSync(temp, { recursive: true, force: true }));

  void it('a missing include is reported; forget() reads a changed file again', async () => {
    writeFileSync(join(temp, 'requirements.txt'), 'joblib\n-r missing.txt\n');
    const files = new DeclaredFiles();
    const first = await files.forFile(join(temp, 'x.py'), temp);
    assert.deepEqual([...first.pythonModules], ['joblib']);
    assert.deepEqual(first.problems, [{ file: join(temp, 'missing.txt'), problem: 'cannot read (ENOENT)' }]);
    writeFileSync(join(temp, 'requirements.txt'), 'dask[distributed]\n');
    assert.deepEqual([...(await files.forFile(join(temp, 'x.py'), temp)).pythonModules], ['joblib'], 'cached until forgotten');
    files.forget(join(temp, 'requirements.txt'));
    assert.deepEqual([...(await files.forFile(join(temp, 'x.py'), temp)).pythonModules].sort(), ['dask', 'distributed']);
    writeFileSync(join(temp, 'package.json'), '{"dependencies":{"piscina":"4"}}');
    files.forget(join(temp, 'package.json'));
    assert.deepEqual([...(await files.forFile(join(temp, 'y.mjs'), temp)).nodePackages], ['piscina'], 'a new project file is found');
  });
});
