/**
 * End-to-end: the packaged extension (.vsix, `vsce package`) installed in code-server, driven
 * in headless Debian Chromium with playwright-core, the way a user works with it: Quick Open,
 * the hover, the quick-fix menu (Ctrl+., arrow keys, Enter), CodeLens, the palette, the
 * Problems panel.
 *
 *   npm run test:e2e   (= node esbuild.mjs --e2e && node --test --test-reporter=spec --test-concurrency=1 out/test/e2e/editor.e2e.cjs out/test/e2e/bench.e2e.cjs)
 *
 * The workspace is a scratch copy of examples/python with test/fixtures/editor in `fixtures/`,
 * so nothing the editor does (fixes, saves) reaches the repository. Each test leaves a
 * screenshot in test-results/e2e/ (named after the test; FAILED- in front when it failed), for a
 * person to look at; code-server's output goes beside them on failure. The pictures the README
 * shows are saved there too, cropped, as readme-*.png (`npm run docs:screenshots` copies them to
 * docs/images/). CL_E2E_VSIX uses a .vsix made beforehand; CL_E2E_KEEP keeps code-server's
 * scratch folder.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAnalyzeJson } from '../support/cli-run';
import { REPO_ROOT, log, packageExtension } from './code-server';
import { EditorSession } from './session';
import { actionWidget, activeEditor, goTo, hoverOver, openFile, openQuickFixMenu, pickQuickFix, plain, readmePicture, runCommand } from './workbench';

const FILE = 'page_archiver/fetch.py';
const FUNCTION = 'fetch_with_retry';
/** The 1-based line of `def fetch_with_retry` in the example. */
const FUNCTION_LINE =
  readFileSync(join(REPO_ROOT, 'examples/python', FILE), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`def ${FUNCTION}(`)) + 1;

/** The quick-fix fixtures, as copied into the workspace. */
const PY_FIX_FILE = 'fixtures/python/heartbeat.py';
const JS_FIX_FILE = 'fixtures/js/status.mjs';
/** A CL202 loop in a project whose pyproject.toml declares dask[distributed] (test/fixtures/editor/scaling/dask). */
const SCALING_FILE = 'fixtures/scaling/dask/collatz.py';

let scratch = '';
let workspace = '';
const session = new EditorSession('');

/** A workspace file's text on disk. */
function onDisk(relativePath: string): string {
  return readFileSync(join(workspace, relativePath), 'utf8');
}

