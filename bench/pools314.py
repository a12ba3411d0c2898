"""What each pool of concurrent.futures gives a CPU-bound pure-Python function on Python 3.14
(and on a free-threaded 3.13t, which has no InterpreterPoolExecutor: its threads are the point).

A benchmark, not a test: it prints figures for the README (issue 6). It runs the same batch of
calls (a loop summing squares) sequentially, then with ThreadPoolExecutor, ProcessPoolExecutor and
InterpreterPoolExecutor (new in 3.14), each pool started and warmed up before timing, its start-up
reported apart, the strategies taking turns round after round. Speedups are against the sequential
batches of the same run (the machine is shared: absolute times drift from one run to the next,
ratios taken minutes apart would mislead): median against median, and best against best (the
fastest batch of each, the least disturbed by other processes). It also
times the interpreter's own start (`-c pass`), and that of any --also interpreter for comparison.

    ~/.cache/concurrency-lens/python3.14/bin/python3.14 bench/pools314.py
    ... bench/pools314.py --calls 8 --workers 2 --repeats 5 --call-seconds 0.15
    ... bench/pools314.py --also /root/.pyenv/versions/3.13.1/bin/python3   (start time beside it)
    ... bench/pools314.py --wait-quiet 60      (each round waits for the other processes to stop)
    ... bench/pools314.py --json

The interpreter comes from scripts/setup-python.sh. Exit code 0 when every figure was measured,
2 when an option is wrong or this is not Python 3.14+.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent import futures


# Below this share of a CPU for the sequential batch, other processes took the rest.
BUSY_SHARE = 0.9


def sum_squares(n):
    """The CPU-bound call: pure Python bytecode from start to end, no I/O, no native helper."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def calibrate(call_seconds):
    """The loop length for which one call takes about `call_seconds` here, sequentially."""
    n = 10_000
    while True:
        started = time.perf_counter()
        sum_squares(n)
        elapsed = time.perf_counter() - started
        if elapsed >= 0.05:
            return max(1, int(n * call_seconds / elapsed))
        n *= 2


