/**
 * The editor-free half of the settings reader: the shape of `concurrencyLens.*` and the
 * checks that turn raw values (anything a user can type in settings.json) into it. Invalid
 * entries are dropped and reported, never thrown: a typo must not switch the analysis off.
 */
import type { Category, CatalogExtension, DiagnosticCode, Severity } from '../core';
import { DEFAULT_SEVERITY } from '../core/diagnostics';
import { DEFAULT_MAX_FILE_BYTES } from '../core/analyze';
import type { FreeThreadedSetting } from '../env/project-environment';
import type { Strategy } from '../bench/runner';
import { DEFAULT_BENCH_STRATEGIES } from './bench-strategies';

/** What a user may choose per diagnostic code: a severity, or hiding it. */
export type SeveritySetting = Severity | 'off';

/** The Python start methods a user may choose for the processes strategy (`default`: the interpreter's). */
export const START_METHODS = ['default', 'fork', 'spawn', 'forkserver'] as const;
export type StartMethodSetting = (typeof START_METHODS)[number];

/** How benchmarks run (`concurrencyLens.bench.*`). */
export interface BenchSettings {
  /** Python interpreter when the Python extension gives none; empty: `python3`. */
  pythonPath: string;
  /** Node.js executable; empty: `node`. */
  nodePath: string;
  /** Time limit of one run, seconds. */
  timeoutSeconds: number;
  /** Calls per batch. */
  tasks: number;
  /** Pool size; 0: the usable CPUs. */
  workers: number;
  startMethod: StartMethodSetting;
  /** Strategies to run besides sequential (dask only when asked for). */
  strategies: Strategy[];
  /** A Dask scheduler's address; empty: a local cluster. */
  daskScheduler: string;
}

/** Mirrors `contributes.configuration` in package.json (keys without the `concurrencyLens.` prefix). */
export interface Settings {
  enable: { python: boolean; javascript: boolean };
  severity: Record<DiagnosticCode, SeveritySetting>;
  codeLens: { enabled: boolean };
  extraCalls: { python: CatalogExtension; javascript: CatalogExtension };
  exclude: string[];
  maxFileSizeKB: number;
  /** The project's Python beyond what the files say (`concurrencyLens.python.*`). */
  python: { freeThreaded: FreeThreadedSetting };
  bench: BenchSettings;
}

/** Every evidence category, for checking `extraCalls` (the compiler keeps it complete). */
const CATEGORY_SET: Record<Category, true> = {
  network: true,
  file: true,
  database: true,
  process: true,
  wait: true,
  offload: true,
  hashing: true,
  compression: true,
  serialization: true,
  regex: true,
  numeric: true,
  image: true,
  loops: true,
  'nested-loops': true,
  recursion: true,
  comprehension: true,
  arithmetic: true,
  'string-building': true,
  sorting: true,
};

/** The categories a user can give an extra call. */
export const CATEGORIES = Object.keys(CATEGORY_SET) as Category[];

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['hint', 'information', 'warning', 'off'];

/** The defaults, as package.json declares them. */
export const DEFAULT_SETTINGS: Readonly<Settings> = {
  enable: { python: true, javascript: true },
  severity: { ...DEFAULT_SEVERITY },
  codeLens: { enabled: true },
  extraCalls: { python: {}, javascript: {} },
  exclude: [],
  maxFileSizeKB: DEFAULT_MAX_FILE_BYTES / 1024,
  python: { freeThreaded: 'auto' },
  bench: { pythonPath: '', nodePath: '', timeoutSeconds: 120, tasks: 8, workers: 0, startMethod: 'default', strategies: [...DEFAULT_BENCH_STRATEGIES], daskScheduler: '' },
};

