"""W1, concurrent waits on asyncio: N tasks that each `await asyncio.sleep(D)`, gathered.
All the waits overlap on one thread, so the run takes about D plus the cost of N tasks."""

import asyncio

from workloads.waits import WaitOutcome


async def concurrent_waits(n, wait):
    """Starts n tasks that each wait `wait` seconds, then joins them all.

    Stresses: the event loop's timers (a heap of N timer handles) and task creation. A
    sleeping task holds only its coroutine frame and a timer: no thread, no stack."""
    # Create every task before awaiting any: awaiting each in turn would run them in
    # sequence (the tutorial's "Sequential Execution").
    tasks = [asyncio.create_task(wait_then_return(index, wait)) for index in range(n)]
    outcome = WaitOutcome()
    # gather returns the results in submission order; the total is the slowest task's time.
    for index in await asyncio.gather(*tasks):
        outcome.record(index)
    return outcome


async def measure_performance(n, wait):
    """The tutorial's own `measure_performance`, in our words: it times one `gather` of
    `asyncio.sleep` coroutines. gather wraps each coroutine in a task itself; `sleep`'s
    `result` argument hands back the index, so the answer can be checked like W1's."""
    outcome = WaitOutcome()
    for index in await asyncio.gather(*(asyncio.sleep(wait, result=i) for i in range(n))):
        outcome.record(index)
    return outcome


async def wait_then_return(index, wait):
    """One task: wait, then hand back its index. The await gives the loop back meanwhile."""
    await asyncio.sleep(wait)
    return index
