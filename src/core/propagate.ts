/**
 * Propagation over the call graph: every function inherits the evidence of the project
 * functions it calls (not of those it hands to a pool), transitively, across files,
 * cycles included, keeping the chain. Mutual recursion is found on the way.
 */
import { isIoCategory, isStructural } from './categories';
import type { CallFact, FunctionFacts, LocalEvidence, ModuleFacts } from './facts';
import { functionId, type FunctionId, type ModuleResolver } from './languages/resolver';
import type { Evidence, Span } from './model';

/** Keep chains readable and the work bounded on large code bases. */
const MAX_CHAIN = 6;
const MAX_INHERITED = 24;

/** Evidence inside the engine: what the report shows plus what diagnostics need. */
export interface EngineEvidence extends Evidence {
  awaited: boolean;
  loop?: number;
  /** Inherited through an async function (its caller awaits it; the async callee gets its own finding). */
  throughAsync: boolean;
  /**
   * A loop or recursion in a function that waits on I/O: it drives the I/O rather than
   * computing, so it neither counts as CPU work nor travels to callers.
   */
  drivesIo?: boolean;
  region?: Span;
  /**
   * Inherited through a call of a generator function ({@link FunctionFacts.generator}): the
   * call only makes the generator; the work runs where it is iterated or entered.
   */
  lazy?: boolean;
}

/** A function node of the workspace graph. */
export interface GraphNode {
  id: FunctionId;
  module: ModuleFacts;
  facts: FunctionFacts;
  /** Resolved outgoing calls. */
  edges: Array<{ target: FunctionId; call: CallFact }>;
  evidence: EngineEvidence[];
  /** After the I/O phase: the loops of this function whose bodies wait. */
  waitingLoops?: Span[];
}

/** Builds the graph, resolving every call through the language's resolver. */
export function buildGraph(modules: readonly ModuleFacts[], resolverFor: (module: ModuleFacts) => ModuleResolver): Map<FunctionId, GraphNode> {
  const nodes = new Map<FunctionId, GraphNode>();
  for (const module of modules) {
    for (const extracted of module.functions) {
      let facts = extracted;
      let id = functionId(module.path, facts.name);
      if (nodes.has(id)) {
        // A redefinition (`if ...: def f()` / `else: def f()`): report both, the later by line.
        // Renamed in a copy: the facts are kept between runs (the extraction cache), where
        // the line may change and the first definition may go.
        facts = { ...facts, name: `${facts.name} (line ${facts.line})` };
        id = functionId(module.path, facts.name);
        if (nodes.has(id)) continue;
      }
      nodes.set(id, { id, module, facts, edges: [], evidence: facts.evidence.map((e) => direct(e, module.path)) });
    }
  }
  for (const node of nodes.values()) {
    const resolver = resolverFor(node.module);
    for (const call of node.facts.calls) {
      const target = resolver.resolve(node.module.path, call.ref);
      const callee = target ? nodes.get(target) : undefined;
      if (!target || !callee) continue;
      // A call of a function a decorator hands over runs nothing here, from any file. A copy:
      // the call's facts are kept between runs, and the callee's decorator may go.
      const elsewhere = call.offloaded ?? callee.facts.runsElsewhere;
      node.edges.push({ target, call: elsewhere === call.offloaded ? call : { ...call, offloaded: elsewhere } });
    }
  }
  return nodes;
}

/** The graph's own copy of a function's evidence (propagation marks it; the facts are kept between runs). */
function direct(e: LocalEvidence, path: string): EngineEvidence {
  // Field by field, not a spread: one object shape, several times faster on a 5,000-line module.
  const copy: EngineEvidence = { span: e.span, call: e.call, category: e.category, blocking: e.blocking, weight: e.weight, via: e.via, origin: { path, line: e.origin.line, column: e.origin.column }, awaited: e.awaited, throughAsync: false };
  if ('drivesIo' in e) copy.drivesIo = e.drivesIo;
  if ('region' in e) copy.region = e.region;
  if ('loop' in e) copy.loop = e.loop;
  return copy;
}

function key(e: Evidence): string {
  return `${e.category}|${e.call}|${e.origin.path}|${e.origin.line}|${e.origin.column}`;
}

