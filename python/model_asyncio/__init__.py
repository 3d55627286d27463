"""The workloads on **asyncio**: coroutines as tasks on one event loop, on one thread.

**When to choose it.** Many waits at once: sockets, timers, subprocesses, anything with an
async API. A task costs a coroutine frame and a Task object (a little over a kilobyte), so
a process holds hundreds of thousands of them where it would hold thousands of threads.

**How it runs.** The loop runs one task at a time, until that task awaits something that is
not ready; then it runs the next ready one. Switches happen only at awaits (*cooperative*),
so code between two awaits runs without interruption, and no lock is needed there.

**What blocks it.** Any call that does not await: `time.sleep`, a blocking socket or file
call, a CPU loop. It holds the loop's only thread, and every other task waits (W19 measures
it). The fix is `loop.run_in_executor` (or `asyncio.to_thread`). CPU-bound work gains nothing
from asyncio: the loop computes one task at a time (W16 shows it); a process pool does.

**Layout**, one module per workload, named as the Rust model crates' modules:
`waits` (W1), `spawn_join` (W2), `ping_pong` (W3), `idle` (W4), `gather` (W5),
`cancellation` (W6), `timeouts` (W7), `locks` (W10), `semaphore` (W11), `channels` (W12),
`server` (W13), `mandelbrot` (W16), `stall` (W19); this file: `Asyncio`, the model, which
owns the event loop and the executors and runs each workload's coroutine on the loop.
"""

import asyncio
import concurrent.futures
import time

import workloads
from workloads import mandelbrot as mandelbrot_spec

from . import (cancellation, channels, gather, idle, locks, mandelbrot, ping_pong, semaphore, server, spawn_join,
               stall, timeouts, waits)


class Asyncio:
    """The event loop, created once, outside every timed run (as the Rust harness builds a
    runtime once), and the executors the offloaded ways hand work to."""

    id = "asyncio"

    def __init__(self, workers, context):
        # `context` (how processes start) matters only for the process pools here.
        self.workers = workers
        self.context = context
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.executor = None

    @staticmethod
    def cannot(workload, variant):
        """Why this model cannot run `workload`'s `variant`, or None."""
        if workload == "mandelbrot" and variant in ("static_chunks", "work_queue"):
            return ("static_chunks and work_queue share rows between threads or processes: "
                    "asyncio runs inline and offloaded")
        return None

    def prepare(self, workload, params):
        """Builds, before the clock starts, the executor a workload's offloaded way uses."""
        if workload == "mandelbrot" and params["variant"] == "offloaded":
            self.executor = self._process_pool()
        elif workload == "blocking_stall" and params["variant"].startswith("offloaded"):
            # Sleeps go to threads (a sleeping thread releases the GIL); CPU loops go to
            # processes unless --executor thread asks to see the GIL at work.
            if params["variant"] == "offloaded_cpu" and params["executor"] == "process":
                self.executor = self._process_pool()
            else:
                self.executor = concurrent.futures.ThreadPoolExecutor(self.workers)
                self._warm(self.executor)

    def close(self):
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.loop.close()

    # -- running a coroutine --------------------------------------------------------------

    def run(self, coroutine):
        """Runs one workload's coroutine to its end on the loop. Its awaits have no timeouts
        of their own: the run as a whole must end within workloads.TIMEOUT."""
        try:
            return self.loop.run_until_complete(asyncio.wait_for(coroutine, workloads.TIMEOUT))
        except asyncio.TimeoutError:
            raise TimeoutError(f"the run did not end within {workloads.TIMEOUT} s") from None

    def _process_pool(self):
        pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=self.context)
        self._warm(pool)
        return pool

    def _warm(self, pool):
        # Start every worker now, not inside the first timed run.
        list(pool.map(time.sleep, [0.02] * self.workers, timeout=workloads.TIMEOUT))

    # -- chapter 1: tasks -----------------------------------------------------------------

    def concurrent_waits(self, n, wait, variant):
        if variant == "measure_performance":
            return self.run(waits.measure_performance(n, wait))
        return self.run(waits.concurrent_waits(n, wait))

    def spawn_join(self, n):
        return self.run(spawn_join.spawn_join(n))

    def ping_pong(self, rounds):
        return self.run(ping_pong.ping_pong(rounds))

    def idle_tasks(self, n, at_peak):
        return self.run(idle.idle_tasks(n, at_peak))

    # -- chapter 2: task lifecycles -------------------------------------------------------

    def gather(self, durations):
        return self.run(gather.gather(durations))

    def as_completed(self, durations):
        return self.run(gather.as_completed(durations))

    def cancellation(self, trials, hold_ns):
        return self.run(cancellation.cancellation(trials, hold_ns))

    def timeouts(self, n, deadline, work):
        return self.run(timeouts.timeouts(n, deadline, work))

    # -- chapter 3: shared state and queues -----------------------------------------------

    def locked_counter(self, workers, increments, section):
        return self.run(locks.locked_counter(workers, increments, section))

    def semaphore(self, jobs, permits, wait):
        return self.run(semaphore.semaphore(jobs, permits, wait))

    def permit_churn(self, workers, permits, rounds):
        return self.run(semaphore.permit_churn(workers, permits, rounds))

    def channel(self, case, messages):
        return self.run(channels.channel(case, messages))

    # -- compute and the network ----------------------------------------------------------

    def mandelbrot(self, image, way):
        if way == "one_thread":
            return mandelbrot_spec.one_thread(image)
        if way == "inline":
            return self.run(mandelbrot.inline(image))
        return self.run(mandelbrot.offloaded(image, self.executor))

    def blocking_stall(self, the_stall):
        return self.run(stall.blocking_stall(the_stall, self.executor))

    def serve(self, host, port, ready):
        # No timeout: a server runs until it is told to stop.
        return self.loop.run_until_complete(server.serve(host, port, ready))

