"""The workloads on **processes**: `multiprocessing` (Process, Pipe, Queue, Lock, Value,
Semaphore, Event, Pool) and concurrent.futures's ProcessPoolExecutor.

**When to choose it.** CPU-bound work in CPython: each process has its own interpreter and
its own GIL, so the work computes on every core (W16). And work that must be isolated: a
crash in one worker cannot take the others down.

**How it runs.** One OS process per task, or a pool of them. Processes share no Python
objects: everything that crosses (arguments, results, queue messages) is pickled, written to
a pipe and read back; only `Value`, `Array`, locks and semaphores live in shared memory. How
a process starts is the context's start method: "fork" (copy this process: fast, and the
default on Linux before Python 3.14), "spawn" (a fresh interpreter that imports what it
needs: slow, and the default on macOS and Windows) or "forkserver" (3.14's Linux default).
bench.py's --start-method picks one and the output records it.

**What blocks it.** Nothing blocks the model: a blocked process costs only itself. What
limits it is the cost of starting a process (milliseconds), the memory each one holds, and
the pickling of every message.

**Layout**, one module per workload, named as the Rust model crates' modules:
`waits` (W1), `spawn_join` (W2), `ping_pong` (W3), `idle` (W4), `gather` (W5),
`cancellation` (W6), `timeouts` (W7), `locks` (W10), `semaphore` (W11), `channels` (W12),
`server` (W13), `mandelbrot` (W16), `stall` (W19); `worker` is not a workload (a process
whose join returns its value, the SIGTERM handler, the ledger in shared memory); this file:
`Multiprocessing`, the model.
"""

import concurrent.futures
import time

import workloads
from workloads import mandelbrot as mandelbrot_spec

from . import (cancellation, channels, gather, idle, locks, mandelbrot, ping_pong, semaphore, server, spawn_join,
               stall, timeouts, waits)


class Multiprocessing:
    """Processes, started per task, except where a pool is the tutorial's tool (W5's
    ProcessPoolExecutor, W16's Pool): those are built, and their processes started, before
    the clock starts."""

    id = "multiprocessing"

    def __init__(self, workers, context):
        self.workers = workers
        self.context = context
        self.pool = None

    @staticmethod
    def cannot(workload, variant):
        """Why this model cannot run `workload`'s `variant`, or None."""
        if workload == "concurrent_waits" and variant == "measure_performance":
            return "the tutorial's measure_performance is asyncio code: it times a gather of asyncio.sleep"
        if workload == "blocking_stall" and variant.startswith("offloaded"):
            return "a process is its own: there is nothing to offload to"
        if workload == "mandelbrot" and variant in ("inline", "offloaded"):
            return "inline and offloaded are an event loop's ways: processes run static_chunks and work_queue"
        return None

    def prepare(self, workload, params):
        if workload == "gather":
            self.pool = concurrent.futures.ProcessPoolExecutor(params["pool"], mp_context=self.context)
            # Start every worker process now, not in the first timed run.
            list(self.pool.map(time.sleep, [0.02] * params["pool"], timeout=workloads.TIMEOUT))
        elif workload == "mandelbrot" and params["variant"] != "one_thread":
            self.pool = self.context.Pool(self.workers)
            self.pool.map_async(time.sleep, [0.02] * self.workers, chunksize=1).get(workloads.TIMEOUT)

    def close(self):
        if isinstance(self.pool, concurrent.futures.Executor):
            self.pool.shutdown(wait=True, cancel_futures=True)
        elif self.pool is not None:
            self.pool.close()
            self.pool.join()

    # -- chapter 1: tasks -----------------------------------------------------------------

    def concurrent_waits(self, n, wait, variant):
        return waits.concurrent_waits(self.context, n, wait)

    def spawn_join(self, n):
        return spawn_join.spawn_join(self.context, n)

    def ping_pong(self, rounds):
        return ping_pong.ping_pong(self.context, rounds)

    def idle_tasks(self, n, at_peak):
        return idle.idle_tasks(self.context, n, at_peak)

    # -- chapter 2: task lifecycles -------------------------------------------------------

    def gather(self, durations):
        return gather.gather(durations, self.pool)

    def as_completed(self, durations):
        return gather.as_completed(durations, self.pool)

    def cancellation(self, trials, hold_ns):
        return cancellation.cancellation(self.context, trials, hold_ns)

    def timeouts(self, n, deadline, work):
        return timeouts.timeouts(self.context, n, deadline, work)

    # -- chapter 3: shared state and queues -----------------------------------------------

    def locked_counter(self, workers, increments, section):
        return locks.locked_counter(self.context, workers, increments, section)

    def semaphore(self, jobs, permits, wait):
        return semaphore.semaphore(self.context, jobs, permits, wait)

    def permit_churn(self, workers, permits, rounds):
        return semaphore.permit_churn(self.context, workers, permits, rounds)

    def channel(self, case, messages):
        return channels.channel(self.context, case, messages)

    # -- compute and the network ----------------------------------------------------------

    def mandelbrot(self, image, way):
        if way == "one_thread":
            return mandelbrot_spec.one_thread(image)
        if way == "static_chunks":
            return mandelbrot.static_chunks(image, self.pool, self.workers)
        return mandelbrot.work_queue(image, self.pool)

    def blocking_stall(self, the_stall):
        return stall.inline(self.context, the_stall)

    def serve(self, host, port, ready):
        return server.serve(self.context, host, port, self.workers, ready)
