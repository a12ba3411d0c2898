/**
 * Reads `concurrencyLens.bench.strategies` and `concurrencyLens.bench.daskScheduler` beside the
 * typed reader of settings.ts (which the two may join: they are checked by bench-strategies.ts).
 */
import * as vscode from 'vscode';
import { normalizeScheduler, normalizeStrategies, type StrategySettings } from './bench-strategies';

/** Reads both settings for `scope`; problems go to `report` (the log). */
export function readStrategySettings(scope: vscode.ConfigurationScope | undefined, report: (problem: string) => void): StrategySettings {
  const config = vscode.workspace.getConfiguration('concurrencyLens.bench', scope);
  const problems: string[] = [];
  const settings = {
    strategies: normalizeStrategies(config.get('strategies'), problems),
    daskScheduler: normalizeScheduler(config.get('daskScheduler'), problems),
  };
  problems.forEach(report);
  return settings;
}
