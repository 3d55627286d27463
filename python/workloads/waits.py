"""W1, concurrent waits (crates/workloads/src/waits.rs): start N tasks that each wait D, then
join them all. Concurrent models take about D; a sequential program takes N·D.

Each task returns its own index, so the joined sum proves every task ran exactly once.
"""

from dataclasses import dataclass

from . import MASK, compare

ID = "concurrent_waits"

# How long each task waits: the Rust D (the tutorial's `asyncio.sleep`).
WAIT_MS = 100

# Default task counts per model: the Rust sizes go 10, 1 000, 10 000 (and 100 000 for
# async runtimes); a Python process per task stops far earlier than a thread or a task.
DEFAULT_N = {"asyncio": 10_000, "threading": 1_000, "multiprocessing": 100}


@dataclass
class WaitOutcome:
    """What a W1 run returns: tasks joined, and the sum of the indices they returned."""

    completed: int = 0
    sum: int = 0

    def record(self, index):
        """Adds one joined task's result."""
        self.completed += 1
        self.sum = (self.sum + index) & MASK


def expected(n):
    """The answer n tasks must give: every index 0..n exactly once."""
    return WaitOutcome(completed=n, sum=n * max(n - 1, 0) // 2)


def check(n, got):
    compare(ID, expected(n), got)