/** Limits of the numeric bench settings (package.json declares the same minimum and maximum). */
export const BENCH_LIMITS = {
  timeoutSeconds: { minimum: 5, maximum: 3600 },
  tasks: { minimum: 1, maximum: 1000 },
  workers: { minimum: 0, maximum: 256 },
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Per-code severities, defaults filling the codes the user left out. */
export function normalizeSeverity(raw: unknown, problems: string[]): Record<DiagnosticCode, SeveritySetting> {
  const result: Record<DiagnosticCode, SeveritySetting> = { ...DEFAULT_SEVERITY };
  if (raw === undefined || raw === null) return result;
  if (!isRecord(raw)) {
    problems.push('concurrencyLens.severity must be an object of code → severity');
    return result;
  }
  for (const [code, value] of Object.entries(raw)) {
    if (!Object.hasOwn(DEFAULT_SEVERITY, code)) problems.push(`concurrencyLens.severity: unknown code ${code}`);
    else if (!SEVERITY_SETTINGS.includes(value as SeveritySetting)) problems.push(`concurrencyLens.severity.${code}: ${JSON.stringify(value)} is not one of ${SEVERITY_SETTINGS.join(', ')}`);
    else result[code as DiagnosticCode] = value as SeveritySetting;
  }
  return result;
}

/** The user's catalog entries per language family, keeping only known categories. */
export function normalizeExtraCalls(raw: unknown, problems: string[]): Settings['extraCalls'] {
  const result: Settings['extraCalls'] = { python: {}, javascript: {} };
  if (raw === undefined || raw === null) return result;
  if (!isRecord(raw)) {
    problems.push('concurrencyLens.extraCalls must be an object: { "python": {...}, "javascript": {...} }');
    return result;
  }
  for (const [family, entries] of Object.entries(raw)) {
    if (family !== 'python' && family !== 'javascript') {
      problems.push(`concurrencyLens.extraCalls: unknown language family ${family} (python or javascript)`);
      continue;
    }
    if (!isRecord(entries)) {
      problems.push(`concurrencyLens.extraCalls.${family} must be an object of "qualified.name": "category"`);
      continue;
    }
    for (const [call, category] of Object.entries(entries)) {
      if (typeof category === 'string' && Object.hasOwn(CATEGORY_SET, category)) result[family][call] = category as Category;
      else problems.push(`concurrencyLens.extraCalls.${family}["${call}"]: ${JSON.stringify(category)} is not a category (${CATEGORIES.join(', ')})`);
    }
  }
  return result;
}

/** Exclude globs: strings only. */
export function normalizeExclude(raw: unknown, problems: string[]): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push('concurrencyLens.exclude must be an array of glob patterns');
    return [];
  }
  const globs = raw.filter((glob): glob is string => typeof glob === 'string');
  if (globs.length !== raw.length) problems.push('concurrencyLens.exclude: entries that are not strings are ignored');
  return globs;
}

/** The file size limit in KB: a positive number, else the default. */
export function normalizeMaxFileSize(raw: unknown, problems: string[]): number {
  if (raw === undefined || raw === null) return DEFAULT_SETTINGS.maxFileSizeKB;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0) {
    problems.push(`concurrencyLens.maxFileSizeKB: ${JSON.stringify(raw)} is not a positive number`);
    return DEFAULT_SETTINGS.maxFileSizeKB;
  }
  return raw;
}

/** A boolean setting, else its default. */
export function normalizeBoolean(name: string, raw: unknown, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'boolean') {
    problems.push(`concurrencyLens.${name} must be true or false`);
    return fallback;
  }
  return raw;
}

/** An executable path: a string (blank means the default), else the default. */
export function normalizePath(name: string, raw: unknown, problems: string[]): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') {
    problems.push(`concurrencyLens.${name} must be a path (a string)`);
    return '';
  }
  return raw.trim();
}

/** A whole number within its limits, else the default. */
export function normalizeCount(name: keyof typeof BENCH_LIMITS, raw: unknown, problems: string[]): number {
  const fallback = DEFAULT_SETTINGS.bench[name];
  if (raw === undefined || raw === null) return fallback;
  const { minimum, maximum } = BENCH_LIMITS[name];
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < minimum || raw > maximum) {
    problems.push(`concurrencyLens.bench.${name}: ${JSON.stringify(raw)} is not a whole number from ${minimum} to ${maximum}`);
    return fallback;
  }
  return raw;
}

/** One of a setting's choices, else its default (and a problem reported). */
function oneOf<T extends string>(name: string, raw: unknown, choices: readonly T[], fallback: T, problems: string[]): T {
  if (raw === undefined || raw === null) return fallback;
  if (!choices.includes(raw as T)) {
    problems.push(`concurrencyLens.${name}: ${JSON.stringify(raw)} is not one of ${choices.join(', ')}`);
    return fallback;
  }
  return raw as T;
}

/** The start method: one of {@link START_METHODS}, else the default. */
export function normalizeStartMethod(raw: unknown, problems: string[]): StartMethodSetting {
  return oneOf('bench.startMethod', raw, START_METHODS, DEFAULT_SETTINGS.bench.startMethod, problems);
}

/** The choices of `concurrencyLens.python.freeThreaded`. */
export const FREE_THREADED_SETTINGS: readonly FreeThreadedSetting[] = ['auto', 'on', 'off'];

/** Whether the project's Python is free-threaded: `auto` (ask the interpreter), `on` or `off`, else the default. */
export function normalizeFreeThreaded(raw: unknown, problems: string[]): FreeThreadedSetting {
  return oneOf('python.freeThreaded', raw, FREE_THREADED_SETTINGS, DEFAULT_SETTINGS.python.freeThreaded, problems);
}
