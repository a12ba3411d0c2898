// Concurrency Lens benchmark harness for Node.js (no dependencies; Node 20 or later).
//
// Started by src/bench/runner.ts as
//     node --max-old-space-size=MB node_harness.mjs CONFIG_JSON
// in a process group of its own (the runner kills the whole group when the run ends).
//
// The named export is loaded from its file by dynamic import (ESM and CommonJS alike), called
// with the user's argument list (source text, evaluated with `new Function`), `tasks` times with
// `workers` workers under each strategy: sequential; async (Promise.all, for a function that
// returns promises); workers (a worker_threads pool); processes (a child_process.fork pool).
//
// Results travel as JSON lines on file descriptor 3, never on stdout or stderr, which belong to
// the user's code. The events and the measurement are those of python_harness.py: hello, phase,
// target, first-call, startup (with poolSize: calls that can run at once), calibrate, sample,
// skip, error, exit-called, done.
// CPU time: process.cpuUsage() of this process (every thread, so worker threads included) plus
// what forked children report for their own calls.
//
// The same file runs as a pool member: as a worker thread (workerData.role === 'worker') or as a
// forked child (argv: --child CONFIG_JSON). Members load the target, then run one call per
// message {type: 'call'} and answer {type: 'done', cpu} or {type: 'error', error}.
import { fork } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { readFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const RESULT_FD = 3;
const HARNESS_FILE = fileURLToPath(import.meta.url);
const STRATEGY_ORDER = ['sequential', 'threads', 'processes', 'async', 'workers'];

let finished = false;

/** Writes one event line on the result channel (main thread of the main process only). */
function emit(event, fields = {}) {
  const bytes = Buffer.from(`${JSON.stringify({ ...fields, event })}\n`);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(RESULT_FD, bytes, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') return;
    }
  }
}

/** A failure the harness explains itself (kind + message), ending the run. */
class HarnessError extends Error {
  constructor(kind, message, extra = {}) {
    super(message);
    this.kind = kind;
    this.extra = extra;
  }
}

/** name, message and the stack without the harness's and Node's own frames. */
function describeError(error) {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), traceback: [] };
  const frames = [];
  for (const line of String(error.stack ?? '').split('\n').slice(1)) {
    const text = line.trim();
    if (!text.startsWith('at ') || text.includes(HARNESS_FILE) || text.includes('node:internal') || text.includes('(node:')) continue;
    const match = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?$/.exec(text);
    const name = /^at (?:async )?([^\s(]+) \(/.exec(text)?.[1] ?? '<anonymous>';
    frames.push(match ? { file: match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1], line: Number(match[2]), name } : { file: '', line: 0, name: text });
  }
  return { type: error.name || 'Error', message: error.message, traceback: frames };
}

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

// ------------------------------------------------------------------------------------------
// Loading the target

async function loadTarget(cfg) {
  let module;
  try {
    module = await import(pathToFileURL(cfg.file).href);
  } catch (error) {
    const info = describeError(error);
    throw new HarnessError('load', `importing ${cfg.file} threw ${info.type}: ${info.message}`, info);
  }
  let target = module;
  let holder = module;
  const parts = cfg.name.split('.');
  for (const [i, part] of parts.entries()) {
    let next = target?.[part];
    // A CommonJS module's properties may only be reachable through its default export.
    if (next === undefined && i === 0 && module.default && typeof module.default === 'object') next = module.default[part];
    if (next === undefined && i === 0 && part === 'default') next = module.default;
    if (next === undefined) {
      const exported = Object.keys(module).filter((k) => typeof module[k] === 'function');
      const where = parts.length > 1 ? `${part} in ${cfg.name}` : cfg.name;
      throw new HarnessError(
        'load',
        `${where} is not exported from ${cfg.file} (benchmarks call exported functions and static methods; ` +
          `export it to benchmark it). Exported functions: ${exported.join(', ') || 'none'}`,
      );
    }
    holder = target;
    target = next;
  }
  if (typeof target !== 'function') throw new HarnessError('load', `${cfg.name} is not a function`);
  let args;
  const text = (cfg.args ?? '').trim();
  try {
    args = text ? new Function(`return [\n${text}\n];`)() : [];
  } catch (error) {
    const info = describeError(error);
    throw new HarnessError('args', `evaluating the arguments (${text}) threw ${info.type}: ${info.message}`, info);
  }
  const fn = target;
  const self = holder === module ? undefined : holder;
  return { call: () => fn.apply(self, args), declaredAsync: fn.constructor?.name === 'AsyncFunction' };
}

