"""W1, concurrent waits on threads: N threads that each `time.sleep(D)`, joined. All the
waits overlap (a sleeping thread releases the GIL), so the run takes about D, plus the time
to start and join N threads, which grows with N."""

import time

from workloads.waits import WaitOutcome

from .join_handle import spawn_all


def concurrent_waits(n, wait):
    """Starts n threads that each wait `wait` seconds, then joins them all.

    Stresses: thread creation and the kernel's scheduler. A sleeping thread uses no CPU, but
    holds a stack and kernel structures for the whole wait."""
    # Start every thread before joining any: joining each in turn would run them in
    # sequence (the tutorial's "Sequential Execution").
    handles = spawn_all(n, wait_then_return, wait)
    outcome = WaitOutcome()
    # Join in spawn order, like asyncio.gather: the total is the slowest thread's time.
    for handle in handles:
        outcome.record(handle.join())
    return outcome


def wait_then_return(index, wait):
    """One thread: wait, then hand back its index. Blocking is fine here: the kernel runs the
    other threads meanwhile."""
    time.sleep(wait)
    return index
