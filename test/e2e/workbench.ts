/**
 * What a user does in the workbench, as the end-to-end tests do it: Quick Open, Go to Line, the
 * palette, pointing at a name until its hover shows, the quick-fix menu (Ctrl+.) read from its
 * DOM and driven with the keyboard, and pictures of a part of the window for the README.
 *
 * Selectors are the workbench's own class names (code-server 4.139.1); each helper waits on
 * the element it needs, bounded, never on a fixed sleep.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { RESULTS_DIR, log } from './code-server';

/** Text as a user reads it: non-breaking spaces (the editor's rendering) made plain. */
export function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** Runs a command by its palette title (F1, type, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file by its relative path with Quick Open; resolves once its tab is active and `shows` is drawn. */
export async function openFile(page: Page, relativePath: string, shows: string): Promise<void> {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relativePath);
  // The list filters as it is typed into: Enter only once the focused (first) row is the file.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  await activeEditor(page).locator('.view-lines', { hasText: shows }).waitFor({ timeout: 15_000 });
}

/** The editor that has the active tab (the one the keyboard types into). */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance').first();
}

/** Moves the cursor to a 1-based line and column with Go to Line (Ctrl+G, `:line:column`). */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Points at `target` until a hover containing `containing` shows, and returns it. The first
 * hover can come while the workspace is still being indexed, and a hover that found nothing is
 * not asked again until the pointer moves: the pointer leaves and comes back, for up to `timeoutMs`.
 */
export async function hoverOver(page: Page, target: Locator, containing: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  await target.waitFor({ timeout: 10_000 });
  const hover = page.locator('.monaco-hover:visible', { hasText: containing }).first();
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(5, 5);
    await target.hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      if (attempt > 1) log(`hover appeared on attempt ${attempt}`);
      return hover;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/** The quick-fix menu as it is drawn: its action rows, in order, and which one has the focus. */
export interface QuickFixMenu {
  titles: string[];
  focused: number;
}

/** The code action widget (the quick-fix menu; its submenu panel is an `.action-widget` too). */
export function actionWidget(page: Page): Locator {
  return page.locator('.action-widget:not(.action-list-submenu-panel)');
}

/** Reads the open quick-fix menu: the titles of its actions (group headers left out) and the focused one. */
export async function readQuickFixMenu(page: Page): Promise<QuickFixMenu> {
  const rows = actionWidget(page).locator('.monaco-list-row.action');
  const count = await rows.count();
  const titles: string[] = [];
  let focused = -1;
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    titles.push(plain(await row.locator('.title').innerText()).trim());
    if (((await row.getAttribute('class')) ?? '').split(/\s+/).includes('focused')) focused = i;
  }
  return { titles, focused };
}

/**
 * Opens the quick-fix menu at the cursor the way a user does (Ctrl+.) and waits until it lists
 * an action whose title contains `expecting` (the code actions arrive after the menu opens).
 * Retries the shortcut once the diagnostics may have arrived, within `timeoutMs`.
 */
export async function openQuickFixMenu(page: Page, expecting: string, timeoutMs = 30_000): Promise<QuickFixMenu> {
  const row = actionWidget(page).locator('.monaco-list-row.action', { hasText: expecting }).first();
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await row.waitFor({ state: 'visible', timeout: 4_000 });
      if (attempt > 1) log(`quick-fix menu listed the fix on attempt ${attempt}`);
      return await readQuickFixMenu(page);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      // "No code actions available" or a menu without ours yet: close whatever opened, retry.
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Moves the menu's focus to the action titled `title` with the arrow keys, checks the menu
 * shows it focused, and applies it with Enter.
 */
export async function pickQuickFix(page: Page, title: string): Promise<void> {
  let menu = await readQuickFixMenu(page);
  const wanted = menu.titles.indexOf(title);
  assert.ok(wanted >= 0, `"${title}" is in the menu: ${menu.titles.join(' | ')}`);
  if (menu.focused < 0) {
    // Nothing focused yet: the first ArrowDown focuses the first action.
    await page.keyboard.press('ArrowDown');
    menu = await readQuickFixMenu(page);
  }
  const key = wanted > menu.focused ? 'ArrowDown' : 'ArrowUp';
  for (let step = 0; step < Math.abs(wanted - menu.focused); step++) await page.keyboard.press(key);
  menu = await readQuickFixMenu(page);
  assert.equal(menu.titles[menu.focused], title, 'the wanted fix has the focus before Enter');
  await page.keyboard.press('Enter');
  await actionWidget(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** A rectangle of the page. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox({ timeout: 10_000 });
  assert.ok(box, 'the element to picture is on screen');
  return box;
}

/**
 * Saves a picture for the README as test-results/e2e/readme-NAME.png: the `within` part of the
 * window (the editor area, the panel), cut down to a band around the `around` elements
 * (`margin` pixels above and below) when given. `npm run docs:screenshots` copies the chosen
 * ones to docs/images/. Returns the file.
 */
export async function readmePicture(page: Page, name: string, within: Locator, around: Locator[] = [], margin = 90): Promise<string> {
  const area = await boxOf(within);
  let top = area.y;
  let bottom = area.y + area.height;
  if (around.length > 0) {
    const boxes = await Promise.all(around.map(boxOf));
    top = Math.max(area.y, Math.min(...boxes.map((b) => b.y)) - margin);
    bottom = Math.min(area.y + area.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `readme-${name}.png`);
  await page.screenshot({ path: file, clip: { x: area.x, y: top, width: area.width, height: bottom - top }, timeout: 10_000 });
  log(`README picture: ${file}`);
  return file;
}
