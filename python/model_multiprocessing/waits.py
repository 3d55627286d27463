"""W1, concurrent waits on processes: a process per task, each `time.sleep(D)`, joined. All
the waits overlap, so the run takes about D plus the time to start and reap N processes:
milliseconds each, far more than a thread."""

import time

from workloads.waits import WaitOutcome

from .worker import start_all


def concurrent_waits(context, n, wait):
    """Starts n processes that each wait `wait` seconds and answer their index, then joins
    them all.

    Stresses: process creation (a fork or a fresh interpreter, per `context`), a pipe per
    process for its answer, and the kernel's scheduler."""
    workers = start_all(context, n, wait_then_return, wait)
    outcome = WaitOutcome()
    for worker in workers:
        outcome.record(worker.join())
    return outcome


def wait_then_return(index, wait):
    """One process: wait, then hand back its index."""
    time.sleep(wait)
    return index
