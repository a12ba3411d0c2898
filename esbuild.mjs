// One build script for every bundle: the extension, the CLI, the unit tests and the
// benchmark scripts. Types are checked separately (`npm run typecheck`).
//   node esbuild.mjs               extension + CLI into dist/
//   node esbuild.mjs --production  the same, minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also the unit tests into out/test/
//   node esbuild.mjs --bench       also the benchmark scripts into out/bench/
//   node esbuild.mjs --integration also the VS Code integration suite into out/test/integration/
//   node esbuild.mjs --e2e         also the code-server/Chromium test scripts into out/test/e2e/
//                                  and the test-host extension into out/test/host/
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/** The grammars the analyzer loads at run time, next to each bundle that needs them. */
const GRAMMARS = ['tree-sitter-python.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'];

function copyWasm(targetDir) {
  const dir = join(root, targetDir, 'wasm');
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(dir, 'tree-sitter.wasm'));
  for (const grammar of GRAMMARS) {
    cpSync(join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm', grammar), join(dir, grammar));
  }
}

/**
 * The benchmark harnesses run in the user's interpreter (Python, Node), not in the bundle:
 * copied as they are next to each bundle that starts them (dist/harness, out/harness).
 */
function copyHarness(targetDir) {
  const dir = join(root, targetDir, 'harness');
  mkdirSync(dir, { recursive: true });
  for (const file of ['python_harness.py', 'node_harness.mjs']) cpSync(join(root, 'src/bench/harness', file), join(dir, file));
}

/** All `*.ts` files directly in a folder. */
function tsFiles(folder, suffix = '.ts') {
  try {
    return readdirSync(join(root, folder))
      .filter((f) => f.endsWith(suffix))
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
}

/**
 * In --watch mode, reports each rebuild in the shape the "npm: watch" task's problem matcher
 * (.vscode/tasks.json) reads: "[watch] build started", then per problem a
 * "✘ [ERROR] message" line followed by "    file:line:column:", then "[watch] build finished".
 * Several bundles rebuild together, so start and finish are printed once per wave.
 */
let pendingBuilds = 0;
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => {
      if (pendingBuilds++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const [label, messages] of [['ERROR', result.errors], ['WARNING', result.warnings]]) {
        for (const { text, location } of messages) {
          console.error(`✘ [${label}] ${text}`);
          if (location) console.error(`    ${location.file}:${location.line}:${location.column + 1}:`);
        }
      }
      if (--pendingBuilds === 0) console.log('[watch] build finished');
    });
  },
};

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  // web-tree-sitter reads import.meta.url, which a CommonJS bundle does not have.
  define: { CONCURRENCY_LENS_VERSION: JSON.stringify(version), 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // In watch mode the reporter above prints problems; esbuild's own log would repeat them.
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [watchReporter] : [],
  outExtension: { '.js': '.cjs' },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { 'analyze-worker': 'src/core/worker.ts' }, outdir: 'dist' },
  // The Benchmarks view's page: runs in the webview (a browser), one classic script loaded by nonce.
  {
    entryPoints: { 'bench-panel': 'src/webview/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: common.logLevel,
    plugins: common.plugins,
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
];
if (args.has('--tests')) {
  rmSync(join(root, 'out/test'), { recursive: true, force: true });
  builds.push({
    ...common,
    sourcemap: 'inline',
    entryPoints: tsFiles('test/unit', '.test.ts'),
    outdir: 'out/test/unit',
    external: ['vscode'],
  });
  // Tests that measure (benchmark runs): run on their own, one file at a time.
  builds.push({ ...common, sourcemap: 'inline', entryPoints: tsFiles('test/slow', '.test.ts'), outdir: 'out/test/slow' });
}
if (args.has('--integration')) {
  // runTest.cjs starts VS Code (plain Node); index.cjs and *.test.cjs run inside its extension
  // host, which provides `vscode`. Mocha is bundled so the suite is self-contained wherever a
  // test host loads it from (mocha 12's package entry is ESM; its CommonJS build is bundled).
  rmSync(join(root, 'out/test/integration'), { recursive: true, force: true });
  builds.push({
    ...common,
    sourcemap: 'inline',
    entryPoints: tsFiles('test/integration'),
    outdir: 'out/test/integration',
    external: ['vscode', '@vscode/test-electron'],
    // Mocha's parallel mode resolves its worker files at run time; the suite runs serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}
if (args.has('--e2e')) {
  // Plain Node scripts that start code-server and drive Chromium; playwright-core is loaded from
  // node_modules at run time (it finds its own files relative to itself).
  rmSync(join(root, 'out/test/e2e'), { recursive: true, force: true });
  builds.push({ ...common, sourcemap: 'inline', entryPoints: tsFiles('test/e2e'), outdir: 'out/test/e2e', external: ['playwright-core'] });
  // The test-host extension runs the integration suite inside code-server's extension host: its
  // bundle (mocha included, as in the suite's own runner) and manifest make a folder vsce packages.
  rmSync(join(root, 'out/test/host'), { recursive: true, force: true });
  builds.push({
    ...common,
    sourcemap: 'inline',
    entryPoints: { extension: 'test/host/extension.ts' },
    outdir: 'out/test/host',
    external: ['vscode'],
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  mkdirSync(join(root, 'out/test/host'), { recursive: true });
  for (const file of ['package.json', 'README.md']) cpSync(join(root, 'test/host', file), join(root, 'out/test/host', file));
}
if (args.has('--bench')) {
  // playwright-core and esbuild find their own files relative to themselves (bench/editor.ts
  // drives code-server and bundles its in-editor suite): loaded from node_modules at run time.
  builds.push({ ...common, entryPoints: tsFiles('bench'), outdir: 'out/bench', external: ['playwright-core', 'esbuild'] });
}

// A production build starts from an empty dist/: no stale source maps in the .vsix.
if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });
copyWasm('dist');
copyHarness('dist');
if (args.has('--tests') || args.has('--bench')) {
  copyWasm('out');
  copyHarness('out');
}

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('[watch] watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
