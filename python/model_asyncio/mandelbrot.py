"""W16, Mandelbrot on asyncio: one task per row, computing on the event loop's thread
(inline), or handing its row to a process pool with loop.run_in_executor (offloaded)."""

import asyncio

from workloads import MASK


async def inline(image):
    """One task per row, each computing its row on the loop's one thread.

    Stresses: nothing runs in parallel: a task that computes never awaits, so the rows run
    one after another, as in `one_thread`, plus the cost of a task per row. The tutorial's
    lesson that asyncio does not speed up CPU-bound work."""
    rows = await asyncio.gather(*(row_task(image, y) for y in range(image.height)))
    return sum(rows) & MASK


async def offloaded(image, pool):
    """One task per row, each awaiting its row computed in `pool`, a ProcessPoolExecutor
    with the run's worker count (a thread pool would hold the GIL and gain nothing).

    Stresses: the pool's queue and pickling: each row crosses to a worker process and its
    result back, through pipes; the rows balance over the workers as they free up."""
    loop = asyncio.get_running_loop()
    rows = await asyncio.gather(*(loop.run_in_executor(pool, image.row, y) for y in range(image.height)))
    return sum(rows) & MASK


async def row_task(image, y):
    return image.row(y)
