"""W19, the blocking pitfall on processes: a heartbeat process, a process per light request
started by the parent, and `stall.blockers` processes making blocking calls. A process is its
own, like a thread, and has its own GIL: nothing stalls on the blocking calls. What the
requests show instead is the price of a process per request."""

import time

from workloads.stall import StallOutcome, block

from .worker import Worker


def inline(context, stall):
    """Runs the heartbeat, the requests and the blocking processes together; returns what the
    heartbeat and the requests saw. Times are time.monotonic_ns(), which every process reads
    alike."""
    start = time.monotonic_ns()
    heartbeat_worker = Worker(context, heartbeat, (stall,))
    blockers = [Worker(context, blocker, (stall,)) for _ in range(stall.blockers)]
    requests = []
    for i in range(stall.ticks):
        due = stall.request_due(start, i)
        time.sleep(max(0, due - time.monotonic_ns()) / 1e9)
        # The request's task: a process of its own that notes how long after its due time
        # it ran (its start is the cost of a process).
        requests.append(Worker(context, since, (due,)))
    calls = sum(b.join() for b in blockers)
    return StallOutcome(heartbeat_ns=heartbeat_worker.join(), requests_ns=[r.join() for r in requests], calls=calls)


def heartbeat(stall):
    late = []
    tick_ns = round(stall.tick * 1e9)
    for _ in range(stall.ticks):
        asleep = time.monotonic_ns()
        time.sleep(stall.tick)
        late.append(max(0, time.monotonic_ns() - asleep - tick_ns))
    return late


def since(due):
    return time.monotonic_ns() - due


def blocker(stall):
    time.sleep(stall.lead)
    for _ in range(stall.calls):
        block(stall.blocker, stall.block_for)
    return stall.calls
