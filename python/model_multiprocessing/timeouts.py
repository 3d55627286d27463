"""W7, timeouts on processes: a process per operation, waited for with `join(timeout)`;
one still running at its deadline is terminated, which ends its work (the SIGTERM handler
unwinds its `with` block). A join that times out without the terminate would leave the work
running: the classic mistake."""

import time

import workloads
from workloads.timeouts import GRACE_NS, TimeoutOutcome

from .worker import SharedLedger, exit_on_sigterm


def timeouts(context, n, deadline, work):
    """Starts n operations (processes) at once, each doing `work` seconds under a deadline
    of `deadline` seconds; returns how late each timeout was seen and how much work
    finished, counted once the work's whole length (plus GRACE) has passed.

    Stresses: process creation, then the parent's one thread, which waits for each deadline
    in turn: every process must have started before the first one's work would end, so N is
    bounded by the work's length over the time to start a process."""
    run_start = time.monotonic_ns()
    deadline_ns = round(deadline * 1e9)
    ledger = SharedLedger(context, n)
    ops = []
    for slot in range(n):
        process = context.Process(target=do_work, args=(ledger, slot, work), daemon=True)
        due = time.monotonic_ns() + deadline_ns  # each operation's deadline from its own start
        process.start()
        ops.append((due, process))

    lateness = []
    for due, process in ops:
        process.join(max(0, due - time.monotonic_ns()) / 1e9)
        if process.exitcode is None:  # still running: timed out
            lateness.append(max(0, time.monotonic_ns() - due))
            process.terminate()
    time.sleep(max(0, run_start + round(work * 1e9) + GRACE_NS - time.monotonic_ns()) / 1e9)
    for _, process in ops:
        process.join(workloads.TIMEOUT)
    return TimeoutOutcome(
        ops=n, timed_out=len(lateness), finished_work=ledger.closed, live_after=ledger.live, lateness_ns=lateness
    )


def do_work(ledger, slot, work):
    """The child: hold a resource while working, close it only if the work reaches its end."""
    exit_on_sigterm()
    with ledger.acquire(slot) as working:
        time.sleep(work)
        working.close()
