"""W2, spawn and join on asyncio: create_task for N trivial coroutines, then gather."""

import asyncio

from workloads.spawn_join import SpawnOutcome, task_value


async def spawn_join(n):
    """Creates n tasks that each return task_value(i), then joins them all.

    Stresses: the price of one task: a coroutine object, a Task (with its future machinery),
    one trip through the loop's ready queue, and the gather that collects it. No system call
    and no thread: a few microseconds, where a thread costs a hundred or more."""
    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    outcome = SpawnOutcome()
    for value in await asyncio.gather(*tasks):
        outcome.record(value)
    return outcome


async def trivial(i):
    """A task that does nothing but return its value: what is measured is its life."""
    return task_value(i)
