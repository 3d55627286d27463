"""W4, idle tasks on asyncio: N tasks blocked on one asyncio.Event while memory is read."""

import asyncio

from workloads.idle import IdleOutcome, Peak


async def idle_tasks(n, at_peak):
    """Starts n tasks that each wait on one shared gate; once they all wait, calls
    `at_peak`, then opens the gate and joins them.

    Stresses: memory, and only the heap: an idle task is a Task object, its coroutine's frame
    and a future in the Event's waiter list: a little over a kilobyte in CPython 3.11."""
    gate = asyncio.Event()
    started = 0

    async def idle():
        nonlocal started
        started += 1  # one thread runs every task: no lock needed
        await gate.wait()

    outcome = IdleOutcome(requested=n)
    tasks = []
    try:
        for _ in range(n):
            tasks.append(asyncio.create_task(idle()))
    except MemoryError as error:
        outcome.error = f"task {len(tasks) + 1} refused: {error!r}"
    outcome.started = len(tasks)
    # A task runs only when the loop gets to it: yield until every one has reached its wait.
    while started < outcome.started:
        await asyncio.sleep(0)
    at_peak(Peak(started=outcome.started, error=outcome.error))

    gate.set()
    await asyncio.gather(*tasks)
    outcome.joined = len(tasks)
    return outcome
