/**
 * The JS corpus's peer tool: ESLint with eslint-plugin-n's `n/no-sync` rule, the rule its
 * users turn on to catch `fs.readFileSync` and friends, and the only one enabled here.
 *
 * ESLint runs the way its own CLI does, through the `ESLint` class (which caches the
 * resolved config per file, as `eslint .` does), but on the texts already in memory
 * (`lintText` with the file's path), like the other tools: disk reads are nobody's cost.
 * The config is built in code (`overrideConfigFile: true`): no config file is looked up.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ESLint, Linter } from 'eslint';
import type { SourceFile } from '../../src/core/model';
import { placeFindings, type Position } from './async-scope';
import type { Corpus } from './corpus';
import type { Engine, Finding, ToolFindings } from './engines';

type EslintModule = typeof import('eslint');

export const NO_SYNC_RULE = 'n/no-sync';

/** Loaded from node_modules, not bundled: loading them is the engine's load time. */
const requireFromHere = createRequire(__filename);

async function loadPluginN(): Promise<{ plugin: ESLint.Plugin; version: string }> {
  // eslint-plugin-n 18 is an ES module; import it by URL so that esbuild leaves it alone.
  const entry = requireFromHere.resolve('eslint-plugin-n');
  const module = (await import(pathToFileURL(entry).href)) as { default: ESLint.Plugin };
  return { plugin: module.default, version: module.default.meta?.version ?? '?' };
}

/**
 * `.js` is CommonJS unless its package says `"type": "module"` (Node's rule); `.mjs` is
 * always a module and `.cjs` always CommonJS. ESLint's defaults would parse every `.js`
 * as a module, which is wrong for most of this corpus.
 */
export function sourceTypeOf(path: string, esModuleDirs: readonly string[]): 'module' | 'commonjs' {
  if (path.endsWith('.mjs')) return 'module';
  if (path.endsWith('.cjs')) return 'commonjs';
  return esModuleDirs.some((dir) => path.startsWith(`${dir}/`)) ? 'module' : 'commonjs';
}

function configFor(plugin: ESLint.Plugin, esModuleDirs: readonly string[]): Linter.Config[] {
  return [
    {
      files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
      plugins: { n: plugin },
      languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: { [NO_SYNC_RULE]: 'error' },
    },
    { files: ['**/*.mjs', ...esModuleDirs.map((dir) => `${dir}/**/*.js`)], languageOptions: { sourceType: 'module' } },
  ];
}

/** The same small file as ours' primer: loads the parser and the rule before timing. */
const PRIMER = "const fs = require('fs');\n\nasync function f() {\n  fs.readFileSync('x');\n}\n";

export function eslintEngine(): Engine {
  let eslint: ESLint | undefined;
  let root = '';
  let esModuleDirs: readonly string[] = [];
  let versions = '?';
  return {
    tool: 'eslint',
    label: () => `ESLint + eslint-plugin-n no-sync (${versions})`,
    init: async (corpus: Corpus) => {
      const { ESLint: EslintClass } = requireFromHere('eslint') as EslintModule;
      const { plugin, version } = await loadPluginN();
      versions = `${EslintClass.version} / ${version}`;
      root = corpus.root ?? process.cwd();
      esModuleDirs = corpus.esModuleDirs ?? [];
      eslint = new EslintClass({
        cwd: root,
        overrideConfigFile: true,
        overrideConfig: configFor(plugin, esModuleDirs),
        // The corpus lives in node_modules, which ESLint ignores by default.
        ignore: false,
        // Packages carry `eslint-disable` comments (eslint's own source disables n/no-sync in
        // places) and directives for rules not loaded here: measure the rule, not the comments.
        allowInlineConfig: false,
      });
      await eslint.lintText(PRIMER, { filePath: join(root, '__bench_primer__.js') });
    },
    run: async (files) => {
      const results: ESLint.LintResult[] = [];
      for (const file of files) {
        results.push(...(await eslint!.lintText(file.text, { filePath: join(root, file.path) })));
      }
      return results;
    },
    // lintText returns one result per call, in the order of the files.
    findings: (raw, files) => eslintFindings(raw as ESLint.LintResult[], files, esModuleDirs),
  };
}

function eslintFindings(results: ESLint.LintResult[], files: SourceFile[], esModuleDirs: readonly string[]): ToolFindings {
  const findings: Finding[] = [];
  const stats: Record<string, number> = { parseErrors: 0, otherMessages: 0, inAsync: 0, inCallbackInAsync: 0 };
  let problemFiles = 0;
  results.forEach((result, i) => {
    const file = files[i];
    const messages = result.messages.filter((m) => m.ruleId === NO_SYNC_RULE);
    if (result.messages.some((m) => m.fatal)) {
      stats.parseErrors++;
      problemFiles++;
    }
    stats.otherMessages += result.messages.length - messages.length;
    if (!messages.length) return;
    const positions: Position[] = messages.map((m) => ({ line: m.line, column: m.column }));
    const placements = placeFindings(file.text, sourceTypeOf(file.path, esModuleDirs), positions);
    messages.forEach((m, j) => {
      const { asyncScope, call } = placements[j];
      if (asyncScope === 'async') stats.inAsync++;
      if (asyncScope === 'callback') stats.inCallbackInAsync++;
      findings.push({ path: file.path, line: m.line, column: m.column, code: NO_SYNC_RULE, message: m.message, asyncScope, call });
    });
  });
  return { findings, problemFiles, stats };
}
