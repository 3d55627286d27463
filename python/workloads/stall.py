"""W19, the blocking pitfall (crates/workloads/src/stall.rs): a heartbeat task ticks every
millisecond and a light request arrives every tick, while other tasks make blocking calls,
50 ms each: a CPU loop or `time.sleep`. Made inline, on the event loop's own thread, the
calls stop everything else the loop would run; offloaded with `loop.run_in_executor`, they
do not.

Threads and processes run the inline variants only: each task is already its own thread or
process, so there is nothing to offload to. The GIL still shows: a thread in a CPU loop holds
it, and a woken heartbeat waits until that thread is asked to drop it, every switch interval
(5 ms by default), and longer when another computing thread takes it first.
"""

import time
from dataclasses import dataclass, field
from typing import List

from . import compare, rng

ID = "blocking_stall"

# Variant id -> (what blocks, where the call runs).
VARIANTS = {
    "inline_sleep": ("sleep", "inline"),
    "inline_cpu": ("cpu", "inline"),
    "offloaded_sleep": ("sleep", "offloaded"),
    "offloaded_cpu": ("cpu", "offloaded"),
}

BLOCK_FOR_MS = 50
CALLS = 4
TICKS = 200
TICK_MS = 1
LEAD_MS = 20


@dataclass(frozen=True)
class Stall:
    """One run of the pitfall (the Rust Stall, durations in seconds as Python sleeps)."""

    blocker: str  # "cpu" or "sleep"
    placement: str  # "inline" or "offloaded"
    # Tasks that make blocking calls: one per thread that runs tasks (the event loop has one).
    blockers: int
    calls: int = CALLS
    block_for: float = BLOCK_FOR_MS / 1e3
    ticks: int = TICKS
    tick: float = TICK_MS / 1e3
    # When the blocking tasks start, after the heartbeat.
    lead: float = LEAD_MS / 1e3

    def request_due(self, start_ns, i):
        """When light request i is due, in perf_counter_ns: start + (i + 1) ticks. Its latency
        counts from then, not from when it was sent, so a stalled sender cannot hide the
        stall (coordinated omission)."""
        return start_ns + round(self.tick * 1e9) * (i + 1)


def block(blocker, seconds):
    """Makes one blocking call: a CPU loop or a sleep of `seconds`."""
    if blocker == "cpu":
        return busy(seconds)
    time.sleep(seconds)
    return 0


def busy(seconds):
    """Computes for `seconds` without yielding: the call that blocks whatever runs it."""
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        for _ in range(100):
            x = rng.mix(x)
    return x


@dataclass
class StallOutcome:
    # How late each heartbeat tick woke, past its period, in nanoseconds.
    heartbeat_ns: List[int] = field(default_factory=list)
    # Each light request's latency, from when it was due to when its task ran.
    requests_ns: List[int] = field(default_factory=list)
    # Blocking calls made.
    calls: int = 0


def check(stall, got):
    """Every tick, every request and every blocking call happened."""
    want = (stall.ticks, stall.ticks, stall.blockers * stall.calls)
    compare(ID, want, (len(got.heartbeat_ns), len(got.requests_ns), got.calls))
