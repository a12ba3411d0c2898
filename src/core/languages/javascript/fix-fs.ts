/**
 * CL101 on `fs.xxxSync(...)` in an async function (or a request handler that can become
 * one): `await fs.promises.xxx(...)`, bound the way the file binds `fs`.
 */
import type { FixContext } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import type { LineMap } from '../../text';
import {
  awaitableFunction,
  awaitIn,
  bareModule,
  eolOf,
  evidenceAt,
  extendNamed,
  freeName,
  importLine,
  importsOf,
  insertAtLine,
  moduleImports,
  namesInUse,
  nodeAtSpan,
  siblingSpecifier,
  usesSemicolons,
  type ModuleImport,
} from './fix-support';

/**
 * Sync functions whose `fs.promises` namesake takes the same arguments and resolves to
 * what the sync one returns. Not the descriptor-based ones (`openSync` returns a number,
 * `fs.promises.open` a FileHandle).
 */
const SAME_SHAPE = new Set([
  'readFile', 'writeFile', 'appendFile', 'readdir', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp', 'stat', 'lstat', 'access',
  'realpath', 'mkdtemp', 'readlink', 'symlink', 'link', 'chmod', 'chown', 'lchown', 'utimes', 'lutimes', 'truncate', 'opendir',
]);

/** How to call the promise version, and the import edits that makes possible. */
interface PromiseCallee {
  text: string;
  edits: TextEdit[];
}

export async function fsSyncToPromises(context: FixContext): Promise<Fix[]> {
  const { diagnostic, evidence, lines } = context;
  const found = evidenceAt(evidence, diagnostic).find((e) => e.via.length === 0 && /^fs\.\w+Sync$/.test(e.call));
  if (!found) return [];
  const syncName = found.call.slice(3);
  const base = syncName.slice(0, -'Sync'.length);
  const exists = base === 'exists';
  const target = exists ? 'access' : base;
  if (!exists && !SAME_SHAPE.has(base)) return [];
  const root = await context.tree();
  const call = nodeAtSpan(root, lines, found.span, 'call_expression');
  const callee = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments');
  if (!call || !callee || !args) return [];
  const argList = args.namedChildren.filter((c) => c.type !== 'comment');
  if (exists && (argList.length !== 1 || argList[0].type === 'spread_element')) return [];
  // `statSync(p, { throwIfNoEntry: false })` returns undefined; `fs.promises.stat` has no such option.
  if ((base === 'stat' || base === 'lstat') && args.text.includes('throwIfNoEntry')) return [];
  const host = awaitableFunction(call);
  if (!host) return [];
  const promised = promiseCallee(root, lines, callee, syncName, target);
  if (!promised) return [];
  const expression = exists ? `${promised.text}(${argList[0].text}).then(() => true, () => false)` : `${promised.text}${args.text}`;
  const edits: TextEdit[] = [
    ...host.edits,
    ...promised.edits,
    { line: found.span.line, column: found.span.column, endLine: found.span.endLine, endColumn: found.span.endColumn, newText: awaitIn(call, expression) },
  ];
  const becomesAsync = host.edits.length > 0 ? '; the handler becomes `async` (an exception in it turns into a rejected promise)' : '';
  const title = exists
    ? `Use \`await ${promised.text}(...).then(() => true, () => false)\`: the same true/false as \`existsSync\`, without blocking the event loop${becomesAsync}`
    : `Use \`await ${promised.text}(...)\`: other work runs on the event loop while the file operation runs (errors still throw here, at the \`await\`)${becomesAsync}`;
  return [{ title, preferred: true, edits }];
}

function isFs(specifier: string): boolean {
  return bareModule(specifier) === 'fs';
}

/** `const fs = require('fs')` anywhere in the file (a function may require it locally). */
function requiresFsAnywhere(root: Node, name: string): boolean {
  return root.descendantsOfType('variable_declarator').some((d) => {
    if (d.childForFieldName('name')?.text !== name) return false;
    const value = d.childForFieldName('value');
    const fn = value?.type === 'call_expression' ? value.childForFieldName('function') : undefined;
    const spec = value?.childForFieldName('arguments')?.namedChildren[0];
    return fn?.text === 'require' && spec?.type === 'string' && isFs(spec.text.slice(1, -1));
  });
}

function promiseCallee(root: Node, lines: LineMap, callee: Node, syncName: string, target: string): PromiseCallee | undefined {
  const imports = moduleImports(root);
  if (callee.type === 'member_expression') {
    const object = callee.childForFieldName('object');
    if (callee.childForFieldName('property')?.text !== syncName || !object) return undefined;
    const isModule =
      (object.type === 'identifier' && (importsOf(imports, 'fs').some((i) => i.wholes.includes(object.text)) || requiresFsAnywhere(root, object.text))) ||
      (object.type === 'call_expression' && object.childForFieldName('function')?.text === 'require' && isFs(object.childForFieldName('arguments')?.namedChildren[0]?.text.slice(1, -1) ?? ''));
    return isModule ? { text: `${object.text}.promises.${target}`, edits: [] } : undefined;
  }
  if (callee.type !== 'identifier') return undefined;
  const fsImport = importsOf(imports, 'fs').find((i) => i.named.get(syncName) === callee.text);
  if (!fsImport) return undefined;
  const promisesImports = importsOf(imports, 'fs/promises');
  // Reuse what the file already has.
  for (const entry of promisesImports) {
    const local = entry.named.get(target);
    if (local) return { text: local, edits: [] };
  }
  for (const entry of promisesImports) if (entry.wholes[0]) return { text: `${entry.wholes[0]}.${target}`, edits: [] };
  for (const entry of importsOf(imports, 'fs')) {
    const local = entry.named.get('promises');
    if (local) return { text: `${local}.${target}`, edits: [] };
  }
  for (const entry of importsOf(imports, 'fs')) if (entry.wholes[0]) return { text: `${entry.wholes[0]}.promises.${target}`, edits: [] };
  // Add one import, next to the fs one (or into an existing fs/promises one).
  const local = freeName(namesInUse(root), target, `${target}Async`);
  if (!local) return undefined;
  const extendable = promisesImports.find((i) => i.namedNode && i.style === fsImport.style);
  const extended = extendable ? extendNamed(extendable, target, local) : undefined;
  if (extended) return { text: local, edits: [extended] };
  return { text: local, edits: [newImportAfter(root, lines, fsImport, target, local)] };
}

function newImportAfter(root: Node, lines: LineMap, fsImport: ModuleImport, name: string, local: string): TextEdit {
  const specifier = siblingSpecifier(fsImport.specifier, 'fs/promises', false);
  const text = importLine(fsImport.style, [{ name, local }], specifier, fsImport.quote, usesSemicolons(root));
  return insertAtLine(lines, fsImport.statement.endPosition.row + 2, `${text}${eolOf(lines.text)}`);
}
