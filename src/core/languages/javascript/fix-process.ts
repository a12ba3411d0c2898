/**
 * CL101 on `execSync` / `execFileSync` / `spawnSync` in an async function (or a request
 * handler that can become one): the promisified `exec` / `execFile` (declared once at
 * module level), or a small `spawn` wrapper that resolves to `spawnSync`'s result object.
 * The result stays the same type: `execSync` returns a Buffer unless an encoding is
 * given, so the promisified call asks for `encoding: 'buffer'` (or drops a plain
 * `.toString()`, since the promisified call already decodes UTF-8).
 */
import type { FixContext } from '../../fixes';
import type { Fix, TextEdit } from '../../model';
import type { SyntaxNode as Node } from '../../parse/tree';
import {
  awaitableFunction,
  awaitIn,
  eolOf,
  evidenceAt,
  extendNamed,
  freeName,
  generatedHelper,
  importLine,
  importsOf,
  insertAtLine,
  lineAfterImports,
  moduleImports,
  namesInUse,
  nodeAtSpan,
  siblingSpecifier,
  usesSemicolons,
  type ModuleImport,
} from './fix-support';

type SyncKind = 'execSync' | 'execFileSync' | 'spawnSync';

/** Options both the sync and the async call take, with the same meaning. */
const SHARED_OPTIONS: Record<SyncKind, ReadonlySet<string>> = {
  // `stdio` only when it pipes stdout (see pipesStdout).
  execSync: new Set(['cwd', 'env', 'encoding', 'timeout', 'maxBuffer', 'killSignal', 'shell', 'uid', 'gid', 'windowsHide', 'stdio']),
  execFileSync: new Set(['cwd', 'env', 'encoding', 'timeout', 'maxBuffer', 'killSignal', 'shell', 'uid', 'gid', 'windowsHide', 'windowsVerbatimArguments', 'stdio']),
  // The wrapper reproduces the piped output, the decoding and the output limit; not `input`, `stdio` or `timeout`.
  spawnSync: new Set(['cwd', 'env', 'encoding', 'maxBuffer', 'killSignal', 'shell', 'uid', 'gid', 'windowsHide', 'argv0', 'windowsVerbatimArguments']),
};

/** A call's options object, read as far as the fix needs it. */
interface Options {
  node?: Node;
  /** undefined: no encoding given (a Buffer result). */
  encoding?: string;
}

