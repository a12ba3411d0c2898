/**
 * `concurrencyLens.python.freeThreaded`: the reader's check of what users type, and
 * package.json's declaration of the same choices and default.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, FREE_THREADED_SETTINGS, normalizeFreeThreaded } from '../../src/extension/settings-values';
import { repoRoot } from '../support/repo';

interface Property {
  default: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  scope?: string;
}

void describe('the free-threading setting', () => {
  void it('takes auto, on or off; anything else is reported and gives the default (auto)', () => {
    const problems: string[] = [];
    assert.equal(normalizeFreeThreaded(undefined, problems), 'auto');
    assert.equal(normalizeFreeThreaded('on', problems), 'on');
    assert.equal(normalizeFreeThreaded('off', problems), 'off');
    assert.deepEqual(problems, []);
    assert.equal(normalizeFreeThreaded(true, problems), 'auto');
    assert.equal(normalizeFreeThreaded('yes', problems), 'auto');
    assert.deepEqual(problems, [
      'concurrencyLens.python.freeThreaded: true is not one of auto, on, off',
      'concurrencyLens.python.freeThreaded: "yes" is not one of auto, on, off',
    ]);
  });

  void it('package.json declares the same choices, each described, and the same default', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Property> } } };
    const property = pkg.contributes.configuration.properties['concurrencyLens.python.freeThreaded'];
    assert.deepEqual(property.enum, [...FREE_THREADED_SETTINGS]);
    assert.equal(property.enumDescriptions?.length, FREE_THREADED_SETTINGS.length);
    assert.equal(property.default, DEFAULT_SETTINGS.python.freeThreaded);
    assert.equal(property.scope, 'resource');
  });
});
