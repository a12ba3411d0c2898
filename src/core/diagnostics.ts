/**
 * The findings: stable codes, messages that name the evidence, computed after
 * propagation so that helpers' work counts. Language-specific wording comes from
 * the language's {@link Advice}; the rules themselves are shared.
 */
import { isInterpreted, isIoCategory } from './categories';
import { cpuScore, decisiveEvidence } from './classify';
import type { FunctionId } from './languages/resolver';
import type { Diagnostic, DiagnosticCode, Kind, Severity, Span } from './model';
import type { LoopFact } from './facts';
import type { EngineEvidence, GraphNode } from './propagate';

/** Default severity per code (hint/information by default; users raise or silence them). */
export const DEFAULT_SEVERITY: Readonly<Record<DiagnosticCode, Severity>> = {
  CL101: 'information',
  CL102: 'information',
  CL201: 'information',
  CL202: 'hint',
  CL301: 'hint',
  CL302: 'hint',
};

/** Language-specific words for messages. */
export interface Advice {
  asyncFunction: string;
  /** What to use instead of a blocking call of this category inside async code. */
  insteadOfBlocking(category: string, call: string): string;
  cpuInAsync: string;
  /** What to do about pure-interpreter CPU work in a thread pool, by the API that chose the pool (`joblib.Parallel`, ...). */
  threadPoolCpu(offloadedBy: string | undefined): string;
  /**
   * What runs a loop of independent pure-interpreter CPU calls in parallel. Absent: the
   * language gets no CL202 (JavaScript's CPU-heavy loops are CL102's on the event loop, and
   * a synchronous script's loop has no pool to go to without restructuring).
   */
  cpuLoop?: string;
  ioLoop: string;
  awaitLoop: string;
}

/**
 * CPU work that can stall the event loop on realistic inputs: these categories (native
 * hashing and compression run over whole inputs), parsing per item of a loop, and anything
 * at full weight. A light per-item callback or regex test is not.
 */
const HEAVY_CPU = new Set(['nested-loops', 'arithmetic', 'recursion', 'string-building', 'numeric', 'image', 'hashing', 'compression']);

/** Categories worth overlapping when a loop waits on them one item at a time. */
const OVERLAPPABLE = new Set(['network', 'database', 'process', 'file']);

/**
 * Whether waiting on this call once per item is worth overlapping: a heavy call (not a
 * metadata probe), at most two helpers away (longer chains often run conditionally), not
 * reaping children.
 */
function worthOverlapping(e: EngineEvidence): boolean {
  if (!OVERLAPPABLE.has(e.category) || e.weight < 3 || e.via.length > 2) return false;
  // Files: only calls that move whole files' data; renames, removals and directory
  // creation in a loop are often order-dependent (log rotation), opens too common.
  if (e.category === 'file') {
    return /^(shutil\.(copy\w*|move)|pathlib\.Path\.(read|write)_(text|bytes)|fs\.(readFile|writeFile|copyFile|cp)Sync)$/.test(e.call);
  }
  return !/^os\.wait\w*$/.test(e.call);
}

interface Verdicts {
  kind(id: FunctionId): Kind | undefined;
}

function chain(e: EngineEvidence): string {
  return e.via.length > 0 ? `${e.via.map((v) => `\`${v}\``).join(' → ')} → \`${e.call}\`` : `\`${e.call}\``;
}

function diagnostic(code: DiagnosticCode, span: Span, node: GraphNode, message: string): Diagnostic {
  return { code, ...span, severity: DEFAULT_SEVERITY[code], message, functionName: node.facts.name, fixes: [] };
}