/** CPU categories of light per-item work (as opposed to nested loops or arithmetic). */
const LIGHT_CPU: ReadonlySet<string> = new Set(['regex', 'serialization', 'comprehension', 'loops', 'sorting']);

/** The two phases: I/O first, so that loops driving I/O are known before CPU travels. */
export type Phase = 'io' | 'cpu';

/**
 * I/O always travels. Substantial CPU work travels all the way. A weak signal (one
 * short loop, one regex) only reaches the function a nested helper is defined in: such
 * a helper is part of its parent's own work, while a shared utility with one short loop
 * (`os.path.join`) would otherwise paint all its callers as computing.
 */
function travels(e: EngineEvidence, phase: Phase): boolean {
  if (phase === 'io') return isIoCategory(e.category);
  return !isIoCategory(e.category) && !e.drivesIo && e.weight >= 2;
}

function travelsToParent(e: EngineEvidence, phase: Phase): boolean {
  return phase === 'cpu' && !isIoCategory(e.category) && !e.drivesIo && e.via.length === 0;
}

function isNestedIn(inner: GraphNode, outer: GraphNode): boolean {
  return inner.module === outer.module && inner.facts.name.startsWith(`${outer.facts.name}.`);
}

/**
 * After the I/O phase: a loop whose body waits on I/O (directly or through helpers)
 * drives that I/O rather than computing, and so does a little arithmetic or string
 * building in it (a backoff delay, an offset, joining received chunks). Recursion in a
 * function that waits walks the I/O (a directory tree). Loops that wait on nothing
 * compute, even next to I/O elsewhere in the function.
 */
export function markIoDrivers(nodes: Map<FunctionId, GraphNode>): void {
  const waitsAnywhere = (id: FunctionId): boolean => nodes.get(id)?.evidence.some((e) => isIoCategory(e.category)) ?? false;
  for (const node of nodes.values()) {
    // Every place this function waits: its I/O calls, and each call to a helper that
    // waits (inherited evidence keeps one call site per leaf; a helper called twice,
    // once inside a loop, waits at both).
    const waits: Array<{ span: Span }> = node.evidence.filter((e) => isIoCategory(e.category));
    for (const edge of node.edges) if (!edge.call.offloaded && waitsAnywhere(edge.target)) waits.push({ span: edge.call.span });
    if (waits.length === 0) continue;
    const waitingLoops = node.facts.loops.flatMap((l) => (l.region && waits.some((w) => within(w.span, l.region!)) ? [l.region] : []));
    node.waitingLoops = waitingLoops;
    for (const e of node.evidence) {
      if (e.via.length > 0 || e.drivesIo || isIoCategory(e.category)) continue;
      const bookkeeping = (e.category === 'arithmetic' || e.category === 'string-building') && e.weight < 3;
      const inWaitingLoop = e.weight < 3 && waitingLoops.some((region) => within(e.span, region));
      if (isStructural(e.category) || bookkeeping) {
        const region = e.region;
        e.drivesIo = region ? inWaitingLoop || waits.some((w) => within(w.span, region)) : true;
      } else if (inWaitingLoop) {
        // Light work per item of a loop that waits (parsing each file it reads) consumes the I/O.
        e.drivesIo = true;
      }
    }
  }
}

function within(inner: Span, outer: Span): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.line < outer.endLine || (inner.line === outer.endLine && inner.column <= outer.endColumn);
  return startsAfter && endsBefore;
}

/** Marks the members of call cycles (mutual recursion) with recursion evidence. */
export function markMutualRecursion(nodes: Map<FunctionId, GraphNode>): void {
  for (const component of stronglyConnected(nodes)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const names = component.map((id) => nodes.get(id)!.facts.name);
    for (const id of component) {
      const node = nodes.get(id)!;
      const edge = node.edges.find((e) => !e.call.offloaded && members.has(e.target));
      if (!edge) continue;
      node.evidence.push({
        span: edge.call.span,
        call: `mutual recursion (${names.slice(0, 3).join(' ↔ ')}${names.length > 3 ? ' ↔ …' : ''})`,
        category: 'recursion',
        blocking: false,
        // Cycles through constructors and dispatchers are common and rarely the hot path:
        // a weak signal, unlike a function that calls itself.
        weight: 1,
        via: [],
        origin: { path: node.module.path, line: edge.call.span.line, column: edge.call.span.column },
        awaited: false,
        throughAsync: false,
      });
    }
  }
}

