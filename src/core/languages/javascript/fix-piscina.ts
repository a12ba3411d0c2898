/**
 * CL102, when the project declares `piscina` in its package.json: run the CPU-heavy call on a
 * piscina pool. A pool keeps its threads between calls, so unlike the plain worker fix (a
 * `Worker` started per call) it suits a hot path such as a request handler.
 *
 * The fix creates `<name>.piscina.mjs` (or `.cjs`) beside the file: a task module whose
 * default export (`export default` or `module.exports =`, as the file is written) calls the
 * function with the call's arguments, holding or importing it as the worker fix does (see
 * fix-offload.ts, which also holds the preconditions). The file gets one pool for that
 * module, created once at module level, and the call becomes `await <name>Pool.run([args])`.
 */
import type { FixContext } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { moduleText, offloadPlan, type OffloadPlan } from './fix-offload';
import { awaitIn, freeName, importsOf, insertAtLine, lineAfterImports, namesInUse } from './fix-support';

/** The npm package the fix needs in the project. */
export const PISCINA = 'piscina';

export async function cpuCallToPiscina(context: FixContext): Promise<Fix[]> {
  if (!context.environment.nodePackages.has(PISCINA)) return [];
  const plan = await offloadPlan(context);
  if (!plan) return [];
  const { call, span, name, args, esm, semicolon } = plan;
  const taskFile = `${name}.piscina.${esm ? 'mjs' : 'cjs'}`;
  const header = [
    `// \`${name}\` as a piscina task (written by Concurrency Lens): the pool calls the default export on`,
    `// one of its threads with the call's arguments as an array, and answers with the result.`,
  ];
  const entry = `(args) => ${name}(...args)${semicolon}`;
  const taskText = moduleText(plan, header, esm ? `export default ${entry}` : `module.exports = ${entry}`);

  const pool = poolEdits(plan, context.lines, taskFile);
  if (!pool) return [];
  const edits: TextEdit[] = [...plan.hostEdits, ...pool.edits];
  const replacement = awaitIn(call, `${pool.name}.run([${args.map((a) => a.text).join(', ')}])`);
  edits.push({ line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, newText: replacement });
  const title =
    `Run \`${name}\` in a piscina worker pool (creates ${taskFile} and one pool for this module): its arguments and result are copied (structured clone), ` +
    `calls run in parallel on the pool's threads, which stay alive between calls until \`${pool.name}.destroy()\` (idle ones do not keep the process running)`;
  return [{ title, preferred: true, edits, createFiles: [{ path: taskFile, text: taskText }] }];
}

/**
 * The pool for the task module: the one an earlier application of the fix created, or a new
 * `const <name>Pool = new Piscina(...)` after the imports (with `import Piscina` when the file
 * has no binding of it). Undefined when the names it needs are taken.
 */
function poolEdits(plan: OffloadPlan, lines: FixContext['lines'], taskFile: string): { name: string; edits: TextEdit[] } | undefined {
  const { root, imports, esm, quote, semicolon, eol } = plan;
  const existing = generatedPool(root, taskFile);
  if (existing) return { name: existing, edits: [] };
  const used = namesInUse(root);
  const poolName = freeName(used, `${plan.name}Pool`, `${plan.name}Piscina`);
  if (!poolName) return undefined;
  const out: string[] = [];
  let constructor: string | undefined;
  for (const entry of importsOf(imports, PISCINA)) constructor ??= entry.named.get('Piscina') ?? entry.wholes[0];
  if (!constructor) {
    if (used.has('Piscina')) return undefined;
    constructor = 'Piscina';
    out.push(esm ? `import Piscina from ${quote}${PISCINA}${quote}${semicolon}` : `const Piscina = require(${quote}${PISCINA}${quote})${semicolon}`);
  }
  const filename = esm ? `new URL(${quote}./${taskFile}${quote}, import.meta.url).href` : `require.resolve(${quote}./${taskFile}${quote})`;
  out.push(
    '',
    `/** Threads that run \`${plan.name}\` (${taskFile}), started once for this module; \`${poolName}.destroy()\` stops them. */`,
    `const ${poolName} = new ${constructor}({ filename: ${filename} })${semicolon}`,
  );
  const line = lineAfterImports(root);
  // Below a header comment (no imports yet), a blank line keeps the comment the file's own.
  if (imports.length === 0 && line > 1 && lines.line(line - 1).trim() !== '') out.unshift('');
  // One blank line after the pool, unless the file has one there already.
  if (line > lines.lineCount || lines.line(line).trim() !== '') out.push('');
  return { name: poolName, edits: [insertAtLine(lines, line, out.join(eol) + eol)] };
}

/** The name of the module-level pool an earlier application of the fix made for the task module. */
function generatedPool(root: Node, taskFile: string): string | undefined {
  for (const statement of root.namedChildren) {
    if (statement.type !== 'lexical_declaration') continue;
    for (const declarator of statement.namedChildren) {
      const name = declarator.childForFieldName('name');
      const value = declarator.childForFieldName('value');
      if (name?.type === 'identifier' && value?.type === 'new_expression' && value.text.includes(`./${taskFile}`) && /filename:/.test(value.text)) return name.text;
    }
  }
  return undefined;
}
