/**
 * The machine under the calibration benchmark (bench/harness.ts): its CPUs as Linux describes
 * them, how busy other processes kept them while we measured, and what it can deliver with no
 * harness at all — a plain busy loop in one process, then in several at once. That last figure
 * is the honest reference for "processes clearly above 1.5×": two vCPUs of a virtual machine may
 * be one physical core, or share it with other guests.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { median } from '../../src/bench/runner';

export interface MachineInfo {
  cpus: number;
  usableCpus: number;
  model: string;
  /** Hardware threads per core and cores, from /sys (Linux); null where unknown. */
  threadsPerCore: number | null;
  cores: number | null;
  /** The kernel runs under a hypervisor (the `hypervisor` CPU flag). */
  virtual: boolean;
  platform: string;
  node: string;
}

/** What Linux says about the CPUs: nproc, lscpu's threads per core, the hypervisor flag. */
export function machineInfo(): MachineInfo {
  let threadsPerCore: number | null = null;
  let cores: number | null = null;
  try {
    const cpuDirs = readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d));
    const siblings = new Set(cpuDirs.map((d) => readFileSync(`/sys/devices/system/cpu/${d}/topology/thread_siblings_list`, 'utf8').trim()));
    cores = siblings.size;
    threadsPerCore = cpuDirs.length / siblings.size;
  } catch {
    // Not Linux, or no topology exposed.
  }
  let virtual = false;
  try {
    virtual = /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // Not Linux.
  }
  return {
    cpus: cpus().length,
    usableCpus: availableParallelism(),
    model: cpus()[0]?.model.trim() ?? 'unknown',
    threadsPerCore,
    cores,
    virtual,
    platform: process.platform,
    node: process.versions.node,
  };
}

/** CPU seconds the whole machine spent busy, and stolen by the hypervisor (Linux /proc/stat). */
function machineTicks(): { busy: number; steal: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return { busy: (user + nice + system + irq + softirq) / 100, steal: (steal || 0) / 100 };
  } catch {
    return null;
  }
}

/**
 * CPU seconds of this process and of every descendant it has waited for (the harness, which
 * waited for its pools): /proc/self/stat's utime, stime, cutime and cstime, in ticks of 1/100 s.
 */
function ourTicks(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the state (field 3): fields 14–17 of the full line are utime, stime, cutime, cstime.
    return fields.slice(11, 15).reduce((sum, v) => sum + Number(v), 0) / 100;
  } catch {
    return null;
  }
}

/** How busy the machine was during one measurement, besides us. */
export interface Busyness {
  seconds: number;
  /** CPUs (on average) other processes used meanwhile; null where /proc is missing. */
  othersCpus: number | null;
  /** CPUs (on average) the hypervisor gave to someone else. */
  stealCpus: number | null;
  /** The 1-minute load average at the start and at the end. */
  loadStart: number;
  loadEnd: number;
}

/** Other processes using more than this many CPUs on average make the figures unreliable. */
export const BUSY_OTHERS_CPUS = 0.2;

/** Measures how busy other processes keep the machine while `work` runs. */
export async function withBusyness<T>(work: () => Promise<T>): Promise<{ value: T; busyness: Busyness }> {
  const loadStart = loadavg()[0];
  const machine0 = machineTicks();
  const ours0 = ourTicks();
  const began = performance.now();
  const value = await work();
  const seconds = (performance.now() - began) / 1000;
  const machine1 = machineTicks();
  const ours1 = ourTicks();
  const othersCpus = machine0 && machine1 && ours0 !== null && ours1 !== null ? Math.max(0, machine1.busy - machine0.busy - (ours1 - ours0)) / seconds : null;
  const stealCpus = machine0 && machine1 ? (machine1.steal - machine0.steal) / seconds : null;
  return { value, busyness: { seconds, othersCpus, stealCpus, loadStart, loadEnd: loadavg()[0] } };
}

/** True when other processes (or the hypervisor) took enough CPU to blur the figures. */
export function isBusy(b: Busyness): boolean {
  return (b.othersCpus ?? 0) > BUSY_OTHERS_CPUS || (b.stealCpus ?? 0) > BUSY_OTHERS_CPUS / 2;
}

/**
 * Waits (up to `maxSeconds`) until other processes leave the CPUs alone: one-second windows of
 * /proc/stat, while we do nothing, until one shows less than {@link BUSY_OTHERS_CPUS} busy.
 * The load average lags by a minute; this does not. Resolves with the seconds waited and
 * whether the machine went quiet (always quiet where /proc is missing: nothing to wait on).
 */
