/**
 * Python extraction: from a tree-sitter tree to {@link ModuleFacts}. One pass per
 * function body collects catalog evidence (through imports and receivers), calls to
 * project functions, offloaded callables, and the shapes that signal CPU work.
 */
import type { SyntaxNode as Node } from '../../parse/tree';
import { entryWeight, type Catalog, type OffloadSpec, type PoolKind } from '../../catalog';
import { isIoCategory } from '../../categories';
import type { CallFact, FunctionFacts, LocalEvidence, LoopFact, ModuleFacts, ProjectRef } from '../../facts';
import { shiftFacts, type FactsSession } from '../../facts-reuse';
import type { Category, Span } from '../../model';
import { childOfType, countSyntaxErrors, kids, namedKids, spanBetween, spanOf } from '../../parse/syntax';
import { localEvidence, LoopShapes } from '../shapes';
import { analyzeLoopBody, identifiersIn, isLiteralIterable } from './loops';
import { decoratedOffload, importsRay, remoteCallTarget, type RunsElsewhere } from './extract-remote';
import { bindModule, mentionsAny, type BindingsMemo } from './module-bindings';
import { attributeObject, bindImport, catalogDunder, resolveExpression, Scope, UNKNOWN, type Value } from './scope';

const ARITHMETIC_OPERATORS = new Set(['*', '/', '//', '%', '**', '-', '+', '<<', '>>', '^', '&', '|', '@']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const STRING_NODES = new Set(['string', 'concatenated_string']);

/**
 * What one extraction of a file leaves for the next: the facts each top-level statement gave,
 * what each bound in the module scope, and what every statement's facts depend on besides the
 * names it mentions.
 */
interface PythonMemo {
  bindings: BindingsMemo;
  /** Whether the module uses Ray and which of its functions run elsewhere, serialized: they change how every call counts. */
  globals: string;
  facts: Map<Node, FunctionFacts[]>;
  /**
   * What the statements' own visits sent elsewhere (a class's decorated method: `Jobs.crunch`),
   * where any: a statement whose facts are reused sends them again, for the statements after it.
   */
  sent: Map<Node, ReadonlyArray<[string, PoolKind]>>;
}

/** {@link RunsElsewhere} noting what is sent while one statement is visited. */
class NotedRunsElsewhere extends Map<string, PoolKind> {
  noted: Array<[string, PoolKind]> | undefined;

  override set(qual: string, pool: PoolKind): this {
    this.noted?.push([qual, pool]);
    return super.set(qual, pool);
  }
}

/**
 * Extracts the facts of one Python file. With a session holding the previous extraction, the
 * module's names are bound by replaying what unchanged statements bound last time (see
 * module-bindings.ts), and each top-level statement cloned from the previous tree (the edit did
 * not touch it) gives its previous facts, moved by the lines inserted or removed above it,
 * provided the names it mentions are bound as before (bindings carry what functions return,
 * which a method or helper body anywhere can change; classes are top-level statements, so an
 * edited method re-extracts its class with its `self.x` attributes). Everything else is
 * extracted as on a first run.
 */
export function extractPython(root: Node, path: string, catalog: Catalog, session?: FactsSession): ModuleFacts {
  const runsElsewhere = new NotedRunsElsewhere();
  const moduleScope = new Scope('module', '');
  const previous = session?.previous?.memo as PythonMemo | undefined;
  const reused = session?.previous?.reused;
  let bindings: BindingsMemo | undefined;
  let sameBindings = false;
  let dirty: ReadonlySet<string> = new Set();
  if (session) {
    const bound = bindModule(root, moduleScope, runsElsewhere, (statement, scope, sent) => bindStatement(statement, scope, catalog, sent), previous && reused && { memo: previous.bindings, reused });
    bindings = bound.memo;
    sameBindings = bound.unchanged;
    dirty = bound.dirty;
  } else collectBindings(root, moduleScope, catalog, runsElsewhere);
  const usesRay = importsRay(moduleScope.bindings);
  const extractor = new ModuleExtractor(catalog, runsElsewhere, usesRay);
  // Taken before the statements are visited: nested functions add to runsElsewhere.
  const memo: PythonMemo | undefined = bindings && { bindings, globals: JSON.stringify([usesRay, [...runsElsewhere]]), facts: new Map(), sent: new Map() };
  // A statement's facts hold while every name it mentions is bound as before, and the globals are the same.
  const reusable = memo && previous?.globals === memo.globals ? reused : undefined;
  for (const child of kids(root)) {
    const from = extractor.functions.length;
    const kept = reusable?.get(child);
    const facts = kept?.rows !== undefined && (sameBindings || !mentionsAny(child.text, dirty)) ? previous?.facts.get(kept.old) : undefined;
    let sent: ReadonlyArray<[string, PoolKind]> | undefined;
    if (facts && kept?.rows !== undefined) {
      extractor.functions.push(...shiftFacts(facts, kept.rows));
      sent = previous?.sent.get(kept.old);
      for (const [qual, pool] of sent ?? []) runsElsewhere.set(qual, pool);
    } else {
      runsElsewhere.noted = memo && [];
      extractor.visitDefinition(child, moduleScope, '');
      sent = runsElsewhere.noted?.length ? runsElsewhere.noted : undefined;
      runsElsewhere.noted = undefined;
    }
    memo?.facts.set(child, extractor.functions.slice(from));
    if (sent) memo?.sent.set(child, sent);
  }
  if (session) session.memo = memo;
  const reexports = new Map<string, ProjectRef>();
  for (const [name, value] of moduleScope.bindings) {
    if (value.kind === 'dotted' && value.imported) reexports.set(name, { level: value.level, dotted: value.dotted });
  }
  return { path, language: 'python', functions: extractor.functions, reexports, syntaxErrors: countSyntaxErrors(root) };
}

/** Creates facts for every function in a file, nested ones included. */
class ModuleExtractor {
  readonly functions: FunctionFacts[] = [];

  constructor(
    private readonly catalog: Catalog,
    /** Functions and classes whose calls run elsewhere (decorated with `@ray.remote`, `@dask.delayed`, ...). */
    readonly runsElsewhere: RunsElsewhere,
    /** The file imports ray: `x.remote(...)` of a project function is a Ray call. */
    readonly usesRay: boolean,
  ) {}

  /** Finds definitions in statements that are not themselves inside a function. */
  visitDefinitions(node: Node, scope: Scope, prefix: string): void {
    if (node.tooDeep) return;
    for (const child of kids(node)) this.visitDefinition(child, scope, prefix);
  }

  /** One statement of {@link visitDefinitions}. */
  visitDefinition(child: Node, scope: Scope, prefix: string): void {
    switch (child.type) {
      case 'function_definition':
        this.extractFunction(child, scope, prefix);
        break;
      case 'decorated_definition': {
        const definition = child.childForFieldName('definition');
        if (definition?.type === 'function_definition') this.extractFunction(definition, scope, prefix);
        else if (definition?.type === 'class_definition') this.extractClass(definition, scope, prefix);
        break;
      }
      case 'class_definition':
        this.extractClass(child, scope, prefix);
        break;
      case 'expression_statement':
        for (const statement of namedKids(child)) {
          const lambda = statement.type === 'assignment' ? boundLambda(statement) : undefined;
          if (lambda) this.extractFunction(lambda.lambda, scope, prefix, lambda.name);
        }
        break;
      default:
        if (child.namedChildCount > 0) this.visitDefinitions(child, scope, prefix);
    }
  }

  extractClass(node: Node, scope: Scope, prefix: string): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name || !body) return;
    const qual = prefix ? `${prefix}.${name}` : name;
    const classScope = new Scope('class', qual, scope);
    collectBindings(body, classScope, this.catalog, this.runsElsewhere);
    for (const [attr, value] of classScope.bindings) classScope.attributes.set(attr, value);
    collectSelfAttributes(body, classScope, this.catalog);
    this.visitDefinitions(body, classScope, qual);
  }

  /** Extracts a `def` (or a lambda bound to `boundName`) and, recursively, what it contains. */
  extractFunction(node: Node, parent: Scope, prefix: string, boundName?: Node): FunctionFacts | undefined {
    const nameNode = boundName ?? node.childForFieldName('name');
    const body = node.childForFieldName('body');
    if (!nameNode || !body) return undefined;
    const qual = prefix ? `${prefix}.${nameNode.text}` : nameNode.text;
    const isMethod = parent.kind === 'class' && !boundName;
    const params = parameterNodes(node);
    const decorators = decoratorNames(node);
    let selfClass: Scope['selfClass'];
    if (isMethod && params.length > 0 && !decorators.has('staticmethod')) {
      selfClass = { name: parent.qual, scope: parent, selfNames: new Set([params[0].name]) };
    }
    const scope = new Scope('function', qual, parent, selfClass);
    for (const param of params) {
      if (selfClass?.selfNames.has(param.name)) continue;
      scope.bind(param.name, param.annotation ? annotationValue(param.annotation, parent, this.catalog) : UNKNOWN);
    }
    collectBindings(body, scope, this.catalog, this.runsElsewhere);
    const facts: FunctionFacts = {
      name: qual,
      line: node.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      nameSpan: spanOf(nameNode),
      async: childOfType(node, 'async') !== undefined,
      params: params.map((p) => p.name),
      evidence: [],
      calls: [],
      loops: [],
    };
    const elsewhere = boundName ? undefined : this.runsElsewhere.get(qual);
    if (elsewhere) facts.runsElsewhere = elsewhere;
    this.functions.push(facts);
    const walker = new BodyWalker(this, facts, scope, this.catalog);
    walker.walk(body);
    walker.finish();
    return facts;
  }
}

