"""Concurrency Lens benchmark harness for Python.

Standard library only; runs on any CPython from 3.8 on. Started by src/bench/runner.ts as

    python3 -u python_harness.py CONFIG_JSON

in a process group of its own (the runner kills the whole group when the run ends).

The named function is loaded from its file (imported by path, with the workspace root and the
file's folder on sys.path, under a module name that is never "__main__", so code guarded by
`if __name__ == "__main__":` does not run) and called with the user's argument list, given as
source text and evaluated in the module's namespace, `tasks` times with `workers` workers under
each strategy: sequential, threads (ThreadPoolExecutor), processes (ProcessPoolExecutor, with the
chosen start method), async (asyncio.gather for an `async def`, asyncio.to_thread for a
plain function), interpreters (InterpreterPoolExecutor, Python 3.14+) and dask (a LocalCluster of
worker processes, or the scheduler address given; only when asked for: a cluster costs seconds).

Results travel as JSON lines on file descriptor 3 (RESULT_FD), never on stdout or stderr, which
belong to the user's code. Events (one JSON object per line, field "event"):
  hello     {env}                                  the interpreter and the run's settings
  phase     {phase, strategy?}                     where the run is (for crash messages)
  target    {async, kind}                          what was loaded
  startup   {strategy, seconds, pids?, method?,     pool start-up, measured before timing; poolSize:
             poolSize?, overheadSeconds?,          calls that can run at once; dask: the round trip of
             transferSeconds?, transferError?}     a batch of empty tasks, and what the call's data adds
  calibrate {strategy, batchSeconds, inner}        one warm batch and the repeat count chosen
  sample    {strategy, round, inner, wall, cpu,    one timed sample: `inner` batches of `tasks` calls;
             cpuWait?}                             cpuWait: time runnable but without a CPU (sequential)
  skip      {strategy, reason}                     a strategy that cannot run here
  error     {kind, message, ...}                   the run stopped (the function raised, ...)
  done      {}
Anything on the channel that is not JSON comes from faulthandler (a crash of the interpreter).

Measurement: pools are started and warmed before timing (start-up reported separately); each
strategy runs one untimed warm-up batch, then is calibrated so that a sample lasts at least
`targetSeconds` (a sample repeats the batch `inner` times); `samples` rounds follow, strategies
interleaved (the order rotates each round). CPU time is this process's (all threads), plus that
of waited-for children (RUSAGE_CHILDREN), plus what pool processes report for their own calls.
"""

import json
import os
import sys
import time

RESULT_FD = 3
MAIN_PID = os.getpid()
REAL_EXIT = os._exit
HARNESS_FILE = os.path.abspath(__file__)

_channel = None


def emit(event, **fields):
    """Writes one event line on the result channel (main process only)."""
    if _channel is None or os.getpid() != MAIN_PID:
        return
    fields["event"] = event
    try:
        _channel.write(json.dumps(fields, default=str) + "\n")
        _channel.flush()
    except Exception:
        pass


