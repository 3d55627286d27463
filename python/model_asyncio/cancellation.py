"""W6, cancellation on asyncio: `task.cancel()` throws CancelledError into the task at its
next await; the task's `with` block releases its resource on the way out."""

import asyncio
import time

from workloads.cancellation import ABORT, WORK_NS, CancelOutcome, hold_for
from workloads.resource import Ledger


async def cancellation(trials, hold_ns):
    """`trials` times, one after another: start a task that acquires a resource and works,
    let it hold the resource, cancel it, await it, and note how long the release took.

    Stresses: the loop's cancellation path: `cancel()` schedules the task to run at once with
    CancelledError thrown in at its await; the release happens on its next step, one trip
    through the ready queue later."""
    ledger = Ledger(stamping=True)
    latencies = []
    for trial in range(trials):
        latencies.append(await cancel_one(ledger, hold_for(hold_ns, trial)))
    return CancelOutcome(
        trials=trials, joined=len(latencies), latencies_ns=latencies, live_after=ledger.live, mechanism=ABORT
    )


async def cancel_one(ledger, hold_ns):
    """One trial: start the task, cancel it once it has held its resource `hold_ns`, await
    it, and return the nanoseconds from the request to the release."""
    holding = asyncio.Event()
    task = asyncio.create_task(hold_resource(ledger, holding))
    # Cancel only once the resource is held: an earlier request would measure nothing.
    await holding.wait()
    await asyncio.sleep(hold_ns / 1e9)
    requested = time.perf_counter_ns()
    task.cancel()
    # Awaiting the task is what makes the cancellation complete: after it, nothing of the
    # task runs. It raises the CancelledError the task let through.
    try:
        await task
    except asyncio.CancelledError:
        pass
    return ledger.take_release() - requested


async def hold_resource(ledger, holding):
    """The task: acquire a resource, say so, then work until cancelled (or for WORK_NS)."""
    # The tutorial's pitfall "Not Handling CancelledError" is catching it and carrying on;
    # a `with` block (or try/finally) cleans up and lets it through, as it must.
    with ledger.acquire():
        holding.set()
        await asyncio.sleep(WORK_NS / 1e9)
