"""W11, a semaphore on asyncio: asyncio.Semaphore(K) around each job."""

import asyncio

from workloads.semaphore import ChurnOutcome, Gauge, SemaphoreOutcome


async def semaphore(jobs, permits, wait):
    """Starts `jobs` tasks at once; each takes one of `permits` permits, waits `wait`
    seconds holding it, and gives it back. Returns the most jobs that held one at once.

    Stresses: the semaphore's waiter queue and the timers: at most K tasks sleep with a
    permit, the rest are parked on futures, and each release wakes one of them."""
    sem, gauge = asyncio.Semaphore(permits), Gauge()
    await asyncio.gather(*(job(sem, gauge, wait) for _ in range(jobs)))
    return SemaphoreOutcome(jobs=jobs, most_at_once=gauge.most, inside_after=gauge.inside)


async def permit_churn(workers, permits, rounds):
    """The permit's own cost: `workers` tasks each take and give back one of `permits`
    permits `rounds` times, with nothing in between.

    Stresses: almost nothing: taking a free permit does not yield, so each task runs all its
    rounds in one go and never finds the permits taken. What is left is the price of the
    `async with`."""
    sem, gauge = asyncio.Semaphore(permits), Gauge()
    await asyncio.gather(*(churn(sem, gauge, rounds) for _ in range(workers)))
    return ChurnOutcome(pairs=workers * rounds, most_at_once=gauge.most)


async def job(sem, gauge, wait):
    async with sem:
        gauge.enter()
        await asyncio.sleep(wait)
        gauge.leave()


async def churn(sem, gauge, rounds):
    for _ in range(rounds):
        async with sem:
            gauge.enter()
            gauge.leave()
