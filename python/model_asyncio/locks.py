"""W10, a lock-protected counter on asyncio: one task per worker, all adding to one counter
under one asyncio.Lock."""

import asyncio
import time

from workloads.locks import LockOutcome


async def locked_counter(workers, increments, section):
    """Starts `workers` tasks that each add one to a shared counter `increments` times under
    one asyncio.Lock, holding it for `section` ("short" or "waiting"); returns the count and
    each task's longest wait for the lock.

    Stresses: with a short section, nothing: the tasks share one thread and never await while
    holding the lock, so no other task can even ask for it, and an uncontended acquire does
    not yield (no lock is needed at all here; asyncio.Lock is the tutorial's). With a waiting
    section, the lock's queue: asyncio.Lock serves waiters first come, first served, so the
    longest waits stay even."""
    lock = asyncio.Lock()
    counter = [0]  # a list, so the worker can change it (no lock-free atomics to show here)
    waits = await asyncio.gather(*(worker(lock, counter, increments, section) for _ in range(workers)))
    return LockOutcome(count=counter[0], longest_waits_ns=list(waits))


async def worker(lock, counter, increments, section):
    """One worker: `increments` times, take the lock, add one, (yield,) release. Returns
    the longest it waited for the lock, in nanoseconds."""
    longest = 0
    for _ in range(increments):
        asked = time.perf_counter_ns()
        async with lock:
            longest = max(longest, time.perf_counter_ns() - asked)
            counter[0] += 1
            if section == "waiting":
                # Suspend with the lock held: every other worker that asks for it waits.
                await asyncio.sleep(0)
    return longest
