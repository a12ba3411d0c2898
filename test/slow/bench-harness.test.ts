/**
 * `npm run bench:harness` (bench/harness.ts) end to end, through its bundle: the JSON summary,
 * the exit codes (0 when every figure was measured, 2 for a bad option or a failed run) and the
 * clear message of each failure. Speedups are not asserted (a busy 2-core machine): only the
 * measured verdicts of a busy loop and of a timer wait, which hold on a loaded machine too.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from '../support/repo';

const ROOT = repoRoot();
const SCRIPT = join(ROOT, 'out', 'bench', 'harness.cjs');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function calibrate(args: readonly string[]): Run {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  assert.equal(result.signal, null, `the benchmark was not killed; stderr: ${result.stderr}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Summary {
  version: number;
  machine: { cpus: number; usableCpus: number };
  loadAverage: { start: number[]; end: number[] };
  scaling?: { python: string; runs: Array<{ case: { name: string }; error?: { kind: string } }> };
  runs: Array<{
    language: string;
    label?: string;
    baseline?: { processes: number; speedup: number; aloneRate: number; togetherRate: number; roundSpeedups: number[]; shares: number[] };
    baselineError?: string;
    cases: Array<{
      case: { name: string; work: string };
      result?: { verdict: string; results: Array<{ strategy: string; speedup: number; poolSize?: number }> };
      error?: { kind: string; message: string };
      busyness?: { othersCpus: number | null; loadStart: number };
      expectations: Array<{ expected: string; measured: string; status: string }>;
      overhead?: Array<{ strategy: string; perCall: number }>;
    }>;
  }>;
  totals: { pass: number; miss: number; failedRuns: number };
  reliable: boolean;
  busy: string[];
}

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs', '--bench'], { cwd: ROOT, stdio: 'pipe' });
});

void describe('npm run bench:harness', () => {
  void it('a bad option: exit code 2, the message and the usage on stderr, nothing on stdout', () => {
    for (const [args, message] of [
      [['--tasks', '0'], /--tasks needs a whole number of at least 1, got "0"/],
      [['--samples', '3'], /--samples needs a whole number of at least 5/],
      [['--language', 'cobol'], /--language must be python, javascript or all/],
      [['--wait-quiet=-1'], /--wait-quiet needs a number of seconds, got "-1"/],
      [['--wait-quiet', 'soon'], /--wait-quiet needs a number of seconds, got "soon"/],
    ] as const) {
      const run = calibrate(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: npm run bench:harness/);
      assert.equal(run.stdout, '');
    }
  });

  void it('an interpreter that does not exist: every run says so (the scaling-out part too), the report is still printed, exit code 2', () => {
    const run = calibrate(['--language', 'python', '--python', '/no/such/python3', '--dask', '/no/such/python3', '--quick', '--json']);
    assert.equal(run.status, 2, run.stderr);
    const summary = JSON.parse(run.stdout) as Summary;
    const [python] = summary.runs;
    assert.match(python.baselineError ?? '', /no\/such\/python3/);
    assert.equal(python.cases.length, 6);
    for (const c of python.cases) {
      assert.equal(c.error?.kind, 'spawn', c.case.name);
      assert.match(c.error?.message ?? '', /'\/no\/such\/python3' was not found/);
    }
    assert.deepEqual(
      summary.scaling?.runs.map((r) => [r.case.name, r.error?.kind]),
      [
        ['spin', 'spawn'],
        ['spin', 'spawn'],
        ['nap', 'spawn'],
      ],
    );
    assert.equal(summary.totals.failedRuns, 10);
    assert.match(run.stderr, /== Scaling out: Dask's local cluster against the process pool \(\/no\/such\/python3\) ==/);
    assert.match(run.stderr, /Plain CPU baseline FAILED/);
    assert.match(run.stderr, /FAILED \(spawn\): cannot start the Python interpreter/);
  });

  void it('Node.js, --quick --json: the baseline, every case under every strategy, PASS/MISS with figures, the overhead, the load; exit code 0', () => {
    const run = calibrate(['--language', 'javascript', '--quick', '--json', '--target', '0.02']);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as Summary;
    assert.equal(summary.version, 1);
    assert.ok(summary.machine.cpus >= 1);
    assert.equal(summary.loadAverage.start.length, 3);
    const [node] = summary.runs;
    assert.equal(node.language, 'javascript');
    assert.equal(node.label, `Node.js ${process.versions.node}`);
    const baseline = node.baseline!;
    assert.equal(baseline.processes, 2);
    assert.ok(baseline.aloneRate > 0 && baseline.togetherRate > 0, JSON.stringify(baseline));
    assert.ok(Math.abs(baseline.speedup - baseline.togetherRate / baseline.aloneRate) < 1e-9, 'throughput of 2 at once over 1 alone');
    assert.equal(baseline.roundSpeedups.length, 3);
    assert.equal(baseline.shares.length, 2);
    assert.ok(baseline.shares[0] >= baseline.shares[1] && Math.abs(baseline.shares[0] + baseline.shares[1] - 1) < 0.05, `shares ${baseline.shares.join(', ')}`);
    assert.deepEqual(
      node.cases.map((c) => c.case.name),
      ['spin', 'nap', 'digest', 'empty', 'asyncEmpty'],
    );
    for (const c of node.cases) {
      assert.equal(c.error, undefined, c.error?.message);
      assert.equal(typeof c.busyness?.othersCpus, 'number', 'other processes\' CPU use is measured (Linux)');
    }
    const byName = new Map(node.cases.map((c) => [c.case.name, c]));
    const nap = byName.get('nap')!;
    assert.deepEqual(
      nap.result!.results.map((r) => [r.strategy, r.poolSize]),
      [
        ['sequential', undefined],
        ['processes', 2],
        ['async', 8],
        ['workers', 2],
      ],
    );
    assert.deepEqual(
      nap.expectations.map((e) => e.expected),
      ['measured verdict io', 'async (Promise.all) near 8.0× (8 tasks, 8 at once)', 'worker threads near 2.0× (8 tasks, 2 at once)', 'forked processes near 2.0× (8 tasks, 2 at once)'],
    );
    // CPU/wall holds on a busy machine (waits for a CPU are left out): these verdicts must pass.
    assert.equal(nap.expectations[0].status, 'PASS', nap.expectations[0].measured);
    assert.equal(byName.get('spin')!.expectations[0].status, 'PASS', byName.get('spin')!.expectations[0].measured);
    for (const e of node.cases.flatMap((c) => c.expectations)) {
      assert.ok(['PASS', 'MISS'].includes(e.status));
      assert.match(e.measured, /^(\w+ \(CPU\/wall \d\.\d\d.*\)|\d+\.\d\d× \(±\d+%.*\))$/, e.measured);
    }
    assert.equal(summary.totals.pass + summary.totals.miss, node.cases.reduce((n, c) => n + c.expectations.length, 0));
    assert.equal(summary.totals.failedRuns, 0);
    assert.deepEqual(
      byName.get('empty')!.overhead!.map((o) => o.strategy),
      ['sequential', 'processes', 'workers'],
    );
    for (const o of byName.get('empty')!.overhead!) assert.ok(o.perCall > 0, `${o.strategy}: ${o.perCall}`);
    assert.equal(summary.reliable, summary.busy.length === 0);
    // The text report goes to stderr with --json.
    assert.match(run.stderr, /Plain CPU baseline \(no harness\)/);
    assert.match(run.stderr, /^ {4}(PASS|MISS) {2}measured verdict cpu/m);
    assert.match(run.stderr, /Harness overhead \(an empty function/);
    assert.match(run.stderr, /^Summary: \d+ PASS · \d+ MISS/m);
    assert.match(run.stderr, /^Figures (reliable|UNRELIABLE)/m);
  });
});
