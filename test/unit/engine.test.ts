/**
 * The engine's own guarantees, beyond the fixtures: bad input loses nothing, worker
 * threads give the same results as the calling thread, and users extend the catalog.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFiles, EMPTY_ENVIRONMENT, ExtractionCache, type FileResult, type SourceFile } from '../../src/core';
import { workerScript } from '../../src/core/parallel';
import { repoRoot } from '../support/repo';


const root = repoRoot();

function pythonFiles(folder: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.py')) out.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, folder));
  return out;
}

function fn(result: FileResult, name: string) {
  const found = result.functions.find((f) => f.name === name);
  assert.ok(found, `${name} in ${result.path}: ${result.functions.map((f) => f.name).join(', ')}`);
  return found;
}

void describe('bad input loses nothing', () => {
  void it('a 60,000-term expression does not cost the rest of the file', async () => {
    const text = `def total(x):\n    return ${Array.from({ length: 60000 }, () => 'x').join(' + ')}\n\nimport time\n\ndef pause():\n    time.sleep(1)\n`;
    const [result] = await analyzeFiles([{ path: 'generated.py', text }], { workers: 1 });
    assert.equal(result.error, undefined);
    assert.equal(fn(result, 'pause').kind, 'io');
    assert.ok(fn(result, 'pause').evidence.some((e) => e.call === 'time.sleep'));
    assert.ok(result.functions.some((f) => f.name === 'total'));
  });

  void it('binary, unsupported and oversized files get an error and the others are analyzed', async () => {
    const results = await analyzeFiles(
      [
        { path: 'blob.py', text: 'def f():\u0000 pass\n' },
        { path: 'notes.txt', text: 'hello' },
        { path: 'big.py', text: `# ${'x'.repeat(5000)}\n` },
        { path: 'fine.py', text: 'import requests\n\ndef get(u):\n    return requests.get(u)\n' },
      ],
      { maxFileBytes: 4096, workers: 1 },
    );
    assert.match(results[0].error ?? '', /binary/);
    assert.match(results[1].error ?? '', /unsupported/);
    assert.match(results[2].error ?? '', /too large \(4\.9 KB, the limit is 4\.0 KB\)/);
    assert.equal(results[3].error, undefined);
    assert.equal(fn(results[3], 'get').kind, 'io');
  });
});

void describe('worker threads', () => {
  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
  });

  void it('give exactly the results of the calling thread, in order', async () => {
    assert.ok(workerScript(), 'the worker bundle (dist/analyze-worker.cjs) is found, so workers really run');
    const files = [...pythonFiles('test/fixtures/python'), ...pythonFiles('examples/python')];
    const serial = await analyzeFiles(files, { workers: 1 });
    const parallel = await analyzeFiles(files, { workers: 2 });
    assert.equal(parallel.length, files.length);
    assert.deepEqual(parallel, serial);
    // Cross-file chains still work when the files were parsed on different threads.
    const pipeline = parallel.find((r) => r.path.endsWith('page_archiver/pipeline.py'))!;
    assert.ok(fn(pipeline, 'download_pages').evidence.some((e) => e.via.includes('download') && e.call === 'urllib.request.urlopen'));
  });

  void it('run with the options the CLI and the editor give: an environment callback and a cache stay in this thread', async () => {
    const files = [...pythonFiles('test/fixtures/python'), ...pythonFiles('examples/python')];
    const serial = await analyzeFiles(files, { workers: 1 });
    const asked = new Set<string>();
    const environmentFor = (path: string): typeof EMPTY_ENVIRONMENT => (asked.add(path), EMPTY_ENVIRONMENT);
    // Sent to the workers whole, the callback could not be cloned (DataCloneError), nor the cache.
    assert.deepEqual(await analyzeFiles(files, { workers: 2, environmentFor }), serial);
    assert.ok(asked.size > 0, 'the callback was called, in this thread');
    const cache = new ExtractionCache();
    try {
      assert.deepEqual(await analyzeFiles(files, { workers: 2, environmentFor, cache }), serial);
    } finally {
      cache.dispose();
    }
  });
});

void describe('catalog extensions', () => {
  const text = 'from mycompany import db\n\ndef load_user(user_id):\n    return db.query("SELECT * FROM users WHERE id = ?", user_id)\n';

  void it('make a call the catalog does not know count as I/O', async () => {
    const [plain] = await analyzeFiles([{ path: 'users.py', text }], { workers: 1 });
    assert.equal(fn(plain, 'load_user').kind, 'neither');
    const [extended] = await analyzeFiles([{ path: 'users.py', text }], { workers: 1, extraCalls: { python: { 'mycompany.db.query': 'database' } } });
    const loadUser = fn(extended, 'load_user');
    assert.equal(loadUser.kind, 'io');
    assert.deepEqual(
      loadUser.evidence.map((e) => [e.call, e.category, e.blocking]),
      [['mycompany.db.query', 'database', true]],
    );
  });
});
