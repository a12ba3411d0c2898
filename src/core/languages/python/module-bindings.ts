/**
 * The module's bindings, kept between two extractions of the same file. Binding a module is a
 * pass over every top-level statement (a small function's body included, for what it returns),
 * the largest part of re-extracting a 5,000-line module after a one-line edit. Each statement's
 * effect on the module scope is a function of its text and the scope before it, so it is
 * recorded (the names it bound, in order, and the functions it sends elsewhere) and replayed
 * while everything before it bound the same as last time; from the first statement whose
 * effect differs, the rest are bound afresh.
 */
import type { PoolKind } from '../../catalog';
import { kids } from '../../parse/syntax';
import type { ReusedNode, SyntaxNode as Node } from '../../parse/tree';
import type { RunsElsewhere } from './extract-remote';
import type { Scope, Value } from './scope';

/** What one top-level statement did to the module scope, in order. */
interface Effect {
  binds: Array<[string, Value]>;
  elsewhere: Array<[string, PoolKind]>;
  /** Each bind and send, serialized: the sequence compared between two extractions. */
  keys: string[];
  /** Where this statement's keys start in the module's sequence. */
  start: number;
}

/** What an extraction leaves for the next one. */
export interface BindingsMemo {
  effects: Map<Node, Effect>;
  /** Every statement's keys, in order. */
  keys: string[];
}

/** The previous extraction's memo, and which of the new copy's top-level nodes are unchanged statements of its copy. */
export interface PreviousBindings {
  memo: BindingsMemo;
  reused: ReadonlyMap<Node, ReusedNode>;
}

/**
 * Binds the module's names into `scope` and its functions sent elsewhere into `runsElsewhere`,
 * as `collect` does statement by statement, replaying what `previous` recorded where that gives
 * the same result. `unchanged`: every statement bound exactly what it bound last time, in the
 * same order (the scope and `runsElsewhere` are the previous extraction's).
 */
export function bindModule(
  root: Node,
  scope: Scope,
  runsElsewhere: RunsElsewhere,
  collect: (statement: Node, scope: Scope, runsElsewhere: RunsElsewhere) => void,
  previous?: PreviousBindings,
): { memo: BindingsMemo; unchanged: boolean } {
  const memo: BindingsMemo = { effects: new Map(), keys: [] };
  const { keys } = memo;
  // Whether the keys so far are the previous extraction's first keys: then the scope is its scope there.
  let same = previous !== undefined;
  for (const statement of kids(root)) {
    const old = previous?.reused.get(statement)?.old;
    const recorded = old && previous?.memo.effects.get(old);
    if (same && recorded && recorded.start === keys.length) {
      for (const [name, value] of recorded.binds) scope.bind(name, value);
      for (const [qual, pool] of recorded.elsewhere) runsElsewhere.set(qual, pool);
      for (const key of recorded.keys) keys.push(key);
      memo.effects.set(statement, recorded);
      continue;
    }
    const effect = record(statement, scope, runsElsewhere, collect, keys.length);
    for (const key of effect.keys) {
      if (same && previous?.memo.keys[keys.length] !== key) same = false;
      keys.push(key);
    }
    memo.effects.set(statement, effect);
  }
  return { memo, unchanged: same && keys.length === previous?.memo.keys.length };
}

/** Binds one statement, recording what it did. */
function record(statement: Node, scope: Scope, runsElsewhere: RunsElsewhere, collect: (statement: Node, scope: Scope, runsElsewhere: RunsElsewhere) => void, start: number): Effect {
  const binds: Array<[string, Value]> = [];
  const sent: RunsElsewhere = new Map();
  scope.journal = binds;
  try {
    collect(statement, scope, sent);
  } finally {
    scope.journal = undefined;
  }
  const elsewhere = [...sent];
  for (const [qual, pool] of elsewhere) runsElsewhere.set(qual, pool);
  const keys = [...binds.map((bind) => JSON.stringify(bind)), ...elsewhere.map((send) => `elsewhere:${JSON.stringify(send)}`)];
  return { binds, elsewhere, keys, start };
}
