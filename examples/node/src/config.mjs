// Configuration for linkwatch: built-in defaults, overridden by an optional JSON file
// (--config), then by LINKWATCH_* environment variables, then by command-line options.
// Also reports what is running (package version and git revision) for GET /status.

import { execSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const DEFAULTS = Object.freeze({
  storeDir: '.linkwatch',
  port: 8080,
  maxPages: 50,
  concurrency: 4,
  timeout: 10_000,
  userAgent: 'linkwatch/0.4 (+https://example.org/linkwatch)',
  maxDistance: 0.2,
  insecure: false,
});

const ENVIRONMENT = {
  LINKWATCH_STORE: ['storeDir', String],
  LINKWATCH_PORT: ['port', Number],
  LINKWATCH_MAX_PAGES: ['maxPages', Number],
  LINKWATCH_CONCURRENCY: ['concurrency', Number],
  LINKWATCH_TIMEOUT_MS: ['timeout', Number],
};

/** The effective configuration: defaults < config file < environment < `overrides`. */
export async function loadConfig(file, overrides = {}, env = process.env) {
  const fromFile = file ? JSON.parse(await readFile(file, 'utf8')) : {};
  const fromEnv = {};
  for (const [name, [key, convert]] of Object.entries(ENVIRONMENT)) {
    if (env[name] !== undefined && env[name] !== '') fromEnv[key] = convert(env[name]);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config = { ...DEFAULTS, ...fromFile, ...fromEnv, ...defined };
  for (const key of ['port', 'maxPages', 'concurrency', 'timeout']) {
    if (!Number.isInteger(config[key]) || config[key] < 0) {
      throw new Error(`config: ${key} must be a non-negative integer, got ${JSON.stringify(config[key])}`);
    }
  }
  return config;
}

/** Name, version and git revision of the running service. */
export async function buildInfo() {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  let revision = 'unknown';
  try {
    revision = execSync('git rev-parse --short HEAD', {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString().trim();
  } catch {
    // not a git checkout (an unpacked release): keep "unknown"
  }
  return { name: pkg.name, version: pkg.version, revision, node: process.version };
}
