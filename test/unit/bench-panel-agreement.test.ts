/** The measured verdict beside the static one: agreement, and the reasons given for each disagreement. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVerdicts, type Measured } from '../../src/webview/agreement';
import { agreement as cliAgreement } from '../../src/bench/static';
import type { Kind } from '../../src/core/model';
import { loadReport } from './bench-panel-fixtures';

const MEASURED: Measured[] = ['io', 'cpu', 'mixed'];
const KINDS: Kind[] = ['io', 'cpu', 'mixed', 'neither'];

void describe('bench panel agreement', () => {
  void it('agrees exactly when the CLI says so, for every pair', () => {
    for (const measured of MEASURED) {
      for (const kind of KINDS) {
        const cli = cliAgreement(measured, kind);
        const view = compareVerdicts(measured, kind);
        assert.equal(view.agrees, cli === 'no static verdict' ? undefined : cli === 'agrees', `${measured}/${kind}`);
        if (view.agrees === true) assert.deepEqual(view.reasons, [], `${measured}/${kind}`);
        else assert.ok(view.reasons.length >= 1, `${measured}/${kind} gives reasons`);
        if (view.agrees === false) assert.equal(view.headline, 'disagrees — here is why it may differ');
      }
    }
  });

  void it('gives reasons specific to the pair', () => {
    const ioButCpu = compareVerdicts('cpu', 'io').reasons.join(' ');
    assert.match(ioButCpu, /arguments may not reach the I\/O/);
    assert.match(ioButCpu, /local or cached resource/);
    const cpuButIo = compareVerdicts('io', 'cpu').reasons.join(' ');
    assert.match(cpuButIo, /input is too small/);
    assert.doesNotMatch(cpuButIo, /local or cached resource/);
    assert.match(compareVerdicts('mixed', 'cpu').reasons.join(' '), /busy machine/);
    assert.match(compareVerdicts('io', 'mixed').reasons.join(' '), /computing part is small/);
    assert.match(compareVerdicts('cpu', 'neither').reasons.join(' '), /extraCalls/);
    // Reasons differ between the opposite disagreements: they are not one generic text.
    assert.notDeepEqual(compareVerdicts('cpu', 'io').reasons, compareVerdicts('io', 'cpu').reasons);
  });

  void it('explains the real disagreement of a sleep of 0 seconds', () => {
    const report = loadReport('io_nap_zero');
    assert.equal(report.agreement, 'disagrees', 'the saved run disagrees');
    const view = compareVerdicts(report.verdict, report.static);
    assert.equal(view.agrees, false);
    assert.ok(view.reasons.length >= 2);
    assert.equal(compareVerdicts(loadReport('io_nap').verdict, loadReport('io_nap').static).agrees, true);
  });
});
