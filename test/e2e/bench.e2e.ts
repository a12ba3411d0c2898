/**
 * End-to-end: the benchmark flow in the real editor (the packaged .vsix in code-server, driven in
 * headless Chromium), as a user goes through it: the cursor in a function, "Concurrency Lens:
 * Benchmark Function at Cursor" from the palette, the arguments typed into the input box, the
 * progress notification, then the Benchmarks view read from its webview frame (verdict,
 * strategies, history) and the headline drawn at the function's line; a long run stopped with
 * the notification's Cancel, its harness process gone from /proc; the calibration CPU function
 * through a local Dask cluster (Debian's python3 with python3-distributed), its dask row, costs
 * and GIL line read from the view, and no Dask worker left.
 *
 *   npm run test:e2e   (editor.e2e.cjs and this file, one after the other)
 *
 * The workspace is a scratch copy of test/fixtures/bench-e2e (sleeps standing in for a server,
 * so a run is short and its verdict certain, and spin.py's pure-Python loop); the user settings
 * keep a run small (4 tasks).
 * Screenshots go to test-results/e2e/ as in editor.e2e.ts, the README's as readme-bench-*.png.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { alive, commandLine, environment, liveProcesses, procStat } from '../support/proc';
import { REPO_ROOT, log, packageExtension } from './code-server';
import { EditorSession } from './session';
import { activeEditor, goTo, openFile, plain, readmePicture, runCommand } from './workbench';

const FILE = 'pages.py';
/** The calibration CPU function, run through Dask. */
const SPIN_FILE = 'spin.py';
/** The strategies a Python benchmark runs, in the table's order. */
const STRATEGIES = ['sequential', 'threads', 'processes', 'async'];
/** Debian's interpreter, with python3-dask and python3-distributed (pyenv's python3 has no Dask). */
const DEBIAN_PYTHON = '/usr/bin/python3';
const COMMAND = 'Concurrency Lens: Benchmark Function at Cursor';

let scratch = '';
const session = new EditorSession('bench-');

/** 1-based number of the line of `def NAME(` in a fixture file (pages.py by default). */
function defLine(name: string, file = FILE): number {
  const source = readFileSync(join(REPO_ROOT, 'test/fixtures/bench-e2e', file), 'utf8');
  const index = source.split('\n').findIndex((line) => line.startsWith(`def ${name}(`));
  assert.ok(index >= 0, `def ${name} is in ${file}`);
  return index + 1;
}

/** The Benchmarks view's page: the content frame (`#active-frame`) inside the view's webview iframe. */
function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The input box the command opens, once it is drawn: its title, prompt and the value it starts with. */
async function readInputBox(page: Page): Promise<{ title: string; prompt: string; value: string }> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  const title = widget.locator('.quick-input-title');
  await title.filter({ hasText: 'Benchmark' }).waitFor({ timeout: 20_000 });
  return {
    title: plain(await title.innerText()).trim(),
    prompt: plain(await widget.locator('.quick-input-message').innerText()).trim(),
    value: await input.inputValue(),
  };
}

/** Types the arguments over the selected prefill and starts the run (Enter). */
async function typeArguments(page: Page, args: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.fill(args);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The progress notification of a run of `name`. */
function progressToast(page: Page, name: string) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: `Benchmarking ${name}` });
}

/** Resolves once `name`'s progress notification has shown and gone again (the run ended). */
async function waitForRun(page: Page, name: string, timeoutMs = 90_000): Promise<void> {
  const toast = progressToast(page, name);
  await toast.waitFor({ state: 'visible', timeout: 20_000 });
  const start = performance.now();
  await toast.waitFor({ state: 'hidden', timeout: timeoutMs });
  log(`${name}: the progress notification ended ${Math.round(performance.now() - start)} ms after it showed`);
}

