"""W4, idle tasks (crates/workloads/src/idle.rs): hold N tasks alive, each waiting on one
shared gate, and read the memory of the whole process tree while they wait. Bytes per task
are (memory at N − memory at 1) / N: bench.py runs the workload once at 1, then at N.
"""

from dataclasses import dataclass
from typing import Optional

from . import WrongAnswer

ID = "idle_tasks"

# Default sizes; the largest that must work are 1 000 000 tasks, 10 000 threads and about
# 500 processes (the published figure for asyncio is 1.2 to 1.5 KB per idle task).
DEFAULT_N = {"asyncio": 100_000, "threading": 1_000, "multiprocessing": 100}


@dataclass
class Peak:
    """The moment of the measurement: every task that could start is waiting."""

    started: int
    error: Optional[str] = None


@dataclass
class IdleOutcome:
    """What a W4 run returns."""

    requested: int = 0
    started: int = 0
    joined: int = 0
    # Why spawning stopped short of N, if it did (the OS refused a thread...).
    error: Optional[str] = None


def check(got):
    """Every task that started was joined, and all requested started unless a limit stopped
    the spawning (then `error` says which)."""
    if got.joined != got.started:
        raise WrongAnswer(ID, f"{got.started} tasks started but {got.joined} were joined")
    if got.error is None and got.started != got.requested:
        raise WrongAnswer(ID, f"{got.requested} tasks requested but {got.started} started, with no error")
