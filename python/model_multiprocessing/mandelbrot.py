"""W16, Mandelbrot on processes: the rows over a multiprocessing.Pool of `workers`
processes, cut into one contiguous range per worker (static chunks) or handed out one row
at a time as workers free up (a work queue). Each process has its own interpreter and its
own GIL, so the rows compute in parallel: the tutorial's answer for CPU-bound work."""

import workloads
from workloads import MASK
from workloads.mandelbrot import leaf


def static_chunks(image, pool, workers):
    """One task per worker, each summing one contiguous range of rows decided up front.

    Stresses: load balance, and it fails it: the rows are uneven, so the workers given the
    edges finish early and wait while the ones given the middle work on. (With two workers
    the halves mirror each other, the image being symmetric, so the cut looks fair.)"""
    ranges = [leaf(image.height, workers, t) for t in range(workers)]
    sums = pool.map_async(image.rows, ranges, chunksize=1).get(workloads.TIMEOUT)
    return sum(sums) & MASK


def work_queue(image, pool):
    """One task per row, handed to whichever worker is free (chunksize 1).

    Stresses: the pool's task queue: a row is pickled to a worker (the image is three
    numbers) and its sum pickled back, a few tens of microseconds per row against its
    milliseconds of computing; the load balances."""
    rows = pool.imap_unordered(image.row, range(image.height), chunksize=1)
    total = 0
    for _ in range(image.height):
        total = (total + rows.next(workloads.TIMEOUT)) & MASK
    return total
