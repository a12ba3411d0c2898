// Lint configuration (ESLint 9 flat config + typescript-eslint 8).
// TypeScript under src/, test/ and bench/ gets the type-checked recommended rules; the build
// and config scripts at the root get the plain JavaScript ones.
// `@eslint/js` ships with (and is versioned with) eslint itself.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The Node globals the root scripts use (avoids depending on the `globals` package). */
const NODE_GLOBALS = { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' };

/** Why the core and the CLI must not see the editor API: the brief's architecture rule. */
const NO_VSCODE_MESSAGE =
  'src/core, src/cli, src/bench and src/env run outside VS Code (the CLI, CI, unit tests): they take text and return plain data. ' +
  'Put editor glue in src/extension and adapt positions there.';

export default defineConfig(
  {
    ignores: ['dist/', 'out/', 'node_modules/', 'test/fixtures/', 'examples/', '.vscode-test/', 'test-results/'],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_unused` parameters are how an implementation says it ignores part of an interface.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/bench/**/*.ts', 'src/env/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: NO_VSCODE_MESSAGE }],
          patterns: [{ group: ['**/extension/**', '**/extension'], message: NO_VSCODE_MESSAGE }],
        },
      ],
    },
  },
  {
    // The extension logs through its LogOutputChannel; the core returns data and never prints.
    files: ['src/extension/**/*.ts', 'src/core/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
