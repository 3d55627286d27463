"""W4, idle threads: N threads alive and blocked on one threading.Event, to see what one
waiting thread costs."""

import threading
import time

import workloads
from workloads.idle import IdleOutcome, Peak

from .join_handle import spawn


def idle_tasks(n, at_peak):
    """Starts up to n threads that each block on one shared gate; once they have all started
    (or the OS refused one), calls `at_peak`, then opens the gate and joins them.

    Stresses: memory, much of it outside the process's resident set: a kernel stack and the
    kernel's task structures for every thread, on top of the touched pages of its stack
    (8 MiB of address space each, by the default stack size limit) and Python's thread state."""
    gate = threading.Event()
    started = [0]
    lock = threading.Lock()

    def idle():
        with lock:  # `+=` is not atomic across threads
            started[0] += 1
        # The gate opens long before this timeout: it only guarantees nothing waits forever.
        gate.wait(workloads.TIMEOUT)

    outcome = IdleOutcome(requested=n)
    handles = []
    for _ in range(n):
        try:
            handles.append(spawn(idle))
        except RuntimeError as error:  # "can't start new thread": the OS refused one
            outcome.error = f"thread {len(handles) + 1} refused: {error}"
            break
    outcome.started = len(handles)
    # Wait until every started thread is running and about to block.
    deadline = time.monotonic() + workloads.TIMEOUT
    while started[0] < outcome.started and time.monotonic() < deadline:
        time.sleep(0.001)
    at_peak(Peak(started=outcome.started, error=outcome.error))

    gate.set()
    for handle in handles:
        handle.join()
        outcome.joined += 1
    return outcome
