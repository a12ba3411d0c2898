/**
 * Runs the real editor here: code-server (VS Code in the browser, installed by
 * scripts/e2e/setup.sh outside the repository) with the packaged extension installed, and Debian's
 * Chromium driven by playwright-core.
 *
 * Used by the end-to-end tests (editor.e2e.ts) and by the integration-suite driver
 * (run-integration.ts). Bundled by `node esbuild.mjs --e2e` into out/test/e2e/.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The repository root (this file runs as out/test/e2e/*.cjs). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** Where screenshots go: always for the e2e tests, on failure for the integration driver. */
export const RESULTS_DIR = join(REPO_ROOT, 'test-results/e2e');

/** The install made by scripts/e2e/setup.sh (same default and variable). */
export const CACHE_DIR = process.env.CONCURRENCY_LENS_CACHE ?? join(homedir(), '.cache/concurrency-lens');
const NODE_24 = join(CACHE_DIR, 'code-server/node24/node_modules/node/bin/node');
const CODE_SERVER_ENTRY = join(CACHE_DIR, 'code-server/server/node_modules/code-server/out/node/entry.js');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Milliseconds since `start`, rounded, for the timing lines the scripts print. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}

export function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

function checkInstalled(): void {
  for (const [what, path] of [
    ['Node 24', NODE_24],
    ['code-server', CODE_SERVER_ENTRY],
    ['Chromium', CHROMIUM],
  ]) {
    if (!existsSync(path)) throw new Error(`${what} is not installed (${path} is missing): run \`npm run test:e2e:setup\``);
  }
}

/**
 * The environment code-server runs with: ours, less what would make its CLI talk to another
 * VS Code (a terminal of an editor sets VSCODE_IPC_HOOK_CLI, and `--install-extension` would then
 * go to that editor) or run Electron as Node, plus `extra`.
 */
function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Packages an extension folder with `vsce package --no-dependencies` (the extension is bundled)
 * into `outFile`. The flags stand in for manifest fields a test build does not need; with no
 * `repository` in package.json, vsce cannot rewrite the README's relative links (its pictures,
 * which stay on GitHub) to absolute URLs and would stop: they are left as they are.
 */
export function vscePackage(folder: string, outFile: string): string {
  const vsce = join(REPO_ROOT, 'node_modules/.bin/vsce');
  const flags = ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'];
  execFileSync(vsce, ['package', ...flags, '-o', outFile], {
    cwd: folder,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return outFile;
}

/**
 * Builds the extension for production (`node esbuild.mjs --production`, into dist/) and packages
 * it as a .vsix in `outDir`, as a user would get it. Returns the file (or CL_E2E_VSIX if set).
 */
export function packageExtension(outDir: string): string {
  // A .vsix made beforehand (CI packaging once for both suites) is used as it is.
  const given = process.env.CL_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`CL_E2E_VSIX: ${given} does not exist`);
    log(`using ${given} (CL_E2E_VSIX)`);
    return resolve(given);
  }
  const start = performance.now();
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const file = vscePackage(REPO_ROOT, join(outDir, 'concurrency-lens.vsix'));
  log(`packaged ${file} in ${since(start)} ms`);
  return file;
}

/**
 * User settings of every test instance: a quiet, predictable workbench (no welcome page, no chat
 * panel, nothing that reaches for the network or saves on its own).
 */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'files.autoSave': 'off',
  'git.enabled': false,
};

export interface CodeServerOptions {
  /** The folder code-server opens. */
  folder: string;
  /** .vsix files installed (with `--install-extension`) before the server starts. */
  extensions?: string[];
  /** Extra environment variables; the extension host inherits them. */
  env?: Record<string, string>;
  /** User settings on top of DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** How long to wait for the server to answer HTTP (default 60 s). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The workbench URL with `folder` open. */
  workbenchUrl: string;
  /** Scratch directory: user data, extensions, config, log. Removed by stop(). */
  dir: string;
  /** What code-server printed so far (stdout and stderr). */
  output(): string;
  process: ChildProcess;
  /** Kills code-server's whole process group and waits until none of it is left. */
  stop(): Promise<void>;
}