// ------------------------------------------------------------------------------------------
// Pool members

async function member(cfg, send, onMessage) {
  let target;
  try {
    target = await loadTarget(cfg);
  } catch (error) {
    send({ type: 'load-error', error: error instanceof HarnessError ? { kind: error.kind, message: error.message } : describeError(error) });
    return;
  }
  onMessage(async (message) => {
    if (message?.type !== 'call') return;
    const start = cpuSeconds();
    try {
      const result = target.call();
      if (result && typeof result.then === 'function') await result;
      send({ type: 'done', id: message.id, cpu: cpuSeconds() - start });
    } catch (error) {
      send({ type: 'error', id: message.id, error: describeError(error) });
    }
  });
  send({ type: 'ready', pid: process.pid });
}

/** A pool of workers (threads or forked processes) that run one call per message. */
class Pool {
  constructor(name, size, create) {
    this.name = name;
    this.size = size;
    this.create = create;
    this.members = [];
    this.failure = undefined;
    this.pids = [];
  }

  async start() {
    const began = performance.now();
    const ready = [];
    for (let i = 0; i < this.size; i++) {
      const m = { busy: undefined, handle: undefined };
      ready.push(
        new Promise((resolve, reject) => {
          m.handle = this.create((message) => {
            if (message?.type === 'ready') {
              if (message.pid && message.pid !== process.pid) this.pids.push(message.pid);
              resolve();
            } else if (message?.type === 'load-error') reject(new HarnessError(message.error.kind ?? 'load', message.error.message));
            else if (message?.type === 'done' || message?.type === 'error') {
              const busy = m.busy;
              m.busy = undefined;
              if (!busy) return;
              if (message.type === 'done') busy.resolve(message.cpu);
              else busy.reject(Object.assign(new Error(message.error.message), { info: message.error }));
            }
          }, (why) => {
            this.failure ??= why;
            reject(new HarnessError('worker-died', why));
            m.busy?.reject(new HarnessError('worker-died', why));
            m.busy = undefined;
          });
        }),
      );
      this.members.push(m);
    }
    await Promise.all(ready);
    return (performance.now() - began) / 1000;
  }

  /** Runs `tasks` calls; resolves to the CPU seconds the members report. */
  batch(tasks) {
    return new Promise((resolve, reject) => {
      let next = 0;
      let running = 0;
      let cpu = 0;
      let failed = false;
      const pump = () => {
        if (failed) return;
        if (next === tasks && running === 0) return resolve(cpu);
        for (const m of this.members) {
          if (next >= tasks) break;
          if (m.busy) continue;
          next++;
          running++;
          new Promise((res, rej) => {
            m.busy = { resolve: res, reject: rej };
            m.handle.send({ type: 'call', id: next });
          }).then(
            (c) => {
              running--;
              cpu += c ?? 0;
              pump();
            },
            (error) => {
              failed = true;
              reject(error);
            },
          );
        }
      };
      if (this.failure) reject(new HarnessError('worker-died', this.failure));
      else pump();
    });
  }

  async close() {
    await Promise.all(this.members.map((m) => m.handle?.close()));
  }
}

function workerPool(cfg) {
  const limits = cfg.memoryMb ? { maxOldGenerationSizeMb: cfg.memoryMb } : undefined;
  return new Pool('workers', cfg.workers, (onMessage, onDeath) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'worker', cfg }, resourceLimits: limits });
    let closing = false;
    worker.on('message', onMessage);
    worker.on('error', (error) => onDeath(`a worker thread failed: ${describeError(error).type}: ${error.message}`));
    worker.on('exit', (code) => {
      if (!closing) onDeath(`a worker thread exited (code ${code})`);
    });
    return {
      send: (message) => worker.postMessage(message),
      close: async () => {
        closing = true;
        await worker.terminate();
      },
    };
  });
}

