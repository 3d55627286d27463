"""W12, channels on asyncio: producer and consumer tasks around one asyncio.Queue."""

import asyncio

from workloads.channels import ChannelOutcome, share


async def channel(case, messages):
    """Sends 0..messages from `case.producers` tasks through one asyncio.Queue of
    `case.capacity` (0: unbounded) to `case.consumers` tasks, which sum what they receive.

    Stresses: the queue's hand-off on one thread. With room in the queue, a `put` does not
    yield, so a producer runs until the queue is full; with a capacity of 1, every message
    parks one side and wakes the other: a trip through the ready queue per message."""
    queue = asyncio.Queue(maxsize=case.capacity)
    consumers = [asyncio.create_task(consume(queue)) for _ in range(case.consumers)]
    producers = [asyncio.create_task(produce(queue, share(p, case.producers, messages))) for p in range(case.producers)]
    await asyncio.gather(*producers)
    # Every message is in: one sentinel per consumer tells each one to stop.
    for _ in consumers:
        await queue.put(None)
    outcome = ChannelOutcome()
    for received in await asyncio.gather(*consumers):
        outcome = outcome.merge(received)
    return outcome


async def produce(queue, messages):
    for message in messages:
        await queue.put(message)


async def consume(queue):
    outcome = ChannelOutcome()
    while (message := await queue.get()) is not None:
        outcome.record(message)
    return outcome
