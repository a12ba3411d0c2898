/**
 * The shapes of code that signal CPU work, tracked while a language's extractor walks a
 * function body: the loops it is inside (for independence and for "does this call use
 * the loop variable"), how deeply they nest, whether their trip count depends on the
 * input, arithmetic and string building inside them. Language-neutral: the extractors
 * say where loops open and close and what they count; this turns it into evidence.
 */
import type { LocalEvidence } from '../facts';
import type { Category, Span } from '../model';

/** A loop the walk is inside. */
export interface LoopContext {
  /** Index into the function's loop facts, or -1 for loops that are never candidates (while). */
  index: number;
  /** The loop variables and the names derived from them. */
  vars: Set<string>;
  /** The header (`for url in urls:`). */
  span: Span;
  /** The whole loop, header and body. */
  region: Span;
}

/** Evidence found in a function's own body (no chain yet). */
export function localEvidence(span: Span, call: string, category: Category, weight: 1 | 2 | 3, extra?: Partial<LocalEvidence>): LocalEvidence {
  return { span, call, category, blocking: false, weight, via: [], origin: { path: '', line: span.line, column: span.column }, awaited: false, ...extra };
}

/** Tracks loop shapes during one function's walk. */
export class LoopShapes {
  /** Open loops, outermost first. */
  readonly loops: LoopContext[] = [];
  /** Loop nesting right now (comprehension clauses count one level each). */
  depth = 0;
  /** Levels whose trip count depends on the input: per-item work repeats there. */
  repeated = 0;
  /** In a coroutine: a loop awaits, so its shape is the event loop's schedule, not computation. */
  awaitsInLoops = false;

  private maxDepth = 0;
  private readonly levels: Array<{ inputDependent: boolean; count: number }> = [];
  private deepest: { span: Span; region: Span } | undefined;
  private firstInputLoop: { span: Span; region: Span } | undefined;
  private readonly arithmetic = new Map<string, { span: Span; region: Span; count: number }>();
  private stringBuilding: { span: Span; region: Span } | undefined;

  /** Enters a loop (`levels` > 1 for a comprehension with several `for` clauses). */
  open(loop: LoopContext, inputDependent: boolean, levels = 1): void {
    for (let i = 0; i < levels; i++) {
      this.depth++;
      if (inputDependent) {
        this.repeated++;
        this.firstInputLoop ??= { span: loop.span, region: loop.region };
        if (this.depth > this.maxDepth) {
          this.maxDepth = this.depth;
          const outermost = this.loops[0] ?? loop;
          this.deepest = { span: outermost.span, region: outermost.region };
        }
      }
    }
    this.levels.push({ inputDependent, count: levels });
    this.loops.push(loop);
  }

  /** Leaves the innermost loop. */
  close(): void {
    this.loops.pop();
    const level = this.levels.pop();
    if (!level) return;
    this.depth -= level.count;
    if (level.inputDependent) this.repeated -= level.count;
  }

  /** The innermost candidate loop whose variables some of `names` are. */
  loopUsing(names: readonly string[]): number | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const loop = this.loops[i];
      if (loop.index >= 0 && names.some((n) => loop.vars.has(n))) return loop.index;
    }
    return undefined;
  }

  /** One arithmetic operation inside the current loop nest. */
  countArithmetic(): void {
    const loop = this.loops[0];
    if (!loop) return;
    const key = `${loop.span.line}:${loop.span.column}`;
    const entry = this.arithmetic.get(key) ?? { span: loop.span, region: loop.region, count: 0 };
    entry.count++;
    this.arithmetic.set(key, entry);
  }

  /** A string grown inside the current loop nest (`s += ...`). */
  noteStringBuilding(span: Span): void {
    this.stringBuilding ??= { span, region: this.loops[0]?.region ?? span };
  }

  /**
   * The evidence the shapes add once the whole body was seen. In a coroutine (or a
   * handler) whose loops await, light shapes are the event loop's schedule: marked
   * `drivesIo` so they neither count as computing nor travel.
   */
  evidence(onEventLoop: boolean): LocalEvidence[] {
    const out: LocalEvidence[] = [];
    if (this.maxDepth >= 2 && this.deepest) {
      out.push(localEvidence(this.deepest.span, `${this.maxDepth} nested loops`, 'nested-loops', this.maxDepth >= 3 ? 3 : 2, { region: this.deepest.region }));
    } else if (this.firstInputLoop) {
      out.push(localEvidence(this.firstInputLoop.span, 'loop over input', 'loops', 1, { region: this.firstInputLoop.region }));
    }
    let busiest: { span: Span; region: Span; count: number } | undefined;
    for (const entry of this.arithmetic.values()) if (!busiest || entry.count > busiest.count) busiest = entry;
    if (busiest && busiest.count >= 2) {
      // Two operations per iteration is computing, but too little to matter to callers.
      const weight = busiest.count >= 6 || (this.maxDepth >= 2 && busiest.count >= 3) ? 3 : busiest.count >= 3 ? 2 : 1;
      out.push(localEvidence(busiest.span, `arithmetic in a loop (${busiest.count} operations)`, 'arithmetic', weight, { region: busiest.region }));
    }
    if (this.stringBuilding) {
      out.push(localEvidence(this.stringBuilding.span, 'string building in a loop', 'string-building', 2, { region: this.stringBuilding.region }));
    }
    if (onEventLoop && this.awaitsInLoops) {
      for (const e of out) if (e.weight < 3 || e.category !== 'arithmetic') e.drivesIo = true;
    }
    return out;
  }
}