def children_cpu():
    """CPU seconds of terminated, waited-for child processes (0 where unsupported)."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime
    except Exception:
        return 0.0


def cpu_now():
    """CPU seconds of this process (every thread) and of its waited-for children."""
    return time.process_time() + children_cpu()


def limit_memory(megabytes):
    """Caps the address space (RLIMIT_AS) before any user code runs; children inherit it."""
    if not megabytes:
        return None
    try:
        import resource

        cap = int(megabytes) * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY and hard < cap:
            cap = hard
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        return cap // (1024 * 1024)
    except Exception:
        return None


def environment(cfg, start_method, memory_mb):
    import platform
    import sysconfig

    gil = None
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    if is_gil_enabled is not None:
        try:
            gil = bool(is_gil_enabled())
        except Exception:
            gil = None
    free_threaded_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    try:
        usable = len(os.sched_getaffinity(0))
    except Exception:
        usable = os.cpu_count()
    methods = []
    try:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
    except Exception:
        pass
    return {
        "language": "python",
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "executable": sys.executable,
        "freeThreadedBuild": free_threaded_build,
        "gilEnabled": True if gil is None and not free_threaded_build else gil,
        "startMethod": start_method,
        "startMethods": methods,
        "cpuCount": os.cpu_count(),
        "usableCpus": usable,
        "platform": sys.platform,
        "tasks": cfg["tasks"],
        "workers": cfg["workers"],
        "memoryLimitMb": memory_mb,
        "daskScheduler": cfg.get("daskScheduler") or None,
    }


# ---------------------------------------------------------------------------------------------
# Loading the target

class HarnessError(Exception):
    """A failure the harness explains itself (kind + message), ending the run."""

    def __init__(self, kind, message, **extra):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.extra = extra


def user_traceback(exc):
    """The traceback of an exception without the harness's own frames: [{file, line, name}]."""
    import traceback

    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == HARNESS_FILE:
            continue
        if "concurrent/futures" in frame.filename.replace("\\", "/"):
            continue
        frames.append({"file": frame.filename, "line": frame.lineno, "name": frame.name, "code": frame.line})
    return frames


def details(info):
    """describe_exception's fields to go with a message of the harness's own."""
    return {k: v for k, v in info.items() if k not in ("message", "kind")}


def describe_exception(exc):
    text = str(exc)
    # A ProcessPoolExecutor re-raises the worker's exception with the remote traceback as cause.
    cause = getattr(exc, "__cause__", None)
    remote = getattr(cause, "tb", None) if cause is not None else None
    return {
        "type": type(exc).__name__,
        "message": text,
        "traceback": user_traceback(exc),
        "remoteTraceback": remote if isinstance(remote, str) else None,
    }


def module_name_for(path):
    """A module name for the file: dotted when it sits in packages, never "__main__"."""
    folder, base = os.path.split(path)
    stem = os.path.splitext(base)[0]
    parts = [stem]
    top = folder
    while os.path.isfile(os.path.join(top, "__init__.py")):
        parts.insert(0, os.path.basename(top))
        parent = os.path.dirname(top)
        if parent == top:
            break
        top = parent
    dotted = ".".join(parts)
    if stem == "__init__":
        parts = parts[:-1]
        dotted = ".".join(parts)
    ok = all(p.isidentifier() for p in parts) and parts and dotted != "__main__"
    return (dotted if ok else None), top


def load_module(cfg):
    import importlib
    import importlib.util

    path = os.path.abspath(cfg["file"])
    if not os.path.isfile(path):
        raise HarnessError("load", "no such file: %s" % path)
    folder = os.path.dirname(path)
    roots = [folder]
    if cfg.get("root"):
        roots.append(os.path.abspath(cfg["root"]))
    dotted, top = module_name_for(path)
    if dotted and "." in dotted:
        roots.insert(0, top)
    for entry in reversed(roots):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    try:
        if dotted and "." in dotted:
            # Inside a package: import it properly, so relative imports work.
            return importlib.import_module(dotted)
        name = dotted if dotted and dotted not in sys.modules else "_concurrency_lens_target"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise HarnessError("load", "cannot import %s" % path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module
    except HarnessError:
        raise
    except MemoryError as exc:
        raise HarnessError("memory", "importing %s ran out of memory" % os.path.basename(path), **details(describe_exception(exc)))
    except SystemExit as exc:
        raise HarnessError("exit", "importing %s called sys.exit(%r)" % (os.path.basename(path), exc.code), code=exc.code)
    except BaseException as exc:
        info = describe_exception(exc)
        raise HarnessError("load", "importing %s raised %s: %s" % (os.path.basename(path), info["type"], info["message"]), **details(info))


def resolve(module, name):
    target = module
    for part in name.split("."):
        if not hasattr(target, part):
            callables = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("__") and getattr(v, "__module__", None) == module.__name__)
            where = "%s in %s" % (part, name) if "." in name else name
            raise HarnessError(
                "load",
                "%s is not reachable from the module (benchmarks call module-level functions and class/static methods; "
                "nested functions cannot be called from outside). Module-level callables: %s" % (where, ", ".join(callables) or "none"),
            )
        target = getattr(target, part)
    if not callable(target):
        raise HarnessError("load", "%s is not callable" % name)
    return target


