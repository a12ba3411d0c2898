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

/** Top-level `from module import ...` statements (not `import *`). */
function fromImports(root: SyntaxNode, module: string): SyntaxNode[] {
  return root.namedChildren.filter(
    (s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text === module && s.childrenForFieldName('name').length > 0,
  );
}

/**
 * The local name `name` is imported under at module level by `from module import name`
 * (or `... import name as alias`), or undefined.
 */
export function importedFrom(root: SyntaxNode, module: string, name: string): string | undefined {
  for (const statement of fromImports(root, module)) {
    for (const child of statement.childrenForFieldName('name')) {
      if (child.type === 'dotted_name' && child.text === name) return name;
      if (child.type === 'aliased_import' && child.childForFieldName('name')?.text === name) return child.childForFieldName('alias')?.text;
    }
  }
  return undefined;
}

/**
 * An edit adding `import module` after the module's last top-level import (or after its
 * docstring and `from __future__` lines when it has none), so imports stay in one block.
 */
export function addImport(root: SyntaxNode, lines: LineMap, module: string): TextEdit {
  return addImportLine(root, lines, `import ${module}`);
}

/**
 * An edit importing `name` from `module`: appended to an existing top-level
 * `from module import ...` when there is one, else a new line in the import block.
 */
export function addFromImport(root: SyntaxNode, lines: LineMap, module: string, name: string): TextEdit {
  const existing = fromImports(root, module)[0];
  if (existing) {
    const last = existing.childrenForFieldName('name').at(-1)!;
    const row = last.endPosition.row + 1;
    const column = last.endPosition.column + 1;
    return { line: row, column, endLine: row, endColumn: column, newText: `, ${name}` };
  }
  return addImportLine(root, lines, `from ${module} import ${name}`);
}

function addImportLine(root: SyntaxNode, lines: LineMap, statement: string): TextEdit {
  let after = 0;
  for (const node of root.namedChildren) {
    if (node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement') {
      after = node.endPosition.row + 1;
    } else if (after === 0 && node.type === 'expression_statement' && node.namedChildren[0]?.type === 'string') {
      after = node.endPosition.row + 1; // the module docstring
    } else if (node.type !== 'comment') {
      break;
    }
  }
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  if (after >= lines.lineCount) return { line: lines.lineCount, column: lines.line(lines.lineCount).length + 1, endLine: lines.lineCount, endColumn: lines.line(lines.lineCount).length + 1, newText: `${eol}${statement}${eol}` };
  return insertBeforeLine(after + 1, `${statement}${eol}`);
}
