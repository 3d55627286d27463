"""W12, channels (crates/workloads/src/channels.rs): producers send M messages in all through
one channel to consumers that sum them: one producer and one consumer (SPSC), many producers
and one consumer (MPSC), many of each (MPMC), each with a channel of capacity 1, 64, or
unbounded. Every message must arrive exactly once (count and checksum).

Rust ends the consumers by closing the channel when the last producer is done. Python's
queues cannot be closed before 3.13 (`Queue.shutdown`), so every model here ends them the
tutorial's way: one sentinel (None) per consumer, put after every producer has finished.
"""

from dataclasses import dataclass

from . import MASK, compare

ID = "channels"

# Variant id -> (shape, capacity); capacity 0 means unbounded (as queue.Queue's maxsize).
VARIANTS = {
    "spsc_1": ("spsc", 1),
    "spsc_64": ("spsc", 64),
    "spsc_unbounded": ("spsc", 0),
    "mpsc_1": ("mpsc", 1),
    "mpsc_64": ("mpsc", 64),
    "mpsc_unbounded": ("mpsc", 0),
    "mpmc_1": ("mpmc", 1),
    "mpmc_64": ("mpmc", 64),
    "mpmc_unbounded": ("mpmc", 0),
}

# The case the Rust table shows: MPMC over a channel of 64, 4 producers and 4 consumers.
HEADLINE = "mpmc_64"
HEADLINE_PRODUCERS = 4

# Messages per case: Rust's full run sends 500 000; a message between processes is pickled,
# written to a pipe by a feeder thread and read back: tens of microseconds.
DEFAULT_MESSAGES = {"asyncio": 100_000, "threading": 100_000, "multiprocessing": 20_000}


@dataclass
class Case:
    shape: str
    # At most this many messages in the channel; 0: unbounded.
    capacity: int
    producers: int
    consumers: int


def case(variant, producers):
    """The case of `variant` with `producers` producers (one for SPSC; as many consumers as
    producers for MPMC)."""
    shape, capacity = VARIANTS[variant]
    if shape == "spsc":
        return Case(shape, capacity, 1, 1)
    return Case(shape, capacity, producers, producers if shape == "mpmc" else 1)


def share(p, producers, messages):
    """The messages producer p of `producers` sends: an even share of 0..messages, in order."""
    return range(messages * p // producers, messages * (p + 1) // producers)


@dataclass
class ChannelOutcome:
    """What the consumers received, all together."""

    received: int = 0
    sum: int = 0

    def record(self, message):
        self.received += 1
        self.sum = (self.sum + message) & MASK

    def merge(self, other):
        return ChannelOutcome(self.received + other.received, (self.sum + other.sum) & MASK)


def expected(messages):
    """Each of 0..messages once."""
    return ChannelOutcome(received=messages, sum=messages * max(messages - 1, 0) // 2)


def check(messages, got):
    compare(ID, expected(messages), got)