def evaluate_args(module, text):
    """The argument list, evaluated as `f(TEXT)` would be, with the module's globals."""
    text = (text or "").strip()
    if not text:
        return (), {}
    namespace = dict(vars(module))
    namespace["__concurrency_lens_pack__"] = lambda *a, **k: (a, k)
    try:
        code = compile("__concurrency_lens_pack__(\n" + text + "\n)", "<--args>", "eval")
    except SyntaxError as exc:
        raise HarnessError("args", "the arguments are not a valid Python argument list: %s (%s)" % (text, exc.msg))
    try:
        return eval(code, namespace)
    except BaseException as exc:
        info = describe_exception(exc)
        raise HarnessError("args", "evaluating the arguments raised %s: %s" % (info["type"], info["message"]), **details(info))


class Target(object):
    def __init__(self, cfg):
        import inspect

        self.module = load_module(cfg)
        self.function = resolve(self.module, cfg["name"])
        self.args, self.kwargs = evaluate_args(self.module, cfg.get("args"))
        self.is_async = inspect.iscoroutinefunction(self.function)
        # What the first call returned: the dask strategy measures sending it back.
        self.first_result = None

    def call_sync(self):
        """One call from plain (non-async) code: a coroutine is run to completion."""
        result = self.function(*self.args, **self.kwargs)
        if self.is_async:
            import asyncio

            return asyncio.run(result)
        return result


# ---------------------------------------------------------------------------------------------
# Pool workers (processes): module-level, so they pickle by reference under every start method.

_worker_target = None


def _worker_init(cfg):
    global _worker_target
    if _worker_target is None:
        _worker_target = Target(cfg)


def _worker_ping(delay):
    time.sleep(delay)
    return os.getpid()


def _worker_call():
    """One call in a pool process; returns the CPU seconds it used there."""
    start = cpu_now()
    _worker_target.call_sync()
    return cpu_now() - start


def _worker_load(cfg, delay=0.0):
    """Loads the target in a pool member (a Dask worker, a subinterpreter), then holds it busy
    for `delay` so that a round of these reaches every member; returns who ran it."""
    _worker_init(cfg)
    time.sleep(delay)
    return os.getpid()


def _worker_unload():
    """Forgets the target in a Dask worker of a cluster that outlives the run."""
    global _worker_target
    if _worker_target is not None:
        sys.modules.pop(_worker_target.module.__name__, None)
    _worker_target = None


def _loaded_call(_index=None):
    """One call in a pool member that _worker_load prepared; the CPU seconds it used there (a
    subinterpreter's figure is the whole process's and is not used: the harness counts it)."""
    if _worker_target is None:
        raise RuntimeError("this worker joined the pool after the benchmark loaded the function on its members")
    return _worker_call()


def _interpreter_call(cfg):
    """One call in a subinterpreter, loading the target there first if this member has not."""
    _worker_init(cfg)
    _worker_target.call_sync()


def _dask_echo(payload):
    """A transfer probe: the call's arguments and result go to a worker, the result comes back."""
    return payload[2] if payload is not None else None


# ---------------------------------------------------------------------------------------------
# Strategies. Each: start() -> start-up seconds or None; batch() runs `tasks` calls and returns
# the extra CPU seconds measured elsewhere (pool processes); close().

class Sequential(object):
    name = "sequential"

    def __init__(self, target, tasks, loop):
        self.target, self.tasks, self.loop = target, tasks, loop

    def start(self):
        return None

    def batch(self):
        target = self.target
        if target.is_async:
            async def run_all():
                for _ in range(self.tasks):
                    await target.function(*target.args, **target.kwargs)

            self.loop.run_until_complete(run_all())
        else:
            f, a, k = target.function, target.args, target.kwargs
            for _ in range(self.tasks):
                f(*a, **k)
        return 0.0

    def close(self):
        pass


