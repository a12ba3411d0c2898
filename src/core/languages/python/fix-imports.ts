/** Python import housekeeping for fixes: find a module's binding, or add one import where imports go. */
import type { SyntaxNode } from '../../parse/tree';
import { insertBeforeLine, type LineMap } from '../../text';
import type { TextEdit } from '../../model';
import { STDLIB_MODULES } from './stdlib-modules';

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
 * An edit adding `import module` where isort or Ruff would put it: in the block of its section
 * (standard library, then third-party, each a block of its own), in order when the block is
 * sorted; a new block when the section has none, after the shebang and header comments, the
 * docstring and `from __future__` imports, with the blank lines around it PEP 8 asks for.
 */
export function addImport(root: SyntaxNode, lines: LineMap, module: string): TextEdit {
  return addImportLine(root, lines, { module, from: false, text: `import ${module}` });
}

/**
 * An edit importing `name` from `module`: added to an existing top-level
 * `from module import ...` when there is one (in isort's order when its names are in it, in
 * its layout: one line or one name per line), else a new line placed as {@link addImport} does.
 */
export function addFromImport(root: SyntaxNode, lines: LineMap, module: string, name: string): TextEdit {
  const existing = fromImports(root, module)[0];
  if (!existing) return addImportLine(root, lines, { module, from: true, text: `from ${module} import ${name}` });
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  const names = existing.childrenForFieldName('name');
  const nameOf = (node: SyntaxNode): string => (node.type === 'aliased_import' ? (node.childForFieldName('name')?.text ?? node.text) : node.text);
  const sorted = names.every((n, i) => i === 0 || compareNames(nameOf(names[i - 1]), nameOf(n)) <= 0);
  const next = sorted ? names.find((n) => compareNames(name, nameOf(n)) < 0) : undefined;
  // `from m import (\n    a,\n    b,\n)`: each name on a line of its own.
  const perLine = existing.startPosition.row !== existing.endPosition.row && names.every((n, i) => i === 0 || n.startPosition.row > names[i - 1].endPosition.row);
  const indentOf = (node: SyntaxNode): string => /^\s*/.exec(lines.line(node.startPosition.row + 1))![0];
  if (next) {
    const row = next.startPosition.row + 1;
    const column = next.startPosition.column + 1;
    return { line: row, column, endLine: row, endColumn: column, newText: perLine ? `${name},${eol}${indentOf(next)}` : `${name}, ` };
  }
  const last = names[names.length - 1];
  const children = existing.children;
  const comma = children[children.indexOf(last) + 1]?.type === ',' ? children[children.indexOf(last) + 1] : undefined;
  const after = comma ?? last;
  const row = after.endPosition.row + 1;
  const column = after.endPosition.column + 1;
  const newText = perLine ? `${comma ? '' : ','}${eol}${indentOf(last)}${name}${comma ? ',' : ''}` : `, ${name}`;
  return { line: row, column, endLine: row, endColumn: column, newText };
}

/** isort's order of imported names (`order_by_type`): CONSTANTS, then Classes, then the others, each by name. */
function compareNames(a: string, b: string): number {
  const rank = (n: string): number => (n.length > 1 && n === n.toUpperCase() && n !== n.toLowerCase() ? 0 : /^[A-Z]/.test(n) ? 1 : 2);
  return rank(a) !== rank(b) ? rank(a) - rank(b) : byName(a, b);
}

/** Names compared as isort does by default: case left out. */
function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** isort's sections, in file order. */
const enum Section {
  Future,
  Stdlib,
  ThirdParty,
  Local,
}

interface ImportStatement {
  module: string;
  /** `from module import ...` (isort puts them after the plain imports of their block). */
  from: boolean;
}

interface PlacedImport extends ImportStatement {
  section: Section;
  /** 0-based rows of the statement's first and last line. */
  first: number;
  last: number;
}

function sectionOf(module: string): Section {
  if (module === '__future__') return Section.Future;
  if (module.startsWith('.')) return Section.Local;
  return STDLIB_MODULES.has(module.split('.')[0]) ? Section.Stdlib : Section.ThirdParty;
}

/** isort's order within a block: plain imports, then `from` imports, each by module name. */
function compare(a: ImportStatement, b: ImportStatement): number {
  if (a.from !== b.from) return a.from ? 1 : -1;
  return byName(a.module, b.module);
}

function placed(node: SyntaxNode): PlacedImport | undefined {
  let module: string | undefined;
  if (node.type === 'future_import_statement') module = '__future__';
  else if (node.type === 'import_from_statement') module = node.childForFieldName('module_name')?.text;
  else if (node.type === 'import_statement') {
    const name = node.namedChildren[0];
    module = name?.type === 'aliased_import' ? name.childForFieldName('name')?.text : name?.text;
  }
  if (module === undefined) return undefined;
  return { module, from: node.type !== 'import_statement', section: sectionOf(module), first: node.startPosition.row, last: node.endPosition.row };
}

