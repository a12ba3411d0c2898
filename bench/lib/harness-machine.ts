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
 * process: Python's time.monotonic_ns, Node's process.hrtime), runs the calibration loop in
 * chunks for a fixed time, and prints how many iterations it did and in how many nanoseconds.
 * Interpreter start-up is left out. A child that starts late (a busy machine) still runs at
 * least one chunk, and its rate is over its own loop. A fixed time rather than a fixed amount of work: the
 * question is throughput, and a pool hands work to whichever process is free, so a vCPU slower
 * than the other (shared with the host) costs a pool less than a fixed split of the work.
 */
const PYTHON_LOOP = `
import sys, time
start, duration = int(sys.argv[1]), int(sys.argv[2])
wait = start - time.monotonic_ns()
if wait > 0:
    time.sleep(wait / 1e9)
end = start + duration
t0 = time.monotonic_ns()
n = total = 0
while True:
    for i in range(10000):
        total += i * i % 7
    n += 10000
    if time.monotonic_ns() >= end:
        break
print(n, time.monotonic_ns() - t0)
`;

const NODE_LOOP = `
const [start, duration] = [BigInt(process.argv[1]), BigInt(process.argv[2])];
const wait = Number(start - process.hrtime.bigint()) / 1e6;
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
const end = start + duration;
const t0 = process.hrtime.bigint();
let n = 0;
let total = 0;
do {
  for (let i = 0; i < 100000; i++) total += (i * i) % 7;
  n += 100000;
} while (process.hrtime.bigint() < end);
console.log(n, String(process.hrtime.bigint() - t0), total > 0 ? '' : '-');
`;

export interface BaselineLanguage {
  language: 'python' | 'javascript';
  command: string;
}

/** Runs `count` loops at once for `seconds`; resolves with each one's iterations per second. */
async function loops(which: BaselineLanguage, count: number, seconds: number): Promise<number[]> {
  // Far enough ahead for every interpreter to have started (on a quiet machine).
  const start = process.hrtime.bigint() + 500_000_000n;
  const duration = String(Math.round(seconds * 1e9));
  const argv = which.language === 'python' ? ['-c', PYTHON_LOOP, String(start), duration] : ['-e', NODE_LOOP, String(start), duration];
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(which.command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('error', reject);
          child.on('close', (code) => {
            const [n, ns] = out.trim().split(' ').map(Number);
            if (code !== 0 || !(n > 0 && ns > 0)) reject(new Error(`the baseline loop (${which.command}) exited with code ${code}: ${err.trim().slice(-300)}`));
            else resolve(n / (ns / 1e9));
          });
        }),
    ),
  );
}

export interface Baseline {
  language: 'python' | 'javascript';
  command: string;
  processes: number;
  /** Seconds each loop runs. */
  seconds: number;
  rounds: number;
  /** Median iterations per second of one loop alone. */
  aloneRate: number;
  /** Median iterations per second of `processes` loops at once, together. */
  togetherRate: number;
  /** Throughput of `processes` loops at once over one alone (medians). */
  speedup: number;
  /** Each round's speedup (alone and together interleaved). */
  roundSpeedups: number[];
  /** Each process's share of the together throughput (median over rounds): uneven CPUs show here. */
  shares: number[];
  busyness: Busyness;
}

/**
 * The machine's own scaling: `rounds` rounds of one loop alone, then `processes` loops at once
 * (interleaved, so a change in load hits both), each for `seconds`.
 */
export async function measureBaseline(which: BaselineLanguage, processes: number, rounds: number, seconds: number): Promise<Baseline> {
  const { value, busyness } = await withBusyness(async () => {
    const alone: number[] = [];
    const together: number[] = [];
    const shares: number[][] = Array.from({ length: processes }, () => []);
    for (let round = 0; round < rounds; round++) {
      const [rate] = await loops(which, 1, seconds);
      alone.push(rate);
      // Sorted, so that the shares say how uneven the CPUs were, not which process was which.
      const rates = (await loops(which, processes, seconds)).sort((a, b) => b - a);
      const sum = rates.reduce((a, b) => a + b, 0);
      together.push(sum);
      rates.forEach((r, i) => shares[i].push(r / sum));
    }
    return { alone, together, shares };
  });
  const aloneRate = median(value.alone);
  const togetherRate = median(value.together);
  return {
    language: which.language,
    command: which.command,
    processes,
    seconds,
    rounds,
    aloneRate,
    togetherRate,
    speedup: togetherRate / aloneRate,
    roundSpeedups: value.alone.map((a, i) => value.together[i] / a),
    shares: value.shares.map((list) => median(list)),
    busyness,
  };
}
