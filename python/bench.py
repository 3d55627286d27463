#!/usr/bin/env python3
"""The Python columns of the benchmark: the tutorial's three Python models (asyncio,
threading, multiprocessing) on the workloads the Rust models run, checked the same way.

    python3 python/bench.py WORKLOAD MODEL [--n N] [--repeat R] [--workers W] [--key value ...]
    python3 python/bench.py http_server MODEL --port 0 [--workers W]
    python3 python/bench.py --list
    python3 python/bench.py --help [WORKLOAD]

One interpreter runs the workload R times: the event loop, the pools and the expected
answer are made once, before the clock starts (as the Rust harness builds a runtime once),
and every run's answer is checked. It prints exactly one JSON line on stdout:

    {"python": {"version", "implementation", "gil", "executable", "libpython"},
     "workload", "model", "params",
     "runs": [{"elapsed_ns", "answer", "gc"}, ...]}      (+ "memory" for idle_tasks)

and exits 0; on a wrong answer or a failure the same line with "error" and exit 1; where the
model cannot run the workload, the line with "cannot" (no "runs") and exit 0; on a bad
argument, one line on stderr and exit 2. `http_server` prints "listening on HOST:PORT" first,
serves until SIGTERM, then prints its JSON line (with "served") and exits 0.

The layout mirrors the Rust workspace: workloads/ holds what every model must agree on
(crates/workloads), model_asyncio/, model_threading/ and model_multiprocessing/ hold one
module per workload (crates/model-*), and this file is the harness.
"""

import dataclasses
import faulthandler
import gc
import json
import math
import multiprocessing
import os
import platform
import sys
import time

import workloads
from model_asyncio import Asyncio
from model_multiprocessing import Multiprocessing
from model_threading import Threading
from workloads import (cancellation, channels, gather, idle, locks, mandelbrot, memory, ping_pong, semaphore,
                       spawn_join, stall, timeouts, waits)

MODELS = {"asyncio": Asyncio, "threading": Threading, "multiprocessing": Multiprocessing}


class BadArgument(Exception):
    """A bad command line: one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------
# The options: each workload's sizes, with the defaults of workloads/*.py.


@dataclasses.dataclass
class Opt:
    """One --option. `default` is a value, or a function (model, params) -> value for
    defaults that depend on the model or on options resolved before it."""

    name: str
    default: object
    doc: str
    kind: type = int
    minimum: float = 1
    choices: tuple = ()


def per_model(table):
    """A default that differs per model: table[model]."""
    return lambda model, p: table[model]


def worker_count():
    """Worker threads or processes for pools: BENCH_WORKERS if set (the Rust harness's
    variable), else the machine's cores."""
    text = os.environ.get("BENCH_WORKERS")
    if text is None:
        return os.cpu_count() or 1
    if not text.strip().isdigit() or not 1 <= int(text) <= 1024:
        raise BadArgument(f"BENCH_WORKERS={text!r}: expected a whole number of workers from 1 to 1024")
    return int(text)


# Options every workload takes.
COMMON = [
    Opt("repeat", 1, "runs in this interpreter, each timed and checked"),
    Opt("workers", lambda model, p: worker_count(), "threads or processes of a pool (BENCH_WORKERS, else the cores)"),
    Opt("timeout", 60.0, "seconds any one wait may take; a run taking 3x this is stopped", kind=float, minimum=0.001),
    Opt(
        "start_method",
        lambda model, p: multiprocessing.get_context().get_start_method(),
        "how processes start (the platform's default when not given)",
        kind=str,
        choices=tuple(multiprocessing.get_all_start_methods()),
    ),
]


def variant_opt(variants, doc="which variant"):
    """--variant, its first choice (for the model) the default."""
    if isinstance(variants, dict):
        return Opt("variant", lambda model, p: variants[model][0], doc, kind=str,
                   choices=tuple(dict.fromkeys(v for vs in variants.values() for v in vs)))
    return Opt("variant", variants[0], doc, kind=str, choices=tuple(variants))


def seconds(ms):
    return ms / 1e3


# ---------------------------------------------------------------------------------------
# The workloads: for each, its options, how a model runs it, and how its answer is checked.


