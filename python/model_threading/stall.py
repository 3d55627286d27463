"""W19, the blocking pitfall on threads: a heartbeat thread, a thread that starts a thread
per light request, and `stall.blockers` threads making blocking calls one after another.

Nothing stalls on a sleep: a thread blocked in `time.sleep` releases the GIL and costs only
itself. A CPU loop is another matter in CPython: it holds the GIL, and a woken heartbeat must
wait for the running thread to be asked to drop it, every switch interval (5 ms by default,
sys.getswitchinterval()); when several threads compute, the GIL may go to another of them
first, so the heartbeat is late by one or several intervals."""

import time

from workloads.stall import StallOutcome, block

from .join_handle import spawn


def inline(stall):
    """Runs the heartbeat, the requests and the blocking threads together, each blocking call
    made right in its thread; returns what the heartbeat and the requests saw."""
    start = time.perf_counter_ns()
    heartbeat_thread = spawn(heartbeat, stall, name="heartbeat")
    requests_thread = spawn(requests, stall, start, name="requests")
    blockers = [spawn(blocker, stall) for _ in range(stall.blockers)]
    calls = sum(b.join() for b in blockers)
    return StallOutcome(heartbeat_ns=heartbeat_thread.join(), requests_ns=requests_thread.join(), calls=calls)


def heartbeat(stall):
    late = []
    tick_ns = round(stall.tick * 1e9)
    for _ in range(stall.ticks):
        asleep = time.perf_counter_ns()
        time.sleep(stall.tick)
        # How much longer than the tick the sleep took: the timer's slack, and the wait for
        # a core and for the GIL after it fired.
        late.append(max(0, time.perf_counter_ns() - asleep - tick_ns))
    return late


def requests(stall, start):
    """One light request each tick, on a fixed schedule, each a thread of its own that notes
    how long after its due time it ran."""
    handles = []
    for i in range(stall.ticks):
        due = stall.request_due(start, i)
        # Sleep until the request is due (not a fixed tick: a late wake-up must not push
        # every later request back).
        time.sleep(max(0, due - time.perf_counter_ns()) / 1e9)
        handles.append(spawn(lambda due=due: time.perf_counter_ns() - due))
    return [handle.join() for handle in handles]


def blocker(stall):
    time.sleep(stall.lead)
    for _ in range(stall.calls):
        # Right here, on this thread: it blocks this thread (and, computing, holds the GIL).
        block(stall.blocker, stall.block_for)
    return stall.calls