/** All findings for one function. */
export function diagnose(node: GraphNode, kind: Kind, advice: Advice, verdicts: Verdicts, nodes: Map<FunctionId, GraphNode>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = node.facts.name;
  const onEventLoop = node.facts.async || node.facts.handler === true;
  const where = node.facts.async ? `${advice.asyncFunction} \`${name}\`` : `request handler \`${name}\``;
  if (onEventLoop) {
    // CL101: blocking I/O on the event loop, direct or through synchronous helpers.
    const seen = new Set<string>();
    for (const e of node.evidence) {
      // Chains longer than three helpers mostly pass through branches that rarely run.
      if (!isIoCategory(e.category) || !e.blocking || e.throughAsync || e.weight < 2 || e.via.length > 3) continue;
      const at = `${e.span.line}:${e.span.column}`;
      if (seen.has(at)) continue;
      seen.add(at);
      const what = e.via.length > 0 ? `\`${e.via[0]}\` blocks the event loop: it calls ${chain(e)} (${e.category})` : `${chain(e)} blocks the event loop (${e.category})`;
      out.push(diagnostic('CL101', e.span, node, `${what} inside ${where}. ${advice.insteadOfBlocking(e.category, e.call)}`));
    }
    // CL102: CPU-heavy work on the event loop.
    // Heavy work only: a loop of light per-item calls (a regex, a filter callback, one
    // clone) grows with the input but rarely stalls a server the way these do.
    // Through an async callee it is that callee's finding, as for CL101.
    // Here or in a direct helper; further down the chain, only strong work (a KDF, deep
    // loop nests) — utilities two calls away are rarely what stalls a server.
    const ownCpu = node.evidence.filter(
      (e) =>
        !isIoCategory(e.category) &&
        !e.drivesIo &&
        !e.throughAsync &&
        (e.weight >= 3 || (e.via.length <= 1 && HEAVY_CPU.has(e.category)) || (e.via.length === 0 && e.category === 'serialization' && e.weight >= 2)),
    );
    if ((kind === 'cpu' || kind === 'mixed') && cpuScore(ownCpu) >= 2) {
      const top = decisiveEvidence('cpu', ownCpu)[0];
      if (top) {
        out.push(diagnostic('CL102', top.span, node, `CPU-heavy work (${top.category}: ${chain(top)}) runs on the event loop inside ${where}. ${advice.cpuInAsync}`));
      }
    }
  }
  // CL201: pure-interpreter CPU work handed to a thread pool.
  for (const edge of node.edges) {
    if (edge.call.offloaded !== 'thread') continue;
    const work = interpretedWork(edge.target, verdicts, nodes);
    if (!work) continue;
    out.push(diagnostic('CL201', edge.call.span, node, `\`${work.name}\` is pure-Python CPU work (${work.category}), handed to a thread pool. ${advice.threadPoolCpu(edge.call.offloadedBy)}`));
  }
  // CL301 / CL302 / CL202: a loop that waits on, or computes, independent items one at a time.
  node.facts.loops.forEach((loop, index) => {
    if (!loop.independent || loop.fixedCount) return;
    if (!node.facts.async) {
      const waits = node.evidence.filter((e) => e.loop === index && e.blocking && worthOverlapping(e));
      if (waits.length > 0) {
        out.push(diagnostic('CL301', loop.span, node, `This loop waits on ${chain(waits[0])} (${waits[0].category}) once per item, one after another; its iterations are independent. ${advice.ioLoop}`));
        return;
      }
      // A handler's loop is CL102's: it computes on the event loop.
      if (!advice.cpuLoop || node.facts.handler === true || !smallBody(loop)) return;
      // Calls of the project's own functions, run here (not handed over), per item; a
      // recursive call is a traversal, not a batch of items. Methods are left out: they work
      // on their object's state (`self.traverse(child)` writes to the same buffer in order),
      // which the loop analysis does not see and no other process shares.
      for (const edge of node.edges) {
        if (edge.call.loop !== index || edge.call.offloaded || edge.call.awaited || edge.target === node.id) continue;
        const target = nodes.get(edge.target);
        if (!target || target.facts.async || /^(self|cls)$/.test(target.facts.params[0] ?? '')) continue;
        const work = interpretedWork(edge.target, verdicts, nodes);
        if (!work) continue;
        out.push(
          diagnostic(
            'CL202',
            loop.span,
            node,
            `This loop runs \`${work.name}\`, pure-Python CPU work (${work.category}), once per item, one after another; its iterations are independent. ${advice.cpuLoop}`,
          ),
        );
        return;
      }
      return;
    }
    // Awaiting a pool's result per item runs one task at a time on a pool of many workers; a
    // weak offload (posting a message, submitting) is no wait to overlap.
    const awaits = node.evidence.filter(
      (e) => e.loop === index && e.awaited && !e.blocking && isIoCategory(e.category) && (e.category !== 'offload' || e.weight >= 2),
    );
    if (awaits.length > 0) {
      out.push(diagnostic('CL302', loop.span, node, `This loop awaits ${chain(awaits[0])} (${awaits[0].category}) once per item, one after another; its iterations are independent. ${advice.awaitLoop}`));
    }
  });
  return out;
}

/**
 * A comprehension, or a `for` loop whose body is one line: the call is the per-item work. In a
 * longer body a CPU-bound call is often one step among others that write shared state in order
 * (a report printed line by line, a buffer filled), which the loop analysis does not see.
 */
function smallBody(loop: LoopFact): boolean {
  // A comprehension's span is its region; a `for` loop's is its header.
  return (loop.region ?? loop.span).endLine - loop.span.endLine <= 1;
}

/**
 * A CPU-bound function whose work is substantial and runs as interpreter bytecode: threads
 * gain nothing on it under the GIL, processes do. Native work (hashing, compression, numpy)
 * is not: threads already run it in parallel. A single loop over the input is too weak a
 * signal to advise on.
 */
function interpretedWork(target: FunctionId, verdicts: Verdicts, nodes: Map<FunctionId, GraphNode>): { name: string; category: string } | undefined {
  const node = nodes.get(target);
  if (!node || verdicts.kind(target) !== 'cpu') return undefined;
  const cpu = node.evidence.filter((e) => !isIoCategory(e.category));
  if (cpuScore(cpu) < 2 || !cpu.every((e) => isInterpreted(e.category))) return undefined;
  return { name: node.facts.name, category: decisiveEvidence('cpu', cpu)[0].category };
}