@dataclasses.dataclass
class Entry:
    id: str
    title: str
    options: list
    # run(model, params, given) -> the outcome (a dataclass of workloads/*.py).
    run: object
    # check(params, given, outcome): raises workloads.WrongAnswer.
    check: object
    # setup(params) -> `given`: the runs' inputs and the expected answer, made once, before
    # the clock starts (computing them inside a timed run would add to the measurement).
    setup: object = lambda p: None


def run_waits(model, p, given):
    return model.concurrent_waits(p["n"], seconds(p["wait_ms"]), p["variant"])


def setup_gather(p):
    """The seeded durations, in nanoseconds (to check) and in seconds (to sleep)."""
    durations_ns = gather.durations(p["n"], p["spread_ms"] * 1_000_000)
    return durations_ns, [ns / 1e9 for ns in durations_ns]


def run_gather(model, p, given):
    if p["variant"] == "gather":
        return model.gather(given[1])
    return model.as_completed(given[1])


def check_gather(model_id, p, given, got):
    if p["variant"] == "gather":
        return gather.check_gather(p["n"], got)
    # Completion order can be held to only where every task overlaps every other: on the
    # event loop, or on a pool with a thread or process per task.
    overlap = model_id == "asyncio" or p["pool"] >= p["n"]
    tolerance = p["tolerance_ms"] * 1_000_000 if p["tolerance_ms"] >= 0 and overlap else None
    gather.check_as_completed(given[0], got, tolerance)


def run_locks(model, p, given):
    return model.locked_counter(p["n"], locks.per_worker(p["increments"], p["n"]), p["variant"])


def run_semaphore(model, p, given):
    if p["variant"] == "permit_churn":
        return model.permit_churn(p["n"], p["permits"], p["rounds"])
    return model.semaphore(p["n"], p["permits"], seconds(p["wait_ms"]))


def check_semaphore(p, given, got):
    if p["variant"] == "permit_churn":
        return semaphore.check_churn(p["n"], p["permits"], p["rounds"], got)
    semaphore.check(p["n"], p["permits"], got)


def the_stall(p):
    blocker, placement = stall.VARIANTS[p["variant"]]
    return stall.Stall(
        blocker=blocker, placement=placement, blockers=p["blockers"], calls=p["calls"],
        block_for=seconds(p["block_ms"]), ticks=p["ticks"], tick=seconds(p["tick_ms"]), lead=seconds(p["lead_ms"]),
    )


def the_image(p):
    return mandelbrot.Mandelbrot(p["width"], p["height"], p["iterations"])


