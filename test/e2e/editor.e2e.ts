/**
 * End-to-end: the packaged extension (.vsix, `vsce package`) installed in code-server, driven
 * in headless Debian Chromium with playwright-core, the way a user works with it.
 *
 *   npm run test:e2e   (= node esbuild.mjs --e2e && node --test --test-reporter=spec out/test/e2e/editor.e2e.cjs)
 *
 * The workspace is a scratch copy of examples/python, so nothing the editor does reaches the
 * repository. Each test leaves a screenshot in test-results/e2e/ (named after the test; FAILED-
 * in front when it failed), for a person to look at; code-server's output goes beside them on failure.
 * CL_E2E_VSIX uses a .vsix made beforehand; CL_E2E_KEEP keeps code-server's scratch folder.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  REPO_ROOT,
  launchChromium,
  log,
  openWorkbench,
  packageExtension,
  saveServerLog,
  screenshot,
  startCodeServer,
  type CodeServer,
} from './code-server';

const FILE = 'page_archiver/fetch.py';
const FUNCTION = 'fetch_with_retry';
/** The 1-based line of `def fetch_with_retry` in the example. */
const FUNCTION_LINE =
  readFileSync(join(REPO_ROOT, 'examples/python', FILE), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`def ${FUNCTION}(`)) + 1;

let scratch = '';
let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let anyFailed = false;

/** The workbench page; fails the test when setup did not get that far. */
function workbench(): Page {
  assert.ok(page, 'the workbench did not open (see the setup error above)');
  return page;
}

/** Runs a test body; screenshots the page afterwards, as FAILED-NAME.png when it threw. */
function step(name: string, body: (t: TestContext, page: Page) => Promise<void>) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return async (t: TestContext): Promise<void> => {
    try {
      await body(t, workbench());
      if (page) await screenshot(page, `e2e-${slug}`);
    } catch (error) {
      anyFailed = true;
      if (page) await screenshot(page, `FAILED-${slug}`);
      throw error;
    }
  };
}

/** Runs a command by its palette title (F1, type, Enter). */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

void describe('Concurrency Lens in code-server (packaged .vsix, Chromium)', () => {
  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'concurrency-lens-e2e-'));
      const workspace = join(scratch, 'python');
      cpSync(join(REPO_ROOT, 'examples/python'), workspace, { recursive: true });
      const vsix = packageExtension(scratch);
      server = await startCodeServer({ folder: workspace, extensions: [vsix] });
      browser = await launchChromium();
      page = await openWorkbench(browser, server.workbenchUrl);
    },
    { timeout: 240_000 },
  );

  after(
    async () => {
      if (anyFailed && server) log(`code-server's output: ${saveServerLog(server, 'e2e-code-server')}`);
      await browser?.close();
      await server?.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
    { timeout: 30_000 },
  );

  void it(
    'shows the workspace in the explorer',
    { timeout: 60_000 },
    step('workbench', async (_t, page) => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'page_archiver' }).waitFor({ timeout: 30_000 });
    }),
  );

  void it(
    `opens ${FILE} with Quick Open`,
    { timeout: 60_000 },
    step('quick-open-fetch-py', async (_t, page) => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(FILE);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fetch.py' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'fetch.py' }).waitFor({ timeout: 15_000 });
      await page.locator('.editor-instance .view-lines', { hasText: 'Downloading pages.' }).waitFor({ timeout: 15_000 });
    }),
  );

  void it(
    'activates and logs to its "Concurrency Lens" output channel',
    { timeout: 60_000 },
    step('output-channel', async (_t, page) => {
      await runCommand(page, 'Concurrency Lens: Show Output');
      const output = page.locator('.part.panel .view-lines', { hasText: 'activated' });
      await output.waitFor({ timeout: 20_000 });
      const text = (await output.innerText()).replace(/\u00a0/g, ' ');
      log(`output channel: ${text.split('\n').slice(0, 3).join(' | ')}`);
      assert.match(text, /activated \(version \d+\.\d+\.\d+\)/);
    }),
  );

  void it(
    `shows the verdict and its evidence when hovering ${FUNCTION}`,
    { timeout: 60_000 },
    step('hover-fetch-with-retry', async (_t, page) => {
      // Go to the definition's line so it is on screen, then point at the name.
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      assert.ok(FUNCTION_LINE > 0, `no def ${FUNCTION} in ${FILE}`);
      await input.fill(`:${FUNCTION_LINE}`);
      await page.keyboard.press('Enter');
      const name = page.locator('.editor-instance .view-line span span', { hasText: new RegExp(`^${FUNCTION}$`) }).first();
      await name.waitFor({ timeout: 10_000 });
      // The first hover can come while the workspace is still being indexed, and a hover that
      // found nothing is not asked again until the pointer moves: point again, for up to 30 s.
      const hover = page.locator('.monaco-hover:visible', { hasText: FUNCTION }).first();
      const deadline = Date.now() + 30_000;
      for (let attempt = 1; ; attempt++) {
        await page.mouse.move(5, 5);
        await name.hover();
        try {
          await hover.waitFor({ state: 'visible', timeout: 3_000 });
          if (attempt > 1) log(`hover appeared on attempt ${attempt}`);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
      log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
      // The verdict, then the evidence: fetch_with_retry sleeps with time.sleep in async code.
      assert.match(text, /I\/O-bound|CPU-bound|Mixed|No significant I\/O or CPU work/);
      assert.match(text, /time\.sleep/);
    }),
  );
});