export async function childProcessToAsync(context: FixContext): Promise<Fix[]> {
  const { diagnostic, evidence, lines, file } = context;
  const found = evidenceAt(evidence, diagnostic).find((e) => e.via.length === 0 && /^child_process\.(execSync|execFileSync|spawnSync)$/.test(e.call));
  if (!found) return [];
  const kind = found.call.slice('child_process.'.length) as SyncKind;
  const root = await context.tree();
  const call = nodeAtSpan(root, lines, found.span, 'call_expression');
  const callee = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment');
  if (!call || !callee || !args || args.length === 0 || args.some((a) => a.type === 'spread_element')) return [];
  // The spawn wrapper is plain JavaScript; in TypeScript it would need types.
  if (kind === 'spawnSync' && /\.[cm]?tsx?$/i.test(file.path)) return [];
  const host = awaitableFunction(call);
  if (!host) return [];
  const imports = moduleImports(root);
  const cp = childProcessImport(imports, callee, kind);
  if (!cp) return [];
  const optionsNode = optionsArgument(kind, args);
  if (optionsNode === null) return [];
  const options = readOptions(optionsNode, SHARED_OPTIONS[kind]);
  if (!options) return [];

  const asyncName = kind === 'execSync' ? 'exec' : kind === 'execFileSync' ? 'execFile' : 'spawn';
  const used = namesInUse(root);
  const edits: TextEdit[] = [...host.edits];
  const reference = asyncReference(cp, asyncName, used);
  if (!reference) return [];
  if (reference.edit) edits.push(reference.edit);
  const semicolon = usesSemicolons(root) ? ';' : '';
  const eol = eolOf(lines.text);
  const declarations: string[] = [];
  let helper: string | undefined;
  let importAfter: ModuleImport[] = [cp.entry];
  if (kind === 'spawnSync') {
    helper = ['spawnAsync', 'spawnSyncAsync'].find((n) => generatedHelper(root, n, SPAWN_MARKER));
    if (!helper) {
      helper = freeName(used, 'spawnAsync', 'spawnSyncAsync');
      if (!helper) return [];
      declarations.push('', spawnWrapper(helper, reference.text, eol));
    }
  } else {
    helper = existingPromisified(root, reference.text);
    if (!helper) {
      helper = freeName(used, `${asyncName}Async`, `${asyncName}Promise`);
      const promisify = promisifyReference(imports, used);
      if (!helper || !promisify) return [];
      if (promisify.newImport) {
        const specifier = siblingSpecifier(cp.entry.specifier, 'util', false);
        declarations.push(importLine(cp.entry.style, [{ name: 'promisify', local: 'promisify' }], specifier, cp.entry.quote, semicolon === ';'));
      } else if (promisify.entry) importAfter = [...importAfter, promisify.entry];
      declarations.push(`const ${helper} = ${promisify.text}(${reference.text})${semicolon}`);
    }
  }
  if (declarations.length > 0) {
    // After every import, and after the statements that bind what the declaration reads.
    const line = Math.max(lineAfterImports(root), ...importAfter.map((i) => i.statement.endPosition.row + 2));
    edits.push(insertAtLine(lines, line, `${declarations.join(eol)}${eol}`));
  }

  const argTexts = args.map((a) => a.text);
  if (kind === 'spawnSync') {
    edits.push(replaceNode(call, awaitIn(call, `${helper}(${argTexts.join(', ')})`)));
    const title = `Use \`await ${helper}(...)\` (a \`spawn\` wrapper added to this file that resolves to the same result object): other work runs on the event loop while the command runs`;
    return [{ title, preferred: true, edits }];
  }
  // Keep the result's type: a Buffer unless an encoding was given.
  let replaced: Node = call;
  if (options.encoding === undefined || options.encoding === 'buffer') {
    const decoded = plainToString(call);
    if (decoded && options.encoding === undefined) replaced = decoded;
    else {
      const withBuffer = bufferOptions(options.node);
      if (options.node) argTexts[args.indexOf(options.node)] = withBuffer;
      else argTexts.push(withBuffer);
    }
  }
  edits.push(replaceNode(replaced, `(await ${helper}(${argTexts.join(', ')})).stdout`));
  const what = kind === 'execSync' ? `promisified \`exec\`, the same shell` : `promisified \`execFile\`, no shell as before`;
  const title = `Use \`await ${helper}(...)\` (${what}): other work runs on the event loop while the command runs; its stderr is captured instead of printed, and a failure rejects with \`error.code\` as the exit status`;
  return [{ title, preferred: true, edits }];
}

function replaceNode(node: Node, newText: string): TextEdit {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1, endColumn: node.endPosition.column + 1, newText };
}

/** The top-level import of child_process the callee comes from. */
function childProcessImport(imports: readonly ModuleImport[], callee: Node, kind: SyncKind): { entry: ModuleImport; whole?: string } | undefined {
  const modules = importsOf(imports, 'child_process');
  if (callee.type === 'identifier') {
    const entry = modules.find((i) => i.named.get(kind) === callee.text);
    return entry ? { entry } : undefined;
  }
  if (callee.type !== 'member_expression' || callee.childForFieldName('property')?.text !== kind) return undefined;
  const object = callee.childForFieldName('object');
  const entry = object?.type === 'identifier' ? modules.find((i) => i.wholes.includes(object.text)) : undefined;
  return entry && object ? { entry, whole: object.text } : undefined;
}

