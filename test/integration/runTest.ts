/**
 * Starts a real VS Code (downloaded by @vscode/test-electron on first run, so this needs a
 * network) with the extension loaded from the working tree and examples/python as the
 * workspace, and runs the mocha suite in its extension host.
 *
 *   node esbuild.mjs --integration && node out/test/integration/runTest.cjs
 *
 * VSCODE_VERSION picks the editor build ("stable", "insiders" or e.g. "1.90.0"; default: stable).
 */
import { runTests } from '@vscode/test-electron';
import { resolve } from 'node:path';

async function main(): Promise<void> {
  // This file runs as out/test/integration/runTest.cjs.
  const repoRoot = resolve(__dirname, '../../..');
  const exitCode = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: resolve(repoRoot, 'out/test/integration/index.cjs'),
    launchArgs: [resolve(repoRoot, 'examples/python'), '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  console.error('Integration tests failed to run:', error);
  process.exitCode = 1;
});
