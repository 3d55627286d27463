"""W10, a lock-protected counter (crates/workloads/src/locks.rs): W workers each add one to a
shared counter I times, each time under a lock. Two sections:

- short: the lock is held only to add one;
- waiting: the worker also yields while it holds the lock (an `await asyncio.sleep(0)`, or
  a `time.sleep(0)` for threads and processes), so every other worker that wants the lock
  must wait for it.

The count is checked exactly. Each worker also notes the longest it waited for the lock: a
fair lock keeps that short for everyone, an unfair one lets some wait much longer.
"""

from dataclasses import dataclass, field
from typing import List

from . import WrongAnswer

ID = "locked_counter"
VARIANTS = ("short", "waiting")

# Workers: the Rust sizes are 2, 16 and 256.
DEFAULT_WORKERS = 16

# Increments per run, all workers together, spread evenly over them. Rust's are 256 000 and
# 25 600; a lock shared between processes costs microseconds per increment, so a tenth.
DEFAULT_INCREMENTS = {
    "short": {"asyncio": 256_000, "threading": 256_000, "multiprocessing": 25_600},
    "waiting": {"asyncio": 25_600, "threading": 25_600, "multiprocessing": 2_560},
}


def per_worker(total, workers):
    """Increments per worker: the run's total spread evenly (the remainder is dropped, as in
    Rust)."""
    return total // max(workers, 1)


@dataclass
class LockOutcome:
    # The counter at the end.
    count: int = 0
    # For each worker, the longest it waited to take the lock, in nanoseconds.
    longest_waits_ns: List[int] = field(default_factory=list)


def check(workers, increments, got):
    """Every increment counted, one longest wait per worker."""
    want = workers * increments
    if got.count != want:
        raise WrongAnswer(ID, f"{workers} workers × {increments} increments should count {want}, counted {got.count}")
    if len(got.longest_waits_ns) != workers:
        raise WrongAnswer(ID, f"{workers} workers, but {len(got.longest_waits_ns)} longest waits")
