"""W5, gather and as-completed on processes: a ProcessPoolExecutor of `workers` processes,
one future per task; the results come back in submission order, or through
concurrent.futures.as_completed as they finish."""

import concurrent.futures
import time

import workloads
from workloads.gather import GatherOutcome, task_value


def gather(durations, pool):
    """One future per entry of `durations` (seconds) on `pool`, results in submission order.

    Stresses: the pool: each task is pickled into a call queue, read by a free worker, and
    its result pickled back; W workers sleep W tasks at once, so the run takes about
    sum(durations) / W. Order comes from the futures, not from when they finish."""
    return GatherOutcome(values=list(pool.map(wait_then_return, range(len(durations)), durations,
                                              timeout=workloads.TIMEOUT)))


def as_completed(durations, pool):
    """The same tasks, each result handed back as soon as its task finishes: in the order
    the pool's workers happened to take and finish them."""
    futures = [pool.submit(wait_then_return, i, d) for i, d in enumerate(durations)]
    done = concurrent.futures.as_completed(futures, timeout=workloads.TIMEOUT)
    return GatherOutcome(values=[f.result() for f in done])


def wait_then_return(index, wait):
    time.sleep(wait)
    return task_value(index)