/** Walks one function body (not into nested definitions) collecting evidence and calls. */
class BodyWalker {
  private readonly shapes = new LoopShapes();
  /** Inside a lambda handed to a pool: calls there run elsewhere. */
  private offloadPool: PoolKind | undefined;
  /** The API that picked {@link offloadPool}, as the catalog names it (see {@link CallFact.offloadedBy}). */
  private offloadBy: string | undefined;
  /** Inside the arguments of a call that runs wrapped tasks (`Parallel(...)(delayed(f)(x) ...)`): their pool, and that call. */
  private taskPool: { pool: PoolKind; by: string } | undefined;
  private scope: Scope;
  /** Lambdas the walk is in (their `yield` is theirs). */
  private lambdas = 0;

  constructor(
    private readonly module: ModuleExtractor,
    private readonly facts: FunctionFacts,
    scope: Scope,
    private readonly catalog: Catalog,
  ) {
    this.scope = scope;
  }

  walk(node: Node): void {
    if (node.tooDeep) return;
    switch (node.type) {
      case 'function_definition':
        this.module.extractFunction(node, this.scope, this.facts.name);
        return;
      case 'class_definition':
        this.module.extractClass(node, this.scope, this.facts.name);
        return;
      case 'decorated_definition':
        for (const child of kids(node)) this.walk(child);
        return;
      case 'assignment': {
        const lambda = boundLambda(node);
        if (lambda) {
          this.module.extractFunction(lambda.lambda, this.scope, this.facts.name, lambda.name);
          return;
        }
        break;
      }
      case 'lambda':
        this.walkLambda(node);
        return;
      case 'call':
        this.walkCall(node);
        return;
      case 'for_statement':
        this.walkFor(node);
        return;
      case 'while_statement':
        this.walkWhile(node);
        return;
      case 'augmented_assignment':
        this.noteAugmented(node);
        break;
      case 'await':
        if (this.shapes.depth > 0) this.shapes.awaitsInLoops = true;
        break;
      case 'yield':
        // A `yield` in a lambda makes the lambda a generator, not this function.
        if (this.lambdas === 0) this.facts.generator = true;
        break;
      case 'binary_operator':
        this.noteBinary(node);
        break;
      default:
        if (COMPREHENSIONS.has(node.type)) {
          this.walkComprehension(node);
          return;
        }
    }
    for (const child of kids(node)) this.walk(child);
  }

