"""W3, ping-pong (crates/workloads/src/ping_pong.rs): two tasks pass a token back and forth
through a pair of channels R times. Each hop wakes the other side, so the time per round trip
is the price of two hand-offs between tasks (or threads, or processes).
"""

from dataclasses import dataclass

from . import compare

ID = "ping_pong"

# Round trips per run: the Rust full size, for every model.
DEFAULT_ROUNDS = {"asyncio": 10_000, "threading": 10_000, "multiprocessing": 10_000}


@dataclass
class PingPongOutcome:
    """Round trips completed, and the token after the last hop (each side adds one)."""

    rounds: int = 0
    token: int = 0


def expected(rounds):
    """After `rounds` round trips, two hops each."""
    return PingPongOutcome(rounds=rounds, token=2 * rounds)


def check(rounds, got):
    compare(ID, expected(rounds), got)
