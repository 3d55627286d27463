"""W19, the blocking pitfall on asyncio: a heartbeat, a light request each tick, and a task
that makes blocking calls, inline (the pitfall) or through loop.run_in_executor (the fix)."""

import asyncio
import time

from workloads.stall import StallOutcome, block


async def blocking_stall(stall, executor):
    """Runs the heartbeat, the requests and `stall.blockers` blocking tasks on the loop, and
    returns what the heartbeat and the requests saw.

    Stresses: the loop's one thread. Inline, a blocking call holds it, and nothing else runs
    until the call returns: the heartbeat wakes late and the requests wait, by most of a
    call. asyncio is cooperative: it cannot take the thread back from a task that does not
    await. Offloaded, the call runs in `executor` (threads for sleeps, processes for CPU
    loops: a thread computing in Python would hold the GIL) and the loop stays free."""
    start = time.perf_counter_ns()
    latencies = []
    heartbeat_task = asyncio.create_task(heartbeat(stall))
    requests_task = asyncio.create_task(requests(stall, start, latencies))
    blockers = [asyncio.create_task(blocker(stall, executor)) for _ in range(stall.blockers)]
    lateness = await heartbeat_task
    await requests_task
    calls = sum(await asyncio.gather(*blockers))
    return StallOutcome(heartbeat_ns=lateness, requests_ns=latencies, calls=calls)


async def heartbeat(stall):
    """Sleeps one tick at a time and notes how late each wake-up came, past the tick."""
    late = []
    tick_ns = round(stall.tick * 1e9)
    for _ in range(stall.ticks):
        asleep = time.perf_counter_ns()
        await asyncio.sleep(stall.tick)
        late.append(max(0, time.perf_counter_ns() - asleep - tick_ns))
    return late


async def requests(stall, start, latencies):
    """One light request each tick, on a fixed schedule, each a task of its own."""
    answers = []
    for i in range(stall.ticks):
        due = stall.request_due(start, i)
        # Sleep until the due time itself, so a late wake-up does not push the later
        # requests back: the schedule is fixed, as a client's would be.
        await asyncio.sleep(max(0, due - time.perf_counter_ns()) / 1e9)
        answers.append(asyncio.create_task(answer(due, latencies)))
    await asyncio.gather(*answers)


async def answer(due, latencies):
    """One light request: notes its latency, from when it was due."""
    latencies.append(time.perf_counter_ns() - due)


async def blocker(stall, executor):
    """After the lead, makes `stall.calls` blocking calls, yielding to the loop after each."""
    await asyncio.sleep(stall.lead)
    loop = asyncio.get_running_loop()
    for _ in range(stall.calls):
        if stall.placement == "inline":
            # The pitfall: the call runs right here, on the loop's thread.
            block(stall.blocker, stall.block_for)
        else:
            # The fix: the loop hands the call to the executor and runs other tasks meanwhile.
            await loop.run_in_executor(executor, block, stall.blocker, stall.block_for)
        # Between calls the other tasks get their turn: the stall lasts one call, not all.
        await asyncio.sleep(0)
    return stall.calls
