"""W11, a semaphore (crates/workloads/src/semaphore.rs): N jobs, at most K at once, each
waits D while it holds its permit. The check is that at most K ever run at once, and that K
do (a semaphore that let fewer through would be correct but slow); the run then takes about
⌈N/K⌉·D. A Gauge counts the jobs holding a permit.

Its cost is measured apart, by permit churn (variant `permit_churn`): W workers take and give
back one of K permits, R times each, with nothing in between.
"""

import threading
from dataclasses import dataclass

from . import WrongAnswer

ID = "semaphore"
VARIANTS = ("semaphore", "permit_churn")

JOBS = 64
PERMITS = 8
WAIT_MS = 10
CHURN_WORKERS = 16
CHURN_PERMITS = 4
# Rust's full size is 10 000 rounds per worker; a permit shared between processes costs
# microseconds, so a tenth there.
DEFAULT_CHURN_ROUNDS = {"asyncio": 10_000, "threading": 10_000, "multiprocessing": 1_000}


class Gauge:
    """Counts the jobs inside the guarded section and remembers the most at once. Each job
    calls enter() right after taking its permit and leave() right before giving it back.
    A lock guards the two counts: `+=` is not atomic across threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.inside = 0
        self.most = 0

    def enter(self):
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)

    def leave(self):
        with self._lock:
            self.inside -= 1


@dataclass
class SemaphoreOutcome:
    jobs: int = 0
    # The most jobs that held a permit at once.
    most_at_once: int = 0
    # Jobs still inside after the run: 0.
    inside_after: int = 0


def check(jobs, permits, got):
    """Every job ran, exactly min(K, N) at once at the most."""
    if got.jobs != jobs or got.inside_after != 0:
        raise WrongAnswer(ID, f"{jobs} jobs asked for, {got.jobs} ran, {got.inside_after} still inside")
    want = min(permits, jobs)
    if got.most_at_once != want:
        raise WrongAnswer(ID, f"at most {want} jobs should run at once; {got.most_at_once} did")


@dataclass
class ChurnOutcome:
    # Acquire–release pairs done.
    pairs: int = 0
    # The most workers holding a permit at once.
    most_at_once: int = 0


def check_churn(workers, permits, rounds, got):
    """Every pair done, never more than K at once."""
    if got.pairs != workers * rounds:
        raise WrongAnswer(ID, f"{workers * rounds} pairs expected, {got.pairs} done")
    if got.most_at_once > permits:
        raise WrongAnswer(ID, f"{got.most_at_once} workers held one of {permits} permits at once")
