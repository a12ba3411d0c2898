/**
 * The module's bindings are replayed, not bound again, for the top-level statements an edit
 * left alone while everything before them bound the same; from the first statement that binds
 * differently, the rest are bound afresh. Either way the facts equal a fresh extraction's.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Extractor, type RetainedParse } from '../../src/core/extract-file';
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
  calls: string[];
}

/** Extracts `text`, then `edited` from its parse, and says what the second extraction replayed. */
async function afterEdit(text: string, edited: string): Promise<Step> {
  const extractor = new Extractor({});
  const effectsOf = (parse: RetainedParse | undefined): unknown[] => [...(parse?.memo as { bindings: { effects: Map<unknown, unknown> } }).bindings.effects.values()];
  const first = await extractor.extractRetaining({ path: PATH, text });
  const before = new Set(effectsOf(first.parse));
  const second = await extractor.extractRetaining({ path: PATH, text: edited }, first.parse);
  try {
    assert.equal(extractor.lastTimings.spliced, true, 'the edited statement was parsed alone');
    assert.deepEqual(second.extracted, await new Extractor({}).extract({ path: PATH, text: edited }), 'the facts equal a fresh extraction');
    const after = effectsOf(second.parse);
    assert.ok('functions' in second.extracted);
    const use = second.extracted.functions.find((f) => f.name === 'use');
    return { replayed: after.filter((e) => before.has(e)).length, statements: after.length, calls: use?.evidence.map((e) => e.call) ?? [] };
  } finally {
    first.parse?.tree.delete();
    second.parse?.tree.delete();
  }
}

void describe('the module bindings of an edited file', () => {
  void it('are replayed for every statement but the edited one when its bindings did not change', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    total = x * 3\n', '    total = x * 3\n    total += 1\n'));
    assert.deepEqual(step, { replayed: STATEMENTS - 1, statements: STATEMENTS, calls: ['requests.Session.get'] });
  });

  void it('are bound again from a helper whose return value changed, and its callers follow', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    return requests.Session()', '    return 1'));
    // The import is replayed; make binds differently, so client and everything after are bound afresh.
    assert.deepEqual(step, { replayed: 1, statements: STATEMENTS, calls: [] });
  });

  void it('are bound again after a new definition, which the rest of the module may use', async () => {
    const step = await afterEdit(TEXT, TEXT.replace('    total = x * 0\n    return total\n', '    total = x * 0\n    return total\n\n\ndef added():\n    return 2\n'));
    assert.equal(step.statements, STATEMENTS + 1);
    assert.equal(step.replayed, 3 + 1, 'the import, make, client and filler_0 come before the new definition');
    assert.deepEqual(step.calls, ['requests.Session.get']);
  });
});