/** Whether a process group still has members. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Process groups of the servers started and not yet stopped. Should this process end without
 * stop() (an uncaught error, Ctrl+C, `timeout` sending SIGTERM), they are killed on the way out,
 * so no code-server outlives the tests.
 */
const liveGroups = new Set<number>();
function killLiveGroups(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear();
}
/** Browsers launched and not yet closed: closed (bounded) when a signal ends the tests. */
const liveBrowsers = new Set<Browser>();
process.on('exit', killLiveGroups);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.once(signal, () => {
    killLiveGroups();
    const closing = [...liveBrowsers].map((browser) => browser.close().catch(() => undefined));
    void Promise.race([Promise.all(closing), sleep(5_000)]).then(() => process.exit(code));
  });
}

/** Starts code-server on a free port, with `extensions` installed first; resolves once it answers HTTP. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  checkInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'concurrency-lens-code-server-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const configFile = join(dir, 'config.yaml');
  const logFile = join(dir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  mkdirSync(extensionsDir);
  // Our own config file, so code-server neither reads nor writes ~/.config/code-server.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const env = serverEnv(options.env);
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const vsix of options.extensions ?? []) {
    const start = performance.now();
    execFileSync(NODE_24, [CODE_SERVER_ENTRY, ...common, '--install-extension', vsix], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    log(`installed ${vsix} in ${since(start)} ms`);
  }

  const port = await freePort();
  const args = [
    CODE_SERVER_ENTRY,
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.folder,
  ];
  const start = performance.now();
  // detached: a process group of its own, so stop() reaches the extension host and the other
  // processes code-server forks.
  const child = spawn(NODE_24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');
  liveGroups.add(pgid);
  let exited = false;
  child.once('exit', () => (exited = true));

  const flushLog = (): void => {
    try {
      writeFileSync(logFile, Buffer.concat(output));
    } catch {
      // The scratch directory may already be gone.
    }
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    flushLog();
    if (groupAlive(pgid)) {
      process.kill(-pgid, 'SIGTERM');
      for (let waited = 0; waited < 5_000 && groupAlive(pgid); waited += 100) await sleep(100);
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
      for (let waited = 0; waited < 5_000 && groupAlive(pgid); waited += 100) await sleep(100);
    }
    if (groupAlive(pgid)) throw new Error(`code-server's process group ${pgid} survived SIGKILL`);
    liveGroups.delete(pgid);
    if (process.env.CL_E2E_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir} (CL_E2E_KEEP)`);
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = performance.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      flushLog();
      const text = Buffer.concat(output).toString();
      await stop();
      throw new Error(`code-server exited before answering HTTP:\n${text}`);
    }
    try {
      const response = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      const text = Buffer.concat(output).toString();
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${options.startTimeoutMs ?? 60_000} ms:\n${text}`);
    }
    await sleep(200);
  }
  log(`code-server answered on ${url} ${since(start)} ms after start`);
  return {
    url,
    workbenchUrl: `${url}?folder=${encodeURIComponent(options.folder)}`,
    dir,
    output: () => Buffer.concat(output).toString(),
    process: child,
    stop,
  };
}

/** Headless Debian Chromium through playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  liveBrowsers.add(browser);
  browser.once('disconnected', () => liveBrowsers.delete(browser));
  return browser;
}

/**
 * Opens the workbench in a new page and resolves once it is drawn (the `.monaco-workbench` element
 * and the explorer or editor area are there).
 */
export async function openWorkbench(browser: Browser, url: string, timeoutMs = 60_000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const start = performance.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  log(`workbench drawn in ${since(start)} ms`);
  return page;
}

/** Saves a full-page screenshot as test-results/e2e/NAME.png; returns the path ('' if it failed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot: ${file}`);
    return file;
  } catch (error) {
    log(`screenshot ${file} failed: ${String(error)}`);
    return '';
  }
}

/** Saves what code-server printed as test-results/e2e/NAME.log; returns the path. */
export function saveServerLog(server: CodeServer, name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.log`);
  writeFileSync(file, server.output());
  return file;
}
