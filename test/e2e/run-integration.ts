/**
 * Runs the integration suite (test/integration/*.test.ts, mocha + the `vscode` API) inside
 * code-server's extension host, where @vscode/test-electron cannot run (it downloads VS Code):
 *
 *   npm run test:integration:code-server
 *   (= node esbuild.mjs --integration --e2e && node out/test/e2e/run-integration.cjs)
 *
 * Packages the extension and the test host (test/host/), installs both into a fresh code-server
 * whose environment names the suite and a results file, with a scratch copy of examples/python as
 * its workspace (the suite writes files there), opens the workbench in headless Chromium
 * (the extension host starts only once a browser window is connected) and waits for the results.
 * Prints each test, then `N passed, N failed`; exits non-zero on any failure.
 *
 * CL_TEST_GREP runs only the matching tests; CL_TEST_TIMEOUT_MS bounds the wait for the results
 * (default 180000); CL_E2E_VSIX uses a .vsix made beforehand; CL_E2E_KEEP keeps code-server's
 * scratch folder.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SuiteResults } from '../host/extension';
import {
  REPO_ROOT,
  launchChromium,
  log,
  openWorkbench,
  packageExtension,
  saveServerLog,
  screenshot,
  since,
  startCodeServer,
  vscePackage,
  type CodeServer,
} from './code-server';

const RESULTS_TIMEOUT_MS = Number(process.env.CL_TEST_TIMEOUT_MS ?? 180_000);

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function waitForResults(file: string, server: CodeServer): Promise<SuiteResults> {
  const deadline = performance.now() + RESULTS_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SuiteResults;
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new Error(`code-server exited (${server.process.exitCode ?? server.process.signalCode}) before the suite finished`);
    }
    await sleep(250);
  }
  throw new Error(`no results in ${file} after ${RESULTS_TIMEOUT_MS} ms (did the test host activate?)`);
}

/** An error's message and stack, without the frames of mocha (bundled in the test host) and of Node. */
function errorText(error: { message: string; stack?: string }): string[] {
  const lines = (error.stack ?? error.message).split('\n');
  return lines.filter((line) => !/^\s+at /.test(line) || !/concurrency-lens-test-host|node:internal/.test(line));
}

function report(results: SuiteResults): number {
  log(`suite ran in ${results.host.appName} ${results.host.version} (Node ${results.host.node}) in ${results.durationMs} ms`);
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${test.title}${test.durationMs ? ` (${test.durationMs} ms)` : ''}`);
    if (test.error) console.log(`       ${errorText(test.error).join('\n       ')}`);
  }
  let failed = results.failed;
  if (results.error) {
    console.log(`  FAIL the suite did not run: ${results.error}`);
    failed++;
  }
  console.log(`${results.passed} passed, ${failed} failed${results.pending ? `, ${results.pending} skipped` : ''}`);
  return failed;
}

async function main(): Promise<number> {
  const overall = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'concurrency-lens-integration-'));
  const resultsFile = join(scratch, 'results.json');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let failed = 1;
  try {
    const vsix = packageExtension(scratch);
    const hostVsix = vscePackage(join(REPO_ROOT, 'out/test/host'), join(scratch, 'concurrency-lens-test-host.vsix'));

    // The same workspace as test/integration/runTest.ts, examples/python, in a scratch copy of
    // examples/: tests write files there (the watcher's), and none must reach the repository.
    const examples = join(scratch, 'examples');
    cpSync(join(REPO_ROOT, 'examples'), examples, { recursive: true });
    server = await startCodeServer({
      folder: join(examples, 'python'),
      extensions: [vsix, hostVsix],
      env: {
        CL_TEST_SUITE: join(REPO_ROOT, 'out/test/integration/index.cjs'),
        CL_TEST_RESULTS: resultsFile,
      },
    });
    browser = await launchChromium();
    page = await openWorkbench(browser, server.workbenchUrl);
    const start = performance.now();
    const results = await waitForResults(resultsFile, server);
    log(`results ${since(start)} ms after the workbench was drawn`);
    failed = report(results);
    if (failed > 0) await screenshot(page, 'integration-failure');
  } catch (error) {
    console.error(error);
    if (page) await screenshot(page, 'integration-failure');
    console.log('0 passed, 1 failed');
  } finally {
    if (failed > 0 && server) log(`code-server's output: ${saveServerLog(server, 'integration-code-server')}`);
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
    log(`done in ${since(overall)} ms`);
  }
  return failed;
}

void main().then((failed) => {
  process.exitCode = failed > 0 ? 1 : 0;
});