def entries(model_id):
    """Every workload, in the order of the course. `model_id` closes over the checks that
    depend on the model."""
    return [
        Entry(
            waits.ID, "W1: N tasks each wait D, then are joined",
            [
                Opt("n", per_model(waits.DEFAULT_N), "tasks"),
                Opt("wait_ms", waits.WAIT_MS, "how long each task waits", minimum=0),
                Opt("variant", None, "measure_performance: the tutorial's own gather of asyncio.sleep (asyncio)",
                    kind=str, choices=("measure_performance",)),
            ],
            run_waits, lambda p, given, got: waits.check(p["n"], got),
        ),
        Entry(
            spawn_join.ID, "W2: N trivial tasks spawned and joined",
            [Opt("n", per_model(spawn_join.DEFAULT_N), "tasks")],
            lambda model, p, given: model.spawn_join(p["n"]),
            lambda p, given, got: spawn_join.check(given, got),
            lambda p: spawn_join.expected(p["n"]),
        ),
        Entry(
            ping_pong.ID, "W3: two tasks pass a token back and forth",
            [Opt("n", per_model(ping_pong.DEFAULT_ROUNDS), "round trips")],
            lambda model, p, given: model.ping_pong(p["n"]),
            lambda p, given, got: ping_pong.check(p["n"], got),
        ),
        Entry(
            idle.ID, "W4: N tasks held waiting on one gate while the process tree's memory is read (also at N=1)",
            [Opt("n", per_model(idle.DEFAULT_N), "idle tasks")],
            None,  # run by run_idle: it reads memory at the peak
            lambda p, given, got: idle.check(got),
        ),
        Entry(
            gather.ID, "W5: N tasks of seeded durations; results in submission order, or as they complete",
            [
                variant_opt(gather.VARIANTS),
                Opt("n", per_model(gather.DEFAULT_N), "tasks"),
                Opt("spread_ms", gather.SPREAD_MS, "the longest duration; the others are spread evenly below it"),
                Opt("tolerance_ms", -1, "as_completed: how far out of duration order a result may come (-1: any order)",
                    minimum=-1),
                Opt("pool", lambda model, p: {"threading": p["n"], "multiprocessing": p["workers"]}.get(model),
                    "threads (N by default) or processes (--workers) of the executor; asyncio has none"),
            ],
            run_gather, lambda p, given, got: check_gather(model_id, p, given, got), setup_gather,
        ),
        Entry(
            cancellation.ID, "W6: a task holding a resource is cancelled: how long until it is released",
            [
                Opt("n", per_model(cancellation.DEFAULT_TRIALS), "trials, one after another"),
                Opt("hold_ms", cancellation.HOLD_MS, "how long each task holds its resource before the cancel",
                    minimum=0),
            ],
            lambda model, p, given: model.cancellation(p["n"], p["hold_ms"] * 1_000_000),
            lambda p, given, got: cancellation.check(p["n"], got),
        ),
        Entry(
            timeouts.ID, "W7: N operations whose deadline is shorter than their work; every one times out",
            [
                Opt("n", per_model(timeouts.DEFAULT_N), "operations started at once"),
                Opt("deadline_ms", timeouts.DEADLINE_MS, "each operation's deadline"),
                Opt("work_ms", lambda model, p: max(timeouts.WORK_MS, 10 * p["deadline_ms"]),
                    "the work each would do (longer than the deadline)"),
                Opt("pool", lambda model, p: p["n"] if model == "threading" else None,
                    "threading: threads of the ThreadPoolExecutor (N by default)"),
            ],
            lambda model, p, given: model.timeouts(p["n"], seconds(p["deadline_ms"]), seconds(p["work_ms"])),
            lambda p, given, got: timeouts.check(p["n"], got),
        ),
        Entry(
            locks.ID, "W10: N workers each add one to a shared counter under a lock (--n: the workers)",
            [
                variant_opt(locks.VARIANTS),
                Opt("n", locks.DEFAULT_WORKERS, "workers contending for the lock"),
                Opt("increments", lambda model, p: locks.DEFAULT_INCREMENTS[p["variant"]][model],
                    "increments per run, all workers together"),
            ],
            run_locks,
            lambda p, given, got: locks.check(p["n"], locks.per_worker(p["increments"], p["n"]), got),
        ),
        Entry(
            semaphore.ID, "W11: N jobs, at most K at once, each waits D (or: permit churn)",
            [
                variant_opt(semaphore.VARIANTS),
                Opt("n", lambda model, p: semaphore.JOBS if p["variant"] == "semaphore" else semaphore.CHURN_WORKERS,
                    "jobs (semaphore) or workers (permit_churn)"),
                Opt("permits", lambda model, p: semaphore.PERMITS if p["variant"] == "semaphore"
                    else semaphore.CHURN_PERMITS, "K"),
                Opt("wait_ms", semaphore.WAIT_MS, "semaphore: how long each job holds its permit", minimum=0),
                Opt("rounds", per_model(semaphore.DEFAULT_CHURN_ROUNDS), "permit_churn: rounds per worker"),
            ],
            run_semaphore, check_semaphore,
        ),
        Entry(
            channels.ID, "W12: producers send M messages through one channel to consumers (--n: producers)",
            [
                Opt("variant", channels.HEADLINE, "shape and capacity", kind=str, choices=tuple(channels.VARIANTS)),
                Opt("n", lambda model, p: 1 if p["variant"].startswith("spsc") else channels.HEADLINE_PRODUCERS,
                    "producers (SPSC: 1; MPMC: as many consumers)"),
                Opt("messages", per_model(channels.DEFAULT_MESSAGES), "messages in all"),
            ],
            lambda model, p, given: model.channel(channels.case(p["variant"], p["n"]), p["messages"]),
            lambda p, given, got: channels.check(p["messages"], got),
        ),
        Entry(
            mandelbrot.ID, "W16: an image of the Mandelbrot set, a row per unit (CPU-bound, uneven units)",
            [
                variant_opt(mandelbrot.VARIANTS, "how the rows are run"),
                Opt("width", mandelbrot.WIDTH, "pixels per row"),
                Opt("height", mandelbrot.HEIGHT, "rows"),
                Opt("iterations", mandelbrot.ITERATIONS, "iterations after which a point counts as inside"),
            ],
            # given: the image, and its checksum computed one row after another.
            lambda model, p, given: mandelbrot.MandelbrotOutcome(model.mandelbrot(given[0], p["variant"])),
            lambda p, given, got: mandelbrot.check(given[1], got),
            lambda p: (the_image(p), the_image(p).expected()),
        ),
        Entry(
            stall.ID, "W19: a heartbeat and light requests while other tasks make blocking calls",
            [
                Opt("variant", "inline_sleep", "what blocks, and where the call runs", kind=str,
                    choices=tuple(stall.VARIANTS)),
                # The event loop is one thread: one blocking task stops it. Threads and
                # processes get one blocking task per worker, so every core is busy.
                Opt("blockers", lambda model, p: 1 if model == "asyncio" else p["workers"], "blocking tasks"),
                Opt("calls", stall.CALLS, "blocking calls per blocking task"),
                Opt("block_ms", stall.BLOCK_FOR_MS, "how long each call blocks"),
                Opt("ticks", stall.TICKS, "heartbeat ticks, and light requests (one per tick)"),
                Opt("tick_ms", stall.TICK_MS, "the heartbeat's period"),
                Opt("lead_ms", stall.LEAD_MS, "when the blocking tasks start, after the heartbeat", minimum=0),
                Opt("executor", "process", "asyncio offloaded_cpu: a process pool, or threads (to see the GIL)",
                    kind=str, choices=("process", "thread")),
            ],
            lambda model, p, given: model.blocking_stall(given),
            lambda p, given, got: stall.check(given, got),
            the_stall,
        ),
        Entry(
            "http_server", "W13: the tutorial's web server, until SIGTERM (prints 'listening on HOST:PORT' first)",
            [
                Opt("port", 8080, "the port (0: any free one)", minimum=0),
                Opt("host", "127.0.0.1", "the address to listen on", kind=str),
            ],
            None, None,
        ),
    ]


