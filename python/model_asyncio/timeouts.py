"""W7, timeouts on asyncio: N operations, each under asyncio.wait_for with a deadline shorter
than its work. wait_for cancels the work when the deadline passes, so it cannot go on."""

import asyncio
import time

from workloads.resource import Ledger
from workloads.timeouts import GRACE_NS, TimeoutOutcome


async def timeouts(n, deadline, work):
    """Starts n operations at once, each doing `work` seconds under a deadline of
    `deadline` seconds, then waits until the work's whole length has passed and counts the
    work that finished.

    Stresses: the timers (two per operation, one cancelled) and many wake-ups at the same
    instant, all on one thread: the last of N timeouts is seen after the N − 1 before it."""
    run_start = time.perf_counter_ns()
    # Work in progress holds a resource from this ledger; work that reaches its end closes it.
    ledger = Ledger()
    tasks = [asyncio.create_task(op_with_deadline(deadline, work, ledger)) for _ in range(n)]
    results = await asyncio.gather(*tasks)
    lateness = [late for late in results if late is not None]
    # Wait out the work's full length (and a little more): work still running after its
    # timeout would have counted itself by then.
    await asyncio.sleep(max(0, run_start + round(work * 1e9) + GRACE_NS - time.perf_counter_ns()) / 1e9)
    return TimeoutOutcome(
        ops=n, timed_out=len(lateness), finished_work=ledger.closed, live_after=ledger.live, lateness_ns=lateness
    )


async def op_with_deadline(deadline, work, ledger):
    """One operation: its work under a deadline. Returns how many nanoseconds after the
    deadline it saw the timeout, or None if the work finished first."""
    # Each operation notes its own start: the deadline runs from here.
    start = time.perf_counter_ns()
    # asyncio.wait_for works from 3.9 on; 3.11's `async with asyncio.timeout(deadline)` does
    # the same (and 3.12's wait_for is built on it).
    try:
        await asyncio.wait_for(do_work(work, ledger), deadline)
        return None
    except asyncio.TimeoutError:
        # wait_for has already cancelled the work, mid-sleep: it will never count itself.
        return max(0, time.perf_counter_ns() - start - round(deadline * 1e9))


async def do_work(work, ledger):
    """The work: hold a resource while it runs, close it only if it reaches its end."""
    with ledger.acquire() as working:
        await asyncio.sleep(work)
        working.close()
