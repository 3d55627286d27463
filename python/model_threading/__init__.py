"""The workloads on **threads**: `threading`, `queue` and `concurrent.futures`'s
ThreadPoolExecutor.

**When to choose it.** Work that blocks (files, blocking sockets, libraries with no async
API), at up to a few thousand tasks. Code reads top to bottom and any blocking call is
allowed.

**How it runs.** One OS thread per task (or a pool of them). The kernel schedules threads
preemptively, but in CPython with the GIL only one thread runs Python at a time: a thread
gives the GIL up when it blocks (sleep, I/O, a lock) and is asked to every switch interval
(5 ms) when it computes. So threads overlap waiting, not computing (W16 shows it), unless
the interpreter is a free-threaded build (3.13t and later, `"gil": false` in the output).

**What blocks it.** Nothing blocks the model: a blocked thread costs only itself. What
limits it is the count of threads (memory, the OS's limits) and the GIL for CPU work.

**Layout**, one module per workload, named as the Rust model crates' modules:
`waits` (W1), `spawn_join` (W2), `ping_pong` (W3), `idle` (W4), `gather` (W5),
`cancellation` (W6), `timeouts` (W7), `locks` (W10), `semaphore` (W11), `channels` (W12),
`server` (W13), `mandelbrot` (W16), `stall` (W19); `join_handle` and `work_queue` are not
workloads (a thread whose join returns its value; the CPU kernel's shared counter); this
file: `Threading`, the model.
"""

import concurrent.futures
import threading

import workloads

from workloads import mandelbrot as mandelbrot_spec

from . import (cancellation, channels, gather, idle, locks, mandelbrot, ping_pong, semaphore, server, spawn_join,
               stall, timeouts, waits)


class Threading:
    """Threads, started per task, except where the tutorial's code uses a
    ThreadPoolExecutor (W5, W7): that pool is built before the clock starts."""

    id = "threading"

    def __init__(self, workers, context):
        self.workers = workers
        self.pool = None

    @staticmethod
    def cannot(workload, variant):
        """Why this model cannot run `workload`'s `variant`, or None."""
        if workload == "concurrent_waits" and variant == "measure_performance":
            return "the tutorial's measure_performance is asyncio code: it times a gather of asyncio.sleep"
        if workload == "blocking_stall" and variant.startswith("offloaded"):
            return "a thread is its own: there is nothing to offload to"
        if workload == "mandelbrot" and variant in ("inline", "offloaded"):
            return "inline and offloaded are an event loop's ways: threads run static_chunks and work_queue"
        return None

    def prepare(self, workload, params):
        """Builds the ThreadPoolExecutor of W5 and W7, and starts its threads, before the
        clock starts: what is timed is the pool at work, not the creation of its threads."""
        if workload in ("gather", "timeouts"):
            self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=params["pool"])
            start_every_thread(self.pool, params["pool"])

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    # -- chapter 1: tasks -----------------------------------------------------------------

    def concurrent_waits(self, n, wait, variant):
        return waits.concurrent_waits(n, wait)

    def spawn_join(self, n):
        return spawn_join.spawn_join(n)

    def ping_pong(self, rounds):
        return ping_pong.ping_pong(rounds)

    def idle_tasks(self, n, at_peak):
        return idle.idle_tasks(n, at_peak)

    # -- chapter 2: task lifecycles -------------------------------------------------------

    def gather(self, durations):
        return gather.gather(durations, self.pool)

    def as_completed(self, durations):
        return gather.as_completed(durations, self.pool)

    def cancellation(self, trials, hold_ns):
        return cancellation.cancellation(trials, hold_ns)

    def timeouts(self, n, deadline, work):
        return timeouts.timeouts(n, deadline, work, self.pool)

    # -- chapter 3: shared state and queues -----------------------------------------------

    def locked_counter(self, workers, increments, section):
        return locks.locked_counter(workers, increments, section)

    def semaphore(self, jobs, permits, wait):
        return semaphore.semaphore(jobs, permits, wait)

    def permit_churn(self, workers, permits, rounds):
        return semaphore.permit_churn(workers, permits, rounds)

    def channel(self, case, messages):
        return channels.channel(case, messages)

    # -- compute and the network ----------------------------------------------------------

    def mandelbrot(self, image, way):
        if way == "one_thread":
            return mandelbrot_spec.one_thread(image)
        if way == "static_chunks":
            return mandelbrot.static_chunks(image, self.workers)
        return mandelbrot.work_queue(image, self.workers)

    def blocking_stall(self, the_stall):
        return stall.inline(the_stall)

    def serve(self, host, port, ready):
        return server.serve(host, port, ready)


def start_every_thread(pool, threads):
    """A ThreadPoolExecutor starts a thread on a submit only when none is idle, up to its
    maximum: `threads` tasks that all wait for each other (and for the caller) at a barrier
    make it start every one of its threads now."""
    barrier = threading.Barrier(threads + 1)
    waits = [pool.submit(barrier.wait, workloads.TIMEOUT) for _ in range(threads)]
    barrier.wait(workloads.TIMEOUT)
    concurrent.futures.wait(waits, timeout=workloads.TIMEOUT)
