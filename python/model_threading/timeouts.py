"""W7, timeouts on threads: one future per operation on a ThreadPoolExecutor, waited on with
`future.result(timeout=...)`. A timeout there ends only the *waiting*: the work goes on in
its thread unless it is told to stop. So each operation's work waits on a cancel token (a
threading.Event) that the caller sets when the deadline passes."""

import concurrent.futures
import threading
import time

from workloads.resource import Ledger
from workloads.timeouts import GRACE_NS, TimeoutOutcome


def timeouts(n, deadline, work, pool):
    """Starts n operations at once on `pool`, each doing `work` seconds under a deadline of
    `deadline` seconds; returns how late each timeout was seen and how much work finished,
    counted once the work's whole length (plus GRACE) has passed since the start.

    Stresses: the kernel's timers and thread wake-ups: the caller sleeps until each
    deadline in turn; every op's thread sleeps on its token until the caller sets it."""
    run_start = time.perf_counter_ns()
    deadline_ns = round(deadline * 1e9)
    ledger = Ledger()
    ops = []
    for _ in range(n):
        cancel = threading.Event()
        # Each operation's deadline runs from its own start.
        due = time.perf_counter_ns() + deadline_ns
        ops.append((due, cancel, pool.submit(do_work, work, ledger, cancel)))

    lateness = []
    for due, cancel, future in ops:
        try:
            future.result(timeout=max(0, due - time.perf_counter_ns()) / 1e9)
        except concurrent.futures.TimeoutError:
            lateness.append(max(0, time.perf_counter_ns() - due))
            # Without this line the work would run to its end: the classic mistake.
            cancel.set()
    # Work left running would finish `work` after the start: wait past that, then count.
    time.sleep(max(0, run_start + round(work * 1e9) + GRACE_NS - time.perf_counter_ns()) / 1e9)
    return TimeoutOutcome(
        ops=n, timed_out=len(lateness), finished_work=ledger.closed, live_after=ledger.live, lateness_ns=lateness
    )


def do_work(work, ledger, cancel):
    """The work: `work` seconds of waiting that the cancel token ends at once. It holds a
    resource while it runs and closes it only if it reaches its end."""
    with ledger.acquire() as working:
        if not cancel.wait(work):
            working.close()