  /** Adds the evidence that only shows once the whole body was seen. */
  finish(): void {
    this.facts.evidence.push(...this.shapes.evidence(this.facts.async));
  }

  private addEvidence(span: Span, call: string, category: Category, weight: 1 | 2 | 3, extra?: Partial<LocalEvidence>): void {
    this.facts.evidence.push(localEvidence(span, call, category, weight, extra));
  }

  private walkLambda(node: Node): void {
    const saved = this.scope;
    const scope = new Scope('function', this.facts.name, saved);
    const params = node.childForFieldName('parameters');
    if (params) for (const name of identifiersIn(params)) scope.bind(name, UNKNOWN);
    this.scope = scope;
    const body = node.childForFieldName('body');
    this.lambdas++;
    if (body) this.walk(body);
    this.lambdas--;
    this.scope = saved;
  }

  private walkCall(node: Node): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn) return;
    const callee = resolveExpression(fn, this.scope, this.catalog);
    // Calling an object of a catalog type (`Parallel(n_jobs=2)(tasks)`) is its `__call__`.
    const value = catalogDunder(callee, this.catalog) ?? callee;
    const awaited = node.parent?.type === 'await';
    const span = spanOf(node);
    // The loop variable may sit in the arguments or in the receiver (`Path(d, name).read_bytes()`).
    const loop = this.loopUsing(node);
    let skip: Node | undefined;
    let taskPool = this.taskPool;
    const remote = remoteCallTarget(fn, this.scope, this.catalog, this.module.runsElsewhere, this.module.usesRay);

    if (remote) {
      this.addCall({ span, ref: remote.ref, awaited, loop, offloaded: remote.pool });
      // `await f.remote(x)`: awaiting the ObjectRef waits for the cluster, without blocking.
      if (awaited && !this.offloadPool) this.addEvidence(span, fn.text.replace(/\s+/g, ''), 'offload', 2, { blocking: false, awaited, loop });
    } else if (value.kind === 'local') {
      // A function a decorator hands over (`@dask.delayed`, `@udf`): calling it runs nothing here.
      const elsewhere = value.isClass ? undefined : this.module.runsElsewhere.get(value.qual);
      this.addCall({ span, ref: { level: -1, dotted: value.isClass ? `${value.qual}.__init__` : value.qual }, awaited, loop, ...(elsewhere ? { offloaded: elsewhere } : {}) });
      // In a coroutine, calling itself either awaits again (`await self.read()`) or only
      // creates a coroutine for a task: neither is computing recursively.
      if (value.qual === this.facts.name && !this.offloadPool && !this.facts.async && !elsewhere) {
        this.addEvidence(span, `${value.qual} (recursive call)`, 'recursion', 2);
      }
    } else if (value.kind === 'dotted') {
      const entry = value.level === 0 ? this.catalog.lookup(value.dotted) : undefined;
      if (entry) {
        if (entry.category && !this.offloadPool) {
          const io = isIoCategory(entry.category);
          let weight = entryWeight(entry);
          if (!io && this.shapes.repeated > 0) weight = Math.min(3, weight + 1) as 1 | 2 | 3;
          this.addEvidence(span, value.dotted.replace(/\.__call__$/, ''), entry.category, weight, {
            blocking: io && !entry.awaitable && !(entry.asyncWhenAwaited && awaited),
            awaited,
            loop,
          });
        }
        if (entry.offload && args) skip = this.offload(args, this.poolOf(args, entry.offload, value.dotted));
        if (entry.taskPool) taskPool = { pool: entry.taskPool, by: value.dotted.replace(/\.__call__$/, '') };
      } else if (value.imported && (value.level > 0 || !this.catalog.knows(value.dotted))) {
        this.addCall({ span, ref: { level: value.level, dotted: value.dotted }, awaited, loop });
      }
    } else if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'sort' && !this.offloadPool) {
      this.addEvidence(span, 'list.sort', 'sorting', this.shapes.repeated > 0 ? 2 : 1);
    }

    if (remote?.optionsArgs) this.walk(remote.optionsArgs);
    else this.walk(fn);
    const saved = this.taskPool;
    this.taskPool = taskPool;
    if (args) for (const child of kids(args)) if (!skip || child.id !== skip.id) this.walk(child);
    this.taskPool = saved;
  }

  /** The pool an offloading call uses; `run_in_executor(None, ...)` is the default thread pool. */
  private poolOf(args: Node, spec: OffloadSpec, api: string): OffloadSpec & { by: string } {
    if (spec.inheritsPool) return this.taskPool ? { ...spec, ...this.taskPool } : { ...spec, by: api };
    if (spec.executorArg === undefined) return { ...spec, by: api };
    const executor = positionalArguments(args)[spec.executorArg];
    if (!executor || executor.type === 'none') return { ...spec, by: api };
    const value = resolveExpression(executor, this.scope, this.catalog);
    const type = value.kind === 'instance' && value.type.kind === 'catalog' ? value.type.name : '';
    const pool: PoolKind = /ProcessPool|multiprocessing/.test(type) ? 'process' : /ThreadPool/.test(type) ? 'thread' : /InterpreterPool/.test(type) ? 'interpreter' : 'unknown';
    return { ...spec, pool, by: api };
  }

  private addCall(call: CallFact): void {
    if (this.offloadPool && !call.offloaded) {
      call.offloaded = this.offloadPool;
      if (this.offloadBy) call.offloadedBy = this.offloadBy;
    }
    this.facts.calls.push(call);
  }

  /**
   * Records the callable handed to a pool as an offloaded call and returns its node
   * (the caller does not walk it: it runs elsewhere). Other arguments run here.
   */
  private offload(args: Node, spec: OffloadSpec & { by: string }): Node | undefined {
    const callable = offloadedArgument(args, spec);
    if (!callable) return undefined;
    let target = callable;
    // functools.partial(f, ...) hands f over; its other arguments are evaluated here.
    if (target.type === 'call') {
      const inner = target.childForFieldName('function');
      const innerValue = inner ? resolveExpression(inner, this.scope, this.catalog) : UNKNOWN;
      if (innerValue.kind === 'dotted' && innerValue.dotted === 'functools.partial') {
        const partialArgs = target.childForFieldName('arguments');
        const first = partialArgs ? positionalArguments(partialArgs)[0] : undefined;
        if (partialArgs) for (const other of positionalArguments(partialArgs).slice(1)) this.walk(other);
        if (!first) return callable;
        target = first;
      } else {
        return undefined; // a call whose result is the callable: the call itself runs here
      }
    }
    const saved = [this.offloadPool, this.offloadBy] as const;
    [this.offloadPool, this.offloadBy] = [spec.pool, spec.by];
    if (target.type === 'lambda') {
      this.walkLambda(target);
    } else {
      const value = resolveExpression(target, this.scope, this.catalog);
      this.offloadedValue(value, spanOf(target));
    }
    [this.offloadPool, this.offloadBy] = saved;
    return callable;
  }

  private offloadedValue(value: Value, span: Span): void {
    if (value.kind === 'local') this.addCall({ span, ref: { level: -1, dotted: value.qual }, awaited: false });
    else if (value.kind === 'dotted' && value.imported && (value.level > 0 || !this.catalog.knows(value.dotted))) {
      this.addCall({ span, ref: { level: value.level, dotted: value.dotted }, awaited: false });
    }
  }

  /** The innermost candidate loop whose variables the arguments use. */
  private loopUsing(args: Node | null): number | undefined {
    return args && this.shapes.loops.length > 0 ? this.shapes.loopUsing(identifiersIn(args)) : undefined;
  }

  private walkFor(node: Node): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    const colon = childOfType(node, ':') ?? right ?? node;
    const header = spanBetween(node, colon);
    if (right) this.walk(right);
    if (!body) return;
    const analysis = analyzeLoopBody(body, left ? identifiersIn(left) : []);
    const fixedCount = right !== null && isLiteralIterable(right, this.scope);
    const region = spanOf(node);
    const fact: LoopFact = { span: header, independent: analysis.independent, dependence: analysis.dependence, fixedCount, region };
    const index = this.facts.loops.push(fact) - 1;
    this.shapes.open({ index, vars: analysis.loopVars, span: header, region }, !fixedCount);
    this.walk(body);
    this.shapes.close();
    const alternative = node.childForFieldName('alternative');
    if (alternative) this.walk(alternative);
  }

  private walkWhile(node: Node): void {
    const colon = childOfType(node, ':') ?? node;
    const header = spanBetween(node, colon);
    const region = spanOf(node);
    this.facts.loops.push({ span: header, independent: false, dependence: 'a while loop', region });
    this.shapes.open({ index: -1, vars: new Set(), span: header, region }, true);
    const condition = node.childForFieldName('condition');
    if (condition) this.walk(condition);
    const body = node.childForFieldName('body');
    if (body) this.walk(body);
    this.shapes.close();
    const alternative = node.childForFieldName('alternative');
    if (alternative) this.walk(alternative);
  }

  private walkComprehension(node: Node): void {
    const clauses = namedKids(node).filter((c) => c.type === 'for_in_clause');
    // Inside a lambda handed to a pool, the loop runs there: no loop of the caller's.
    if (clauses.length === 0 || this.offloadPool) {
      for (const child of kids(node)) this.walk(child);
      return;
    }
    // The first iterable is evaluated outside the comprehension's loop.
    const firstIterable = clauses[0].childForFieldName('right');
    if (firstIterable) this.walk(firstIterable);
    const vars = new Set<string>();
    for (const clause of clauses) {
      const left = clause.childForFieldName('left');
      if (left) for (const name of identifiersIn(left)) vars.add(name);
    }
    const span = spanOf(node);
    const inputDependent = !firstIterable || !isLiteralIterable(firstIterable, this.scope);
    const hasWalrus = node.descendantsOfType('named_expression').length > 0;
    const index = this.facts.loops.push({ span, independent: !hasWalrus, dependence: hasWalrus ? 'an assignment expression' : undefined, region: span }) - 1;
    this.shapes.open({ index, vars, span, region: span }, inputDependent, clauses.length);
    const kind = node.type.replace('_', ' ').replace('dictionary', 'dict');
    if (inputDependent && !this.offloadPool) {
      this.addEvidence(span, clauses.length > 1 ? `nested ${kind}` : kind, 'comprehension', clauses.length > 1 ? 2 : 1, { region: span });
    }
    for (const child of kids(node)) {
      if (child.id === clauses[0].id) {
        const left = child.childForFieldName('left');
        if (left) this.walk(left);
        continue;
      }
      this.walk(child);
    }
    this.shapes.close();
  }

  private noteAugmented(node: Node): void {
    if (this.shapes.depth === 0 || this.offloadPool) return;
    const operator = node.childForFieldName('operator')?.text ?? '';
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (operator === '+=' && left && right && this.isStringy(left, right)) {
      this.shapes.noteStringBuilding(spanOf(node));
      return;
    }
    // `n += 1`, `total += len(x)`, `self.count += n`: bookkeeping, not computation.
    // `total += 1.0 / k` computes (its right side's operators are counted as well).
    if ((operator === '+=' || operator === '-=') && (left?.type !== 'identifier' || right?.type !== 'binary_operator')) return;
    if (ARITHMETIC_OPERATORS.has(operator.slice(0, -1))) this.shapes.countArithmetic();
  }

  private noteBinary(node: Node): void {
    if (this.shapes.depth === 0 || this.offloadPool) return;
    const operator = node.childForFieldName('operator')?.text ?? '';
    if (!ARITHMETIC_OPERATORS.has(operator)) return;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (operator === '+' && (STRING_NODES.has(left?.type ?? '') || STRING_NODES.has(right?.type ?? ''))) return;
    if (operator === '%' && STRING_NODES.has(left?.type ?? '')) return; // string formatting
    // `i + 1`, `n - 1`: stepping an index, not computing.
    if ((operator === '+' || operator === '-') && (left?.text === '1' || right?.text === '1')) return;
    this.shapes.countArithmetic();
  }

  /** `s += "..."`, `s += f"{x}"`, `s += str(x)`, or `s` bound to a string literal. */
  private isStringy(left: Node, right: Node): boolean {
    if (STRING_NODES.has(right.type)) return true;
    if (right.type === 'call' && right.childForFieldName('function')?.text === 'str') return true;
    if (right.type === 'binary_operator') {
      const l = right.childForFieldName('left');
      const r = right.childForFieldName('right');
      if (STRING_NODES.has(l?.type ?? '') || STRING_NODES.has(r?.type ?? '')) return true;
    }
    if (left.type === 'identifier') {
      const bound = this.scope.lookup(left.text);
      return bound?.kind === 'instance' && bound.type.kind === 'catalog' && bound.type.name === 'str';
    }
    return false;
  }
}

