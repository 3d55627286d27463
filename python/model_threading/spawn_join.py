"""W2, spawn and join on threads: the cost of one thread from creation to joined result."""

from workloads.spawn_join import SpawnOutcome, task_value

from .join_handle import spawn_all


def spawn_join(n):
    """Starts n threads that each return task_value(i), then joins them all.

    Stresses: the kernel. Each thread is a `clone` system call, a stack mapping, and at the
    end an exit and a join; Python adds its thread state and a hand-shake with the new thread
    (`start()` waits until it runs). That is why thread pools exist."""
    handles = spawn_all(n, task_value)
    outcome = SpawnOutcome()
    for handle in handles:
        outcome.record(handle.join())
    return outcome
