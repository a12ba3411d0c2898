/**
 * The module's bindings are replayed, not bound again, for the top-level statements an edit
 * left alone, unless they mention a name the edited statements bind or bound; those are bound
 * afresh, and so is whatever mentions the names they bind. Facts are reused on the same terms.
 * Either way the facts equal a fresh extraction's.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Extractor, type RetainedParse } from '../../src/core/extract-file';
import { mentionsAny } from '../../src/core/languages/python/module-bindings';
import { repoRoot } from '../support/repo';

/** A path for the language only: the texts below are the file. */
const PATH = join(repoRoot(), 'test/fixtures/python/in-memory.py');

const FILLERS = Array.from({ length: 12 }, (_, i) => `def filler_${i}(x):\n    total = x * ${i}\n    return total\n\n\n`).join('');
const TEXT = `import requests\n\n\ndef make():\n    return requests.Session()\n\n\nclient = make()\n\n\n${FILLERS}def use(url):\n    return client.get(url)\n`;

/** Statements in TEXT: the import, make, client, the fillers, use. */
const STATEMENTS = 3 + 12 + 1;

interface Step {
  /** Top-level statements whose recorded bindings were replayed from the previous extraction. */
  replayed: number;
  statements: number;
  /** Functions whose facts are the previous extraction's objects (those above the edit, not moved, when reused). */
  sameFacts: number;
  calls: string[];
  /** Calls in `use` that run elsewhere, and where. */
  sent: string[];
}

/** Extracts `text`, then `edited` from its parse, and says what the second extraction replayed. */
async function afterEdit(text: string, edited: string): Promise<Step> {
  const extractor = new Extractor({});
  // A replayed statement keeps its recorded binds (its effect object is new when it moved among the others).
  const effectsOf = (parse: RetainedParse | undefined): unknown[] => [...(parse?.memo as { bindings: { effects: Map<unknown, { binds: unknown }> } }).bindings.effects.values()].map((e) => e.binds);
  const first = await extractor.extractRetaining({ path: PATH, text });
  const before = new Set(effectsOf(first.parse));
  const second = await extractor.extractRetaining({ path: PATH, text: edited }, first.parse);
  try {
    assert.equal(extractor.lastTimings.spliced, true, 'the edited statement was parsed alone');
    assert.deepEqual(second.extracted, await new Extractor({}).extract({ path: PATH, text: edited }), 'the facts equal a fresh extraction');
    const after = effectsOf(second.parse);
    assert.ok('functions' in second.extracted);
    const use = second.extracted.functions.find((f) => f.name === 'use');
    const earlier = new Set('functions' in first.extracted ? first.extracted.functions : []);
    const sameFacts = second.extracted.functions.filter((f) => earlier.has(f)).length;
    const sent = (use?.calls ?? []).filter((c) => c.offloaded).map((c) => `${c.ref.dotted} ${c.offloaded}`);
    return { replayed: after.filter((e) => before.has(e)).length, statements: after.length, sameFacts, calls: use?.evidence.map((e) => e.call) ?? [], sent };
  } finally {
    first.parse?.tree.delete();
    second.parse?.tree.delete();
  }
}

void describe('the module bindings of an edited file', () => {
  void it('are replayed for every statement but the edited one when its bindings did not change', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    total = x * 3\n', '    total = x * 3\n    total += 1\n'));
    // The facts of make and filler_0-2, above the edit, are the previous objects.
    assert.deepEqual(step, { replayed: STATEMENTS - 1, statements: STATEMENTS, sameFacts: 4, calls: ['requests.Session.get'], sent: [] });
  });

  void it('are bound again where a helper whose return value changed is mentioned, and its callers follow', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    return requests.Session()', '    return 1'));
    // make binds differently: client (which mentions it) and use (which mentions client) are bound
    // afresh; the import and the twelve fillers are replayed, and the fillers keep their facts.
    assert.deepEqual(step, { replayed: 1 + 12, statements: STATEMENTS, sameFacts: 12, calls: [], sent: [] });
  });

  void it('are replayed around a new definition, which only the statements naming it see', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    total = x * 0\n    return total\n', '    total = x * 0\n    return total\n\n\ndef added():\n    return 2\n'));
    // The edit lies in filler_1's text (the new `def` and filler_1 are parsed together).
    assert.deepEqual(step, { replayed: STATEMENTS - 1, statements: STATEMENTS + 1, sameFacts: 2, calls: ['requests.Session.get'], sent: [] });
  });

  void it('are replayed while a new definition\'s name is typed, its neighbours\' facts kept', async () => {
    const typing = TEXT.replace('def filler_6(', 'def new_a(x):\n    return x\n\n\ndef filler_6(');
    const step = await afterEdit(typing, typing.replace('def new_a(', 'def new_ab('));
    // Only the renamed statement is bound and extracted again; nothing mentions either name.
    // Every function but the renamed one keeps its facts object (no line moved).
    assert.deepEqual(step, { replayed: STATEMENTS, statements: STATEMENTS + 1, sameFacts: STATEMENTS - 2, calls: ['requests.Session.get'], sent: [] });
  });
});

void describe('what a statement sends elsewhere from inside it', () => {
  void it('is sent again when its facts are reused, for the edited statements that call it', async () => {
    // Jobs.crunch runs elsewhere (a dask.delayed method): its class's visit says so, not the module's bindings.
    const text = `import dask\n\n\nclass Jobs:\n    @dask.delayed\n    def crunch(x):\n        return sum(i * i for i in range(x))\n\n\n${FILLERS}def use(n):\n    return [Jobs.crunch(i) for i in range(n)]\n`;
    const step = await afterEdit(text, text.replace('    return [Jobs', '    n += 1\n    return [Jobs'));
    // Only use was bound and extracted again: Jobs and the fillers kept their facts.
    assert.deepEqual(step, { replayed: 1 + 1 + 12, statements: 1 + 1 + 12 + 1, sameFacts: 1 + 12, calls: ['list comprehension', 'loop over input'], sent: ['Jobs.crunch remote'] });
  });
});

void describe('a name mentioned in a statement', () => {
  void it('is a whole identifier: not a part of a longer one, in any script', () => {
    const names = new Set(['filler_1', 'né']);
    assert.equal(mentionsAny('total = filler_10(x) + refiller_1', names), false);
    assert.equal(mentionsAny('total = filler_1(x)', names), true);
    assert.equal(mentionsAny('print(f"{filler_1}")', names), true, 'in a string too: a superset is safe');
    assert.equal(mentionsAny('x = néant + añé', names), false);
    assert.equal(mentionsAny('x = né', names), true);
    assert.equal(mentionsAny('anything', new Set()), false);
  });
});