/** How this file can name `child_process.exec` (or execFile, spawn); may add it to a named import. */
function asyncReference(cp: { entry: ModuleImport; whole?: string }, name: string, used: ReadonlySet<string>): { text: string; edit?: TextEdit } | undefined {
  const whole = cp.whole ?? cp.entry.wholes[0];
  if (whole) return { text: `${whole}.${name}` };
  const local = cp.entry.named.get(name);
  if (local) return { text: local };
  if (used.has(name)) return undefined;
  const edit = extendNamed(cp.entry, name, name);
  return edit ? { text: name, edit } : undefined;
}

/** `util.promisify`, `promisify`, or a new `promisify` import. */
function promisifyReference(imports: readonly ModuleImport[], used: ReadonlySet<string>): { text: string; entry?: ModuleImport; newImport?: boolean } | undefined {
  for (const entry of importsOf(imports, 'util')) {
    const local = entry.named.get('promisify');
    if (local) return { text: local, entry };
    if (entry.wholes[0]) return { text: `${entry.wholes[0]}.promisify`, entry };
  }
  return used.has('promisify') ? undefined : { text: 'promisify', newImport: true };
}

/** A top-level `const x = promisify(<reference>)` already there. */
function existingPromisified(root: Node, reference: string): string | undefined {
  for (const statement of root.namedChildren) {
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
    for (const declarator of statement.namedChildren) {
      const name = declarator.childForFieldName('name');
      const value = declarator.childForFieldName('value');
      if (name?.type !== 'identifier' || value?.type !== 'call_expression') continue;
      const fn = value.childForFieldName('function')?.text ?? '';
      const arg = value.childForFieldName('arguments')?.namedChildren;
      if (/(^|\.)promisify$/.test(fn) && arg?.length === 1 && arg[0].text === reference) return name.text;
    }
  }
  return undefined;
}


/**
 * The options argument: absent (undefined), an object literal, or null when it cannot
 * be told apart from the arguments array (`execFileSync(file, x)`).
 */
function optionsArgument(kind: SyncKind, args: Node[]): Node | undefined | null {
  if (kind === 'execSync') {
    if (args.length === 1) return undefined;
    return args.length === 2 && args[1].type === 'object' ? args[1] : null;
  }
  if (args.length === 1) return undefined;
  if (args.length === 2) return args[1].type === 'array' ? undefined : args[1].type === 'object' ? args[1] : null;
  return args.length === 3 && args[2].type === 'object' ? args[2] : null;
}

/** The options' encoding; undefined when an option has no async equivalent or a value is not literal. */
function readOptions(node: Node | undefined, allowed: ReadonlySet<string>): Options | undefined {
  if (!node) return {};
  const options: Options = { node };
  for (const property of node.namedChildren) {
    if (property.type === 'comment') continue;
    let key: string | undefined;
    let value: Node | null = null;
    if (property.type === 'pair') {
      key = property.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '');
      value = property.childForFieldName('value');
    } else if (property.type === 'shorthand_property_identifier') key = property.text;
    if (!key || !allowed.has(key)) return undefined;
    // The promisified call pipes stdout and stderr: fine when the sync call piped stdout too.
    if (key === 'stdio' && (!value || !pipesStdout(value))) return undefined;
    if (key === 'encoding') {
      if (value?.type !== 'string') return undefined;
      options.encoding = value.text.slice(1, -1);
    }
  }
  return options;
}

/**
 * `stdio: 'pipe'` or `['pipe' | 'ignore', 'pipe', 'pipe' | 'ignore' | 'inherit']`: the output
 * is captured as the promisified call captures it (stderr then captured, as the title says).
 */
