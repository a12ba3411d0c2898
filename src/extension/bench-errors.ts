/**
 * What the editor says when a benchmark does not finish: one notification per `BenchError`
 * kind, worded for the place it appears (the runner's message is the detail), with the action
 * that helps — choose an interpreter, change the time limit, edit the arguments, read the
 * output. No `vscode` import: the flow turns actions into buttons.
 */
import type { BenchErrorKind } from '../bench/runner';

/** A button on the notification. */
export type FailureAction = 'showOutput' | 'choosePython' | 'chooseNode' | 'changeTimeLimit' | 'editArguments';

/** The button's label. */
export const ACTION_LABELS: Record<FailureAction, string> = {
  showOutput: 'Show Output',
  choosePython: 'Choose Python Interpreter',
  chooseNode: 'Choose Node.js',
  changeTimeLimit: 'Change Time Limit',
  editArguments: 'Edit Arguments',
};

export interface FailureNotice {
  level: 'error' | 'warning' | 'info';
  message: string;
  actions: FailureAction[];
}

/** The first line of a runner message (the rest, a remote traceback, goes to the output channel). */
function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

/** The notification for a failed run of `name`. */
export function failureNotice(kind: BenchErrorKind, runnerMessage: string, name: string, language: string): FailureNotice {
  const detail = firstLine(runnerMessage);
  const python = language === 'python';
  switch (kind) {
    case 'cancelled':
      return { level: 'info', message: `Benchmark of ${name} cancelled; its processes were stopped.`, actions: [] };
    case 'spawn':
      return { level: 'error', message: `Benchmark of ${name} could not start: ${detail}`, actions: [python ? 'choosePython' : 'chooseNode', 'showOutput'] };
    case 'timeout':
    case 'budget':
      return { level: 'warning', message: `Benchmark of ${name} stopped: ${detail}`, actions: ['changeTimeLimit', 'showOutput'] };
    case 'args':
      return { level: 'error', message: `The arguments for ${name} did not evaluate: ${detail}`, actions: ['editArguments', 'showOutput'] };
    case 'raised':
      return { level: 'error', message: `Benchmark of ${name} failed: ${detail}`, actions: ['editArguments', 'showOutput'] };
    case 'load':
      return { level: 'error', message: `Benchmark of ${name} could not load the function: ${detail}`, actions: ['showOutput'] };
    case 'memory':
    case 'flood':
    case 'exit':
    case 'crash':
    case 'worker-died':
    case 'usage':
    case 'protocol':
      return { level: 'error', message: `Benchmark of ${name} failed: ${detail}`, actions: ['showOutput'] };
  }
}

/** The failure as the output channel keeps it: the whole message and the traceback, innermost last. */
export function failureReport(runnerMessage: string, traceback: readonly string[] | undefined): string {
  const lines = [runnerMessage.trimEnd()];
  if (traceback && traceback.length > 0) lines.push('traceback (innermost last):', ...traceback.map((frame) => `  ${frame}`));
  return lines.join('\n');
}