/** Benchmarks the function whose body is at the 1-based `line`, from the palette. Returns what the input box showed. */
async function benchmarkAt(page: Page, line: number, args: string): Promise<{ title: string; prompt: string; value: string }> {
  await activeEditor(page).locator('.view-lines').click();
  await goTo(page, line, 5);
  await runCommand(page, COMMAND);
  const box = await readInputBox(page);
  log(`input box: ${box.title} | ${box.prompt} | prefilled "${box.value}"`);
  await typeArguments(page, args);
  return box;
}

/**
 * Processes under this test's code-server whose command line runs the Python harness. Other
 * editors on the machine may benchmark at the same time: only our server's descendants count
 * (the harness starts a process group of its own, but stays the extension host's child).
 */
function harnessProcesses(root: number): number[] {
  return liveProcesses((pid) => commandLine(pid).includes('python_harness.py') && descendsFrom(pid, root));
}

/** Whether `root` is `pid`'s parent, grandparent, ... */
function descendsFrom(pid: number, root: number): boolean {
  for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 64; p = procStat(p)?.ppid, depth++) {
    if (p === root) return true;
  }
  return false;
}

/** The marker variable src/bench/runner.ts gives every process of one run (`NAME=<run id>`). */
const MARKER_VARIABLE = 'CONCURRENCY_LENS_BENCH_RUN';

/** The `NAME=<run id>` marker in a process's environment, if it has one. */
function markerOf(pid: number): string | undefined {
  return environment(pid).find((entry) => entry.startsWith(`${MARKER_VARIABLE}=`));
}

/** Live processes anywhere on the machine whose environment holds `marker` (one run's, whatever group they moved to). */
function markedProcesses(marker: string): number[] {
  return liveProcesses((pid) => markerOf(pid) === marker);
}

/** code-server's pid, once no harness runs under it (a test of a run starts from there). */
function idleServer(): number {
  const root = session.server?.process.pid;
  assert.ok(root, 'code-server runs');
  assert.deepEqual(harnessProcesses(root), [], 'no harness runs before the test');
  return root;
}

/** The harness process(es) of the run just started under `root`, once there, and the run's marker. */
async function runningHarness(root: number): Promise<{ pids: number[]; marker: string }> {
  const pids = await waitUntil(() => {
    const list = harnessProcesses(root);
    return list.length > 0 && list;
  }, 'the harness process of the run');
  const marker = markerOf(pids[0]);
  assert.ok(marker, `the harness carries the run's marker (${MARKER_VARIABLE})`);
  return { pids, marker };
}

/** Processes of a run started by multiprocessing's spawn: Dask's worker processes (the process pool forks, and a forked child's command line is the harness's). */
function spawnedProcesses(marker: string): number[] {
  return liveProcesses((pid) => markerOf(pid) === marker && commandLine(pid).includes('multiprocessing.spawn'));
}

/** Seconds from a duration as the view writes it (2.38 s, 41.2 ms, 512 µs). */
function secondsOf(text: string): number {
  const match = /^(\d+(?:\.\d+)?) (s|ms|µs)$/.exec(text.trim());
  assert.ok(match, `a duration: "${text}"`);
  return Number(match[1]) * { s: 1, ms: 1e-3, 'µs': 1e-6 }[match[2] as 's' | 'ms' | 'µs'];
}