function pipesStdout(value: Node): boolean {
  if (value.type === 'string') return value.text.slice(1, -1) === 'pipe';
  if (value.type !== 'array') return false;
  const items = value.namedChildren.filter((c) => c.type !== 'comment');
  if (items.length !== 3 || !items.every((i) => i.type === 'string')) return false;
  const [stdin, stdout, stderr] = items.map((i) => i.text.slice(1, -1));
  return (stdin === 'pipe' || stdin === 'ignore') && stdout === 'pipe' && (stderr === 'pipe' || stderr === 'ignore' || stderr === 'inherit');
}

/** `execSync(...).toString()` (or `.toString('utf8')`): the call to replace as a whole. */
function plainToString(call: Node): Node | undefined {
  const member = call.parent;
  if (member?.type !== 'member_expression' || member.childForFieldName('object') !== call || member.childForFieldName('property')?.text !== 'toString') return undefined;
  const outer = member.parent;
  if (outer?.type !== 'call_expression' || outer.childForFieldName('function') !== member) return undefined;
  const args = outer.childForFieldName('arguments')?.namedChildren ?? [];
  if (args.length === 0) return outer;
  return args.length === 1 && /^['"]utf-?8['"]$/i.test(args[0].text) ? outer : undefined;
}

/** The options with `encoding: 'buffer'` (the promisified call's default is UTF-8 strings). */
function bufferOptions(node: Node | undefined): string {
  if (!node) return "{ encoding: 'buffer' }";
  const properties = node.namedChildren.filter((c) => c.type !== 'comment');
  const last = properties[properties.length - 1];
  if (!last) return "{ encoding: 'buffer' }";
  const cut = last.endIndex - node.startIndex;
  const withoutEncoding = properties.filter((p) => p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') !== 'encoding');
  if (withoutEncoding.length !== properties.length) return node.text; // encoding: 'buffer' already
  return `${node.text.slice(0, cut)}, encoding: 'buffer'${node.text.slice(cut)}`;
}

/** The line that tells the generated wrapper apart from a user's function of the same name. */
const SPAWN_MARKER = 'resolve({ ...(error ? { error } : {}), status, signal, output: [null, stdout, stderr], pid: child.pid, stdout, stderr });';

/** A function that runs a command like `spawnSync` and resolves to the same result. */
function spawnWrapper(name: string, spawn: string, eol: string): string {
  return [
    `/** Runs a command like \`spawnSync\` and resolves to the same result object, without blocking the event loop. */`,
    `function ${name}(command, args, options) {`,
    `  if (!Array.isArray(args)) {`,
    `    options = args;`,
    `    args = [];`,
    `  }`,
    `  options = options ?? {};`,
    `  const maxBuffer = options.maxBuffer ?? 1024 * 1024;`,
    `  return new Promise((resolve) => {`,
    `    const child = ${spawn}(command, args, options);`,
    `    const chunks = [[], []];`,
    `    const sizes = [0, 0];`,
    `    let error;`,
    `    [child.stdout, child.stderr].forEach((stream, i) =>`,
    `      stream?.on('data', (chunk) => {`,
    `        sizes[i] += chunk.length;`,
    `        if (sizes[i] <= maxBuffer) chunks[i].push(chunk);`,
    `        else if (!error) {`,
    `          error = Object.assign(new Error(\`spawnSync \${command} ENOBUFS\`), { code: 'ENOBUFS' });`,
    `          child.kill(options.killSignal);`,
    `        }`,
    `      }),`,
    `    );`,
    `    child.on('error', (e) => {`,
    `      error ??= e;`,
    `      if (child.pid === undefined) resolve({ error, status: null, signal: null, output: null, pid: 0, stdout: null, stderr: null });`,
    `    });`,
    `    child.on('close', (status, signal) => {`,
    `      const decode = (parts) => (options.encoding && options.encoding !== 'buffer' ? Buffer.concat(parts).toString(options.encoding) : Buffer.concat(parts));`,
    `      const stdout = decode(chunks[0]);`,
    `      const stderr = decode(chunks[1]);`,
    `      ${SPAWN_MARKER}`,
    `    });`,
    `  });`,
    `}`,
  ].join(eol);
}
