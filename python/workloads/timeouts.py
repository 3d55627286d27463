"""W7, timeouts (crates/workloads/src/timeouts.rs): N operations start at once, each doing
work that takes longer than its deadline, so every one times out. The figure is how late each
operation learned of its timeout. The check is that no work goes on after its timeout: a
timeout that abandons the waiting but leaves the work running is the classic mistake (with a
thread pool's futures it is the default: `future.result(timeout=...)` stops only the wait).
"""

from dataclasses import dataclass, field
from typing import List

from . import WrongAnswer

ID = "timeouts"

# Each operation's deadline, and the work it would do: ten times longer.
DEADLINE_MS = 50
WORK_MS = 500

# How long past the work's full length a run waits before counting finished work: room for
# a timer that fires a little late, so work left running is caught, not missed.
GRACE_NS = 20_000_000

# Rust's sizes are 10 and 10 000 operations; a process per operation costs milliseconds to
# start, and every one must have started before the first one's work would end.
DEFAULT_N = {"asyncio": 10_000, "threading": 1_000, "multiprocessing": 100}


@dataclass
class TimeoutOutcome:
    ops: int = 0
    timed_out: int = 0
    # Operations whose work ran to its end, counted once its whole length had passed: 0.
    finished_work: int = 0
    # Work still holding its resource after the run: 0, or some work was left running.
    live_after: int = 0
    # For each operation, nanoseconds from its deadline to when it saw the timeout.
    lateness_ns: List[int] = field(default_factory=list)


def check(ops, got):
    """Every operation timed out, none finished its work, none is still working."""
    if got.ops != ops or got.timed_out != ops or len(got.lateness_ns) != ops:
        raise WrongAnswer(
            ID,
            f"{ops} operations asked for; {got.ops} run, {got.timed_out} timed out, "
            f"{len(got.lateness_ns)} latenesses",
        )
    if got.finished_work != 0:
        raise WrongAnswer(ID, f"{got.finished_work} operations finished their work after timing out")
    if got.live_after != 0:
        raise WrongAnswer(ID, f"{got.live_after} operations' work is still running after its timeout")