# Another name for a workload and variant (the tutorial's name for W5's second variant).
ALIASES = {"as_completed": (gather.ID, "as_completed")}


# ---------------------------------------------------------------------------------------
# The command line.


def parse(argv):
    """(entry, model id, params) from the command line, or BadArgument. The workload and
    the model are the two arguments that are not --options (or an option's value)."""
    positional, raw = [], {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        if not arg.startswith("--"):
            positional.append(arg)
            continue
        key, eq, value = arg[2:].partition("=")
        if not key:
            raise BadArgument(f"expected an --option, got {arg!r}")
        if not eq:
            if not args:
                raise BadArgument(f"--{key} needs a value")
            value = args.pop(0)
        raw[key.replace("-", "_")] = value
    if len(positional) != 2:
        raise BadArgument("usage: bench.py WORKLOAD MODEL [--n N] [--repeat R] [--workers W] [--key value ...]"
                          " (bench.py --list, bench.py --help)")
    workload_id, model_id = positional
    if model_id not in MODELS:
        raise BadArgument(f"unknown model {model_id!r}: expected one of {', '.join(MODELS)}")
    if workload_id in ALIASES:
        workload_id, variant = ALIASES[workload_id]
        raw.setdefault("variant", variant)
    by_id = {e.id: e for e in entries(model_id)}
    if workload_id not in by_id:
        raise BadArgument(f"unknown workload {workload_id!r}: expected one of {', '.join(by_id)} (or as_completed)")
    entry = by_id[workload_id]
    opts = COMMON + entry.options
    known = {o.name for o in opts}
    for key in raw:
        if key not in known:
            names = ", ".join("--" + o.name.replace("_", "-") for o in opts)
            raise BadArgument(f"{workload_id} takes no --{key.replace('_', '-')} (it takes {names})")
    params = {}
    for opt in opts:
        params[opt.name] = resolve(opt, raw.get(opt.name), model_id, params)
    if workload_id == channels.ID and params["variant"].startswith("spsc") and params["n"] != 1:
        raise BadArgument(f"--n {params['n']}: {params['variant']} has one producer")
    if workload_id == timeouts.ID and params["work_ms"] <= params["deadline_ms"]:
        raise BadArgument("--work-ms must be longer than --deadline-ms: every operation must time out")
    return entry, model_id, params


def resolve(opt, text, model_id, params):
    """An option's value: given on the command line (checked), or its default."""
    flag = "--" + opt.name.replace("_", "-")
    if text is None:
        return opt.default(model_id, params) if callable(opt.default) else opt.default
    if opt.kind is str:
        value = text
    else:
        try:
            value = opt.kind(text)
        except ValueError:
            raise BadArgument(f"{flag} {text!r}: expected a number") from None
        if not math.isfinite(value) or value < opt.minimum:
            raise BadArgument(f"{flag} {text!r}: expected at least {opt.minimum}")
    if opt.choices and value not in opt.choices:
        raise BadArgument(f"{flag} {text!r}: expected one of {', '.join(c for c in opt.choices if c)}")
    return value


def usage(workload_id=None):
    """The help: every workload's options with their defaults per model (the common options
    too when one workload is asked about)."""
    lines = [__doc__.strip().split("\n\n")[1], "", "Models: " + ", ".join(MODELS), ""]
    if workload_id in ALIASES:
        workload_id = ALIASES[workload_id][0]
    for entry in entries("asyncio"):
        if workload_id and entry.id != workload_id:
            continue
        lines.append(f"{entry.id}: {entry.title}")
        options = entry.options + (COMMON if workload_id else [])
        defaults = {model: defaults_for(model, entry) for model in MODELS}
        for opt in options:
            choices = f" ({' | '.join(c for c in opt.choices if c)})" if opt.choices else ""
            values = {model: defaults[model].get(opt.name) for model in MODELS}
            if len(set(map(repr, values.values()))) == 1:
                default = repr(values["asyncio"]) if isinstance(values["asyncio"], str) else values["asyncio"]
            else:
                default = ", ".join(f"{v} ({m})" for m, v in values.items())
            lines.append(f"    --{opt.name.replace('_', '-')}{choices}: {opt.doc} [default: {default}]")
    if not workload_id:
        lines += ["", "Every workload also takes --repeat, --workers, --timeout and --start-method"
                  " (bench.py --help WORKLOAD shows them)."]
    return "\n".join(lines)


def defaults_for(model_id, entry):
    """Every option's default for `model_id`, resolved in order as parse() does."""
    params = {}
    for opt in COMMON + entry.options:
        try:
            params[opt.name] = resolve(opt, None, model_id, params)
        except (KeyError, BadArgument):
            params[opt.name] = None
    return params


def listing():
    """Every workload/model pair this script runs (with its default variant)."""
    pairs = []
    for model_id, cls in MODELS.items():
        for entry in entries(model_id):
            variant_opt_ = next((o for o in entry.options if o.name == "variant"), None)
            variant = None if variant_opt_ is None else (
                variant_opt_.default(model_id, {}) if callable(variant_opt_.default) else variant_opt_.default)
            if cls.cannot(entry.id, variant) is None:
                pairs.append(f"{entry.id}/{model_id}")
    order = [e.id for e in entries("asyncio")]
    return sorted(pairs, key=lambda pair: (order.index(pair.split("/")[0]), list(MODELS).index(pair.split("/")[1])))


# ---------------------------------------------------------------------------------------
# Running, checking, printing.


def python_info():
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": gil,
        "executable": os.path.realpath(sys.executable),
        "libpython": libpython(),
    }


