/**
 * One end-to-end suite's editor: code-server with the packaged extension, Chromium on its
 * workbench, and the steps run against that page — each screenshotted after it ran (as
 * FAILED-… when it threw, then Escape pressed so the next step starts clean), with code-server's
 * output saved beside the screenshots when any step failed.
 */
import * as assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, log, openWorkbench, saveServerLog, screenshot, startCodeServer, type CodeServer, type CodeServerOptions } from './code-server';

export class EditorSession {
  server: CodeServer | undefined;
  private browser: Browser | undefined;
  private page: Page | undefined;
  private anyFailed = false;

  /** `prefix` names this suite's screenshots and logs (`e2e-<prefix>…`). */
  constructor(private readonly prefix: string) {}

  /** Starts code-server with `options`, then Chromium on its workbench. */
  async start(options: CodeServerOptions): Promise<void> {
    this.server = await startCodeServer(options);
    this.browser = await launchChromium();
    this.page = await openWorkbench(this.browser, this.server.workbenchUrl);
  }

  /** Closes the browser and stops code-server, saving its output first when a step failed. */
  async stop(): Promise<void> {
    if (this.anyFailed && this.server) log(`code-server's output: ${saveServerLog(this.server, `e2e-${this.prefix}code-server`)}`);
    await this.browser?.close();
    await this.server?.stop();
  }

  /** The workbench page; fails the test when setup did not get that far. */
  workbench(): Page {
    assert.ok(this.page, 'the workbench did not open (see the setup error above)');
    return this.page;
  }

  /** A test body run against the workbench, screenshotted afterwards. */
  step(name: string, body: (t: TestContext, page: Page) => Promise<void>): (t: TestContext) => Promise<void> {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return async (t: TestContext): Promise<void> => {
      try {
        await body(t, this.workbench());
        if (this.page) await screenshot(this.page, `e2e-${this.prefix}${slug}`);
      } catch (error) {
        this.anyFailed = true;
        if (this.page) {
          await screenshot(this.page, `FAILED-${this.prefix}${slug}`);
          // Close what the failed step left open (a menu, a widget, Quick Open), so the next starts clean.
          for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
        }
        throw error;
      }
    };
  }
}
