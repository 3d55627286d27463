"""W6, cancellation (crates/workloads/src/cancellation.rs): a task holds a resource and is
cancelled while it works. What matters is that the resource is released, and how soon after
the cancel request.

asyncio cancels from outside: `task.cancel()` throws CancelledError into the task at its
next await, and the `with` block releases the resource on the way out. A thread cannot be
stopped from outside; it checks a token between slices of its work, every CHECK_INTERVAL. A
process can be: `terminate()` sends SIGTERM, which a handler turns into an exception.
"""

from dataclasses import dataclass, field
from typing import List

from . import WrongAnswer, rng

ID = "cancellation"

# How long a cancelled task would work if nobody cancelled it: far longer than any test.
WORK_NS = 60 * 10**9

# How often a thread, which cannot be cancelled from outside, checks its token.
CHECK_INTERVAL_NS = 1_000_000

# Each task holds its resource this long before the cancel request (plus a seeded part).
HOLD_MS = 1

# Trials per run: the Rust full size is 500; a process per trial costs milliseconds.
DEFAULT_TRIALS = {"asyncio": 500, "threading": 500, "multiprocessing": 100}

ABORT = "cancelled from outside, at its next await"
COOPERATIVE = "cooperative: token checked every 1 ms"
TERMINATE = "terminated from outside: SIGTERM, released by the handler's exception"


def hold_for(hold_ns, trial):
    """How long trial `trial` holds its resource before the cancel request, in ns: `hold`
    plus a seeded fraction of CHECK_INTERVAL, which spreads the requests over a cooperative
    worker's whole check cycle (a fixed hold would measure one point of that cycle)."""
    thousandths = rng.input(trial) % 1_000
    return hold_ns + CHECK_INTERVAL_NS * thousandths // 1_000


@dataclass
class CancelOutcome:
    trials: int = 0
    # Tasks joined after their cancellation (none left running).
    joined: int = 0
    # For each trial, nanoseconds from the cancel request to the resource's release.
    latencies_ns: List[int] = field(default_factory=list)
    # Resources still held after the run: must be zero.
    live_after: int = 0
    # How the model cancelled, in words.
    mechanism: str = ""


def check(trials, got):
    """Every trial cancelled, joined, timed, and its resource released."""
    if got.trials != trials or got.joined != trials or len(got.latencies_ns) != trials:
        raise WrongAnswer(
            ID,
            f"{trials} trials asked for; {got.trials} run, {got.joined} joined, "
            f"{len(got.latencies_ns)} latencies",
        )
    if got.live_after != 0:
        raise WrongAnswer(ID, f"{got.live_after} resources still held after every task was cancelled")
    slow = [latency for latency in got.latencies_ns if latency >= WORK_NS]
    if slow:
        raise WrongAnswer(ID, f"a release came {slow[0]} ns after the request: the task ran to the end")
