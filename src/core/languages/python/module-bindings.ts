/**
 * The module's bindings, kept between two extractions of the same file. Binding a module is a
 * pass over every top-level statement (a small function's body included, for what it returns),
 * the largest part of re-extracting a 5,000-line module after a one-line edit. Each statement's
 * effect on the module scope is a function of its text and of the names it mentions as bound
 * before it, so it is recorded (the names it bound, in order, and the functions it sends
 * elsewhere) and replayed when those names are bound as last time: while everything before it
 * bound the same, or when it mentions none of the names the edited statements bind or bound
 * (unchanged statements keep their order, so every other name went through the same binds).
 * Typing a new definition's name near the top of a module then binds that definition alone.
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
 * same order (the scope and `runsElsewhere` are the previous extraction's). `dirty`: the names
 * the statements bound afresh bind, and those the statements gone bound; every other name went
 * through the same binds as last time.
 */
export function bindModule(
  root: Node,
  scope: Scope,
  runsElsewhere: RunsElsewhere,
  collect: (statement: Node, scope: Scope, runsElsewhere: RunsElsewhere) => void,
  previous?: PreviousBindings,
): { memo: BindingsMemo; unchanged: boolean; dirty: ReadonlySet<string> } {
  const memo: BindingsMemo = { effects: new Map(), keys: [] };
  const { keys } = memo;
  const dirty = new Set<string>();
  if (previous) {
    const kept = new Set<Node>();
    for (const { old } of previous.reused.values()) kept.add(old);
    for (const [statement, effect] of previous.memo.effects) if (!kept.has(statement)) for (const [name] of effect.binds) dirty.add(name);
  }
  // Whether the keys so far are the previous extraction's first keys: then the scope is its scope there.
  let same = previous !== undefined;
  for (const statement of kids(root)) {
    const old = previous?.reused.get(statement)?.old;
    const recorded = old && previous?.memo.effects.get(old);
    const inStep = same && recorded?.start === keys.length;
    if (recorded && (inStep || !mentionsAny(statement.text, dirty))) {
      for (const [name, value] of recorded.binds) scope.bind(name, value);
      for (const [qual, pool] of recorded.elsewhere) runsElsewhere.set(qual, pool);
      if (!inStep) same = false; // the keys before it differ, or it moved among them
      const effect = recorded.start === keys.length ? recorded : { ...recorded, start: keys.length };
      for (const key of recorded.keys) keys.push(key);
      memo.effects.set(statement, effect);
      continue;
    }
    const effect = record(statement, scope, runsElsewhere, collect, keys.length);
    for (const key of effect.keys) {
      if (same && previous?.memo.keys[keys.length] !== key) same = false;
      keys.push(key);
    }
    for (const [name] of effect.binds) dirty.add(name);
    memo.effects.set(statement, effect);
  }
  return { memo, unchanged: same && keys.length === previous?.memo.keys.length, dirty };
}

/** Characters of a Python identifier (letters and digits of any script, and `_`). */
const IDENTIFIER = /[\p{L}\p{N}_]/u;

/** Whether `text` holds any of `names` as a whole identifier (in code, a string or a comment: a superset is safe). */
export function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const before = at > 0 ? text[at - 1] : '';
      const after = text.charAt(at + name.length);
      if (!IDENTIFIER.test(before) && !IDENTIFIER.test(after)) return true;
    }
  }
  return false;
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