class Threads(object):
    name = "threads"

    def __init__(self, target, tasks, workers):
        self.target, self.tasks, self.workers = target, tasks, workers
        self.pool_size = workers
        self.pool = None

    def start(self):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        began = time.perf_counter()
        self.pool = ThreadPoolExecutor(max_workers=self.workers)
        barrier = threading.Barrier(self.workers)
        # Every worker thread started: each waits at the barrier until all are there.
        for future in [self.pool.submit(barrier.wait, 10) for _ in range(self.workers)]:
            future.result()
        return time.perf_counter() - began

    def batch(self):
        call = self.target.call_sync
        for future in [self.pool.submit(call) for _ in range(self.tasks)]:
            future.result()
        return 0.0

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)


class Processes(object):
    name = "processes"

    def __init__(self, target, tasks, workers, cfg, context):
        self.target, self.tasks, self.workers, self.cfg, self.context = target, tasks, workers, cfg, context
        self.pool_size = workers
        self.pool = None
        self.pids = []

    def start(self):
        from concurrent.futures import ProcessPoolExecutor

        began = time.perf_counter()
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context, initializer=_worker_init, initargs=(self.cfg,))
        # Newer Pythons start pool processes on demand: busy tasks make each submit need a new one.
        # The pings of a round sleep side by side, so each round's wall time holds one `delay`
        # that is the harness's own, not start-up: it is taken out of the figure.
        pids = set()
        delay = 0.02
        slept = 0.0
        for _ in range(6):
            pids.update(f.result() for f in [self.pool.submit(_worker_ping, delay) for _ in range(self.workers)])
            slept += delay
            if len(pids) >= self.workers:
                break
            delay *= 2
        self.pids = sorted(pids)
        return max(0.0, time.perf_counter() - began - slept)

    def batch(self):
        futures = [self.pool.submit(_worker_call) for _ in range(self.tasks)]
        return sum(f.result() for f in futures)

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)


class Async(object):
    name = "async"

    def __init__(self, target, tasks, loop):
        self.target, self.tasks, self.loop = target, tasks, loop
        self.method = "gather" if target.is_async else "to_thread"
        # gather runs every call at once; to_thread at most the default executor's threads.
        self.pool_size = tasks if target.is_async else None
        self.executor = None

    def start(self):
        if self.target.is_async:
            return None
        # asyncio.to_thread runs on the loop's default executor, which has its own size
        # (min(32, CPUs + 4)), not `workers`: made here so its size is known and reported, and
        # every thread a batch uses started before timing (the executor starts them on demand).
        import asyncio
        import threading
        from concurrent.futures import ThreadPoolExecutor

        began = time.perf_counter()
        executor = ThreadPoolExecutor(thread_name_prefix="asyncio")
        self.loop.set_default_executor(executor)
        self.executor = executor
        self.pool_size = getattr(executor, "_max_workers", None) or min(32, (os.cpu_count() or 1) + 4)
        needed = max(1, min(self.tasks, self.pool_size))
        barrier = threading.Barrier(needed)

        async def touch():
            await asyncio.gather(*[self.loop.run_in_executor(None, barrier.wait, 10) for _ in range(needed)])

        self.loop.run_until_complete(touch())
        return time.perf_counter() - began

    def batch(self):
        import asyncio

        target = self.target
        if target.is_async:
            async def run_all():
                await asyncio.gather(*[target.function(*target.args, **target.kwargs) for _ in range(self.tasks)])
        else:
            to_thread = getattr(asyncio, "to_thread", None)
            if to_thread is None:  # Python 3.8: what asyncio.to_thread does (without contextvars).
                import functools

                def to_thread(f, *a, **k):
                    return asyncio.get_event_loop().run_in_executor(None, functools.partial(f, *a, **k))

            async def run_all():
                await asyncio.gather(*[to_thread(target.function, *target.args, **target.kwargs) for _ in range(self.tasks)])

        self.loop.run_until_complete(run_all())
        return 0.0

    def close(self):
        if getattr(self, "executor", None) is not None:
            self.executor.shutdown(wait=True)