def libpython():
    """How the interpreter's core is linked: "shared" when the executable calls into a
    libpython*.so (built for any address, its calls between functions go through a table:
    slower), "in the executable" otherwise. Two builds of one version differ by a fifth on
    the tutorial's measure_performance on this machine kind, and this is one visible cause."""
    try:
        with open("/proc/self/maps") as maps:
            return "shared" if any("libpython" in line for line in maps) else "in the executable"
    except OSError:
        return "unknown"


class GcClock:
    """Time spent in the cyclic garbage collector during one run, and its collections per
    generation, from `gc.callbacks` (this process only, not a pool's workers). CPython
    collects when allocations outnumber deallocations by a threshold; a full collection
    (generation 2) visits every tracked object alive, so a run that keeps N tasks alive
    pays for N on each full collection."""

    def __init__(self):
        self.ns = 0
        self.collections = [0, 0, 0]
        self._started = None

    def __enter__(self):
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self._callback)
        return False

    def _callback(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter_ns()
        elif self._started is not None:
            self.ns += time.perf_counter_ns() - self._started
            self.collections[info["generation"]] += 1
            self._started = None

    def record(self):
        return {"ns": self.ns, "collections": self.collections}


def emit(record, code):
    print(json.dumps(record), flush=True)
    return code


def arm_watchdog(p):
    """The last resort against a hang, armed for each run: every wait has its own timeout,
    but should a run still last 3 × --timeout, every thread's stack is dumped on stderr and
    the process exits (code 1)."""
    faulthandler.dump_traceback_later(3 * p["timeout"] + 10, exit=True)


def timed_run(call, runs):
    """Runs `call` once on the clock, with the garbage collector's clock around it; appends
    the run's record (time, answer, collector) to `runs` and returns the outcome."""
    with GcClock() as collector:
        start = time.perf_counter_ns()
        outcome = call()
        elapsed = time.perf_counter_ns() - start
    runs.append({"elapsed_ns": elapsed, "answer": dataclasses.asdict(outcome), "gc": collector.record()})
    return outcome


def run_idle(model, p, runs, check):
    """W4: once at 1 task (the baseline: the interpreter, the model and its machinery), then
    R times at N, reading the process tree's memory while every task waits."""
    readings = []

    def at_peak(peak):
        readings.append(memory.tree_memory())

    arm_watchdog(p)
    model.idle_tasks(1, at_peak)
    baseline = readings.pop()
    for _ in range(p["repeat"]):
        arm_watchdog(p)
        outcome = timed_run(lambda: model.idle_tasks(p["n"], at_peak), runs)
        check(outcome)
    rss, pss = max(r[0] for r in readings), max(r[1] for r in readings)
    return {
        "rss_bytes": rss,
        "pss_bytes": pss,
        "baseline_rss_bytes": baseline[0],
        "baseline_pss_bytes": baseline[1],
        # The Rust figure: growth over the one-task baseline, per task, (M(N) - M(1)) / N.
        "rss_bytes_per_task": (rss - baseline[0]) // p["n"],
        "pss_bytes_per_task": (pss - baseline[1]) // p["n"],
    }


def serve(model, p, record):
    """http_server: the first stdout line says where it listens; then it serves until
    SIGTERM and prints what it did."""

    def ready(address):
        print(f"listening on {address[0]}:{address[1]}", flush=True)

    try:
        outcome = model.serve(p["host"], p["port"], ready)
    except OSError as failure:  # the address is taken, or not ours to listen on
        record["error"] = f"failed: {type(failure).__name__}: {failure}"
        return emit(record, 1)
    record["served"] = dataclasses.asdict(outcome)
    return emit(record, 0)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(usage(argv[1] if len(argv) > 1 else None))
        return 0
    if argv[0] == "--list":
        print("\n".join(listing()))
        return 0
    try:
        entry, model_id, p = parse(argv)
        context = multiprocessing.get_context(p["start_method"])
    except BadArgument as error:
        print(f"bench.py: {error}", file=sys.stderr)
        return 2
    workloads.TIMEOUT = p["timeout"]
    record = {"python": python_info(), "workload": entry.id, "model": model_id, "params": p}
    model = MODELS[model_id](p["workers"], context)
    reason = model.cannot(entry.id, p.get("variant"))
    if reason is not None:
        record["cannot"] = reason
        return emit(record, 0)
    if entry.id == "http_server":
        return serve(model, p, record)

    runs = record["runs"] = []
    try:
        given = entry.setup(p)
        model.prepare(entry.id, p)
        if entry.id == idle.ID:
            record["memory"] = run_idle(model, p, runs, lambda got: entry.check(p, given, got))
        else:
            for _ in range(p["repeat"]):
                arm_watchdog(p)
                outcome = timed_run(lambda: entry.run(model, p, given), runs)
                entry.check(p, given, outcome)
        faulthandler.cancel_dump_traceback_later()
        model.close()
    except workloads.WrongAnswer as wrong:
        record["error"] = str(wrong)
        return abandon(record)
    except Exception as failure:  # a timeout, a refused thread or process, a dead worker
        record["error"] = f"failed: {type(failure).__name__}: {failure}"
        return abandon(record)
    return emit(record, 0)


def abandon(record):
    """Prints the failed run's line and exits at once: a thread stuck in a wait cannot be
    stopped, and the interpreter's normal exit would wait for pools to finish their work.
    The child processes are terminated first, so none is left behind."""
    emit(record, 1)
    for child in multiprocessing.active_children():
        child.terminate()
    sys.stderr.flush()
    os._exit(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