/** Whether a 0-based row is blank (or past the end). */
function blank(lines: LineMap, row: number): boolean {
  return row >= lines.lineCount || lines.line(row + 1).trim() === '';
}

/**
 * The rows before the code the import block may not precede: a shebang and encoding line, the
 * header comments (those a blank line ends, not the comment of the first statement), the module
 * docstring. Returns the 0-based row after them.
 */
function headerEnd(root: SyntaxNode, lines: LineMap): number {
  // The end of the last leading comment a blank line follows: the comments after it belong to the first statement.
  let detached = 0;
  let comments = 0;
  for (const node of root.namedChildren) {
    if (node.type === 'expression_statement' && node.namedChildren[0]?.type === 'string') return node.endPosition.row + 1;
    if (node.type !== 'comment') break;
    comments = node.endPosition.row + 1;
    if (blank(lines, comments)) detached = comments;
  }
  // The shebang and the encoding line (PEP 263: lines 1 and 2) stay first in any case.
  let first = 0;
  while (first < Math.min(comments, 2) && /^#!|^#.*coding[:=]/.test(lines.line(first + 1))) first++;
  return Math.max(detached, first);
}

/** The top-level imports before the first other statement, in blocks that blank lines separate. */
function importBlocks(root: SyntaxNode, lines: LineMap): PlacedImport[][] {
  const blocks: PlacedImport[][] = [];
  let previous: PlacedImport | undefined;
  for (const node of root.namedChildren) {
    if (node.type === 'comment') continue;
    if (node.type === 'expression_statement' && node.namedChildren[0]?.type === 'string' && blocks.length === 0) continue;
    const statement = placed(node);
    if (!statement) break;
    let separated = previous === undefined;
    for (let row = (previous?.last ?? 0) + 1; row < statement.first && !separated; row++) separated = blank(lines, row);
    if (separated) blocks.push([statement]);
    else blocks[blocks.length - 1].push(statement);
    previous = statement;
  }
  return blocks;
}

/**
 * The line breaks to add after a new import block inserted before the 0-based `row`, so that
 * the code after it is as far from it as PEP 8 asks: two blank lines before a definition (or the
 * comments above one), one before other code, none at the end of the file.
 */
function spacingBefore(lines: LineMap, row: number, eol: string): string {
  let code = row;
  while (code < lines.lineCount && blank(lines, code)) code++;
  if (code >= lines.lineCount) return '';
  let statement = code;
  while (statement < lines.lineCount && /^\s*#/.test(lines.line(statement + 1))) statement++;
  const wanted = statement < lines.lineCount && /^(async\s+def|def|class)\b|^@/.test(lines.line(statement + 1)) ? 2 : 1;
  return eol.repeat(Math.max(0, wanted - (code - row)));
}

function addImportLine(root: SyntaxNode, lines: LineMap, statement: ImportStatement & { text: string }): TextEdit {
  const eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  const line = `${statement.text}${eol}`;
  const section = sectionOf(statement.module);
  const blocks = importBlocks(root, lines);
  const sections = (block: PlacedImport[]): Set<Section> => new Set(block.map((s) => s.section));
  // Its section's block (or one that mixes sections: the file does not separate them).
  const home = blocks.find((block) => sections(block).has(section) || (sections(block).size > 1 && !sections(block).has(Section.Future)));
  if (home) {
    const sorted = home.every((s, i) => i === 0 || compare(home[i - 1], s) <= 0);
    const next = sorted ? home.find((s) => compare(statement, s) < 0) : undefined;
    return next ? insertAt(lines, next.first, line, eol) : insertAt(lines, home[home.length - 1].last + 1, line, eol);
  }
  // A block of its own, between the sections before it and those after it.
  const before = blocks.filter((block) => [...sections(block)].every((s) => s < section));
  const after = blocks.find((block) => [...sections(block)].some((s) => s > section));
  if (before.length === 0 && after) return insertAt(lines, after[0].first, `${line}${eol}`, eol);
  const end = before.length > 0 ? before[before.length - 1][before[before.length - 1].length - 1].last + 1 : headerEnd(root, lines);
  return insertAt(lines, end, `${end > 0 ? eol : ''}${line}${after ? '' : spacingBefore(lines, end, eol)}`, eol);
}

/** Inserts `text` before the 0-based `row` (at the end of the file when there is no such row). */
function insertAt(lines: LineMap, row: number, text: string, eol: string): TextEdit {
  if (row < lines.lineCount) return insertBeforeLine(row + 1, text);
  const last = lines.line(lines.lineCount);
  const column = last.length + 1;
  // The file's last line has no line break: the new line starts after one.
  return { line: lines.lineCount, column, endLine: lines.lineCount, endColumn: column, newText: last === '' ? text : `${eol}${text}` };
}
