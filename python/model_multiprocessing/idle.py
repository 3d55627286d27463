"""W4, idle processes: N processes alive and blocked on one multiprocessing.Event, to see
what one waiting process costs."""

import time

import workloads
from workloads.idle import IdleOutcome, Peak


def idle_tasks(context, n, at_peak):
    """Starts up to n processes that each block on one shared gate; once they have all
    started (or the OS refused one), calls `at_peak`, then opens the gate and joins them.

    Stresses: memory: every process has its own interpreter state, heap and page tables.
    Forked, it shares its parent's pages until either writes to them (copy on write), which
    is why the figure to read is PSS, not the sum of RSS."""
    gate = context.Event()
    started = context.Value("q", 0)
    outcome = IdleOutcome(requested=n)
    processes = []
    for _ in range(n):
        process = context.Process(target=idle, args=(gate, started), daemon=True)
        try:
            process.start()
        except OSError as error:  # the OS refused a process (EAGAIN, ENOMEM)
            outcome.error = f"process {len(processes) + 1} refused: {error}"
            break
        processes.append(process)
    outcome.started = len(processes)
    # Wait until every started process is running and about to block.
    deadline = time.monotonic() + workloads.TIMEOUT
    while started.value < outcome.started and time.monotonic() < deadline:
        time.sleep(0.001)
    at_peak(Peak(started=outcome.started, error=outcome.error))

    gate.set()
    for process in processes:
        process.join(workloads.TIMEOUT)
        if process.exitcode == 0:
            outcome.joined += 1
    return outcome


def idle(gate, started):
    """One process: say it started, then wait at the gate."""
    with started.get_lock():
        started.value += 1
    gate.wait(workloads.TIMEOUT)
