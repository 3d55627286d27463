"""W6, cancellation on threads: a thread cannot be stopped from outside (there is no safe
way to kill one: it might hold a lock, or be halfway through changing shared data), so it
checks a cancel token, a threading.Event, between slices of its work and returns by itself;
returning leaves its `with` block, which releases its resource."""

import threading
import time

import workloads
from workloads.cancellation import CHECK_INTERVAL_NS, COOPERATIVE, WORK_NS, CancelOutcome, hold_for
from workloads.resource import Ledger

from .join_handle import spawn


def cancellation(trials, hold_ns):
    """`trials` times, one after another: start a thread that acquires a resource and works,
    let it hold the resource, cancel it, join it, and note how long the release took.

    Stresses: the wake-up of a sleeping thread. The thread sleeps one CHECK_INTERVAL at a
    time, so a request waits for the end of the current slice (half a slice on average), plus
    the timer's slack and the time to get the GIL back."""
    ledger = Ledger(stamping=True)
    latencies = [cancel_one(ledger, hold_for(hold_ns, trial)) for trial in range(trials)]
    return CancelOutcome(
        trials=trials, joined=len(latencies), latencies_ns=latencies, live_after=ledger.live, mechanism=COOPERATIVE
    )


def cancel_one(ledger, hold_ns):
    """One trial: start the worker, cancel it once it has held its resource `hold_ns`, join
    it, and return the nanoseconds from the request to the release."""
    token, holding = threading.Event(), threading.Event()
    worker = spawn(hold_resource, ledger, token, holding)
    # Cancel only once the resource is held.
    if not holding.wait(workloads.TIMEOUT):
        raise TimeoutError("the worker never acquired its resource")
    time.sleep(hold_ns / 1e9)
    requested = time.perf_counter_ns()
    token.set()
    # The join is what makes the cancellation complete: after it, nothing of the task runs.
    worker.join()
    return ledger.take_release() - requested


def hold_resource(ledger, token, holding):
    """The task: acquire a resource, say so, then work in slices until cancelled."""
    with ledger.acquire():
        holding.set()
        started = time.perf_counter_ns()
        # The only points where the thread can notice the request: between two slices.
        while not token.is_set() and time.perf_counter_ns() - started < WORK_NS:
            time.sleep(CHECK_INTERVAL_NS / 1e9)
