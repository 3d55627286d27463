"""W2, spawn and join on processes: the cost of one process from start to answered value."""

from workloads.spawn_join import SpawnOutcome, task_value

from .worker import start_all


def spawn_join(context, n):
    """Starts n processes that each answer task_value(i) through a pipe, then joins them.

    Stresses: the kernel and the interpreter: with "fork", a copy of the parent's page tables
    and a copy-on-write address space per process; with "spawn", a whole new interpreter
    that imports the modules it needs. Milliseconds, where a thread costs tens of
    microseconds and a task one."""
    workers = start_all(context, n, task_value)
    outcome = SpawnOutcome()
    for worker in workers:
        outcome.record(worker.join())
    return outcome
