"""W10, a lock-protected counter on threads: one thread per worker, all adding to one
counter under one threading.Lock. Threads need no special lock for either section: a
thread that waits while holding the lock blocks only the threads that want it."""

import threading
import time

import workloads
from workloads.locks import LockOutcome

from .join_handle import spawn_all


def locked_counter(workers, increments, section):
    """Starts `workers` threads that each add one to a shared counter `increments` times
    under one lock, holding it for `section`; returns the count and each thread's longest
    wait for the lock.

    Stresses: contention on one lock, and the GIL, which already lets one thread run Python
    at a time. threading.Lock is not fair: the thread that just released it (and holds the
    GIL) often takes it again before a woken waiter runs, so some threads wait far longer
    than others, which the longest waits show."""
    lock = threading.Lock()
    counter = [0]
    handles = spawn_all(workers, worker, lock, counter, increments, section)
    waits = [handle.join() for handle in handles]
    return LockOutcome(count=counter[0], longest_waits_ns=waits)


def worker(_index, lock, counter, increments, section):
    """One worker: `increments` times, take the lock, add one, (yield,) release. Returns the
    longest it waited for the lock, in nanoseconds."""
    longest = 0
    for _ in range(increments):
        asked = time.perf_counter_ns()
        if not lock.acquire(timeout=workloads.TIMEOUT):
            raise TimeoutError("the lock was never free")
        try:
            longest = max(longest, time.perf_counter_ns() - asked)
            # `+=` reads, adds and writes: two threads could interleave without the lock.
            counter[0] += 1
            if section == "waiting":
                # Give up the GIL and the CPU with the lock held: the others want it and wait.
                time.sleep(0)
        finally:
            lock.release()
    return longest
