"""W3, ping-pong on asyncio: two tasks pass a token through two asyncio.Queues of one."""

import asyncio

from workloads.ping_pong import PingPongOutcome


async def ping_pong(rounds):
    """Two tasks pass a token `rounds` times; each adds one per hop.

    Stresses: the loop's wake-ups. A `get` on an empty queue parks the task on a future; the
    `put` that fills it resolves the future, which schedules the parked task for the loop's
    next iteration: one trip through the ready queue per hop, all on one thread."""
    # Capacity 1: at most one token is ever in flight.
    to_pong, to_ping = asyncio.Queue(maxsize=1), asyncio.Queue(maxsize=1)

    async def pong():
        # Answer until ping hangs up. asyncio.Queue cannot be closed before 3.13, so hanging
        # up is a sentinel, None.
        while (token := await to_pong.get()) is not None:
            await to_ping.put(token + 1)

    async def ping():
        token = 0
        for _ in range(rounds):
            await to_pong.put(token + 1)
            token = await to_ping.get()
        await to_pong.put(None)
        return token

    pong_task = asyncio.create_task(pong())
    token = await asyncio.create_task(ping())
    await pong_task
    return PingPongOutcome(rounds=rounds, token=token)