def start_seconds(command, repeats):
    """Median and spread of the wall time of `command -c pass` (a fresh process each time)."""
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        subprocess.run([*command, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    times = times[1:]  # the first run reads the files from disk
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def run_batch(pool, work, calls, n):
    """Wall seconds of one batch of `calls` calls, and the results to check."""
    started = time.perf_counter()
    if pool is None:
        results = [work(n) for _ in range(calls)]
    else:
        results = list(pool.map(work, [n] * calls))
    return time.perf_counter() - started, results


def machine_busy_share(seconds=1.0):
    """The share of all CPUs busy over `seconds` (/proc/stat), while this process sleeps."""
    def totals():
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
        idle = fields[3] + fields[4]  # idle and iowait
        return sum(fields) - idle, sum(fields)

    busy_before, all_before = totals()
    time.sleep(seconds)
    busy_after, all_after = totals()
    return (busy_after - busy_before) / max(1, all_after - all_before)


def wait_quiet(limit_seconds):
    """Waits (up to `limit_seconds`) until other processes use under 10% of the CPUs."""
    deadline = time.monotonic() + limit_seconds
    share = machine_busy_share()
    while share >= 0.1 and time.monotonic() < deadline:
        share = machine_busy_share()
    return share


def start_pool(make_pool, work, workers):
    """A pool with every worker started (one tiny call per worker and more), and how long that took."""
    started = time.perf_counter()
    pool = make_pool()
    list(pool.map(work, [1] * (workers * 4)))
    return pool, time.perf_counter() - started


def measure(strategies, work, options, n, expected):
    """
    Every pool started and warmed up first (start-up apart), then the timed batches, the
    strategies taking turns in each round so that a change in the machine's speed or load
    touches them all alike.
    """
    pools = {}
    startups = {}
    try:
        for name, make_pool in strategies:
            if make_pool is not None:
                pools[name], startups[name] = start_pool(make_pool, work, options.workers)
        for name, _ in strategies:
            run_batch(pools.get(name), work, options.calls, n)  # warm-up, not counted
        samples = {name: [] for name, _ in strategies}
        busy = []
        for _ in range(options.repeats):
            if options.wait_quiet > 0:
                busy.append(wait_quiet(options.wait_quiet))
            for name, _ in strategies:
                cpu_before = time.process_time()
                wall, results = run_batch(pools.get(name), work, options.calls, n)
                cpu = time.process_time() - cpu_before
                if results != expected:
                    raise SystemExit(f"pools314: {name} returned wrong results")
                samples[name].append((wall, cpu))
    finally:
        for pool in pools.values():
            pool.shutdown(wait=True)
    results = []
    for name, _ in strategies:
        wall = [w for w, _ in samples[name]]
        median = statistics.median(wall)
        # This process's CPU time: threads and interpreters run in it, process pool workers do not.
        cpu = statistics.median(c for _, c in samples[name])
        results.append({
            "strategy": name,
            "startupSeconds": startups.get(name, 0.0),
            "wallSeconds": {"median": median, "min": min(wall), "max": max(wall)},
            "processCpuPerWall": cpu / median,
        })
    return results, busy


def parse_options(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=8, help="calls per batch (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="pool workers (default 2)")
    parser.add_argument("--repeats", type=int, default=5, help="timed batches per strategy (default 5)")
    parser.add_argument("--call-seconds", type=float, default=0.15, help="length of one call, sequentially (default 0.15)")
    parser.add_argument("--start-repeats", type=int, default=10, help="interpreter starts timed (default 10)")
    parser.add_argument("--also", action="append", default=[], metavar="PYTHON", help="another interpreter whose start to time")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="S",
                        help="before each round, wait up to S seconds for other processes to leave the CPUs (a shared machine)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    options = parser.parse_args(argv)
    if min(options.calls, options.workers, options.repeats, options.start_repeats) < 1 or options.call_seconds <= 0 or options.wait_quiet < 0:
        parser.error("counts must be at least 1, --call-seconds positive and --wait-quiet not negative")
    return options


def main(argv):
    options = parse_options(argv)
    if sys.version_info < (3, 13):
        print(f"pools314: needs Python 3.13+ (sys._is_gil_enabled; InterpreterPoolExecutor from 3.14); this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    # The pools pickle the function by reference: from this file imported as a module, so that
    # worker processes and other interpreters can import it too (this script's folder is on sys.path).
    import pools314

    work = pools314.sum_squares
    n = calibrate(options.call_seconds)
    expected = [work(n)] * options.calls
    load_before = os.getloadavg()
    strategies = [
        ("sequential", None),
        ("threads", lambda: futures.ThreadPoolExecutor(options.workers)),
        ("processes", lambda: futures.ProcessPoolExecutor(options.workers)),
    ]
    # A 3.13 free-threaded build has no subinterpreter pool: its threads are the point there.
    if hasattr(futures, "InterpreterPoolExecutor"):
        strategies.append(("interpreters", lambda: futures.InterpreterPoolExecutor(options.workers)))
    results, busy = measure(strategies, work, options, n, expected)
    sequential = results[0]["wallSeconds"]["median"]
    sequential_min = results[0]["wallSeconds"]["min"]
    for result in results:
        result["speedup"] = sequential / result["wallSeconds"]["median"]
        # Best against best: on a shared machine the fastest batch is the least disturbed one.
        result["bestSpeedup"] = sequential_min / result["wallSeconds"]["min"]
    starts = [{"python": sys.executable, "start": start_seconds([sys.executable], options.start_repeats)}]
    starts += [{"python": other, "start": start_seconds([other], options.start_repeats)} for other in options.also]
    report = {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "gilEnabled": sys._is_gil_enabled(),
        "cpus": os.cpu_count(),
        "calls": options.calls,
        "workers": options.workers,
        "loopLength": n,
        "loadAverage": {"before": load_before[0], "after": os.getloadavg()[0]},
        "busy": results[0]["processCpuPerWall"] < BUSY_SHARE,
        "othersBusyShareBeforeRounds": busy,
        "starts": starts,
        "results": results,
    }
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        print(format_text(report))
    return 0


def format_text(report):
    lines = [
        f"Python {report['python']} ({report['executable']}), GIL {'enabled' if report['gilEnabled'] else 'disabled'}, "
        f"{report['cpus']} CPUs, load average {report['loadAverage']['before']:.2f} before, {report['loadAverage']['after']:.2f} after",
        f"{report['calls']} calls of sum_squares({report['loopLength']}), {report['workers']} workers",
        "",
        f"{'strategy':<13} {'wall median':>11} {'min–max':>15} {'speedup':>8} {'best':>7} {'start-up':>9} {'CPU/wall':>10}",
    ]
    for r in report["results"]:
        wall = r["wallSeconds"]
        startup = f"{r['startupSeconds'] * 1000:.0f} ms" if r["strategy"] != "sequential" else "–"
        cpu = f"{r['processCpuPerWall']:.2f}" if r["strategy"] != "processes" else "(children)"
        lines.append(
            f"{r['strategy']:<13} {wall['median']:>9.3f} s {wall['min']:>6.3f}–{wall['max']:.3f} s {r['speedup']:>7.2f}× {r['bestSpeedup']:>6.2f}× {startup:>9} {cpu:>10}"
        )
    share = report["results"][0]["processCpuPerWall"]
    if share < BUSY_SHARE:
        lines.append(
            f"the machine was busy: the sequential batch got {share:.2f} of a CPU, so these ratios are unreliable; "
            "run it again when the machine is quiet"
        )
    if report["othersBusyShareBeforeRounds"]:
        shares = ", ".join(f"{share:.0%}" for share in report["othersBusyShareBeforeRounds"])
        lines.append(f"other processes' share of the CPUs before each round: {shares}")
    lines.append("")
    for s in report["starts"]:
        start = s["start"]
        lines.append(
            f"start of {s['python']} -c pass: {start['median'] * 1000:.0f} ms median ({start['min'] * 1000:.0f}–{start['max'] * 1000:.0f} ms)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
