/**
 * The hover on a function's name, and on a call to a project function: the verdict, the
 * confidence, the evidence chain with links, and what to use instead.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysis-service';
import { Commands } from './commands';
import { HOVER_LINKS } from './links';
import { calleeAt, functionAtName } from './lookup';
import { hoverMarkdown } from './markdown';
import { toCorePosition, toRange } from './positions';

/** Provides the verdict hover. */
export class VerdictHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const snapshot = await this.service.resultFor(document, token, true);
    if (!snapshot || token.isCancellationRequested) return undefined;
    const at = toCorePosition(position);
    const own = functionAtName(snapshot.file, at);
    const target = own ? { file: snapshot.file, fn: own } : calleeAt(snapshot.file, at, snapshot.files);
    if (!target) return undefined;
    const markdown = new vscode.MarkdownString(hoverMarkdown(target.file, target.fn, snapshot.files, HOVER_LINKS, snapshot.environmentFor(target.file.path)));
    // Command links run only for the commands named here.
    markdown.isTrusted = { enabledCommands: [Commands.explainClassification, Commands.benchmarkFunction] };
    return new vscode.Hover(markdown, own ? toRange(own.nameSpan) : undefined);
  }
}