def harness_module():
    """This file imported as a module under its own name (it runs as "__main__"), so the
    functions pool members run pickle by reference: a Dask worker or a subinterpreter imports
    it by that name, where "__main__" is a module of its own."""
    import importlib

    folder = os.path.dirname(HARNESS_FILE)
    if folder not in sys.path:
        sys.path.append(folder)
    return importlib.import_module(os.path.splitext(os.path.basename(HARNESS_FILE))[0])


def median_of(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


class Interpreters(Threads):
    """InterpreterPoolExecutor (Python 3.14+): threads, each with an interpreter of its own and
    so a GIL of its own. Every call pickles the callable by reference, so each interpreter
    imports this harness and the user's module itself; extension modules that do not support
    subinterpreters cannot be imported there, and the strategy is skipped with the reason. A
    thread pool underneath: it shuts down as the Threads strategy's does."""

    name = "interpreters"
    method = "InterpreterPoolExecutor"

    def __init__(self, target, tasks, workers, cfg):
        self.target, self.tasks, self.workers, self.cfg = target, tasks, workers, cfg
        self.pool_size = workers
        self.pool = None
        self.module = None

    def start(self):
        from concurrent.futures import InterpreterPoolExecutor

        self.module = harness_module()
        began = time.perf_counter()
        self.pool = InterpreterPoolExecutor(max_workers=self.workers)
        # A member (thread + interpreter) starts per submit while none is idle: loads that sleep
        # side by side reach each member once; the sleep is the harness's, not start-up.
        delay = 0.05
        try:
            for future in [self.pool.submit(self.module._worker_load, self.cfg, delay) for _ in range(self.workers)]:
                future.result()
        except Exception as exc:
            raise RuntimeError(
                "the function's module cannot be loaded in a subinterpreter (its imports must support subinterpreters: "
                "extension modules built for one interpreter per process, numpy among them, refuse): %s: %s" % (type(exc).__name__, str(exc).strip().splitlines()[-1] if str(exc).strip() else "")
            )
        return max(0.0, time.perf_counter() - began - delay)

    def batch(self):
        # The subinterpreters' threads are this process's: cpu_now() counts their CPU time.
        call, cfg = self.module._interpreter_call, self.cfg
        for future in [self.pool.submit(call, cfg) for _ in range(self.tasks)]:
            future.result()
        return 0.0


class Dask(object):
    """dask.distributed: a LocalCluster of worker processes (one thread each, no dashboard), or
    the cluster behind the scheduler address given. A batch is `client.map` of `tasks` calls
    (pure=False: Dask would otherwise run equal calls once and reuse the result) and
    `client.gather`.

    Start-up (measured before timing, like a process pool's): importing dask.distributed,
    starting the cluster (or connecting to the scheduler and sending this harness to its
    workers), and a first round trip that loads the function on every worker. Two costs of
    distributing are measured apart, after start-up: the overhead, the round trip of a batch of
    empty tasks (scheduling, messages); and the transfer, what sending the call's arguments to a
    worker and its result back adds to that batch. The timed batches evaluate the arguments on
    the workers and drop the results, as the process pool does, so they pay the overhead but not
    the transfer: add it for work whose data travels.

    On a remote cluster the workers must import the function's file by the path it has here
    (a shared file system, or workers on this machine) and have its imports installed; the
    function is forgotten on them at the end, but the cluster is not ours to stop."""

    name = "dask"

    def __init__(self, target, tasks, workers, cfg):
        self.target, self.tasks, self.workers, self.cfg = target, tasks, workers, cfg
        self.scheduler = cfg.get("daskScheduler") or None
        self.pool_size = workers
        self.method = None
        self.client = None
        self.cluster = None
        self.module = None
        self.pids = []
        self.costs = {}

    def start(self):
        import logging

        began = time.perf_counter()
        from dask.distributed import Client, LocalCluster

        self.module = harness_module()
        if self.scheduler:
            self.client = Client(self.scheduler, timeout=30, set_as_default=False)
            self.client.upload_file(HARNESS_FILE)
            threads = self.client.nthreads()
            if not threads:
                raise RuntimeError("the scheduler at %s has no workers" % self.scheduler)
            self.pool_size = sum(threads.values())
            self.method = "scheduler %s, %d worker%s" % (self.scheduler, len(threads), "" if len(threads) == 1 else "s")
        else:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            self.client = Client(self.cluster, set_as_default=False)
            self.method = "local cluster, %d process%s" % (self.workers, "" if self.workers == 1 else "es")
        pids = self.client.run(self.module._worker_load, self.cfg)
        if self.cluster is not None:
            self.pids = sorted(set(pids.values()))
        seconds = time.perf_counter() - began
        self.measure_costs()
        return seconds

    def round_trip(self, payload):
        began = time.perf_counter()
        self.client.gather(self.client.map(self.module._dask_echo, [payload] * self.tasks, pure=False))
        return time.perf_counter() - began

    def measure_costs(self):
        """Empty and data-carrying batches in pairs, after one of each to warm up: the transfer
        is the median of the pairs' differences, so a drift of the machine's speed between
        them cancels out."""
        payload = (self.target.args, self.target.kwargs, self.target.first_result)
        self.round_trip(None)
        try:
            self.round_trip(payload)
        except Exception as exc:
            self.costs["transferError"] = "the arguments or the result cannot be sent to a worker: %s: %s" % (type(exc).__name__, exc)
            payload = None
        empty, extra = [], []
        for _ in range(5):
            empty.append(self.round_trip(None))
            if payload is not None:
                extra.append(self.round_trip(payload) - empty[-1])
        self.costs["overheadSeconds"] = median_of(empty)
        if extra:
            self.costs["transferSeconds"] = max(0.0, median_of(extra))

    def batch(self):
        return sum(self.client.gather(self.client.map(self.module._loaded_call, range(self.tasks), pure=False)))

    def close(self):
        if self.client is not None:
            if self.scheduler:
                try:
                    self.client.run(self.module._worker_unload)
                except Exception:
                    pass
            self.client.close(timeout=10)
        if self.cluster is not None:
            self.cluster.close(timeout=10)


def quiet_dask():
    """Dask logs to stderr, which is the user's output: only critical messages, in this process
    and in the workers (they inherit the environment). Set before dask is imported."""
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    os.environ.setdefault("DASK_DISTRIBUTED__LOGGING__DISTRIBUTED", "critical")


def unavailable(name):
    """Why a strategy cannot run with this interpreter, or None."""
    if name == "interpreters":
        if sys.version_info < (3, 14):
            return "InterpreterPoolExecutor needs Python 3.14 or later (this is %d.%d.%d)" % sys.version_info[:3]
        try:
            from concurrent.futures import InterpreterPoolExecutor  # noqa: F401
        except ImportError as exc:
            return "InterpreterPoolExecutor is not available in this build: %s" % exc
    if name == "dask":
        import importlib.util

        if importlib.util.find_spec("distributed") is None or importlib.util.find_spec("dask") is None:
            return "dask.distributed is not importable by %s: install it in that environment (pip install \"dask[distributed]\")" % sys.executable
    return None


# ---------------------------------------------------------------------------------------------

def runqueue_wait():
    """Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat), or None."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except Exception:
        return None


def timed(strategy, inner):
    """Runs `inner` batches; returns (wall seconds, CPU seconds, seconds waiting for a CPU).

    The wait is measured for the sequential strategy only, whose calls all run on this thread:
    on a busy machine it is the part of the wall time that is neither computing nor waiting
    on I/O, and the measured verdict leaves it out."""
    wait0 = runqueue_wait() if strategy.name == "sequential" else None
    cpu0 = cpu_now()
    wall0 = time.perf_counter()
    extra = 0.0
    for _ in range(inner):
        extra += strategy.batch()
    wall = time.perf_counter() - wall0
    cpu = cpu_now() - cpu0 + extra
    wait1 = runqueue_wait() if wait0 is not None else None
    return wall, cpu, (wait1 - wait0 if wait1 is not None else None)


def calibrate(strategy, warm, target_seconds, max_inner):
    """Batches per sample so that a sample lasts at least `target_seconds` (timeit's autorange)."""
    import math

    n, wall = 1, warm
    if warm < target_seconds / 2:
        wall = timed(strategy, 1)[0]
        while wall < target_seconds / 2 and n < max_inner:
            n = min(max_inner, n * max(2, min(100, int(target_seconds / max(wall, 1e-9)))))
            wall = timed(strategy, n)[0]
    per_batch = wall / n
    if per_batch >= target_seconds:
        return per_batch, 1
    return per_batch, min(max_inner, max(1, int(math.ceil(target_seconds / max(per_batch, 1e-12)))))


def choose_context(requested):
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if requested:
        if requested not in methods:
            raise HarnessError("usage", "start method %r is not available here (available: %s)" % (requested, ", ".join(methods)))
        return multiprocessing.get_context(requested), requested
    context = multiprocessing.get_context()
    return context, context.get_start_method()


def patch_exits():
    """os._exit cannot be caught: say who called it on the channel before the process goes."""
    def _exit(code):
        if os.getpid() == MAIN_PID:
            emit("exit-called", code=code, via="os._exit")
        REAL_EXIT(code)

    os._exit = _exit


ORDER = ["sequential", "threads", "processes", "async", "interpreters", "dask"]


def run(cfg):
    memory_mb = limit_memory(cfg.get("memoryMb"))
    context, start_method = choose_context(cfg.get("startMethod"))
    env = environment(cfg, start_method, memory_mb)
    emit("hello", env=env)
    deadline = time.perf_counter() + float(cfg.get("budgetSeconds") or 1e9)
    tasks, workers = int(cfg["tasks"]), int(cfg["workers"])
    samples = max(1, int(cfg.get("samples") or 5))
    target_seconds = float(cfg.get("targetSeconds") or 0.2)
    max_inner = int(cfg.get("maxInner") or 100000)

    patch_exits()
    emit("phase", phase="load")
    target = Target(cfg)
    emit("target", **{"async": target.is_async, "kind": "coroutine function" if target.is_async else "function"})

    import asyncio

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    emit("phase", phase="first-call")
    first = time.perf_counter()
    if target.is_async:
        target.first_result = loop.run_until_complete(target.function(*target.args, **target.kwargs))
    else:
        target.first_result = target.function(*target.args, **target.kwargs)
    emit("first-call", seconds=time.perf_counter() - first)

    wanted = cfg.get("strategies")
    if wanted is None:
        wanted = ["sequential", "threads", "processes", "async", "interpreters"]
    strategies = [Sequential(target, tasks, loop)]
    for name in wanted:
        if name == "threads":
            strategies.append(Threads(target, tasks, workers))
        elif name == "processes":
            strategies.append(Processes(target, tasks, workers, cfg, context))
        elif name == "async":
            strategies.append(Async(target, tasks, loop))
        elif name in ("interpreters", "dask"):
            reason = unavailable(name)
            if reason:
                emit("skip", strategy=name, reason=reason)
            elif name == "dask":
                quiet_dask()
                strategies.append(Dask(target, tasks, workers, cfg))
            else:
                strategies.append(Interpreters(target, tasks, workers, cfg))
        elif name == "workers":
            emit("skip", strategy=name, reason="worker threads are a Node.js strategy; Python uses threads and processes")
        elif name != "sequential":
            emit("skip", strategy=name, reason="unknown strategy")
    # Processes first: their pool is forked before this process has any extra threads.
    strategies.sort(key=lambda s: 0 if s.name == "processes" else 1)

    active = []
    try:
        for strategy in strategies:
            emit("phase", phase="start", strategy=strategy.name)
            try:
                seconds = strategy.start()
            except Exception as exc:
                info = describe_exception(exc)
                emit("skip", strategy=strategy.name, reason="the %s did not start: %s: %s" % ("cluster" if strategy.name == "dask" else "pool", info["type"], info["message"]), **details(info))
                strategy.close()
                continue
            fields = {"strategy": strategy.name, "seconds": seconds}
            if getattr(strategy, "pids", None):
                fields["pids"] = strategy.pids
            if getattr(strategy, "method", None):
                fields["method"] = strategy.method
            if getattr(strategy, "pool_size", None):
                fields["poolSize"] = strategy.pool_size
            fields.update(getattr(strategy, "costs", {}))
            if seconds is not None or len(fields) > 2:
                emit("startup", **fields)
            active.append(strategy)
        active.sort(key=lambda s: ORDER.index(s.name))

        inner = {}
        for strategy in active:
            emit("phase", phase="warm-up", strategy=strategy.name)
            warm = timed(strategy, 1)[0]  # untimed warm-up batch
            if strategy.name == "sequential":
                # Even the fastest strategies need about this long: stop now if it cannot fit.
                parallel = max(1, min(workers, tasks))
                floor = samples * (warm + (len(active) - 1) * warm / parallel)
                if time.perf_counter() + floor > deadline:
                    raise HarnessError(
                        "budget",
                        "one batch of %d calls takes %.2f s sequentially; %d samples of %d strategies need at least %.0f s, more than the time limit allows: "
                        "lower --tasks or raise --timeout" % (tasks, warm, samples, len(active), floor),
                    )
            emit("phase", phase="calibrate", strategy=strategy.name)
            per_batch, n = calibrate(strategy, warm, target_seconds, max_inner)
            inner[strategy.name] = n
            emit("calibrate", strategy=strategy.name, batchSeconds=per_batch, inner=n)

        for round_ in range(samples):
            shift = round_ % len(active)
            for strategy in active[shift:] + active[:shift]:
                emit("phase", phase="sample", strategy=strategy.name, round=round_)
                wall, cpu, wait = timed(strategy, inner[strategy.name])
                fields = {"strategy": strategy.name, "round": round_, "inner": inner[strategy.name], "wall": wall, "cpu": cpu}
                if wait is not None:
                    fields["cpuWait"] = wait
                emit("sample", **fields)
    finally:
        emit("phase", phase="shutdown")
        for strategy in active:
            try:
                strategy.close()
            except Exception:
                pass
    emit("done")


def main():
    global _channel
    try:
        _channel = os.fdopen(RESULT_FD, "w", buffering=1, encoding="utf-8")
    except OSError:
        sys.stderr.write("concurrency-lens harness: file descriptor %d (the result channel) is not open\n" % RESULT_FD)
        return 2
    try:
        import faulthandler

        faulthandler.enable(file=_channel, all_threads=False)
    except Exception:
        pass
    try:
        cfg = json.loads(sys.argv[1])
    except Exception:
        emit("error", kind="usage", message="the harness takes one argument: the run's settings as JSON")
        return 2
    try:
        run(cfg)
        return 0
    except HarnessError as exc:
        emit("error", kind=exc.kind, message=exc.message, **exc.extra)
    except MemoryError as exc:
        info = describe_exception(exc)
        info["message"] = "ran out of memory (MemoryError)"
        emit("error", kind="memory", **info)
    except SystemExit as exc:
        emit("error", kind="exit", message="the function called sys.exit(%r)" % (exc.code,), code=exc.code)
    except BaseException as exc:
        info = describe_exception(exc)
        kind = "raised"
        name = type(exc).__name__
        if name == "BrokenProcessPool":
            kind = "worker-died"
        emit("error", kind=kind, **info)
    return 1


if __name__ == "__main__":
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    # Skip interpreter teardown (threads and atexit hooks the user's code left): the run is over.
    REAL_EXIT(code)