export async function waitForQuiet(maxSeconds: number): Promise<{ waitedSeconds: number; quiet: boolean }> {
  const began = performance.now();
  for (;;) {
    const { busyness } = await withBusyness(() => new Promise<void>((resolve) => setTimeout(resolve, 1000)));
    const waitedSeconds = (performance.now() - began) / 1000;
    if (busyness.othersCpus === null || !isBusy(busyness)) return { waitedSeconds, quiet: true };
    if (waitedSeconds >= maxSeconds) return { waitedSeconds, quiet: false };
  }
}

// ---------------------------------------------------------------------------------------------
// The plain baseline: no harness, no pool, no pickling — N interpreters running the same loop.

/**
 * Each child sleeps until an agreed instant of CLOCK_MONOTONIC (the same clock in every
 * process: Python's time.monotonic_ns, Node's process.hrtime), runs `n` iterations of the
 * calibration loop, and prints when its loop began and ended. Start-up of the interpreter is
 * left out; only the loops are compared.
 */
const PYTHON_LOOP = `
import sys, time
start, n = int(sys.argv[1]), int(sys.argv[2])
wait = start - time.monotonic_ns()
if wait > 0:
    time.sleep(wait / 1e9)
t0 = time.monotonic_ns()
total = 0
for i in range(n):
    total += i * i % 7
print(t0, time.monotonic_ns(), total)
`;

const NODE_LOOP = `
const [start, n] = [BigInt(process.argv[1]), Number(process.argv[2])];
const wait = Number(start - process.hrtime.bigint()) / 1e6;
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
const t0 = process.hrtime.bigint();
let total = 0;
for (let i = 0; i < n; i++) total += (i * i) % 7;
console.log(String(t0), String(process.hrtime.bigint()), total);
`;

export interface BaselineLanguage {
  language: 'python' | 'javascript';
  command: string;
}

function loopArgv(which: BaselineLanguage, start: bigint, n: number): string[] {
  return which.language === 'python' ? ['-c', PYTHON_LOOP, String(start), String(n)] : ['-e', NODE_LOOP, String(start), String(n)];
}

/** Runs `count` loops at once; resolves with each loop's [begin, end] in nanoseconds. */
async function loops(which: BaselineLanguage, count: number, n: number): Promise<Array<[bigint, bigint]>> {
  // Far enough ahead for every interpreter to have started.
  const start = process.hrtime.bigint() + 300_000_000n;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<[bigint, bigint]>((resolve, reject) => {
          const child = spawn(which.command, loopArgv(which, start, n), { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => {
            const [t0, t1] = out.trim().split(' ');
            if (code !== 0 || !t1) reject(new Error(`the baseline loop (${which.command}) exited with code ${code}: ${err.trim().slice(-300)}`));
            else resolve([BigInt(t0), BigInt(t1)]);
          });
        }),
    ),
  );
}

export interface Baseline {
  language: 'python' | 'javascript';
  command: string;
  processes: number;
  iterations: number;
  rounds: number;
  /** Median seconds of the loop alone. */
  aloneSeconds: number;
  /** Median seconds from the first loop's start to the last one's end, all at once. */
  togetherSeconds: number;
  /** Throughput of `processes` loops at once over one alone: processes × alone / together. */
  speedup: number;
  /** Each round's speedup (alone and together interleaved). */
  roundSpeedups: number[];
  busyness: Busyness;
}

/**
 * The machine's own scaling: `rounds` rounds of one loop alone, then `processes` loops at once
 * (interleaved, so a change in load hits both); the loop is sized to last about `seconds`.
 */
export async function measureBaseline(which: BaselineLanguage, processes: number, rounds: number, seconds: number): Promise<Baseline> {
  // Size the loop: a short probe, scaled.
  const probeN = which.language === 'python' ? 1_000_000 : 10_000_000;
  const [[p0, p1]] = await loops(which, 1, probeN);
  const perIteration = Number(p1 - p0) / 1e9 / probeN;
  const iterations = Math.max(probeN, Math.round(seconds / perIteration));
  const { value, busyness } = await withBusyness(async () => {
    const alone: number[] = [];
    const together: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const [[a0, a1]] = await loops(which, 1, iterations);
      alone.push(Number(a1 - a0) / 1e9);
      const spans = await loops(which, processes, iterations);
      const first = spans.reduce((m, [t0]) => (t0 < m ? t0 : m), spans[0][0]);
      const last = spans.reduce((m, [, t1]) => (t1 > m ? t1 : m), spans[0][1]);
      together.push(Number(last - first) / 1e9);
    }
    return { alone, together };
  });
  const aloneSeconds = median(value.alone);
  const togetherSeconds = median(value.together);
  return {
    language: which.language,
    command: which.command,
    processes,
    iterations,
    rounds,
    aloneSeconds,
    togetherSeconds,
    speedup: (processes * aloneSeconds) / togetherSeconds,
    roundSpeedups: value.alone.map((a, i) => (processes * a) / value.together[i]),
    busyness,
  };
}