function forkPool(cfg) {
  return new Pool('processes', cfg.workers, (onMessage, onDeath) => {
    const child = fork(HARNESS_FILE, ['--child', JSON.stringify(cfg)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let closing = false;
    child.on('message', onMessage);
    child.on('error', (error) => onDeath(`a child process failed: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (!closing) onDeath(`a child process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    });
    return {
      send: (message) => child.send(message),
      close: async () => {
        closing = true;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
    };
  });
}

// ------------------------------------------------------------------------------------------
// Strategies: start() -> start-up seconds or undefined; batch() -> extra CPU seconds; close().

function strategies(cfg, target) {
  const { tasks } = cfg;
  const list = [
    {
      name: 'sequential',
      start: async () => undefined,
      batch: async () => {
        for (let i = 0; i < tasks; i++) {
          const r = target.call();
          if (target.async) await r;
        }
        return 0;
      },
      close: async () => {},
    },
  ];
  const wanted = cfg.strategies ?? ['sequential', 'async', 'workers', 'processes'];
  for (const name of wanted) {
    if (name === 'async') {
      if (!target.async) {
        emit('skip', { strategy: 'async', reason: 'a plain function (it returns no promise): Promise.all would run its calls one after another on the event loop' });
        continue;
      }
      list.push({
        name: 'async',
        method: 'Promise.all',
        start: async () => undefined,
        batch: async () => {
          await Promise.all(Array.from({ length: tasks }, () => target.call()));
          return 0;
        },
        close: async () => {},
      });
    } else if (name === 'workers' || name === 'processes') {
      const pool = name === 'workers' ? workerPool(cfg) : forkPool(cfg);
      list.push({
        name,
        method: name === 'workers' ? 'worker_threads' : 'child_process.fork',
        pool,
        start: () => pool.start(),
        // Worker threads' CPU time is already in this process's; forked children report theirs.
        batch: async () => {
          const reported = await pool.batch(tasks);
          return name === 'processes' ? reported : 0;
        },
        close: () => pool.close(),
      });
    } else if (name === 'threads') {
      emit('skip', { strategy: 'threads', reason: 'JavaScript has no shared-memory threads for plain functions; see "workers" (worker_threads)' });
    } else if (name !== 'sequential') {
      emit('skip', { strategy: name, reason: 'unknown strategy' });
    }
  }
  return list;
}

/** Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat), or undefined. */
function runqueueWait() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return undefined;
  }
}

/**
 * Runs `inner` batches: wall and CPU seconds for all of them, and (sequential only, whose
 * calls all run on this thread) the seconds spent waiting for a CPU on a busy machine.
 */
async function timed(strategy, inner) {
  const wait0 = strategy.name === 'sequential' ? runqueueWait() : undefined;
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  let extra = 0;
  for (let i = 0; i < inner; i++) extra += await strategy.batch();
  const wall = (performance.now() - wall0) / 1000;
  const cpu = cpuSeconds() - cpu0 + extra;
  const wait1 = wait0 === undefined ? undefined : runqueueWait();
  return { wall, cpu, cpuWait: wait1 === undefined ? undefined : wait1 - wait0 };
}

/** Batches per sample so that a sample lasts at least `targetSeconds` (timeit's autorange). */
async function calibrate(strategy, warm, targetSeconds, maxInner) {
  let n = 1;
  let wall = warm;
  if (warm < targetSeconds / 2) {
    ({ wall } = await timed(strategy, 1));
    while (wall < targetSeconds / 2 && n < maxInner) {
      n = Math.min(maxInner, n * Math.max(2, Math.min(100, Math.floor(targetSeconds / Math.max(wall, 1e-9)))));
      ({ wall } = await timed(strategy, n));
    }
  }
  const perBatch = wall / n;
  if (perBatch >= targetSeconds) return { perBatch, n: 1 };
  return { perBatch, n: Math.min(maxInner, Math.max(1, Math.ceil(targetSeconds / Math.max(perBatch, 1e-12)))) };
}

async function run(cfg) {
  emit('hello', {
    env: {
      language: 'javascript',
      implementation: 'Node.js',
      version: process.versions.node,
      v8: process.versions.v8,
      executable: process.execPath,
      execArgv: process.execArgv,
      cpuCount: cpus().length,
      usableCpus: availableParallelism(),
      platform: process.platform,
      tasks: cfg.tasks,
      workers: cfg.workers,
      memoryLimitMb: cfg.memoryMb ?? null,
    },
  });
  const deadline = performance.now() / 1000 + (cfg.budgetSeconds ?? 1e9);
  const samples = Math.max(1, cfg.samples ?? 5);
  const targetSeconds = cfg.targetSeconds ?? 0.2;
  const maxInner = cfg.maxInner ?? 100000;
  const { tasks, workers } = cfg;

  emit('phase', { phase: 'load' });
  const target = await loadTarget(cfg);
  emit('phase', { phase: 'first-call' });
  const first = performance.now();
  const result = target.call();
  target.async = target.declaredAsync || (!!result && typeof result.then === 'function');
  if (target.async) await result;
  emit('target', { async: target.async, kind: target.async ? 'async function' : 'function' });
  emit('first-call', { seconds: (performance.now() - first) / 1000 });

  const all = strategies(cfg, target);
  const active = [];
  try {
    for (const strategy of all) {
      emit('phase', { phase: 'start', strategy: strategy.name });
      let seconds;
      try {
        seconds = await strategy.start();
      } catch (error) {
        const info = error instanceof HarnessError ? { type: error.kind, message: error.message } : describeError(error);
        emit('skip', { strategy: strategy.name, reason: `the pool did not start: ${info.message}` });
        await strategy.close().catch(() => {});
        continue;
      }
      if (seconds !== undefined || strategy.method) {
        emit('startup', {
          strategy: strategy.name,
          seconds: seconds ?? null,
          method: strategy.method,
          // Calls that can run at once: every one under Promise.all, one per pool member.
          poolSize: strategy.pool?.size ?? (strategy.name === 'async' ? tasks : undefined),
          pids: strategy.pool?.pids.length ? strategy.pool.pids : undefined,
        });
      }
      active.push(strategy);
    }
    active.sort((a, b) => STRATEGY_ORDER.indexOf(a.name) - STRATEGY_ORDER.indexOf(b.name));

    const inner = new Map();
    for (const strategy of active) {
      emit('phase', { phase: 'warm-up', strategy: strategy.name });
      const { wall: warm } = await timed(strategy, 1); // untimed warm-up batch
      if (strategy.name === 'sequential') {
        // Even the fastest strategies need about this long: stop now if it cannot fit.
        const parallel = Math.max(1, Math.min(workers, tasks));
        const floor = samples * (warm + ((active.length - 1) * warm) / parallel);
        if (performance.now() / 1000 + floor > deadline) {
          throw new HarnessError(
            'budget',
            `one batch of ${tasks} calls takes ${warm.toFixed(2)} s sequentially; ${samples} samples of ${active.length} strategies need at least ` +
              `${floor.toFixed(0)} s, more than the time limit allows: lower --tasks or raise --timeout`,
          );
        }
      }
      emit('phase', { phase: 'calibrate', strategy: strategy.name });
      const { perBatch, n } = await calibrate(strategy, warm, targetSeconds, maxInner);
      inner.set(strategy.name, n);
      emit('calibrate', { strategy: strategy.name, batchSeconds: perBatch, inner: n });
    }

    for (let round = 0; round < samples; round++) {
      const shift = round % active.length;
      for (const strategy of [...active.slice(shift), ...active.slice(0, shift)]) {
        emit('phase', { phase: 'sample', strategy: strategy.name, round });
        const { wall, cpu, cpuWait } = await timed(strategy, inner.get(strategy.name));
        emit('sample', { strategy: strategy.name, round, inner: inner.get(strategy.name), wall, cpu, cpuWait });
      }
    }
  } finally {
    emit('phase', { phase: 'shutdown' });
    for (const strategy of active) await strategy.close().catch(() => {});
  }
}

function fail(error) {
  if (error instanceof HarnessError) emit('error', { kind: error.kind, message: error.message, ...error.extra });
  else {
    const info = error?.info ?? describeError(error);
    emit('error', { kind: 'raised', ...info });
  }
}

async function main() {
  let cfg;
  try {
    cfg = JSON.parse(process.argv[2]);
  } catch {
    emit('error', { kind: 'usage', message: 'the harness takes one argument: the run settings as JSON' });
    return 2;
  }
  // process.exit() from the user's code cannot be caught: say so before the process goes.
  process.on('exit', (code) => {
    if (!finished) emit('exit-called', { code, via: 'process.exit' });
  });
  // Errors thrown later from the user's timers or unawaited promises end the run.
  const background = (error) => {
    fail(error);
    finished = true;
    process.exit(1);
  };
  process.on('uncaughtException', background);
  process.on('unhandledRejection', background);
  try {
    await run(cfg);
    emit('done');
    return 0;
  } catch (error) {
    fail(error);
    return 1;
  }
}

if (!isMainThread && workerData?.role === 'worker') {
  await member(workerData.cfg, (message) => parentPort.postMessage(message), (handler) => parentPort.on('message', handler));
} else if (process.argv[2] === '--child') {
  const cfg = JSON.parse(process.argv[3]);
  process.on('disconnect', () => process.exit(0));
  await member(cfg, (message) => process.send(message), (handler) => process.on('message', handler));
} else {
  const code = await main();
  finished = true;
  // Timers, sockets or servers the user's code left open must not keep the run alive.
  await sleep(0);
  process.exit(code);
}
