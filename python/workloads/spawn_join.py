"""W2, spawn and join (crates/workloads/src/spawn_join.rs): spawn N trivial tasks that each
return a value, join them all, check the sum. What it measures is the cost of creating,
scheduling and joining one task.
"""

from dataclasses import dataclass

from . import MASK, compare, rng

ID = "spawn_join"

# Rust runs 10 000 tasks in every model; a Python process costs milliseconds to start.
DEFAULT_N = {"asyncio": 10_000, "threading": 10_000, "multiprocessing": 500}


@dataclass
class SpawnOutcome:
    """What a W2 run returns: tasks joined, and the wrapping sum of their values."""

    joined: int = 0
    sum: int = 0

    def record(self, value):
        self.joined += 1
        self.sum = (self.sum + value) & MASK


def task_value(i):
    """The value task i returns: the i-th seeded input, so that a task joined twice or lost
    changes the sum (a plain i could hide two errors that cancel out)."""
    return rng.input(i)


def expected(n):
    """The answer n tasks must give (computed once, outside the clock)."""
    want = SpawnOutcome()
    for i in range(n):
        want.record(task_value(i))
    return want


def check(want, got):
    compare(ID, want, got)
