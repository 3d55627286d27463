"""W16, Mandelbrot on threads: the rows shared out between `workers` threads, either cut up
front into one contiguous range per thread (static chunks) or taken one at a time from a
shared counter (a work queue). In CPython with the GIL, only one thread runs Python at a
time: neither way computes faster than one thread, which is the tutorial's point."""

from workloads import MASK
from workloads.mandelbrot import leaf

from .join_handle import spawn, spawn_all
from .work_queue import WorkQueue


def static_chunks(image, workers):
    """Starts `workers` threads, each summing one contiguous range of rows decided before
    any starts; returns the wrapping sum of every row.

    Stresses: the GIL, and load balance (it fails it: the middle rows cost far more than the
    edges). With the GIL the threads take turns every switch interval (5 ms) and the run
    takes about as long as one thread's; a free-threaded build (3.13t) would run them at once
    and then show the imbalance."""
    handles = spawn_all(workers, lambda t: image.rows(leaf(image.height, workers, t)))
    return sum(handle.join() for handle in handles) & MASK


def work_queue(image, workers):
    """Starts `workers` threads that each take the next row from one shared counter until
    none is left; returns the wrapping sum of every row.

    Stresses: the GIL again, plus one lock per row. The queue balances the load, which only
    helps once threads can compute at once (a free-threaded build)."""
    rows = WorkQueue(image.height)

    def worker():
        total = 0
        while (y := rows.take()) is not None:
            total = (total + image.row(y)) & MASK
        return total

    handles = [spawn(worker) for _ in range(min(workers, image.height))]
    return sum(handle.join() for handle in handles) & MASK
