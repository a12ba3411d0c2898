/**
 * Quick fixes: computed by the core when the quick-fix menu asks, for the diagnostics it asks
 * about only (a run computes none: checking a fix re-parses the file, too slow for every
 * keystroke). Each becomes a code action tied to the editor diagnostic it fixes (matched by code
 * and range), with its text edits and the files it creates (a worker module, beside the document).
 */
import * as vscode from 'vscode';
import type { Fix } from '../core';
import type { AnalysisService } from './analysis-service';
import { codeOf } from './diagnostics';
import { toRange } from './positions';

/** Offers the core's fixes for this extension's diagnostics. */
export class FixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly service: AnalysisService) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const ours = context.diagnostics.filter((d) => codeOf(d) !== undefined);
    if (ours.length === 0) return [];
    // The edits are positions in the text they were computed from: only the current version's fit.
    const snapshot = await this.service.resultFor(document, token, true);
    if (!snapshot || token.isCancellationRequested) return [];
    const version = document.version;
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const finding = snapshot.file.diagnostics.find((d) => d.code === codeOf(diagnostic) && toRange(d).isEqual(diagnostic.range));
      if (!finding) continue;
      const fixes = await snapshot.fixes(finding);
      if (token.isCancellationRequested || document.version !== version) return [];
      for (const fix of fixes) actions.push(toAction(document, diagnostic, fix));
    }
    return actions;
  }
}

/** One fix as a code action on the diagnostic it fixes. */
function toAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, fix: Fix): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = fix.preferred;
  const edit = new vscode.WorkspaceEdit();
  const folder = vscode.Uri.joinPath(document.uri, '..');
  for (const file of fix.createFiles ?? []) {
    // Never over an existing file: the edit fails instead, and the user's file is untouched.
    edit.createFile(vscode.Uri.joinPath(folder, ...file.path.split('/')), { contents: new TextEncoder().encode(file.text) });
  }
  for (const change of fix.edits) edit.replace(document.uri, toRange(change), change.newText);
  action.edit = edit;
  return action;
}
