"""W5, gather and as-completed (crates/workloads/src/gather.rs): N tasks that each wait a
seeded random duration. `gather` hands the results back in submission order, whatever order
the tasks finished in; `as_completed` hands each back as soon as its task finishes.

The durations are a seeded permutation of N evenly spaced steps, so the order in which the
tasks should finish is known in advance: with steps wider than the timers' jitter, a model
that overlaps every task must return them in exactly that order.
"""

from dataclasses import dataclass, field
from typing import List

from . import WrongAnswer, rng

ID = "gather"
VARIANTS = ("gather", "as_completed")

# Rust's full sizes: 100 and 10 000 tasks of up to 10 ms.
DEFAULT_N = {"asyncio": 10_000, "threading": 1_000, "multiprocessing": 100}
SPREAD_MS = 10


def durations(n, spread_ns):
    """The durations of n tasks in nanoseconds: a seeded permutation of spread/n, 2·spread/n,
    ..., spread, computed exactly as the Rust one (integer nanoseconds)."""
    by_key = sorted(range(n), key=rng.input)
    out = [0] * n
    for rank, i in enumerate(by_key):
        out[i] = spread_ns * (rank + 1) // n
    return out


def task_value(i):
    """The value task i returns: a seeded input, so a result returned twice or lost shows."""
    return rng.input(i)


@dataclass
class GatherOutcome:
    """The tasks' values, in the order the model returned them."""

    values: List[int] = field(default_factory=list)


def check_gather(n, got):
    """Exactly every task's value, in submission order."""
    if len(got.values) != n:
        raise WrongAnswer(ID, f"{n} results expected, {len(got.values)} returned")
    for i, value in enumerate(got.values):
        if value != task_value(i):
            raise WrongAnswer(ID, f"result {i} is not task {i}'s: gather must keep submission order")


def check_as_completed(durations_ns, got, tolerance_ns=None):
    """Every task's value exactly once; with a tolerance, also in order of duration, up to
    it (the timers' jitter). None checks only that each result came back once: what a pool,
    which finishes tasks in an order of its own, or steps finer than any timer, allow."""
    index = {task_value(i): i for i in range(len(durations_ns))}
    seen = [False] * len(durations_ns)
    latest = 0
    for position, value in enumerate(got.values):
        i = index.get(value)
        if i is None:
            raise WrongAnswer(ID, f"result {position} is no task's value")
        if seen[i]:
            raise WrongAnswer(ID, f"task {i}'s result came back twice")
        seen[i] = True
        if tolerance_ns is not None and durations_ns[i] + tolerance_ns < latest:
            raise WrongAnswer(
                ID,
                f"task {i} ({durations_ns[i]} ns) came back after a task of {latest} ns: "
                "not in completion order",
            )
        latest = max(latest, durations_ns[i])
    if not all(seen):
        raise WrongAnswer(ID, f"task {seen.index(False)}'s result never came back")