/** `name = lambda ...:` — the lambda and the name node. */
function boundLambda(node: Node): { name: Node; lambda: Node } | undefined {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type === 'identifier' && right?.type === 'lambda') return { name: left, lambda: right };
  return undefined;
}

interface Parameter {
  name: string;
  annotation?: Node;
}

function parameterNodes(fn: Node): Parameter[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  const result: Parameter[] = [];
  for (const param of namedKids(params)) {
    switch (param.type) {
      case 'identifier':
        result.push({ name: param.text });
        break;
      case 'typed_parameter': {
        const name = namedKids(param).find((c) => c.type === 'identifier' || c.type.endsWith('splat_pattern'));
        const annotation = param.childForFieldName('type') ?? undefined;
        if (name) result.push({ name: name.text.replace(/^\*+/, ''), annotation });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = param.childForFieldName('name');
        const annotation = param.childForFieldName('type') ?? undefined;
        if (name) result.push({ name: name.text, annotation });
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        result.push({ name: param.text.replace(/^\*+/, '') });
        break;
      default:
        break;
    }
  }
  return result;
}

function decoratorNames(fn: Node): Set<string> {
  const names = new Set<string>();
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return names;
  for (const decorator of namedKids(parent)) {
    if (decorator.type === 'decorator') names.add(decorator.text.replace(/^@/, '').trim());
  }
  return names;
}

/** The type an annotation names, when it is a catalog type or a project class. */
function annotationValue(annotation: Node, scope: Scope, catalog: Catalog): Value {
  const expression = annotation.type === 'type' ? namedKids(annotation)[0] : annotation;
  if (!expression) return UNKNOWN;
  const value = resolveExpression(expression, scope, catalog);
  if (value.kind === 'dotted' && value.imported) {
    // A class the catalog knows by another name for its objects (`dask.distributed.Client`).
    return value.level === 0
      ? { kind: 'instance', type: { kind: 'catalog', name: catalog.lookup(value.dotted)?.returns ?? value.dotted } }
      : { kind: 'instance', type: { kind: 'ref', level: value.level, dotted: value.dotted } };
  }
  if (value.kind === 'local' && value.isClass) return { kind: 'instance', type: { kind: 'local', qual: value.qual } };
  return UNKNOWN;
}

/**
 * Binds every name a block introduces, in source order, without entering nested
 * functions or classes (their names are bound, their bodies are their own scopes).
 */
export function collectBindings(node: Node, scope: Scope, catalog: Catalog, runsElsewhere?: RunsElsewhere): void {
  if (node.tooDeep) return;
  for (const child of kids(node)) bindStatement(child, scope, catalog, runsElsewhere);
}

/** What one child of a block binds (see {@link collectBindings}). */
function bindStatement(child: Node, scope: Scope, catalog: Catalog, runsElsewhere?: RunsElsewhere): void {
  switch (child.type) {
    case 'import_statement':
    case 'import_from_statement':
      bindImport(child, scope);
      return;
    case 'function_definition': {
      const name = child.childForFieldName('name');
      if (name) {
        const decorated = decoratedOffload(child, scope, catalog);
        if (decorated) runsElsewhere?.set(qualify(scope, name.text), decorated.pool);
        // `@dask.delayed def load(...)`: a call returns what the decorator's wrapper does.
        const returns: Value | undefined = decorated?.returns ? { kind: 'instance', type: { kind: 'catalog', name: decorated.returns } } : returnedValue(child, scope, catalog);
        scope.bind(name.text, { kind: 'local', qual: qualify(scope, name.text), isClass: false, ...(returns ? { returns } : {}) });
      }
      return;
    }
    case 'class_definition': {
      const name = child.childForFieldName('name');
      if (name) {
        const decorated = decoratedOffload(child, scope, catalog);
        if (decorated) runsElsewhere?.set(qualify(scope, name.text), decorated.pool);
        scope.bind(name.text, { kind: 'local', qual: qualify(scope, name.text), isClass: true });
      }
      return;
    }
    case 'lambda':
      return;
    case 'assignment': {
      const left = child.childForFieldName('left');
      const right = child.childForFieldName('right');
      if (right) collectBindings(right, scope, catalog, runsElsewhere);
      if (left?.type === 'identifier') {
        if (right?.type === 'lambda') scope.bind(left.text, { kind: 'local', qual: qualify(scope, left.text), isClass: false });
        else scope.bind(left.text, right ? attributeObject(resolveExpression(right, scope, catalog), catalog) : UNKNOWN);
      } else if (left) {
        bindTargets(left, scope);
      }
      return;
    }
    case 'augmented_assignment':
    case 'for_statement':
    case 'for_in_clause': {
      const left = child.childForFieldName('left');
      if (left) bindTargets(left, scope);
      break;
    }
    case 'named_expression': {
      const name = child.childForFieldName('name');
      if (name) scope.bind(name.text, UNKNOWN);
      break;
    }
    case 'as_pattern': {
      // `with EXPR as x` binds what EXPR's __enter__ returns; for the catalog's types, the same type.
      const target = child.childForFieldName('alias') ?? namedKids(child).find((c) => c.type === 'as_pattern_target');
      const expression = namedKids(child)[0];
      const name = target ? identifiersIn(target)[0] : undefined;
      if (name && expression) {
        const value = expression.type === 'call' || expression.type === 'await' ? resolveExpression(expression, scope, catalog) : UNKNOWN;
        scope.bind(name, isWithStatement(child) ? value : UNKNOWN);
      }
      break;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      return;
    default:
      break;
  }
  if (child.namedChildCount > 0) collectBindings(child, scope, catalog, runsElsewhere);
}

/**
 * What a small function returns, when it is a typed object: factories such as
 * `def connect(): return sqlite3.connect(PATH)`, so `conn = connect(); conn.execute(...)` resolves.
 */
function returnedValue(fn: Node, scope: Scope, catalog: Catalog): Value | undefined {
  const body = fn.childForFieldName('body');
  if (!body || body.namedChildCount > 6) return undefined;
  const local = new Scope('function', scope.qual, scope);
  for (const param of parameterNodes(fn)) local.bind(param.name, UNKNOWN);
  collectBindings(body, local, catalog);
  let result: Value | undefined;
  for (const statement of body.namedChildren) {
    if (statement.type !== 'return_statement') continue;
    const expression = statement.namedChildren[0];
    if (!expression) return undefined;
    const value = resolveExpression(expression, local, catalog);
    if (value.kind !== 'instance') return undefined;
    result = value;
  }
  return result;
}

function isWithStatement(asPattern: Node): boolean {
  return asPattern.parent?.type === 'with_item';
}

function bindTargets(target: Node, scope: Scope): void {
  if (target.type === 'identifier') {
    scope.bind(target.text, UNKNOWN);
    return;
  }
  if (target.type === 'attribute' || target.type === 'subscript') return;
  for (const name of identifiersIn(target)) scope.bind(name, UNKNOWN);
}

function qualify(scope: Scope, name: string): string {
  return scope.qual ? `${scope.qual}.${name}` : name;
}

/** `self.x = EXPR` in any method of the class: the type of `self.x`, for receivers. */
function collectSelfAttributes(body: Node, classScope: Scope, catalog: Catalog): void {
  for (const statement of kids(body)) {
    const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (fn?.type !== 'function_definition') continue;
    const params = parameterNodes(fn);
    const selfName = params[0]?.name;
    const fnBody = fn.childForFieldName('body');
    if (!selfName || !fnBody) continue;
    const scope = new Scope('function', classScope.qual, classScope);
    for (const param of params.slice(1)) {
      scope.bind(param.name, param.annotation ? annotationValue(param.annotation, classScope, catalog) : UNKNOWN);
    }
    for (const assignment of fnBody.descendantsOfType('assignment')) {
      if (!assignment) continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type !== 'attribute' || !right) continue;
      if (left.childForFieldName('object')?.text !== selfName) continue;
      const attr = left.childForFieldName('attribute')?.text;
      if (!attr) continue;
      const value = resolveExpression(right, scope, catalog);
      if (value.kind === 'instance') classScope.attributes.set(attr, value);
    }
  }
}

function positionalArguments(args: Node): Node[] {
  return namedKids(args).filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment' && !c.type.endsWith('splat'));
}

function offloadedArgument(args: Node, spec: OffloadSpec): Node | undefined {
  if (typeof spec.arg === 'number') {
    const positional = positionalArguments(args)[spec.arg];
    if (positional) return positional;
  }
  const keyword = typeof spec.arg === 'string' ? spec.arg : spec.arg === 0 ? 'fn' : 'func';
  for (const child of namedKids(args)) {
    if (child.type === 'keyword_argument' && child.childForFieldName('name')?.text === keyword) {
      return child.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}