/** Waits for `condition`, checking every 100 ms, for at most `timeoutMs`. */
async function waitUntil<T>(condition: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The little of the DOM the page function of {@link lineWithDecorations} uses (this project has no DOM types). */
interface PageElement {
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  ownerDocument: { defaultView: { getComputedStyle(element: PageElement, pseudo: string): { content: string } } | null };
}

/**
 * A line of code as the user sees it, with what decorations draw after it: an `after`
 * decoration of an extension (the headline) is an empty span whose `::after` pseudo-element
 * holds the text, which is not in the DOM's text.
 */
async function lineWithDecorations(line: Locator): Promise<string> {
  const text = await line.evaluate((element: PageElement) => {
    const parts = [element.textContent ?? ''];
    const view = element.ownerDocument.defaultView;
    for (const span of element.querySelectorAll('span')) {
      const content = view?.getComputedStyle(span, '::after').content ?? 'none';
      // A string value is quoted: "⏱ async 3.8× …".
      if (content.startsWith('"')) parts.push(content.slice(1, -1));
    }
    return parts.join(' ');
  });
  return plain(text);
}

/** Drags the sash on the right edge of `part` (the side bar) until the part is `width` pixels wide. */
async function widen(page: Page, part: Locator, width: number): Promise<void> {
  const box = await part.boundingBox();
  assert.ok(box, 'the part is on screen');
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width) / 2, y, { steps: 4 });
  await page.mouse.move(box.x + width, y, { steps: 4 });
  await page.mouse.up();
  await waitUntil(async () => Math.abs(((await part.boundingBox())?.width ?? 0) - width) < 20, `the part to be ${width} px wide`, 5_000);
}

/** Strategy names of the rows (`data-strategy`) of a table in the view, in order. */
async function strategiesOf(rows: Locator): Promise<Array<string | null>> {
  const names: Array<string | null> = [];
  for (let i = 0; i < (await rows.count()); i++) names.push(await rows.nth(i).getAttribute('data-strategy'));
  return names;
}

/** The view's "Settings of this run", label to value. */
async function settingsOf(view: FrameLocator): Promise<Record<string, string>> {
  const list = view.locator('[data-testid=settings]');
  const labels = (await list.locator('dt').allInnerTexts()).map(plain);
  const values = (await list.locator('dd').allInnerTexts()).map(plain);
  return Object.fromEntries(labels.map((label, i) => [label, values[i]]));
}

