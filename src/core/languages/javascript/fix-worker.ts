/**
 * CL102 on a call to a CPU-heavy project function from async code (or a request handler
 * that can become async): run it in a `worker_threads` worker.
 *
 * The fix creates `<name>.worker.mjs` (or `.cjs`) beside the file, holding or importing the
 * function (see fix-offload.ts for what it copies and when the fix applies). The call
 * becomes `await runInWorker(<worker module>, [args])`, with `runInWorker` added once.
 */
import type { FixContext } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import { moduleText, offloadPlan } from './fix-offload';
import { awaitIn, generatedHelper, importsOf, insertAtLine, lineAfterImports, namesInUse, type ModuleImport } from './fix-support';

const HELPER = 'runInWorker';
/** The part of the generated helper that tells it apart from a user's function of the same name. */
const HELPER_MARKER = 'workerFile, { workerData: args }';

export async function cpuCallToWorker(context: FixContext): Promise<Fix[]> {
  const plan = await offloadPlan(context);
  if (!plan) return [];
  const { root, call, span, name, args, esm, imports, eol, semicolon, prefix, quote } = plan;
  const workerFile = `${name}.worker.${esm ? 'mjs' : 'cjs'}`;
  const workerThreads = `${quote}${prefix}worker_threads${quote}`;
  const header = [
    `// Runs \`${name}\` off the event loop (written by Concurrency Lens): \`${HELPER}\` starts it with the`,
    `// arguments as workerData; it answers with the result.`,
    esm ? `import { parentPort, workerData } from ${workerThreads}${semicolon}` : `const { parentPort, workerData } = require(${workerThreads})${semicolon}`,
  ];
  const workerText = moduleText(plan, header, `parentPort.postMessage(${name}(...workerData))${semicolon}`);

  const edits: TextEdit[] = [...plan.hostEdits];
  const helper = helperEdits(root, context.lines, imports, esm, prefix, quote, semicolon, eol);
  if (!helper) return [];
  edits.push(...helper);
  const where = esm ? `new URL(${quote}./${workerFile}${quote}, import.meta.url)` : `require.resolve(${quote}./${workerFile}${quote})`;
  const replacement = awaitIn(call, `${HELPER}(${where}, [${args.map((a) => a.text).join(', ')}])`);
  edits.push({ line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, newText: replacement });
  const title = `Run \`${name}\` in a worker thread (creates ${workerFile}): its arguments and result are copied (structured clone) and the work runs in parallel with other requests; a Worker starts per call (use a pool such as piscina for hot paths)`;
  return [{ title, preferred: true, edits, createFiles: [{ path: workerFile, text: workerText }] }];
}

/** `runInWorker` and the `Worker` import, once per file. */
function helperEdits(root: Node, lines: FixContext['lines'], imports: readonly ModuleImport[], esm: boolean, prefix: string, quote: string, semicolon: string, eol: string): TextEdit[] | undefined {
  if (generatedHelper(root, HELPER, HELPER_MARKER)) return [];
  const used = namesInUse(root);
  if (used.has(HELPER)) return undefined;
  let worker: string | undefined;
  const out: string[] = [];
  for (const entry of importsOf(imports, 'worker_threads')) {
    worker ??= entry.named.get('Worker') ?? (entry.wholes[0] ? `${entry.wholes[0]}.Worker` : undefined);
  }
  if (!worker) {
    if (used.has('Worker')) return undefined;
    worker = 'Worker';
    const specifier = `${quote}${prefix}worker_threads${quote}`;
    out.push(esm ? `import { Worker } from ${specifier}${semicolon}` : `const { Worker } = require(${specifier})${semicolon}`);
  }
  out.push(
    '',
    `/** Runs a worker module with \`args\` as its workerData; resolves to the message it answers with. */`,
    `function ${HELPER}(workerFile, args) {`,
    `  return new Promise((resolve, reject) => {`,
    `    const worker = new ${worker}(${HELPER_MARKER})${semicolon}`,
    `    worker.once('message', resolve)${semicolon}`,
    `    worker.once('error', reject)${semicolon}`,
    `    worker.once('exit', (code) => {`,
    `      if (code !== 0) reject(new Error(\`worker stopped with exit code \${code}\`))${semicolon}`,
    `    })${semicolon}`,
    `  })${semicolon}`,
    `}`,
  );
  const line = lineAfterImports(root);
  // One blank line after the helper, unless the file has one there already.
  if (line > lines.lineCount || lines.line(line).trim() !== '') out.push('');
  return [insertAtLine(lines, line, out.join(eol) + eol)];
}
