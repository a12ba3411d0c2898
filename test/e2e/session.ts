/**
 * One end-to-end suite's editor: code-server with the packaged extension, Chromium on its
 * workbench, and the steps run against that page — each screenshotted after it ran (as
 * FAILED-… when it threw, then Escape pressed so the next step starts clean), with code-server's
 * output saved beside the screenshots when any step failed.
 */
import * as assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_SETTINGS, launchChromium, log, openWorkbench, saveServerLog, screenshot, startCodeServer, type CodeServer, type CodeServerOptions } from './code-server';
import { runCommand } from './workbench';


export class EditorSession {
  server: CodeServer | undefined;
  private browser: Browser | undefined;
  private page: Page | undefined;
  private anyFailed = false;
  /** The user settings the session started with. */
  private settings: Record<string, unknown> = {};
  /** How many times a step changed them (numbers the title's token). */
  private settingsVersion = 0;

  /** `prefix` names this suite's screenshots and logs (`e2e-<prefix>…`). */
  constructor(private readonly prefix: string) {}

  /** Starts code-server with `options`, then Chromium on its workbench. */
  async start(options: CodeServerOptions): Promise<void> {
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
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

  /**
   * Sets the user settings (`on: 'user'`) to the session's first ones plus `extra`, or the remote
   * machine's (`on: 'remote'`, code-server's Machine/settings.json: where a setting of machine
   * scope such as an interpreter's path is read, the user's being ignored for it) to `extra`;
   * `{}` restores them. As a user edits them: "Preferences: Open User / Remote Settings (JSON)",
   * the text replaced, saved, closed. (Writing the file from outside was not enough here: with
   * the extension installed, a workbench open for some seconds no longer saw such writes, cause
   * not pinned down.) Resolves once the
   * workbench has the new settings, shown by the window's title: changed ones put a token of
   * their file and version in it (`window.title`; the remote's wins), restored ones take theirs
   * out. The extension host gets a change from the workbench before any command run after it.
   */
  async useSettings(extra: Record<string, unknown>, on: 'user' | 'remote' = 'user'): Promise<void> {
    const page = this.workbench();
    const restoring = Object.keys(extra).length === 0;
    const ofFile = `[${on} `;
    const token = `${ofFile}${++this.settingsVersion}]`;
    const title = restoring ? {} : { 'window.title': `\${activeEditorShort}\${separator}\${rootName} ${token}` };
    const start = Date.now();
    await runCommand(page, on === 'user' ? 'Preferences: Open User Settings (JSON)' : 'Preferences: Open Remote Settings (JSON)');
    // The file opens in an editor of its own (a modal one in this code-server), with the focus;
    // its breadcrumbs name the folder, User or Machine.
    await page.locator('.monaco-breadcrumb-item', { hasText: on === 'user' ? /^User$/ : /^Machine$/ }).first().waitFor({ timeout: 15_000 });
    const editor = page.locator('.monaco-editor.focused');
    await editor.waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ ...(on === 'user' ? this.settings : {}), ...extra, ...title }));
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const shown = await page.title();
      if (restoring ? !shown.includes(ofFile) : shown.includes(token)) break;
      assert.ok(Date.now() < deadline, `the workbench did not take the ${restoring ? 'restored' : 'changed'} ${on} settings within 20 s (title: ${shown})`);
      await new Promise((done) => setTimeout(done, 100));
    }
    await page.keyboard.press('Control+W');
    await page.locator('.monaco-breadcrumb-item', { hasText: on === 'user' ? /^User$/ : /^Machine$/ }).first().waitFor({ state: 'detached', timeout: 10_000 });
    log(`${on} settings ${restoring ? 'restored' : JSON.stringify(extra)} in force after ${Date.now() - start} ms`);
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