void describe('Benchmarks in code-server (packaged .vsix, Chromium)', () => {
  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'concurrency-lens-bench-e2e-'));
      const workspace = join(scratch, 'bench');
      cpSync(join(REPO_ROOT, 'test/fixtures/bench-e2e'), workspace, { recursive: true });
      const vsix = packageExtension(scratch);
      await session.start({
        folder: workspace,
        extensions: [vsix],
        // Short runs: 4 calls per batch on 2 workers; the time limit is far above a run of
        // fetch_page and far below wait_for_ever's sleep (which Cancel stops first).
        settings: { 'concurrencyLens.bench.tasks': 4, 'concurrencyLens.bench.workers': 2, 'concurrencyLens.bench.timeoutSeconds': 90 },
      });
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
    'benchmarks fetch_page from the palette with typed arguments and shows the verdict and every strategy in the Benchmarks view',
    { timeout: 180_000 },
    session.step('first-run', async (_t, page) => {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
      await openFile(page, FILE, 'def fetch_page');
      const box = await benchmarkAt(page, defLine('fetch_page') + 2, "'https://example.org/a'");
      assert.equal(box.title, 'Benchmark fetch_page: arguments');
      assert.match(box.prompt, /^fetch_page\(url, delay = 0\.02\) — the argument list as Python source/);
      await waitForRun(page, 'fetch_page');

      // The view shows itself once the run is recorded (the Benchmarks view's webview).
      const view = panel(page);
      const verdict = view.locator('[data-testid=verdict]');
      await verdict.waitFor({ timeout: 30_000 });
      assert.equal(plain(await view.locator('[data-testid=run] h3').innerText()), 'fetch_page');
      // Where the function is, relative to the workspace folder; the arguments typed.
      assert.match(plain(await view.locator('[data-testid=run] .meta').innerText()), new RegExp(`^${FILE}:${defLine('fetch_page')} · .* · arguments: 'https://example\\.org/a'$`));
      // Sleeping is waiting: measured I/O-bound, as the analyzer says.
      assert.equal(await verdict.getAttribute('data-agreement'), 'agrees');
      const measured = plain(await view.locator('[data-testid=measured-verdict]').innerText());
      const predicted = plain(await view.locator('[data-testid=static-verdict]').innerText());
      log(`measured: ${measured} | static: ${predicted} | ${plain(await view.locator('[data-testid=agreement]').innerText())}`);
      assert.match(measured, /^I\/O-bound \(CPU\/wall \d\.\d\d in the sequential run\)$/);
      assert.match(predicted, /^I\/O-bound\b/);
      const rows = view.locator('[data-testid=strategy-row]');
      assert.deepEqual(await strategiesOf(rows), STRATEGIES);
      const speedups: Record<string, number> = {};
      for (const strategy of STRATEGIES) {
        const text = plain(await view.locator(`[data-testid=strategy-row][data-strategy=${strategy}] [data-testid=speedup]`).innerText()).trim();
        const match = /^(\d+(?:\.\d+)?)×\??$/.exec(text);
        assert.ok(match, `${strategy}: a speedup figure (${text})`);
        speedups[strategy] = Number(match[1]);
      }
      log(`speedups: ${JSON.stringify(speedups)}`);
      assert.equal(speedups.sequential, 1);
      // 4 sleeps of 20 ms: async overlaps them all, 2 threads two at a time.
      assert.ok(speedups.async > 1.5, `async overlaps the waits (${speedups.async}×)`);
      assert.ok(speedups.threads > 1.3, `threads overlap the waits (${speedups.threads}×)`);
      assert.match(plain(await view.locator('[data-testid=history] h3').innerText()), /^History \(1 run\)$/);

      // The README's picture: the side bar made wider (its sash dragged), so the table shows whole.
      const sidebar = page.locator('.part.sidebar');
      await widen(page, sidebar, 680);
      await readmePicture(page, 'bench-panel', sidebar);
    }),
  );

  void it(
    'draws the headline at the end of fetch_page\'s def line',
    { timeout: 60_000 },
    session.step('headline', async (_t, page) => {
      const line = defLine('fetch_page');
      await activeEditor(page).locator('.view-lines').click();
      await goTo(page, line);
      const def = activeEditor(page).locator('.view-line', { hasText: 'def fetch_page(' }).first();
      await def.waitFor({ timeout: 10_000 });
      const text = await waitUntil(async () => {
        const drawn = await lineWithDecorations(def);
        return drawn.includes('⏱') && drawn;
      }, 'the headline after the def line', 15_000);
      log(`line ${line}: ${text}`);
      assert.match(text, /def fetch_page\(url, delay=0\.02\):/);
      // Strategies by speedup, best first, then the measured verdict: ⏱ async 3.8× · threads 2.0× · processes 1.9× — I/O-bound
      assert.match(text, /⏱ (async|threads|processes) \d+(\.\d)?×\??( · (async|threads|processes) \d+(\.\d)?×\??){2} — I\/O-bound/);
      await readmePicture(page, 'bench-headline', page.locator('.part.editor'), [def], 60);
    }),
  );

  void it(
    'benchmarks fetch_page again with other arguments: the input box starts with the last ones, the history has both runs to compare',
    { timeout: 180_000 },
    session.step('second-run', async (_t, page) => {
      const box = await benchmarkAt(page, defLine('fetch_page') + 2, "'https://example.org/b', delay=0.01");
      assert.equal(box.value, "'https://example.org/a'", 'the input box starts with the arguments used last');
      await waitForRun(page, 'fetch_page');

      const view = panel(page);
      await view.locator('[data-testid=history] h3', { hasText: 'History (2 runs)' }).waitFor({ timeout: 30_000 });
      const args = (await view.locator('[data-testid=history-row] code').allInnerTexts()).map(plain);
      // Newest first.
      assert.deepEqual(args, ["'https://example.org/b', delay=0.01", "'https://example.org/a'"]);
      assert.match(plain(await view.locator('[data-testid=run] .meta').innerText()), /arguments: 'https:\/\/example\.org\/b', delay=0\.01/);
      // The comparison of the two runs, strategy by strategy.
      assert.deepEqual(await strategiesOf(view.locator('[data-testid=comparison-row]')), STRATEGIES);
      // Half the sleep: the sequential batch takes about half as long (after / before well under 1).
      const ratio = plain(await view.locator('[data-testid=comparison-row][data-strategy=sequential] td').nth(2).innerText()).trim();
      log(`sequential after / before: ${ratio}`);
      const value = Number(/(\d+(?:\.\d+)?)/.exec(ratio)?.[1]);
      assert.ok(value > 0.3 && value < 0.8, `the shorter sleep shows in the comparison (${ratio})`);
    }),
  );

  void it(
    'stops a long run with the notification\'s Cancel: a message says so and no harness process is left',
    { timeout: 120_000 },
    session.step('cancel', async (_t, page) => {
      const root = idleServer();
      await benchmarkAt(page, defLine('wait_for_ever') + 2, '600');
      const toast = progressToast(page, 'wait_for_ever');
      await toast.waitFor({ state: 'visible', timeout: 20_000 });
      // The function is running once the notification says so (before that, the interpreter's
      // launcher, a pyenv shim here, may still be starting it).
      await toast.filter({ hasText: 'first call' }).waitFor({ timeout: 20_000 });
      const { pids, marker } = await runningHarness(root);
      assert.deepEqual(markedProcesses(marker), pids, 'the run is the harness alone while the function sleeps');
      log(`harness running: pid ${pids.join(', ')} (${marker})`);
      await toast.hover();
      await toast.getByRole('button', { name: 'Cancel' }).click();
      const message = page.locator('.notifications-toasts .notification-toast', { hasText: 'Benchmark of wait_for_ever cancelled' });
      await message.waitFor({ timeout: 20_000 });
      log(`notification: ${plain(await message.innerText()).replace(/\s+/g, ' ')}`);
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
      await waitUntil(() => pids.every((pid) => !existsSync(`/proc/${pid}`) || !alive(pid)), 'the harness process to end', 10_000);
      assert.deepEqual(harnessProcesses(root), [], 'no harness process under code-server');
      assert.deepEqual(markedProcesses(marker), [], 'no process of the run anywhere');
      // Nothing recorded: the history still has fetch_page's two runs only.
      const view = panel(page);
      const options = (await view.locator('#function-select option').allInnerTexts()).map(plain);
      assert.deepEqual(options, [`fetch_page — ${FILE} (2 runs)`]);
    }),
  );

  void it(
    'benchmarks the calibration CPU function through a local Dask cluster with Debian\'s python3: the dask row, its costs, the GIL and the verdict in the view, no Dask worker left',
    { timeout: 240_000 },
    session.step('dask', async (_t, page) => {
      const root = idleServer();
      // Dask is opt-in (bench.strategies), and only Debian's interpreter has it. An interpreter's
      // path is a machine's setting: code-server reads it from the remote (machine) settings.
      try {
        await session.useSettings({ 'concurrencyLens.bench.strategies': ['threads', 'processes', 'async', 'dask'] });
        await session.useSettings({ 'concurrencyLens.bench.pythonPath': DEBIAN_PYTHON }, 'remote');
        await openFile(page, SPIN_FILE, 'def spin');
        // 4 calls of 100 000 iterations: about 25 ms a batch, so the run stays short.
        await benchmarkAt(page, defLine('spin', SPIN_FILE) + 3, '100_000');
        const { marker } = await runningHarness(root);
        // Every process of the run seen while it goes, Dask's workers among them.
        const seen = new Set<number>();
        const workers = new Set<number>();
        let running = true;
        const watching = (async () => {
          while (running) {
            for (const pid of markedProcesses(marker)) seen.add(pid);
            for (const pid of spawnedProcesses(marker)) workers.add(pid);
            await new Promise((done) => setTimeout(done, 100));
          }
        })();
        try {
          await waitForRun(page, 'spin', 120_000);
        } finally {
          running = false;
          await watching;
        }
        // What was left at the end, read before anything else: the runner returns once the run's
        // process group is empty.
        const left = markedProcesses(marker);
        const harnessLeft = harnessProcesses(root);
        log(`run ${marker}: ${seen.size} processes, Dask workers ${[...workers].join(', ')}`);

        const view = panel(page);
        await view.locator('[data-testid=run] h3', { hasText: /^spin$/ }).waitFor({ timeout: 30_000 });
        const settings = await settingsOf(view);
        log(`settings: ${JSON.stringify(settings)}`);
        log(`recommendation: ${plain(await view.locator('[data-testid=recommendation]').innerText()).replace(/\s+/g, ' ')}`);
        assert.equal(workers.size, 2, 'the local cluster ran 2 worker processes (bench.workers)');
        assert.deepEqual(left, [], 'no process of the run anywhere');
        assert.deepEqual(harnessLeft, [], 'no harness process under code-server');

        assert.deepEqual(await strategiesOf(view.locator('[data-testid=strategy-row]')), [...STRATEGIES, 'dask']);
        const dask = view.locator('[data-testid=strategy-row][data-strategy=dask]');
        assert.equal(plain(await dask.locator('.method').innerText()), 'local cluster, 2 processes');
        const speedup = plain(await dask.locator('[data-testid=speedup]').innerText()).trim();
        const startup = plain(await dask.locator('[data-testid=startup]').innerText()).trim();
        log(`dask row: ${plain(await dask.innerText()).replace(/\s+/g, ' ')}`);
        assert.match(speedup, /^\d+\.\d\d×\??$/);
        // Starting a scheduler and two worker processes takes a while: far more than 50 ms.
        assert.ok(secondsOf(startup) > 0.05, `the cluster's start-up is measured (${startup})`);

        const costs = (await view.locator('[data-testid=costs] li').allInnerTexts()).map(plain);
        log(`costs: ${costs.join(' | ')}`);
        assert.equal(costs.length, 1, 'one line of costs: Dask\'s');
        const cost = /^dask: a batch of 4 empty tasks takes (.+?) \(scheduling and messages, inside the timings\); sending each call’s arguments and result adds (.+?) per batch \(not in the timings\)\.$/.exec(costs[0]);
        assert.ok(cost, `overhead and transfer: ${costs[0]}`);
        assert.ok(secondsOf(cost[1]) > 0, `a batch's overhead (${cost[1]})`);
        assert.ok(secondsOf(cost[2]) >= 0, `the data's transfer (${cost[2]})`);

        assert.equal(settings.GIL, 'GIL enabled (standard build)');
        assert.match(settings.Interpreter, new RegExp(`^CPython 3\\.\\d+\\.\\d+ \\(${DEBIAN_PYTHON.replace(/\//g, '\\/')}\\)$`));
        assert.equal(settings.Dask, 'local cluster, 2 processes');
        assert.match(settings['Pool start-up'], /\bdask \d/);

        // Pure-Python work: CPU-bound, measured and predicted.
        const measured = plain(await view.locator('[data-testid=measured-verdict]').innerText());
        log(`measured: ${measured} | static: ${plain(await view.locator('[data-testid=static-verdict]').innerText())}`);
        assert.match(measured, /^CPU-bound \(CPU\/wall \d\.\d\d in the sequential run\)$/);
        assert.match(plain(await view.locator('[data-testid=static-verdict]').innerText()), /^CPU-bound\b/);
        assert.equal(await view.locator('[data-testid=verdict]').getAttribute('data-agreement'), 'agrees');

        // The README's picture: from the table down to the run's settings (the GIL line).
        await view.locator('[data-testid=strategy-table]').evaluate((table: { scrollIntoView(options: { block: string }): void }) => table.scrollIntoView({ block: 'start' }));
        await readmePicture(page, 'bench-dask', page.locator('.part.sidebar'));
      } finally {
        await session.useSettings({}, 'remote');
        await session.useSettings({});
      }
    }),
  );
});
