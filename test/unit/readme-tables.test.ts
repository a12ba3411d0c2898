/**
 * The README's commands and settings tables are generated from package.json
 * (scripts/docs-tables.mjs, `npm run docs:tables`): this keeps the repository's README current
 * (`npm test` fails, naming the command that fixes it, when a branch adds a command or a setting
 * without re-running the script), and checks the script itself on copies.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const SCRIPT = join(ROOT, 'scripts/docs-tables.mjs');

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    configuration: { properties: Record<string, Record<string, unknown>> };
  };
}

function tables(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The text between a table's markers. */
function table(readme: string, name: string): string {
  const start = readme.indexOf(`<!-- ${name}:start`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  assert.ok(start >= 0 && end > start, `README has the ${name} markers`);
  return readme.slice(start, end);
}

void describe('README tables from package.json', () => {
  let dir = '';
  let readme = '';
  let manifest: Manifest;
  const readmeCopy = (): string => join(dir, 'README.md');
  const manifestCopy = (): string => join(dir, 'package.json');

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'readme-tables-'));
    readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('README.md matches package.json (else: run `npm run docs:tables`)', () => {
    const run = tables(['--check']);
    assert.equal(run.status, 0, run.stderr);
  });

  void it('lists every contributed command and setting, with its id, default and description', () => {
    const commands = table(readme, 'commands');
    for (const command of manifest.contributes.commands) {
      assert.ok(commands.includes(`| ${command.category}: ${command.title} | \`${command.command}\` |`), `${command.command} has its row`);
    }
    const settings = table(readme, 'settings');
    for (const [key, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(settings.includes(`| \`${key}\` | \`${JSON.stringify(schema.default).replace(/\|/g, '\\|')}\` |`), `${key} has its row with its default`);
    }
    assert.match(settings, /\| `concurrencyLens\.maxFileSizeKB` \| `2048` \| Files larger than this \(in KB\) are not analyzed\. \|/);
  });

  void it('every command has the "Concurrency Lens" category, every setting a scope, a default and a description', () => {
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'Concurrency Lens', `${command.command}'s category`);
    for (const [key, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok('default' in schema, `${key} has a default`);
      assert.ok(typeof schema.scope === 'string', `${key} has a scope`);
      assert.ok(typeof (schema.markdownDescription ?? schema.description) === 'string', `${key} has a description`);
    }
  });

  void it('fails the check on a stale README, naming the command that fixes it, and changes nothing', () => {
    const added = structuredClone(manifest);
    added.contributes.commands.push({ command: 'concurrencyLens.aNewCommand', title: 'A New Command', category: 'Concurrency Lens' });
    writeFileSync(manifestCopy(), JSON.stringify(added));
    writeFileSync(readmeCopy(), readme);
    const run = tables(['--check', '--readme', readmeCopy(), '--package', manifestCopy()]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /the commands table is not what package\.json declares\. Run `npm run docs:tables`/);
    assert.equal(readFileSync(readmeCopy(), 'utf8'), readme, '--check writes nothing');

    // The fix: the script writes the row; the check passes; the rest of the README is untouched.
    assert.equal(tables(['--readme', readmeCopy(), '--package', manifestCopy()]).status, 0);
    const fixed = readFileSync(readmeCopy(), 'utf8');
    assert.match(table(fixed, 'commands'), /\| Concurrency Lens: A New Command \| `concurrencyLens\.aNewCommand` \|/);
    assert.equal(tables(['--check', '--readme', readmeCopy(), '--package', manifestCopy()]).status, 0);
    assert.equal(fixed.replace(table(fixed, 'commands'), ''), readme.replace(table(readme, 'commands'), ''));
  });

  void it('writes the same README whatever order package.json lists commands and settings in (merges of parallel branches)', () => {
    const reversed = structuredClone(manifest);
    reversed.contributes.commands.reverse();
    reversed.contributes.configuration.properties = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).reverse());
    writeFileSync(manifestCopy(), JSON.stringify(reversed, null, 4));
    writeFileSync(readmeCopy(), readme);
    assert.equal(tables(['--check', '--readme', readmeCopy(), '--package', manifestCopy()]).status, 0);
  });

  void it('says which markers are missing instead of guessing where a table goes', () => {
    writeFileSync(readmeCopy(), readme.replace(/<!-- settings:end -->/, ''));
    const run = tables(['--check', '--readme', readmeCopy(), '--package', join(ROOT, 'package.json')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no "<!-- settings:start \.\.\. -->" \.\.\. "<!-- settings:end -->" markers/);
  });
});
