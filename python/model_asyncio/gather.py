"""W5, gather and as-completed on asyncio: one task per duration; the results come back
through asyncio.gather (submission order) or asyncio.as_completed (completion order)."""

import asyncio

import workloads
from workloads.gather import GatherOutcome, task_value


async def gather(durations):
    """One task per entry of `durations` (seconds), results in submission order.

    Stresses: the timers, as in W1. gather costs nothing extra: it waits for the slowest."""
    tasks = [asyncio.create_task(wait_then_return(i, d)) for i, d in enumerate(durations)]
    return GatherOutcome(values=list(await asyncio.gather(*tasks)))


async def as_completed(durations):
    """The same tasks, each result handed back as soon as its task finishes.

    Stresses: the same, plus one wake-up of the caller per result. The order is the timers'
    order, so the order of the durations (up to the loop's millisecond-grained timeouts)."""
    tasks = [asyncio.create_task(wait_then_return(i, d)) for i, d in enumerate(durations)]
    values = []
    for finished in asyncio.as_completed(tasks, timeout=workloads.TIMEOUT):
        values.append(await finished)
    return GatherOutcome(values=values)


async def wait_then_return(index, wait):
    await asyncio.sleep(wait)
    return task_value(index)