/** Resolves with a workspace file's text once it differs from `before` (the editor saved it), within `timeoutMs`. */
async function savedText(relativePath: string, before: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = onDisk(relativePath);
    if (text !== before) return text;
    assert.ok(Date.now() < deadline, `${relativePath} was not saved with the fix within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A fix as the CLI's JSON gives it (the contract's `fixes` items). */
interface JsonFix {
  title: string;
  preferred: boolean;
}

/**
 * The CLI's finding on a workspace file's 1-based line, with its fixes: what the editor's
 * quick-fix menu must offer (the same core behind both).
 */
function cliFinding(relativePath: string, line: number): { code: string; fixes: JsonFix[] } {
  const report = runAnalyzeJson(join(REPO_ROOT, 'dist/cli.cjs'), [join(workspace, relativePath)], REPO_ROOT);
  const finding = report.files[0]?.diagnostics.find((d) => d.line === line);
  assert.ok(finding, `the CLI reports a finding on ${relativePath}:${line}`);
  return { code: finding.code, fixes: finding.fixes as JsonFix[] };
}

/** 1-based number of the first line containing `needle`. */
function lineNumber(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `"${needle}" is in the file`);
  return index + 1;
}

void describe('Concurrency Lens in code-server (packaged .vsix, Chromium)', () => {
  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'concurrency-lens-e2e-'));
      workspace = join(scratch, 'python');
      cpSync(join(REPO_ROOT, 'examples/python'), workspace, { recursive: true });
      cpSync(join(REPO_ROOT, 'test/fixtures/editor'), join(workspace, 'fixtures'), { recursive: true });
      const vsix = packageExtension(scratch);
      await session.start({ folder: workspace, extensions: [vsix] });
    },
    { timeout: 240_000 },
  );

  after(
    async () => {
      await session.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
    { timeout: 30_000 },
  );

  void it(
    'shows the workspace in the explorer',
    { timeout: 60_000 },
    session.step('workbench', async (_t, page) => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'page_archiver' }).waitFor({ timeout: 30_000 });
    }),
  );

  void it(
    `opens ${FILE} with Quick Open`,
    { timeout: 60_000 },
    session.step('quick-open-fetch-py', async (_t, page) => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
      await openFile(page, FILE, 'Downloading pages.');
    }),
  );

  void it(
    'activates and logs to its "Concurrency Lens" output channel',
    { timeout: 60_000 },
    session.step('output-channel', async (_t, page) => {
      await runCommand(page, 'Concurrency Lens: Show Output');
      const output = page.locator('.part.panel .view-lines', { hasText: 'activated' });
      await output.waitFor({ timeout: 20_000 });
      const text = plain(await output.innerText());
      log(`output channel: ${text.split('\n').slice(0, 3).join(' | ')}`);
      assert.match(text, /activated \(version \d+\.\d+\.\d+\)/);
      // The panel closes again (Ctrl+J), leaving the editor its whole height.
      await page.keyboard.press('Control+J');
      await output.waitFor({ state: 'hidden', timeout: 10_000 });
    }),
  );

  void it(
    'indexes the workspace again from the palette (Re-analyze Workspace)',
    { timeout: 60_000 },
    session.step('reanalyze-workspace', async (_t, page) => {
      await runCommand(page, 'Concurrency Lens: Re-analyze Workspace');
      await runCommand(page, 'Concurrency Lens: Show Output');
      // Once at start-up, once for the command: "indexed N source files in M ms".
      const output = page.locator('.part.panel .view-lines');
      // (\s: the editor draws spaces as non-breaking ones.)
      const indexed = output.locator('.view-line', { hasText: /indexed\s\d+\ssource\sfiles/ });
      await indexed.nth(1).waitFor({ timeout: 30_000 });
      const counts = (await indexed.allInnerTexts()).map((line) => Number(/indexed (\d+) source files/.exec(plain(line))?.[1]));
      log(`indexed: ${counts.join(', ')} files`);
      // Every source file of the workspace (the example's modules and the fixtures), both times.
      const sources = readdirSync(workspace, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(py|pyi|[cm]?js|jsx|[cm]?ts|tsx)$/.test(name));
      assert.deepEqual(counts, [sources.length, sources.length]);
      await page.keyboard.press('Control+J');
      await output.first().waitFor({ state: 'hidden', timeout: 10_000 });
    }),
  );

  void it(
    `shows the verdict and its evidence when hovering ${FUNCTION}`,
    { timeout: 60_000 },
    session.step('hover-fetch-with-retry', async (_t, page) => {
      // Go to the definition's line so it is on screen, then point at the name.
      await activeEditor(page).locator('.view-lines').click();
      assert.ok(FUNCTION_LINE > 0, `no def ${FUNCTION} in ${FILE}`);
      await goTo(page, FUNCTION_LINE);
      // The lenses drawn above the definitions move the lines (and a move closes a hover): point after them.
      const lenses = activeEditor(page).locator('.contentWidgets .codelens-decoration').filter({ visible: true });
      await lenses.filter({ hasText: /I\/O-bound/ }).first().waitFor({ timeout: 30_000 });
      const name = activeEditor(page).locator('.view-line span span', { hasText: new RegExp(`^${FUNCTION}$`) }).first();
      let hover = await hoverOver(page, name, FUNCTION);
      const text = plain(await hover.innerText());
      log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
      // The verdict, then the evidence: fetch_with_retry sleeps with time.sleep in async code.
      assert.match(text, /I\/O-bound|CPU-bound|Mixed|No significant I\/O or CPU work/);
      assert.match(text, /time\.sleep/);
      // The editor closes a hover when the view scrolls or its decorations change (a run landing
      // just after Re-analyze Workspace): point at the name again for the picture if it closed.
      for (let attempt = 1; ; attempt++) {
        try {
          await readmePicture(page, 'hover', page.locator('.part.editor'), [hover, name], 40);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          log(`the hover closed before its picture (attempt ${attempt}): pointing at ${FUNCTION} again`);
          hover = await hoverOver(page, name, FUNCTION);
        }
      }
    }),
  );

  void it(
    `shows CodeLens with the verdict above the functions of ${FILE}`,
    { timeout: 60_000 },
    session.step('codelens-fetch-py', async (_t, page) => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      // The lens of fetch_with_retry sits above its def, on screen since the hover test.
      const lenses = activeEditor(page).locator('.contentWidgets .codelens-decoration').filter({ visible: true });
      const verdictLens = lenses.filter({ hasText: /I\/O-bound/ }).first();
      await verdictLens.waitFor({ timeout: 30_000 });
      const titles = (await lenses.allInnerTexts()).map((t) => plain(t).trim());
      log(`lenses on screen: ${titles.join(' | ')}`);
      // A verdict with its category, e.g. "I/O-bound · wait + offload" (other entries may follow).
      assert.ok(titles.some((t) => /^I\/O-bound · \w/.test(t)), `a verdict lens among: ${titles.join(' | ')}`);
      const def = activeEditor(page).locator('.view-line', { hasText: `def ${FUNCTION}(` }).first();
      await readmePicture(page, 'codelens', page.locator('.part.editor'), [verdictLens, def], 120);
    }),
  );

  void it(
    'opens the explanation of the function at the cursor from the palette',
    { timeout: 60_000 },
    session.step('explain-view', async (_t, page) => {
      await goTo(page, FUNCTION_LINE, 11);
      await runCommand(page, 'Concurrency Lens: Explain Classification');
      // The Markdown preview, beside the code: a webview whose content frame holds the text.
      const content = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body');
      const heading = content.locator('h1', { hasText: FUNCTION });
      await heading.waitFor({ timeout: 30_000 });
      const text = plain(await content.innerText());
      log(`explanation: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      assert.match(text, /I\/O-bound/);
      assert.match(text, /time\.sleep/);
      assert.match(text, /CL101/);
      // The top of the explanation, beside the function it explains.
      await readmePicture(page, 'explain', page.locator('.part.editor'), [heading, page.locator('.editor-group-container .view-line', { hasText: `def ${FUNCTION}(` }).first()], 260);
      // Back to one editor for the tests that follow.
      await page.keyboard.press('Control+K');
      await page.keyboard.press('W');
      await page.locator('.editor-group-container').first().waitFor();
    }),
  );

  void it(
    'lists the findings in the Problems panel, with their codes',
    { timeout: 60_000 },
    session.step('problems', async (_t, page) => {
      // Opening the fix fixtures too, so the list holds Python and JavaScript findings.
      await openFile(page, JS_FIX_FILE, 'readStatus');
      await openFile(page, PY_FIX_FILE, 'heartbeat');
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.part.panel');
      // A file's row heads its findings' rows: wait for both fixtures' files, then read the list.
      const rows = panel.locator('.monaco-list-row');
      await rows.filter({ hasText: 'heartbeat.py' }).first().waitFor({ timeout: 30_000 });
      await rows.filter({ hasText: 'status.mjs' }).first().waitFor({ timeout: 30_000 });
      const texts = (await rows.allInnerTexts()).map((t) => plain(t).replace(/\s+/g, ' '));
      log(`problems: ${texts.join(' | ').slice(0, 600)}`);
      const findings = texts.filter((t) => /Concurrency Lens/.test(t));
      assert.ok(findings.some((t) => /time\.sleep/.test(t) && /CL101/.test(t) && /\[Ln 14, Col 9\]/.test(t)), 'heartbeat.py\'s time.sleep, with its code and place');
      assert.ok(findings.some((t) => /fs\.readFileSync/.test(t) && /CL101/.test(t)), 'status.mjs\'s readFileSync, with its code');
      await readmePicture(page, 'problems', panel);
      await page.keyboard.press('Control+Shift+M');
    }),
  );

  void it(
    'applies the time.sleep fix from the quick-fix menu (Ctrl+., arrow keys, Enter): await asyncio.sleep and one import asyncio',
    { timeout: 90_000 },
    session.step('quick-fix-python', async (_t, page) => {
      const before = onDisk(PY_FIX_FILE);
      const line = lineNumber(before, 'time.sleep(');
      const column = before.split('\n')[line - 1].indexOf('time.sleep') + 1;
      const finding = cliFinding(PY_FIX_FILE, line);
      assert.equal(finding.code, 'CL101');
      const preferred = finding.fixes.find((f) => f.preferred);
      assert.ok(preferred, 'the CLI marks one fix preferred');

      await openFile(page, PY_FIX_FILE, 'heartbeat');
      await goTo(page, line, column + 3);
      // The light bulb shows once the diagnostic is under the cursor, and says a preferred fix is there.
      const bulb = activeEditor(page).locator('.lightBulbWidget').first();
      await bulb.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await bulb.getAttribute('title')) ?? '', /Preferred Quick Fix Available/);
      const menu = await openQuickFixMenu(page, 'asyncio.sleep');
      log(`quick-fix menu: ${menu.titles.join(' | ')} (focused: ${menu.focused})`);
      // Every fix the engine has for this finding, with its title, and nothing of ours twice.
      for (const fix of finding.fixes) assert.ok(menu.titles.includes(fix.title), `"${fix.title}" is in the menu: ${menu.titles.join(' | ')}`);
      assert.equal(new Set(menu.titles).size, menu.titles.length, 'no title twice');
      const def = activeEditor(page).locator('.view-line', { hasText: 'async def heartbeat(' }).first();
      await readmePicture(page, 'quick-fix', page.locator('.part.editor'), [actionWidget(page), def], 50);
      await pickQuickFix(page, preferred.title);

      await page.keyboard.press('Control+S');
      const after = await savedText(PY_FIX_FILE, before);
      const lines = after.split('\n');
      // The call is awaited, in place, with its indentation.
      assert.match(after, /^ {8}await asyncio\.sleep\(interval\)$/m);
      assert.doesNotMatch(after, /time\.sleep/);
      // One import asyncio, in the import block (next to another import, before the first statement).
      const imports = lines.flatMap((text, i) => (/^import asyncio$/.test(text) ? [i] : []));
      assert.equal(imports.length, 1, `one "import asyncio" line:\n${after}`);
      const at = imports[0];
      assert.ok(/^(import|from) /.test(lines[at - 1] ?? '') || /^(import|from) /.test(lines[at + 1] ?? ''), `import asyncio sits among the imports:\n${after}`);
      assert.ok(at < lineNumber(after, 'log = '), 'before the module\'s first statement');
      // Nothing else changed: without the import line and with the call put back, it is the original.
      const undone = lines.filter((_, i) => i !== at).join('\n').replace('await asyncio.sleep(interval)', 'time.sleep(interval)');
      assert.equal(undone, before);
      // The fixed file has no finding left on that line, in the editor either.
      await activeEditor(page).locator('.view-line', { hasText: 'await asyncio.sleep(interval)' }).waitFor({ timeout: 10_000 });
    }),
  );

  void it(
    'applies the readFileSync fix from the quick-fix menu: await fs.promises.readFile',
    { timeout: 90_000 },
    session.step('quick-fix-javascript', async (_t, page) => {
      const before = onDisk(JS_FIX_FILE);
      const line = lineNumber(before, 'fs.readFileSync(');
      const column = before.split('\n')[line - 1].indexOf('fs.readFileSync') + 1;
      const finding = cliFinding(JS_FIX_FILE, line);
      const preferred = finding.fixes.find((f) => f.preferred);
      assert.ok(preferred);

      await openFile(page, JS_FIX_FILE, 'readStatus');
      await goTo(page, line, column + 4);
      const menu = await openQuickFixMenu(page, 'fs.promises.readFile');
      log(`quick-fix menu: ${menu.titles.join(' | ')} (focused: ${menu.focused})`);
      for (const fix of finding.fixes) assert.ok(menu.titles.includes(fix.title), `"${fix.title}" is in the menu: ${menu.titles.join(' | ')}`);
      await pickQuickFix(page, preferred.title);

      await page.keyboard.press('Control+S');
      const after = await savedText(JS_FIX_FILE, before);
      assert.match(after, /^ {2}const text = await fs\.promises\.readFile\(file, 'utf8'\);$/m);
      assert.doesNotMatch(after, /readFileSync/);
      // The default import already reaches fs.promises: no import added, nothing else changed.
      assert.equal(after.match(/^import /gm)?.length, before.match(/^import /gm)?.length);
      assert.equal(after.replace('await fs.promises.readFile(', 'fs.readFileSync('), before);
    }),
  );

  void it(
    'offers the process pool (preferred) and "Distribute with Dask" for a CPU-bound loop in a project declaring dask; Escape leaves the file as it was',
    { timeout: 90_000 },
    session.step('quick-fix-scaling', async (_t, page) => {
      const before = onDisk(SCALING_FILE);
      const line = lineNumber(before, 'return [longest_chain(limit)');
      const column = before.split('\n')[line - 1].indexOf('longest_chain') + 1;
      const finding = cliFinding(SCALING_FILE, line);
      assert.equal(finding.code, 'CL202');
      assert.deepEqual(
        finding.fixes.map((f) => [f.preferred, f.title.slice(0, f.title.indexOf(':'))]),
        [
          [true, 'Run the `longest_chain` calls in parallel processes (`ProcessPoolExecutor.map`)'],
          [false, 'Distribute the `longest_chain` calls with Dask (`client.map`)'],
        ],
      );

      await openFile(page, SCALING_FILE, 'longest_chains');
      await goTo(page, line, column + 3);
      const menu = await openQuickFixMenu(page, 'with Dask');
      log(`quick-fix menu: ${menu.titles.map((t) => t.slice(0, 80)).join(' | ')} (focused: ${menu.focused})`);
      // The menu lists the engine's fixes for the finding, the preferred process pool first.
      for (const fix of finding.fixes) assert.ok(menu.titles.includes(fix.title), `"${fix.title.slice(0, 80)}" is in the menu: ${menu.titles.join(' | ')}`);
      assert.ok(menu.titles.indexOf(finding.fixes[0].title) < menu.titles.indexOf(finding.fixes[1].title), 'the process pool comes before Dask');
      const loop = activeEditor(page).locator('.view-line', { hasText: 'def longest_chains(' }).first();
      // The menu is as wide as its titles: wider than the editor, it reaches over the side bar.
      await readmePicture(page, 'scaling-fixes', page.locator('.monaco-workbench'), [actionWidget(page), loop], 40);
      await page.keyboard.press('Escape');
      await actionWidget(page).waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(onDisk(SCALING_FILE), before, 'nothing applied');
    }),
  );
});
