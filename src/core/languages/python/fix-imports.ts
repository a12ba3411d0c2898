/** Python import housekeeping for fixes: find a module's binding, or add one import where imports go. */
import type { SyntaxNode } from '../../parse/tree';
import { insertBeforeLine, type LineMap } from '../../text';
import type { TextEdit } from '../../model';

/**
 * The local name `module` is imported under at module level (`import asyncio`,
 * `import asyncio as aio`), or undefined.
 */
export function importedName(root: SyntaxNode, module: string): string | undefined {
  for (const statement of root.namedChildren) {
    if (statement.type !== 'import_statement') continue;
    for (const child of statement.namedChildren) {
      if (child.type === 'dotted_name' && child.text === module) return module;
      if (child.type === 'aliased_import' && child.childForFieldName('name')?.text === module) return child.childForFieldName('alias')?.text;
    }
  }
  return undefined;
}

/**
 * An edit adding `import module` after the module's last top-level import (or after its
 * docstring and `from __future__` lines when it has none), so imports stay in one block.
 */
export function addImport(root: SyntaxNode, lines: LineMap, module: string): TextEdit {
  let after = 0;
  for (const statement of root.namedChildren) {
    if (statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement') {
      after = statement.endPosition.row + 1;
    } else if (after === 0 && statement.type === 'expression_statement' && statement.namedChildren[0]?.type === 'string') {
      after = statement.endPosition.row + 1; // the module docstring
    } else if (statement.type !== 'comment') {
      break;
    }
  }
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  if (after >= lines.lineCount) return { line: lines.lineCount, column: lines.line(lines.lineCount).length + 1, endLine: lines.lineCount, endColumn: lines.line(lines.lineCount).length + 1, newText: `${eol}import ${module}${eol}` };
  return insertBeforeLine(after + 1, `import ${module}${eol}`);
}
