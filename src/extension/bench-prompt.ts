/**
 * The input box that asks for a benchmark's arguments: titled with the function, prompting with
 * its parameter list, filled with the last arguments used (or a guess), checked as the user types.
 */
import * as vscode from 'vscode';
import type { Signature } from '../core/parameters';
import { describeParameters } from '../core/parameters-guess';
import { argumentsProblem } from './bench-target';

/** Where the function is in a run of several ("2 of 5"). */
export interface Step {
  index: number;
  total: number;
}

/** The argument list typed (possibly empty), or undefined when the user pressed Escape. */
export async function askArguments(name: string, language: string, signature: Signature | undefined, prefill: string, step?: Step): Promise<string | undefined> {
  const params = signature ? describeParameters(signature) : '';
  const syntax = language === 'python' ? 'Python' : 'JavaScript';
  const of = step ? ` (${step.index} of ${step.total}; Escape skips it)` : '';
  return vscode.window.showInputBox({
    title: `Benchmark ${name}: arguments${of}`,
    prompt: `${name}(${params}) — the argument list as ${syntax} source, without the parentheses. Each strategy calls the function with it.`,
    placeHolder: language === 'python' ? "e.g. 'https://example.org', timeout=5" : "e.g. 'https://example.org', { timeout: 5000 }",
    value: prefill,
    valueSelection: [0, prefill.length],
    ignoreFocusOut: true,
    validateInput: (text) => argumentsProblem(text) ?? null,
  });
}
