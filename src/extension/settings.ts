/**
 * The one typed reader of the `concurrencyLens.*` settings. Values are read per resource (a
 * document, or a workspace folder for whole-folder analysis) and checked on the way in
 * (`settings-values.ts`); problems are logged once per distinct message.
 */
import { normalizeScheduler, normalizeStrategies } from './bench-strategies';
import * as vscode from 'vscode';
import {
  DEFAULT_SETTINGS,
  normalizeBoolean,
  normalizeExclude,
  normalizeExtraCalls,
  normalizeCount,
  normalizeFreeThreaded,
  normalizeMaxFileSize,
  normalizePath,
  normalizeSeverity,
  normalizeStartMethod,
  type Settings,
} from './settings-values';

export type { BenchSettings, Settings, SeveritySetting } from './settings-values';

/** The settings section, as contributed in package.json. */
export const SECTION = 'concurrencyLens';

/** Which part of the settings a change touched, so each consumer reacts only to its own. */
export interface SettingsChange {
  /** The analysis itself changes: languages, catalog, excludes, size limit. */
  analysis: boolean;
  /** Only how diagnostics are shown. */
  severity: boolean;
  codeLens: boolean;
  /** What the project's environment is taken from: the free-threading setting, the interpreter path. */
  environment: boolean;
  /** Whether the change applies to a resource (for settings that differ per folder). */
  affects(resource: vscode.Uri): boolean;
}

const ANALYSIS_KEYS = ['enable', 'extraCalls', 'exclude', 'maxFileSizeKB'];
const ENVIRONMENT_KEYS = ['python.freeThreaded', 'bench.pythonPath'];

/** Reads and checks the settings that apply to a resource (or the window's, without one). */
export class SettingsReader implements vscode.Disposable {
  private readonly reported = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  private readonly subscription: vscode.Disposable;

  /** Fires when a `concurrencyLens.*` setting changes, never for other extensions' settings. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      this.reported.clear();
      this.emitter.fire({
        analysis: ANALYSIS_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`)),
        severity: event.affectsConfiguration(`${SECTION}.severity`),
        codeLens: event.affectsConfiguration(`${SECTION}.codeLens`),
        environment: ENVIRONMENT_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`)),
        affects: (resource) => event.affectsConfiguration(SECTION, resource),
      });
    });
  }

  /** The settings for `scope` (a document or folder URI, or a workspace folder). */
  read(scope?: vscode.ConfigurationScope): Settings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    const problems: string[] = [];
    const settings: Settings = {
      enable: {
        python: normalizeBoolean('enable.python', config.get('enable.python'), DEFAULT_SETTINGS.enable.python, problems),
        javascript: normalizeBoolean('enable.javascript', config.get('enable.javascript'), DEFAULT_SETTINGS.enable.javascript, problems),
      },
      severity: normalizeSeverity(config.get('severity'), problems),
      codeLens: { enabled: normalizeBoolean('codeLens.enabled', config.get('codeLens.enabled'), DEFAULT_SETTINGS.codeLens.enabled, problems) },
      extraCalls: normalizeExtraCalls(config.get('extraCalls'), problems),
      exclude: normalizeExclude(config.get('exclude'), problems),
      maxFileSizeKB: normalizeMaxFileSize(config.get('maxFileSizeKB'), problems),
      python: { freeThreaded: normalizeFreeThreaded(config.get('python.freeThreaded'), problems) },
      bench: {
        pythonPath: normalizePath('bench.pythonPath', config.get('bench.pythonPath'), problems),
        nodePath: normalizePath('bench.nodePath', config.get('bench.nodePath'), problems),
        timeoutSeconds: normalizeCount('timeoutSeconds', config.get('bench.timeoutSeconds'), problems),
        tasks: normalizeCount('tasks', config.get('bench.tasks'), problems),
        workers: normalizeCount('workers', config.get('bench.workers'), problems),
        startMethod: normalizeStartMethod(config.get('bench.startMethod'), problems),
        strategies: normalizeStrategies(config.get('bench.strategies'), problems),
        daskScheduler: normalizeScheduler(config.get('bench.daskScheduler'), problems),
      },
    };
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.log.warn(`settings: ${problem}`);
    }
    return settings;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
