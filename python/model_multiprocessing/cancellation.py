"""W6, cancellation on processes: a process can be stopped from outside. `terminate()`
sends it SIGTERM, which a handler turns into SystemExit, so the process's `with` block
releases its resource on the way out, as a cancelled asyncio task's does."""

import time

import workloads
from workloads.cancellation import TERMINATE, WORK_NS, CancelOutcome, hold_for

from .worker import SharedLedger, exit_on_sigterm


def cancellation(context, trials, hold_ns):
    """`trials` times, one after another: start a process that acquires a resource and
    works, let it hold the resource, terminate it, join it, and note how long the release
    took after the request.

    Stresses: signal delivery: the kernel interrupts the child's sleep, the interpreter
    runs the handler at its next bytecode, and the exception unwinds the `with` block."""
    ledger = SharedLedger(context, trials)
    holding = context.Event()
    latencies = []
    for trial in range(trials):
        holding.clear()
        process = context.Process(target=hold_resource, args=(ledger, trial, holding), daemon=True)
        process.start()
        if not holding.wait(workloads.TIMEOUT):
            raise TimeoutError("the worker never acquired its resource")
        time.sleep(hold_for(hold_ns, trial) / 1e9)
        requested = time.monotonic_ns()
        process.terminate()
        process.join(workloads.TIMEOUT)
        if ledger.states[trial] != SharedLedger.DROPPED:
            raise RuntimeError(f"trial {trial}: the terminated worker did not release its resource")
        latencies.append(ledger.released_at[trial] - requested)
    return CancelOutcome(
        trials=trials, joined=len(latencies), latencies_ns=latencies, live_after=ledger.live, mechanism=TERMINATE
    )


def hold_resource(ledger, trial, holding):
    """The child: acquire a resource, say so, then work until terminated."""
    # Before acquiring anything: a SIGTERM from now on unwinds the `with` block.
    exit_on_sigterm()
    with ledger.acquire(trial):
        holding.set()
        time.sleep(WORK_NS / 1e9)