/** Fixed point over the graph for one phase: callers inherit what their callees do. */
export function propagate(nodes: Map<FunctionId, GraphNode>, phase: Phase): void {
  const callers = new Map<FunctionId, Array<{ caller: GraphNode; call: CallFact }>>();
  for (const node of nodes.values()) {
    for (const edge of node.edges) {
      if (edge.call.offloaded || edge.target === node.id) continue;
      let list = callers.get(edge.target);
      if (!list) callers.set(edge.target, (list = []));
      list.push({ caller: node, call: edge.call });
    }
  }
  const indexes = new Map<FunctionId, Map<string, EngineEvidence>>();
  const indexOf = (node: GraphNode): Map<string, EngineEvidence> => {
    let index = indexes.get(node.id);
    if (!index) {
      index = new Map(node.evidence.map((e) => [key(e), e]));
      indexes.set(node.id, index);
    }
    return index;
  };
  const queue: GraphNode[] = [...nodes.values()].filter((n) => n.evidence.some((e) => travels(e, phase) || travelsToParent(e, phase)));
  const queued = new Set(queue.map((n) => n.id));
  while (queue.length > 0) {
    const callee = queue.shift()!;
    queued.delete(callee.id);
    const outgoing = callee.evidence.filter((e) => travels(e, phase) && e.via.length < MAX_CHAIN);
    const toParent = callee.evidence.filter((e) => !travels(e, phase) && travelsToParent(e, phase));
    for (const { caller, call } of callers.get(callee.id) ?? []) {
      const index = indexOf(caller);
      let changed = false;
      for (const e of toParent.length > 0 && isNestedIn(callee, caller) ? [...outgoing, ...toParent] : outgoing) {
        if (e.via.includes(caller.facts.name) && e.origin.path === caller.module.path) continue;
        const inherited: EngineEvidence = {
          ...e,
          span: call.span,
          via: [callee.facts.name, ...e.via],
          awaited: call.awaited,
          loop: call.loop,
          throughAsync: e.throughAsync || callee.facts.async,
          lazy: callee.facts.generator === true,
        };
        // A light helper called per item of a loop that waits (extracting the links of
        // each page fetched) consumes the I/O, as light work written inline there does.
        if (phase === 'cpu' && LIGHT_CPU.has(e.category) && e.weight < 3 && caller.waitingLoops?.some((region) => within(call.span, region))) {
          inherited.drivesIo = true;
        }
        const k = key(e);
        const existing = index.get(k);
        if (existing && existing.via.length <= inherited.via.length) continue;
        if (!existing && caller.evidence.length >= MAX_INHERITED + caller.facts.evidence.length) continue;
        if (existing) caller.evidence[caller.evidence.indexOf(existing)] = inherited;
        else caller.evidence.push(inherited);
        index.set(k, inherited);
        changed = true;
      }
      if (changed && !queued.has(caller.id)) {
        queue.push(caller);
        queued.add(caller.id);
      }
    }
  }
}

/** Tarjan's algorithm over non-offloaded edges, iteratively (deep graphs must not overflow the stack). */
function stronglyConnected(nodes: Map<FunctionId, GraphNode>): FunctionId[][] {
  const index = new Map<FunctionId, number>();
  const low = new Map<FunctionId, number>();
  const onStack = new Set<FunctionId>();
  const stack: FunctionId[] = [];
  const components: FunctionId[][] = [];
  let counter = 0;
  for (const start of nodes.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ id: FunctionId; edge: number }> = [{ id: start, edge: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = nodes.get(frame.id)!.edges;
      if (frame.edge < edges.length) {
        const edge = edges[frame.edge++];
        if (edge.call.offloaded || edge.target === frame.id) continue;
        const target = edge.target;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: FunctionId[] = [];
        let member: FunctionId;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}
