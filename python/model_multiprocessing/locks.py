"""W10, a lock-protected counter on processes: a process per worker, all adding to one
counter in shared memory (multiprocessing.Value) under one multiprocessing.Lock."""

import time

import workloads
from workloads.locks import LockOutcome

from .worker import start_all


def locked_counter(context, workers, increments, section):
    """Starts `workers` processes that each add one to a shared counter `increments` times
    under one lock, holding it for `section`; returns the count and each process's longest
    wait for the lock.

    Stresses: a lock between processes: a POSIX semaphore in shared memory, whose waiters
    sleep in the kernel (a futex) and are woken by the release. The counter itself is a
    word of shared memory: no copying, but every increment goes through the lock. The
    processes wait at a start gate, so that they contend rather than run one after another
    while the later ones are still starting."""
    # A RawValue has no lock of its own (a Value's would be taken again by every read and
    # write of `.value`): the one lock is ours, as the tutorial's counter has.
    counter, lock = context.RawValue("Q", 0), context.Lock()
    gate = context.Event()
    handles = start_all(context, workers, worker, counter, lock, gate, increments, section)
    gate.set()
    waits = [handle.join() for handle in handles]
    return LockOutcome(count=counter.value, longest_waits_ns=waits)


def worker(_index, counter, lock, gate, increments, section):
    """One process: `increments` times, take the lock, add one, (yield,) release. Returns
    the longest it waited for the lock, in nanoseconds."""
    gate.wait(workloads.TIMEOUT)
    longest = 0
    for _ in range(increments):
        asked = time.perf_counter_ns()
        if not lock.acquire(timeout=workloads.TIMEOUT):
            raise TimeoutError("the lock was never free")
        try:
            longest = max(longest, time.perf_counter_ns() - asked)
            counter.value += 1
            if section == "waiting":
                time.sleep(0)  # give up the CPU with the lock held
        finally:
            lock.release()
    return longest
