/**
 * The JavaScript benchmark corpus: the published source of a few big, well-known npm
 * packages, pinned as exact devDependencies (package-lock.json pins their own
 * dependencies), read from node_modules at run time. Plain JS only: no minified files,
 * no single-file bundles over 1 MB, no type declarations, no nested node_modules.
 *
 * Why these packages: each is large, real, written as readable JavaScript, and mixes
 * async functions with synchronous fs / child_process calls — exactly what CL101 and
 * eslint-plugin-n's `no-sync` look at — in different styles:
 *   - eslint (lib/): config loading and file enumeration, async/await with fs sync calls.
 *   - webpack (lib/): the biggest by far; callback-style plugins, a few sync fs calls,
 *     generated parsers (large machine-written files are real input too).
 *   - @npmcli/arborist (lib/) with pacote, cacache, npm-registry-fetch, make-fetch-happen,
 *     @npmcli/run-script, @npmcli/git (the versions arborist resolves to): npm's install
 *     engine, async everywhere, with fs sync calls in places.
 *   - Jest 29 (@jest/core and the packages it runs on; build/ holds one readable bundle
 *     per package): a test runner with a module loader full of readFileSync/existsSync.
 *   - mocha (lib/, an ES-module package with .cjs CLI files) and @11ty/eleventy (src/,
 *     ES modules): the `"type": "module"` side, so both source types are measured.
 * Together about 15.5 MB in some 1,500 files, more than half of it webpack.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SourceFile } from '../../src/core/model';
import { type Corpus, fingerprintOf, QUICK_FILES } from './corpus';

/** A package of the corpus and the folders of it that hold its source. */
interface CorpusPackage {
  name: string;
  dirs: string[];
}

export const JS_PACKAGES: readonly CorpusPackage[] = [
  { name: 'eslint', dirs: ['lib'] },
  { name: 'webpack', dirs: ['lib'] },
  { name: '@npmcli/arborist', dirs: ['lib'] },
  { name: 'pacote', dirs: ['lib'] },
  { name: 'cacache', dirs: ['lib'] },
  { name: 'npm-registry-fetch', dirs: ['lib'] },
  { name: 'make-fetch-happen', dirs: ['lib'] },
  { name: '@npmcli/run-script', dirs: ['lib'] },
  { name: '@npmcli/git', dirs: ['lib'] },
  { name: '@jest/core', dirs: ['build'] },
  { name: '@jest/reporters', dirs: ['build'] },
  { name: '@jest/transform', dirs: ['build'] },
  { name: 'jest-config', dirs: ['build'] },
  { name: 'jest-haste-map', dirs: ['build'] },
  { name: 'jest-resolve', dirs: ['build'] },
  { name: 'jest-runner', dirs: ['build'] },
  { name: 'jest-runtime', dirs: ['build'] },
  { name: 'jest-snapshot', dirs: ['build'] },
  { name: 'mocha', dirs: ['lib'] },
  { name: '@11ty/eleventy', dirs: ['src'] },
];

const JS_EXTENSIONS = ['.js', '.cjs', '.mjs'];
/** Larger files are bundles (one package's whole dist in a file), not source a person edits. */
export const MAX_FILE_BYTES = 1_000_000;

/** Why a file is left out, or undefined when it is in. */
function excluded(name: string, bytes: number): string | undefined {
  if (!JS_EXTENSIONS.some((ext) => name.endsWith(ext))) return 'not JavaScript';
  if (name.endsWith('.min.js')) return 'minified';
  if (bytes > MAX_FILE_BYTES) return 'bundle over 1 MB';
  return undefined;
}

/** The project's node_modules, searched upwards from the bundle (it runs from out/bench/). */
export function findNodeModules(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'webpack', 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`node_modules with the JS corpus packages not found above ${__dirname}; run npm install`);
}

interface PackageManifest {
  version?: string;
  type?: string;
}

/**
 * Source files under `dir` (relative to `root`) into `out`, skipping nested node_modules
 * and symlinks; JavaScript files left out are counted by reason in `skipped`.
 */
function walk(root: string, dir: string, out: string[], skipped: Map<string, number>): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(root, path, out, skipped);
    } else if (entry.isFile()) {
      const reason = excluded(entry.name, statSync(join(root, path)).size);
      if (reason === undefined) out.push(path);
      else if (reason !== 'not JavaScript') skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    }
  }
}

/** Files with both an async function and a `...Sync(` call: where the two tools meet. */
function quickSubset(files: SourceFile[], count: number): SourceFile[] {
  const hasAsync = (f: SourceFile) => /\basync\b/.test(f.text);
  const rank = (f: SourceFile) => (hasAsync(f) ? (f.text.includes('Sync(') ? 0 : 1) : 2);
  // Stable sort by rank keeps path order within a rank; then back to path order.
  const picked = [...files].sort((a, b) => rank(a) - rank(b)).slice(0, count);
  return picked.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Every source file of {@link JS_PACKAGES}, sorted by path (relative to node_modules,
 * e.g. `webpack/lib/Compiler.js`, so that relative imports between them resolve).
 */
export function loadJsCorpus(options: { root?: string; quick?: boolean; limit?: number }): Corpus {
  const root = options.root ?? findNodeModules();
  const paths: string[] = [];
  const versions: string[] = [];
  const esModuleDirs: string[] = [];
  const skipped = new Map<string, number>();
  for (const pkg of JS_PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(root, pkg.name, 'package.json'), 'utf8')) as PackageManifest;
    versions.push(`${pkg.name}@${manifest.version ?? '?'}`);
    // Node's rule for `.js`: an ES module when the package says `"type": "module"`.
    if (manifest.type === 'module') esModuleDirs.push(pkg.name);
    for (const dir of pkg.dirs) walk(root, `${pkg.name}/${dir}`, paths, skipped);
  }
  let files: SourceFile[] = paths.sort().map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  if (options.quick) files = quickSubset(files, QUICK_FILES);
  if (options.limit !== undefined) files = files.slice(0, options.limit);

  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text, 'utf8'), 0);
  const skippedText = [...skipped].map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
  const source = `source of npm packages ${versions.join(', ')} (.js/.cjs/.mjs; skipped: ${skippedText})`;
  return { source, files, bytes, fingerprint: fingerprintOf(files), root, esModuleDirs };
}
