// One build script for every bundle: the extension, the CLI, the unit tests and the
// benchmark scripts. Types are checked separately (`npm run typecheck`).
//   node esbuild.mjs               extension + CLI into dist/
//   node esbuild.mjs --production  the same, minified, no source maps
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also the unit tests into out/test/
//   node esbuild.mjs --bench       also the benchmark scripts into out/bench/
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
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

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
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
}
if (args.has('--bench')) {
  builds.push({ ...common, entryPoints: tsFiles('bench'), outdir: 'out/bench' });
}

copyWasm('dist');
if (args.has('--tests') || args.has('--bench')) copyWasm('out');

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('[watch] watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
