"""W5, gather and as-completed on threads: a ThreadPoolExecutor, one future per task; the
results come back through the futures in submission order, or through
concurrent.futures.as_completed as they finish."""

import concurrent.futures
import time

import workloads
from workloads.gather import GatherOutcome, task_value


def gather(durations, pool):
    """One future per entry of `durations` (seconds) on `pool`, results in submission order.

    Stresses: the pool's queue and the timers. With a thread per task (the default pool
    size: N), every wait overlaps; with fewer threads, the tasks queue for them."""
    futures = [pool.submit(wait_then_return, i, d) for i, d in enumerate(durations)]
    return GatherOutcome(values=[f.result(timeout=workloads.TIMEOUT) for f in futures])


def as_completed(durations, pool):
    """The same futures, each result handed back as soon as its task finishes.

    Stresses: the same, plus a wake-up of the caller per result: as_completed sleeps on an
    event that each finishing future sets."""
    futures = [pool.submit(wait_then_return, i, d) for i, d in enumerate(durations)]
    done = concurrent.futures.as_completed(futures, timeout=workloads.TIMEOUT)
    return GatherOutcome(values=[f.result() for f in done])


def wait_then_return(index, wait):
    time.sleep(wait)
    return task_value(index)
